"""SPE payoff sets (sim.spe): against quantecon's Abreu–Sannikov implementation, against the
APS definition (self-generation), and against closed forms (grim trigger, folk theorem)."""

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.polygons import distance, hausdorff
from sim.spe import (critical_discount, feasible_set, folk_summary,
                     individually_rational_set, pure_minmax,
                     pure_nash_profiles, self_generation_defect, spe_payoff_set,
                     spe_payoff_sets)

PD = np.array([[3.0, 0.0], [5.0, 1.0]])  # T=5, R=3, P=1, S=0 (row's view); column: PD.T

#: asymmetric NATO–CSTO-like material games (row A, column B)
MATERIAL = {
    "pd_vs_staghunt": (np.array([[3.0, 0.0], [5.0, 1.0]]), np.array([[4.0, 1.0], [0.0, 2.0]])),
    "pd_vs_c_dominant": (np.array([[2.0, -1.0], [3.0, 0.0]]),
                         np.array([[3.0, -2.0], [4.0, 1.0]])),
    "harmony_vs_pd": (np.array([[4.0, 1.0], [3.0, 2.0]]), np.array([[3.0, 0.0], [5.0, 1.0]])),
}

#: m x n games (integer payoffs drawn once with numpy's default_rng(0))
MXN = {
    "2x2": (np.array([[4, 2], [1, -1]], float), np.array([[-1, -3], [-3, -3]], float)),
    "3x3a": (np.array([[-2, 4, 2], [5, 1, 2], [5, 3, 2]], float),
             np.array([[1, 2, 5], [-1, 4, 3], [-3, 0, 4]], float)),
    "3x3b": (np.array([[-2, 1, -3], [0, 5, 2], [0, 5, 2]], float),
             np.array([[5, -3, 1], [4, 3, 0], [1, 0, 1]], float)),
    "4x4a": (np.array([[3, 0, 2, -2], [4, 1, 5, 4], [3, -1, 3, -3], [2, 0, 5, -2]], float),
             np.array([[5, -3, 2, 2], [5, -1, 5, 3], [5, -2, 3, 5], [-3, 0, 2, -3]], float)),
    "4x4b": (np.array([[-2, 3, 5, 5], [3, 5, 4, -3], [-2, 4, -3, 5], [4, 5, 0, -2]], float),
             np.array([[1, 5, 0, 5], [0, 4, -1, 1], [-1, -1, 5, 4], [-2, 5, 5, -1]], float)),
}


def utility(r, A, B):
    return A - r * B, B - r * A


def quantecon_set(qe, A, B, discount):
    """Vertices of quantecon's pure-strategy SPE payoff set (Abreu–Sannikov)."""
    gt = qe.game_theory
    game = gt.NormalFormGame((gt.Player(A), gt.Player(B.T)))
    hull = gt.RepeatedGame(game, discount).equilibrium_payoffs()
    return hull.points[hull.vertices]


CASES = (
    [("pd", PD, PD.T, d) for d in (0.3, 0.5, 0.7, 0.9)]
    + [(f"{k}_r{r}", *utility(r, *MATERIAL[k]), 0.9) for k in MATERIAL for r in (0, 0.2, 0.4)]
    + [(f"{k}_r{r}", *utility(r, *MATERIAL[k]), 0.7)
       for k, r in [("pd_vs_staghunt", 0.0), ("pd_vs_staghunt", 0.2),
                    ("harmony_vs_pd", 0.2), ("harmony_vs_pd", 0.4)]]
    + [(k, *MXN[k], d) for k, d in [("2x2", 0.8), ("2x2", 0.9), ("3x3a", 0.8),
                                     ("3x3b", 0.6), ("4x4a", 0.6), ("4x4a", 0.9),
                                     ("4x4b", 0.8)]]
)


@pytest.mark.parametrize("name,A,B,discount", CASES, ids=[f"{c[0]}-{c[3]}" for c in CASES])
def test_matches_quantecon(qe, name, A, B, discount):
    ours = spe_payoff_set(A, B, discount)
    theirs = quantecon_set(qe, A, B, discount)
    assert ours.converged
    assert hausdorff(ours.vertices, theirs) <= 1e-6


@pytest.mark.parametrize("name,A,B,discount", CASES[::3], ids=[f"{c[0]}-{c[3]}" for c in CASES[::3]])
def test_self_generating(name, A, B, discount):
    V = spe_payoff_set(A, B, discount).vertices
    assert self_generation_defect(A, B, discount, V) <= 1e-8


def test_self_generation_defect_detects_too_large_sets():
    FIR = individually_rational_set(PD, PD.T)  # (R,R) is no SPE payoff below δ = 1/2
    assert self_generation_defect(PD, PD.T, 0.3, FIR) > 0.1


# T > R > P > S with 2R > T + S, built as S, P = S + a, R = P + b, T = R + c, c < a + b
pd_letters = st.tuples(st.integers(-5, 5), st.integers(1, 6), st.integers(1, 6)).flatmap(
    lambda t: st.integers(1, t[1] + t[2] - 1).map(
        lambda c: (t[0] + t[1] + t[2] + c, t[0] + t[1] + t[2], t[0] + t[1], t[0])))


@settings(max_examples=15, deadline=None)
@given(pd_letters)
def test_pd_critical_discount_is_grim_threshold(letters):
    T, R, P, S = map(float, letters)
    A = np.array([[R, S], [T, P]])
    assert critical_discount(A, A.T) == pytest.approx((T - R) / (T - P), abs=1e-7)


def test_pd_near_one_is_feasible_individually_rational():
    FIR = individually_rational_set(PD, PD.T)
    for d in (0.9, 0.99, 0.999):
        assert hausdorff(spe_payoff_set(PD, PD.T, d).vertices, FIR) <= 1e-9


@pytest.mark.parametrize("key", sorted(MATERIAL))
def test_approaches_feasible_rational_set_as_discount_to_one(key):
    A, B = utility(0.3, *MATERIAL[key])
    FIR = individually_rational_set(A, B)
    gaps = [hausdorff(spe_payoff_set(A, B, 1 - e).vertices, FIR) for e in (1e-1, 1e-2, 1e-3)]
    assert gaps[2] <= 0.01 * max(np.ptp(A), np.ptp(B))
    assert gaps[2] <= gaps[1] <= gaps[0]


games_2x2 = st.lists(st.integers(-4, 6), min_size=8, max_size=8).map(
    lambda x: (np.array(x[:4], float).reshape(2, 2), np.array(x[4:], float).reshape(2, 2)))


@settings(max_examples=25, deadline=None)
@given(games_2x2, st.floats(0.05, 0.9), st.floats(0.01, 0.09))
def test_structure(game, discount, step):
    """Monotone in δ (APS 1990); inside the feasible rational set; contains every pure
    Nash payoff; worst payoffs at or above the pure minmax."""
    A, B = game
    small, large = spe_payoff_sets(A, B, [discount, discount + step])
    FIR = individually_rational_set(A, B)
    for v in small.vertices:
        assert large.distance(v) <= 1e-7
    for v in large.vertices:
        assert distance(v, FIR) <= 1e-9
    for a in pure_nash_profiles(A, B):
        assert small.contains([A[a], B[a]], 1e-9)
    if not small.empty:
        assert (small.worst >= pure_minmax(A, B) - 1e-9).all()


@settings(max_examples=15, deadline=None)
@given(games_2x2, st.floats(0.1, 0.9), st.floats(0.5, 3), st.floats(-2, 2), st.floats(0.5, 3))
def test_affine_and_swap_equivariance(game, discount, a, b, c):
    A, B = game
    V = spe_payoff_set(A, B, discount).vertices
    W = spe_payoff_set(a * A + b, c * B - b, discount).vertices
    assert hausdorff(W, V * [a, c] + [b, -b]) <= 1e-7 * max(a, c)
    S = spe_payoff_set(B.T, A.T, discount).vertices
    assert hausdorff(S, V[:, ::-1]) <= 1e-8


def test_no_pure_spe_in_matching_pennies():
    A = np.array([[1.0, -1.0], [-1.0, 1.0]])
    for s in spe_payoff_sets(A, -A, [0.5, 0.99]):
        assert s.empty and np.isnan(s.worst).all()
    summary = folk_summary(A, -A, [0.5])
    assert summary["sets"] == [[]] and summary["cooperation_in_set"] == [False]
    assert summary["critical_discount"] is None and summary["worst"] == [None]


def test_discount_zero_is_hull_of_stage_equilibria():
    A = np.array([[2.0, 0.0], [0.0, 1.0]])  # battle of the sexes: NE (C,C)=(2,1), (D,D)=(1,2)
    B = np.array([[1.0, 0.0], [0.0, 2.0]])
    V = spe_payoff_set(A, B, 0.0).vertices
    assert hausdorff(V, [[2.0, 1.0], [1.0, 2.0]]) == 0.0
    assert critical_discount(A, B) == 0.0


def test_cooperation_never_in_deadlock():
    A = np.array([[2.0, 0.0], [3.0, 2.5]])  # T > P > R > S: (D,D) beats (C,C)
    assert np.isnan(critical_discount(A, A.T))


def test_summary_keys_json_and_consistency():
    discounts = [0.3, 0.45, 0.55, 0.9]
    s = folk_summary(PD, PD.T, discounts)
    assert json.loads(json.dumps(s)) == s
    for key in ("feasible", "minmax", "sets", "cooperation_in_set", "critical_discount",
                "individually_rational", "best", "worst", "iterations", "error", "converged"):
        assert key in s
    assert s["minmax"] == [1.0, 1.0]
    assert hausdorff(s["feasible"], feasible_set(PD, PD.T)) == 0
    assert s["cooperation_in_set"] == [d >= s["payoff_critical_discount"] for d in discounts]
    assert s["critical_discount"] == pytest.approx(0.5, abs=1e-9)   # PD: as grim trigger
    assert s["best"][-1] == pytest.approx([13 / 3, 13 / 3])  # on the (R,R)-(T,S) edge at v_col = P


@pytest.mark.parametrize("bad", [-0.1, 1.0, 1.5, float("nan")])
def test_rejects_bad_discount(bad):
    with pytest.raises(ValueError, match="discount"):
        spe_payoff_set(PD, PD.T, bad)


def test_old_delta_names_still_work_with_a_deprecation_warning():
    """δ is ``discount`` in the whole API; the 0.1 names ``delta``, ``deltas`` and
    ``delta_max`` still give the same results, each with a DeprecationWarning naming the new
    one, and giving both names is an error."""
    from sim import spe, spe_bounds
    from sim.plots import folk

    calls = [(spe.spe_payoff_set, (PD, PD.T), {"delta": 0.6}, "discount"),
             (spe.spe_payoff_sets, (PD, PD.T), {"deltas": [0.3, 0.6]}, "discounts"),
             (spe.profile_in_set, (PD, PD.T), {"delta": 0.6}, "discount"),
             (spe.forever_holds, (PD, PD.T), {"delta": 0.6}, "discount"),
             (spe.forever_thresholds, (PD, PD.T), {"delta_max": 0.9}, "discount_max"),
             (spe.critical_discount, (PD, PD.T), {"delta_max": 0.9}, "discount_max"),
             (spe.payoff_critical_discount, (PD, PD.T), {"delta_max": 0.9}, "discount_max"),
             (spe.folk_summary, (PD, PD.T), {"deltas": [0.6]}, "discounts"),
             (spe.self_generation_defect, (PD, PD.T), {"delta": 0.6, "vertices": [[1, 1]]},
              "discount"),
             (spe_bounds.spe_bounds, (PD, PD.T), {"delta": 0.6, "directions": 8}, "discount"),
             (spe_bounds.aps_support, (PD, PD.T), {"delta": 0.6, "vertices": [[1, 1], [3, 3]],
                                                   "directions": [[1, 0]]}, "discount")]
    for f, args, old, new in calls:
        name = next(k for k in old if k.startswith("delta"))
        with pytest.warns(DeprecationWarning, match=rf"{f.__name__}\({name}=...\) is "
                                                    rf"deprecated; use {f.__name__}\({new}="):
            got = f(*args, **old)
        renamed = {new if k == name else k: v for k, v in old.items()}
        want = f(*args, **renamed)
        assert repr(got) == repr(want), f.__name__
        with pytest.raises(TypeError, match="both"):
            f(*args, **old, **{new: old[name]})
    with pytest.warns(DeprecationWarning, match=r"PayoffSet.delta is deprecated"):
        assert spe.spe_payoff_set(PD, PD.T, 0.6).delta == 0.6
    with pytest.warns(DeprecationWarning, match=r"Bounds.delta is deprecated"):
        assert spe_bounds.spe_bounds(PD, PD.T, 0.6, directions=8).delta == 0.6
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with pytest.warns(DeprecationWarning, match=r"plot_folk\(deltas=...\)"):
        plt.close(folk.plot_folk(PD, PD.T, deltas=[0.6]))
    with pytest.warns(DeprecationWarning, match=r"plot_folk_panels\(deltas=...\)"):
        plt.close(folk.plot_folk_panels([(0.0, PD, PD.T)], deltas=[0.6]))


def test_rejects_bad_shapes():
    with pytest.raises(ValueError, match="same shape"):
        spe_payoff_set(PD, np.ones((2, 3)), 0.5)
    with pytest.raises(ValueError, match="finite"):
        spe_payoff_set(PD * np.nan, PD.T, 0.5)


def test_pure_minmax_broadcasts():
    As = np.stack([PD, 2 * PD])
    assert pure_minmax(As, As.swapaxes(-1, -2)).tolist() == [[1, 1], [2, 2]]


# (C,D) is a stage equilibrium paying exactly (R_row, R_col); row gains by deviating from
# (C,C) (T > R) and its pure minmax is R, so no punishment deters it
payoff_without_play = st.tuples(st.integers(-3, 3), st.integers(1, 4), st.integers(0, 4),
                                st.integers(-3, 3), st.integers(-3, 3), st.integers(-3, 3))


@settings(max_examples=25, deadline=None)
@given(payoff_without_play)
def test_critical_discount_asks_for_cc_played_forever_not_its_payoff(x):
    """Public randomisation (here a stage equilibrium) can give the payoff (R, R) without
    (C,C) ever being played: ``payoff_critical_discount`` is 0, but (C,C) forever is no SPE
    outcome at any δ, since R_row equals row's pure minmax (Abreu 1988)."""
    R, gain, drop, y, u, v = x
    A = np.array([[R, R], [R + gain, R - drop]], float)
    B = np.array([[y, y], [u, v]], float)
    assert np.isnan(critical_discount(A, B))
    from sim.spe import forever_holds, payoff_critical_discount

    assert payoff_critical_discount(A, B) == pytest.approx(0.0, abs=1e-9)
    for d in (0.5, 0.9, 0.99):
        assert not forever_holds(A, B, d)[0]
