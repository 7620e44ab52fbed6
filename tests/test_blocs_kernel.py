"""The compiled format model (:mod:`sim.blocs.formats_kernel`) equals the array model
(:class:`sim.blocs.formats.FormatAnalysis`), bit for bit: outcomes, acceptance, every actor's
utility, preferred formats and the choice stage, in every mode, on generated batches of bloc
numbers — 1 to 4 members, a unitary row player or a row bloc of 1 to 3, every decision rule on
either side, quotas at coalition sums (ties), integer stakes (ties and degenerate games) and
real ones under positive affine maps, each input varying along its own random subset of the
batch axes; and points on which a hard penal code decides go to the array model."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import scenario
from sim.blocs.formats import MODES, FormatAnalysis, analyse
from sim.blocs.formats_kernel import evaluate
from sim.blocs.maps import format_codes
from sim.blocs.rules import RULES, Rule
from sim.preferences import effective_weight
from sim.scenario.blocs import BlocInputs, numbers

SHAPES = [(), (5,), (3, 4), (2, 1, 3)]
PD_ROW = [[3.0, 0.0], [4.0, 1.0]]          # (row action, bloc action): R S / T P
PD_COLUMN = [[3.0, 4.0], [0.0, 1.0]]       # the column player's payoffs, same orientation


def _bits(x):
    """The array's bits (floats as integers: -0.0 and 0.0 differ)."""
    x = np.ascontiguousarray(x)
    return x.view(np.int64) if x.dtype == float else x


@st.composite
def bloc_inputs(draw):
    n = draw(st.integers(1, 4))
    k = draw(st.sampled_from([0, 0, 1, 2, 3]))
    shape = draw(st.sampled_from(SHAPES))
    scale = 10.0 ** draw(st.integers(-6, 6))
    shift = draw(st.sampled_from([0.0, 1.0, -2.5]))
    real = draw(st.booleans())
    dilemma = draw(st.booleans())        # Prisoner's Dilemmas: the repeated game decides
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))

    def own(tail):                       # the batch axes this input varies along
        keep = rng.random(len(shape)) < 0.5
        lead = rng.integers(0, len(shape) + 1)
        return tuple(s if v else 1 for s, v in zip(shape, keep))[lead:] + tail

    def stakes(*tail, column=False):
        x = rng.integers(-3, 4, own(tail)).astype(float)
        if dilemma:                      # T > R > P > S in the player's own view, and noise
            x = np.array(PD_COLUMN if column else PD_ROW) + rng.integers(-1, 2, x.shape) / 4
        if real:
            x = x + np.round(rng.uniform(-1, 1, x.shape), 2)
        return x * scale + shift

    def weights(*tail):
        return rng.choice([0.0, 0.25, 0.5, 1.0, 1 / 3], own(tail))

    def shares(m):
        w = rng.integers(1, 4, own((m,))).astype(float)
        return w / w.sum(-1, keepdims=True)

    def rule(s, m):
        kind = draw(st.sampled_from(RULES))
        quota = np.where(rng.random(s.shape) < 0.5, s, 0.0).sum(-1) if draw(st.booleans()) \
            else rng.uniform(0.05, 1.0, own(()))
        return Rule(kind, quota if kind == "quota" else 1.0, draw(st.integers(0, m - 1)))

    w = shares(n)
    A, A_bil = stakes(2, 2), stakes(n, 2, 2)
    r_row = weights()
    r_nominal = weights()
    if k:
        rows = tuple(f"r{i}" for i in range(k))
        row_shares = shares(k)
        row = dict(row_members=rows, row_rule=rule(row_shares, k), row_shares=row_shares,
                   Q=stakes(k, 2, 2), Q_bil=stakes(k, n, 2, 2), r_rows=weights(k),
                   r_rows_bil=weights(k), row_compare=weights(k, 1 + n + k))
    else:
        row = dict(row_members=(), row_rule=Rule("consensus"), row_shares=np.ones((1,)),
                   Q=A[..., None, :, :], Q_bil=A_bil[..., None, :, :, :],
                   r_rows=np.asarray(r_row)[..., None],
                   r_rows_bil=effective_weight(r_nominal, n + 1)[..., None],
                   row_compare=np.eye(1, 1 + n + 1))
    return BlocInputs(
        ("Row", "Bloc"), tuple(f"m{i}" for i in range(n)), rule(w, n), w, A,
        stakes(n, 2, 2, column=True), A_bil, stakes(n, 2, 2, column=True),
        rng.integers(-3, 4, own((n,))) / 4 * scale,
        draw(st.sampled_from([None] + list(range(n)))),
        r_row, r_nominal, weights(), weights(n), weights(n, 1 + n),
        rng.choice([0.0, 0.3, 0.5, 0.9, 0.99], own(())), **row)


def _assert_equal(got, numpy, mode):
    ref = {"utility": numpy.utility[mode], "preferred": numpy.preferred(mode),
           "choice": numpy.choice(mode), "bloc": numpy.bloc[mode],
           "bilateral": numpy.bilateral[mode], "accepts_bloc": numpy.accepts_bloc[mode]}
    for key, want in ref.items():
        if key not in got:
            continue
        have = got[key]
        if key == "preferred":           # the first actors only, if fewer were asked for
            want = np.broadcast_to(want, have.shape[:-1] + want.shape[-1:])[..., :have.shape[-1]]
        np.testing.assert_array_equal(_bits(have), _bits(np.broadcast_to(want, have.shape)),
                                      err_msg=f"{mode} {key}")


@settings(max_examples=40, deadline=None)
@given(bloc_inputs())
def test_kernel_equals_the_array_model(nums):
    numpy = FormatAnalysis(nums)
    for mode in MODES:
        _assert_equal(evaluate(nums, mode), numpy, mode)
    # fewer outputs (the bloc's side's bilateral utilities then skipped) change nothing
    _assert_equal(evaluate(nums, utility=False, preferred=1, outcomes=False), numpy,
                  "repeated")
    compiled = analyse(nums)
    for actor in range(len(numpy.actors)):
        np.testing.assert_array_equal(compiled.preferred(actor=actor),
                                      np.broadcast_to(numpy.preferred(actor=actor),
                                                      compiled.preferred().shape[:-1]))


def test_a_hard_penal_code_is_left_to_the_array_model():
    """A tempted row player above its pure minmax, no pure stage equilibrium there: its penal
    code needs the SPE sets (:mod:`sim.equilibria_kernel`); the bloc accepts (C,C), which is
    no stage equilibrium, so the repeated game's outcome turns on it."""
    A = np.array([[1.0, -1.0], [3.0, -2.0]])
    B = np.array([[1.0, 0.0], [1.0, -1.0]])
    d = np.linspace(0, 0.99, 7)
    nums = BlocInputs(("Row", "Bloc"), ("m",), Rule("consensus"), np.ones(1), A, B[None],
                      A[None], B[None], np.zeros(1), None, *np.zeros((3, 1)), np.zeros(1),
                      np.zeros((1, 2)), d, (), Rule("consensus"), np.ones(1), A[None],
                      A[None, None], np.zeros(1), np.zeros(1), np.eye(1, 3))
    got = evaluate(nums)
    assert got["numpy"].all()
    _assert_equal(got, FormatAnalysis(nums), "repeated")


KEYS = ["parameters.threat", "preferences.relative_gain_weight.NATO",
        "blocs.members.Russia.share", "blocs.members.Kazakhstan.compare.NATO",
        "blocs.bilateral.synergy", "repeated.discount"]


@settings(max_examples=8, deadline=None)
@given(st.sampled_from(["nato_csto_members", "nato_csto_allies"]),
       st.permutations(KEYS).map(lambda k: k[:2]), st.sampled_from(RULES), st.floats(0.05, 1))
def test_format_maps_of_the_shipped_scenarios(name, keys, kind, q):
    """The map codes (compiled, the default) equal the array model's, point by point."""
    sc = scenario.load(name)
    ranges = {"parameters.threat": (0, 8), "blocs.members.Russia.share": (0.05, 0.95),
              "repeated.discount": (0, 0.99)}
    x = np.linspace(*ranges.get(keys[0], (0, 1)), 17)
    y = np.linspace(*ranges.get(keys[1], (0, 1)), 13)
    nums = numbers(sc, {keys[0]: x[None, :], keys[1]: y[:, None]})
    from dataclasses import replace

    nums = replace(nums, rule=Rule(kind, q, 0))
    got = format_codes(nums, (13, 17))
    want = format_codes(nums, (13, 17), method="numpy", chunk_points=40)
    np.testing.assert_array_equal(got[0], want[0])
    np.testing.assert_array_equal(got[1], want[1])
