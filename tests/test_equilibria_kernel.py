"""The compiled criterion (:mod:`sim.equilibria_kernel`) equals :mod:`sim.equilibria`'s, bit for
bit, on batches of generated games: Chicken-like and cycling orderings, Prisoner's Dilemmas,
harmony, tie-heavy and all-equal games, real payoffs, each under positive affine maps with
scales from 1e-12 to 1e12; and the games it flags hard are exactly those for which
:func:`sim.equilibria.penal_code_threshold` needs the SPE sets."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import equilibria as eq
from sim import equilibria_kernel as kernel
from sim.games import matrix_from_trps

few = settings(max_examples=60, deadline=None)

ints = st.integers(-4, 4)
gap = st.integers(1, 4)


def _ordered(order):
    """Own-view ``(T, R, P, S)`` with the strict ordering ``order`` (best first), from gaps."""
    def build(x):
        values = np.cumsum([x[0]] + list(x[1:]))[::-1]
        return tuple(float(values[order.index(k)]) for k in "TRPS")
    return st.tuples(ints, gap, gap, gap).map(build)


#: Every strict ordering of T, R, P, S: Chicken (TRSP), PD (TRPS), Harmony (RTSP), Stag Hunt,
#: Deadlock, Leader and the orderings that make best replies cycle when paired.
ORDERINGS = ["".join(p) for p in itertools.permutations("TRPS")]
strict = st.sampled_from(ORDERINGS).flatmap(_ordered)
tied = st.tuples(*(st.sampled_from([0.0, 1.0, 2.0]),) * 4)
equal = st.integers(-3, 3).map(lambda x: (float(x),) * 4)
real = st.tuples(*(st.integers(-400, 400).map(lambda k: k / 100),) * 4)
integer = st.tuples(*(ints.map(float),) * 4)
letters = st.one_of(strict, strict, tied, equal, real, integer)


def _game(row, column, scale, shift):
    """``(A, B)`` from each player's own letters, each player's payoffs under its own
    positive affine map ``x -> scale * x + shift``."""
    M = [matrix_from_trps(*x) * s + c for x, s, c in zip((row, column), scale, shift)]
    return M[0], M[1].T


exponent = st.integers(-12, 12).map(lambda k: 10.0 ** k)
game = st.builds(_game, letters, letters, st.tuples(exponent, exponent),
                 st.tuples(st.sampled_from([0.0, 1.0, -3.5]), st.sampled_from([0.0, 2.0])))
batch = st.lists(game, min_size=1, max_size=40).map(
    lambda gs: (np.array([g[0] for g in gs]), np.array([g[1] for g in gs])))


def _mask(A, B):
    pure = eq.pure_equilibria(A, B)
    return (kernel.CC * pure[..., 0, 0] + kernel.CD * pure[..., 0, 1]
            + kernel.DC * pure[..., 1, 0] + kernel.DD * pure[..., 1, 1])


def _hard_of_numpy(A, B):
    """The players for which ``penal_code_threshold`` calls the SPE sets, and its result."""
    seen = []
    numeric = eq._numeric_penal_threshold

    def record(A, B, hard, lo):
        seen.append(hard)
        return numeric(A, B, hard, lo)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(eq, "_numeric_penal_threshold", record)
        penal = eq.penal_code_threshold(A, B)
    return (seen[0] if seen else np.zeros((2,) + A.shape[:-2], bool)), penal


@few
@given(games=batch)
def test_facts_equal_the_numpy_criterion(games):
    A, B = games
    facts = kernel.game_facts(A, B)
    assert np.array_equal(facts["equilibria"], _mask(A, B))
    T, R, P, S = (np.stack(x) for x in zip(*(
        (M[..., 1, 0], M[..., 0, 0], M[..., 1, 1], M[..., 0, 1]) for M in (A, B.swapaxes(-1, -2)))))
    prefer = (R > P + eq.tolerance(np.stack([A, B.swapaxes(-1, -2)]))).sum(axis=0)
    assert np.array_equal(facts["prefer"], prefer)
    assert np.array_equal(facts["nash"], eq.nash_reversion_threshold(A, B))
    hard, penal = _hard_of_numpy(A, B)
    assert np.array_equal(facts["hard"], hard)
    assert np.array_equal(facts["penal"][~hard], penal[~hard])
    assert (facts["penal"][hard] <= penal[hard]).all()        # the minmax bound, m <= w(δ)
    assert np.array_equal(kernel.forever_threshold(A, B), eq.forever_threshold(A, B, "spe"))


weights = st.sampled_from([0.0, 0.25, 0.5, 0.9, 1.0])
deltas = st.sampled_from([0.0, 0.1, 0.5, 0.75, 0.9, 0.95, 0.999])


@few
@given(games=batch, data=st.data())
def test_analyse_equals_analyse_grid(games, data):
    A, B = games
    n = len(A)
    r = np.array(data.draw(st.lists(weights, min_size=2 * n, max_size=2 * n))).reshape(2, n)
    d = np.array(data.draw(st.lists(deltas, min_size=n, max_size=n)))
    code, blocked = kernel.analyse(A, B, r[0], r[1], d)
    want_code, want_blocked = eq.analyse_grid(A, B, r[0], r[1], d)
    assert np.array_equal(code, want_code) and np.array_equal(blocked, want_blocked)


@few
@given(games=batch, offset=st.sampled_from([-2e-9, -1e-9, 0.0, 1e-9, 2e-9]))
def test_analyse_at_the_thresholds_themselves(games, offset):
    """δ on and next to each game's own joint threshold (the ties of ``sustained``)."""
    A, B = games
    lo = eq.forever_threshold(A, B, "spe").max(axis=0)
    d = np.clip(np.where(np.isfinite(lo), lo, 0.5) + offset, 0.0, 0.999)
    assert np.array_equal(kernel.analyse(A, B, 0.0, 0.0, d), eq.analyse_grid(A, B, 0.0, 0.0, d))
    assert np.array_equal(eq.regime(A, B, d), kernel.analyse(A, B, 0.0, 0.0, d)[0])


def test_broadcasts_like_analyse_grid():
    rng = np.random.default_rng(3)
    A, B = rng.integers(-3, 4, (2, 7, 1, 2, 2)).astype(float)
    r = np.linspace(0, 1, 5)
    d = np.array([0.2, 0.9])[:, None, None]
    code, blocked = kernel.analyse(A, B, r, r, d)
    want = eq.analyse_grid(A, B, r, r, d)
    assert code.shape == want[0].shape == (2, 7, 5)
    assert np.array_equal(code, want[0]) and np.array_equal(blocked, want[1])
    facts = kernel.game_facts(A, B)
    assert facts["nash"].shape == (2, 7, 1) and facts["equilibria"].shape == (7, 1)


def test_hard_games_are_filled_on_the_numpy_path():
    """A game with no closed-form penal code (some player tempted, R above its pure minmax, no
    pure stage equilibrium at the minmax) gets the SPE sets' threshold, not the bound."""
    rng = np.random.default_rng(0)
    A, B = rng.normal(size=(2, 400, 2, 2))
    hard = kernel.game_facts(A, B)["hard"].any(axis=0)
    assert hard.sum() >= 5
    A, B = A[hard][:3], B[hard][:3]
    assert np.array_equal(kernel.forever_threshold(A, B), eq.forever_threshold(A, B, "spe"))
    d = np.full(3, 0.9)
    assert np.array_equal(kernel.analyse(A, B, 0.3, 0.6, d), eq.analyse_grid(A, B, 0.3, 0.6, d))


@pytest.mark.parametrize("scale", [1e-12, 1.0, 1e12])
def test_all_equal_payoffs(scale):
    A = B = np.full((1, 2, 2), 3.0 * scale)
    facts = kernel.game_facts(A, B)
    assert facts["equilibria"][0] == kernel.CC | kernel.CD | kernel.DC | kernel.DD
    assert eq.REGIMES[kernel.analyse(A, B, 0.5, 0.5, 0.9)[0][0]] == "coordination"
