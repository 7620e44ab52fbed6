"""Stage equilibria against nashpy, thresholds against brute-force deviation checks, and the
invariances every analysis must have."""

import warnings

import nashpy
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sim.critical import critical_weight
from sim.equilibria import (PROFILES, REGIMES, analyse_grid, dominance,
                            is_degenerate,
                            is_cooperative, nash_equilibria, pareto_optimal, pure_equilibria,
                            regime, regime_names, sustained, threshold, threshold_interval)
from sim.games import Game, ordering_code, own_views
from sim.preferences import utility_game

small_ints = arrays(float, (2, 2), elements=st.integers(-3, 3).map(float))
tie_heavy = arrays(float, (2, 2), elements=st.sampled_from([0.0, 1.0, 2.0]))
reals = arrays(float, (2, 2), elements=st.floats(-10, 10, allow_nan=False).map(
    lambda x: round(x, 3)))


def nashpy_equilibria(A, B):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return list(nashpy.Game(A, B).support_enumeration())


def same_equilibria(ours, theirs):
    return len(ours) == len(theirs) and all(
        np.allclose(a[0], b[0]) and np.allclose(a[1], b[1]) for a, b in zip(ours, theirs))


@settings(max_examples=400, deadline=None)
@given(A=small_ints, B=small_ints)
def test_equilibria_agree_with_nashpy_on_integer_games(A, B):
    assert same_equilibria(nash_equilibria(A, B), nashpy_equilibria(A, B))


@settings(max_examples=300, deadline=None)
@given(A=tie_heavy, B=tie_heavy)
def test_equilibria_agree_with_nashpy_on_tie_heavy_games(A, B):
    assert same_equilibria(nash_equilibria(A, B), nashpy_equilibria(A, B))


@settings(max_examples=300, deadline=None)
@given(A=reals, B=reals)
def test_equilibria_agree_with_nashpy_on_real_games(A, B):
    assert same_equilibria(nash_equilibria(A, B), nashpy_equilibria(A, B))


def test_pure_equilibria_broadcast_like_pointwise():
    rng = np.random.default_rng(1)
    A, B = rng.integers(-2, 3, (2, 50, 2, 2)).astype(float)
    grid = pure_equilibria(A, B)
    for k in range(50):
        assert (grid[k] == pure_equilibria(A[k], B[k])).all()


def test_classic_games():
    pd = Game.symmetric(5, 3, 1, 0)
    assert [(tuple(s), tuple(t)) for s, t in nash_equilibria(pd.A, pd.B)] == [((0, 1), (0, 1))]
    assert list(dominance(pd.A, pd.B)) == [2, 2]            # D strictly dominant for both
    assert pareto_optimal(pd.A, pd.B).tolist() == [[True, True], [True, False]]
    sh = Game.symmetric(3, 4, 2, 0)
    eqs = nash_equilibria(sh.A, sh.B)
    assert len(eqs) == 3 and np.allclose(eqs[2][0], [2 / 3, 1 / 3])
    chicken = Game.symmetric(4, 3, 0, 1)
    assert pure_equilibria(chicken.A, chicken.B).tolist() == [[False, True], [True, False]]


# ---------------------------------------------------------------------------------------------
# Thresholds against brute force: policy evaluation and one-shot deviations on automata
# ---------------------------------------------------------------------------------------------

def _automaton(profile):
    """Joint automaton of a symmetric profile: (states, action(state, player), next, start)."""
    if profile == "grim":
        states = ["coop", "punish"]

        def act(s, p):
            return 0 if s == "coop" else 1

        def nxt(s, a, b):
            return "coop" if s == "coop" and a == 0 and b == 0 else "punish"
        return states, act, nxt, "coop"
    states = [(a, b) for a in (0, 1) for b in (0, 1)]   # last (row action, column action)

    def act(s, p):
        own, other = (s[0], s[1]) if p == 0 else (s[1], s[0])
        if profile == "tft":
            return other
        return 0 if own == other else 1              # WSLS (Pavlov) as memory-one (1,0,0,1)

    def nxt(s, a, b):
        return (a, b)
    return states, act, nxt, (0, 0)


def _values(A, B, delta, profile):
    """Normalised discounted values of conformity at each joint state, per player."""
    states, act, nxt, _ = _automaton(profile)
    n = len(states)
    idx = {s: i for i, s in enumerate(states)}
    P = np.zeros((n, n))
    u = np.zeros((2, n))
    for s in states:
        a, b = act(s, 0), act(s, 1)
        P[idx[s], idx[nxt(s, a, b)]] = 1
        u[:, idx[s]] = A[a, b], B[a, b]
    V = np.linalg.solve(np.eye(n) - delta * P, (1 - delta) * u.T).T
    return states, act, nxt, idx, V


def brute_spe(A, B, delta, profile):
    """Subgame perfect iff no profitable one-shot deviation at any state (Blackwell 1965)."""
    states, act, nxt, idx, V = _values(A, B, delta, profile)
    for s in states:
        a, b = act(s, 0), act(s, 1)
        dev_row = (1 - delta) * A[1 - a, b] + delta * V[0, idx[nxt(s, 1 - a, b)]]
        dev_col = (1 - delta) * B[a, 1 - b] + delta * V[1, idx[nxt(s, a, 1 - b)]]
        if dev_row > V[0, idx[s]] + 1e-9 or dev_col > V[1, idx[s]] + 1e-9:
            return False
    return True


def brute_ne(A, B, delta, profile):
    """Nash iff neither player gains by any strategy against the other's automaton: the best
    reply solves the MDP on the joint states by value iteration."""
    states, act, nxt, idx, V = _values(A, B, delta, profile)
    start = idx[_automaton(profile)[3]]
    for p, M in ((0, A), (1, B)):
        W = np.zeros(len(states))
        for _ in range(3000):
            W_new = np.empty_like(W)
            for s in states:
                opp = act(s, 1 - p)
                opts = []
                for mine in (0, 1):
                    a, b = (mine, opp) if p == 0 else (opp, mine)
                    opts.append((1 - delta) * M[a, b] + delta * W[idx[nxt(s, a, b)]])
                W_new[idx[s]] = max(opts)
            if np.abs(W_new - W).max() < 1e-13:
                W = W_new
                break
            W = W_new
        if W[start] > V[p, start] + 1e-7:
            return False
    return True


@settings(max_examples=150, deadline=None)
@given(A=small_ints, B=small_ints, delta=st.sampled_from([0.0, 0.1, 0.3, 0.5, 0.6, 0.75, 0.9, 0.97]))
def test_closed_forms_match_brute_force(A, B, delta):
    assert bool(sustained(A, B, delta, "grim")) == brute_spe(A, B, delta, "grim")
    assert bool(sustained(A, B, delta, "wsls")) == brute_spe(A, B, delta, "wsls")
    assert bool(sustained(A, B, delta, "tft")) == brute_ne(A, B, delta, "tft")


def test_textbook_thresholds():
    T, R, P, S = 5.0, 3.0, 1.0, 0.0
    g = Game.symmetric(T, R, P, S)
    assert threshold(g.A, g.B, "grim")[2] == pytest.approx((T - R) / (T - P))
    assert threshold(g.A, g.B, "tft")[2] == pytest.approx(max((T - R) / (T - P), (T - R) / (R - S)))
    assert np.isnan(threshold(g.A, g.B, "wsls")[2])            # 2R = T + P: never
    g2 = Game.symmetric(4, 3, 1, 0)
    assert threshold(g2.A, g2.B, "wsls")[2] == pytest.approx((4 - 3) / (3 - 1))
    h = Game.symmetric(3, 4, 1, 2)                               # harmony: no future needed
    assert threshold(h.A, h.B, "tft")[2] == 0


@settings(max_examples=100, deadline=None)
@given(A=small_ints, B=small_ints, profile=st.sampled_from(PROFILES))
def test_threshold_is_where_sustained_starts(A, B, profile):
    t = threshold(A, B, profile)[2]
    lo, hi = threshold_interval(A, B, profile)
    if np.isnan(t):
        assert not any(sustained(A, B, d, profile) for d in np.linspace(0, 0.999, 60))
    else:
        assert sustained(A, B, t, profile)
        if t > 0:
            assert not sustained(A, B, max(t - 1e-6, 0), profile)
        if hi[2] > t + 1e-6:
            assert sustained(A, B, min((t + min(hi[2], 1)) / 2, 0.9999), profile)


# ---------------------------------------------------------------------------------------------
# Invariances
# ---------------------------------------------------------------------------------------------

def _everything(A, B, delta):
    return (ordering_code(own_views(A, B)).tolist(),
            [tuple(np.round(x, 9)) for e in nash_equilibria(A, B) for x in e],
            [np.nan_to_num(threshold(A, B, p), nan=-1).round(9).tolist() for p in PROFILES],
            int(regime(A, B, delta)), dominance(A, B).tolist())


@settings(max_examples=150, deadline=None)
@given(A=small_ints, B=small_ints, a=st.integers(1, 7), b=st.integers(-5, 5),
       c=st.integers(1, 7), e=st.integers(-5, 5), delta=st.sampled_from([0.2, 0.5, 0.9]))
def test_invariant_under_positive_affine_rescaling_of_utilities(A, B, a, b, c, e, delta):
    assert _everything(A, B, delta) == _everything(a * A + b, c * B + e, delta)


@settings(max_examples=100, deadline=None)
@given(A=small_ints, B=small_ints, a=st.integers(1, 5), b=st.integers(-4, 4),
       r1=st.sampled_from([0.0, 0.25, 0.5]), r2=st.sampled_from([0.0, 0.5, 1.0]),
       delta=st.sampled_from([0.3, 0.9]))
def test_regime_invariant_under_common_rescaling_of_material_payoffs(A, B, a, b, r1, r2, delta):
    code, blocked = analyse_grid(A, B, r1, r2, delta)
    code2, blocked2 = analyse_grid(a * A + b, a * B + b, r1, r2, delta)
    assert (code, blocked) == (code2, blocked2)


@settings(max_examples=150, deadline=None)
@given(A=small_ints, B=small_ints, delta=st.sampled_from([0.2, 0.5, 0.9]))
def test_swapping_players_swaps_results(A, B, delta):
    g = Game(A, B)
    s = g.swapped()
    for p in PROFILES:
        t, ts = threshold(g.A, g.B, p), threshold(s.A, s.B, p)
        np.testing.assert_array_equal(t[[1, 0, 2]], ts)
    assert regime(g.A, g.B, delta) == regime(s.A, s.B, delta)
    assert dominance(g.A, g.B).tolist()[::-1] == dominance(s.A, s.B).tolist()
    ours = [(tuple(y), tuple(x)) for x, y in nash_equilibria(g.A, g.B)]
    theirs = [(tuple(x), tuple(y)) for x, y in nash_equilibria(s.A, s.B)]
    assert sorted(ours) == sorted(theirs)


PD = st.tuples(st.integers(0, 3), st.integers(1, 3), st.integers(1, 3), st.integers(1, 3)).map(
    lambda x: (x[0] + x[1] + x[2] + x[3], x[0] + x[1] + x[2], x[0] + x[1], x[0]))  # T>R>P>S


@settings(max_examples=100, deadline=None)
@given(trps_=PD)
def test_grim_threshold_non_decreasing_in_relative_gain_weight(trps_):
    g = Game.symmetric(*trps_)
    r = np.linspace(0, 1, 101)
    U, V = utility_game(g.A, g.B, r, r)
    t = np.nan_to_num(threshold(U, V, "grim")[2], nan=np.inf)
    assert (np.diff(t) >= -1e-12).all()


@settings(max_examples=60, deadline=None)
@given(trps_=PD, d1=st.floats(0, 0.99), d2=st.floats(0, 0.99))
def test_pd_cooperation_monotone_in_discount(trps_, d1, d2):
    g = Game.symmetric(*trps_)
    lo, hi = sorted((d1, d2))
    coop = is_cooperative(regime(g.A, g.B, np.array([lo, hi])))
    assert coop[1] >= coop[0]


# ---------------------------------------------------------------------------------------------
# Grids and critical weights
# ---------------------------------------------------------------------------------------------

def test_grid_equals_pointwise():
    g = Game.from_trps((1.4, 1.0, 0.0, -1.5), (2.15, 6.5, 0.0, -1.0))
    r = np.linspace(0, 1, 13)
    d = np.linspace(0, 0.99, 11)
    code, blocked = analyse_grid(g.A, g.B, r[None, :], r[None, :], d[:, None])
    for i, dd in enumerate(d):
        for j, rr in enumerate(r):
            U, V = utility_game(g.A, g.B, rr, rr)
            assert code[i, j] == regime(U, V, dd)
            assert blocked[i, j] == (not is_cooperative(code[i, j])
                                     and bool(is_cooperative(regime(g.A, g.B, dd))))


def test_regime_names_cover_all_codes():
    rng = np.random.default_rng(3)
    A, B = rng.integers(-3, 4, (2, 2000, 2, 2)).astype(float)   # the rarest regime: 9 times
    codes = regime(A, B, rng.uniform(0, 1, 2000))
    assert set(regime_names(np.unique(codes))) == set(REGIMES)


# ---------------------------------------------------------------------------------------------
# The exact subgame-perfect criterion (issue 12): Chicken-like games, Harmony, scale, ties
# ---------------------------------------------------------------------------------------------

#: one player's Chicken letters T > R > S > P, built from positive gaps
chicken_letters = st.tuples(st.integers(-4, 4), st.integers(1, 4), st.integers(1, 4),
                            st.integers(1, 4)).map(
    lambda x: (x[0] + x[1] + x[2] + x[3], x[0] + x[1] + x[2], x[0], x[0] + x[1]))


@settings(max_examples=150, deadline=None)
@given(row=chicken_letters, col=chicken_letters, delta=st.floats(0.01, 0.99))
def test_chicken_sustains_cc_by_reverting_to_the_deviators_worst_equilibrium(row, col, delta):
    """In Chicken (D,D) is no stage equilibrium, so grim trigger is not credible, but
    reverting to the stage equilibrium worst for the deviator, (C,D) or (D,C), is (Friedman
    1971): (C,C) forever is subgame perfect iff δ >= (T−R)/(T−S) for both."""
    g = Game.from_trps(row, col)
    need = max((T - R) / (T - S) for T, R, P, S in (row, col))
    assume(abs(delta - need) > 1e-9)
    code = int(regime(g.A, g.B, delta))
    assert (REGIMES[code] == "reciprocity") == (delta >= need)
    if delta < need:
        assert REGIMES[code] == "anti-coordination"
    assert threshold(g.A, g.B, "nash")[2] == pytest.approx(need, abs=1e-12)
    assert threshold(g.A, g.B, "spe")[2] == pytest.approx(need, abs=1e-12)
    assert np.isnan(threshold(g.A, g.B, "grim")[2])


@settings(max_examples=150, deadline=None)
@given(A=small_ints, B=small_ints)
def test_harmony_and_coordination_have_nash_reversion_threshold_zero(A, B):
    """Where (C,C) is a stage equilibrium, reverting to it is no punishment at all and none
    is needed: the Nash-reversion and the exact threshold are 0 (Friedman 1971)."""
    assume(pure_equilibria(A, B)[0, 0])
    for p in ("nash", "penal", "spe"):
        assert threshold(A, B, p)[2] == 0


def test_harmony_account_explains_why_grim_trigger_is_not_credible():
    from sim import scenario
    from sim.analysis import account, summarize

    s = summarize(scenario.load("harmony"))
    assert s["thresholds"]["nash"]["both"] == 0 and s["thresholds"]["grim"]["both"] is None
    assert not s["credible_dd"]
    text = account(s)
    assert "not credible" in text and "(C,C) is one: no future is needed" in text


@settings(max_examples=200, deadline=None)
@given(A=small_ints, B=small_ints, delta=st.sampled_from([0.2, 0.5, 0.8, 0.95]))
def test_named_subgame_perfect_profiles_imply_the_exact_criterion(A, B, delta):
    """Grim trigger and WSLS, when subgame perfect, play (C,C) forever: the exact criterion
    (optimal penal codes, Abreu 1988) must then hold too."""
    for p in ("grim", "wsls"):
        if sustained(A, B, delta, p):
            assert sustained(A, B, delta, "penal") and sustained(A, B, delta, "spe")


@settings(max_examples=100, deadline=None)
@given(A=small_ints, B=small_ints)
def test_exact_threshold_is_the_harsher_punishment_and_below_nash_reversion(A, B):
    t = {p: np.nan_to_num(threshold(A, B, p), nan=np.inf) for p in ("nash", "penal", "spe")}
    np.testing.assert_array_equal(t["spe"][:2], np.minimum(t["nash"], t["penal"])[:2])
    assert (t["spe"] <= t["nash"]).all() and (t["spe"] <= t["penal"]).all()


# scales 1e-12 .. 1e12 with shifts of a few scale units: payoffs stay well inside float range
scales = st.integers(-12, 12).map(lambda k: 10.0 ** k)


def _everything_exact(A, B, delta, profiles=PROFILES):
    return (ordering_code(own_views(A, B)).tolist(),
            [tuple(np.round(x, 9)) for e in nash_equilibria(A, B) for x in e],
            [np.nan_to_num(threshold(A, B, p), nan=-1).round(9).tolist() for p in profiles],
            int(regime(A, B, delta)), dominance(A, B).tolist(),
            bool(is_degenerate(A, B)))


@settings(max_examples=150, deadline=None)
@given(A=small_ints, B=small_ints, a=scales, c=scales, b=st.integers(-5, 5),
       e=st.integers(-5, 5), delta=st.sampled_from([0.2, 0.5, 0.9]))
def test_invariant_under_positive_affine_maps_at_any_scale(A, B, a, c, b, e, delta):
    """Ties are relative to each player's payoff range: a PD scaled by 1e-10 stays a PD."""
    assert _everything_exact(A, B, delta) == _everything_exact(a * A + b * a, c * B + e * c,
                                                               delta)


@settings(max_examples=100, deadline=None)
@given(A=small_ints, B=small_ints, a=scales, c=scales, b=st.integers(-5, 5),
       e=st.integers(-5, 5), delta=st.sampled_from([0.2, 0.5, 0.9]))
def test_exact_thresholds_invariant_under_positive_affine_maps_at_any_scale(A, B, a, c, b, e,
                                                                            delta):
    profiles = ("nash", "penal", "spe")
    assert (_everything_exact(A, B, delta, profiles)
            == _everything_exact(a * A + b * a, c * B + e * c, delta, profiles))


@settings(max_examples=60, deadline=None)
@given(value=st.floats(-1e6, 1e6), other=small_ints)
def test_a_player_with_all_payoffs_equal_is_indifferent_and_said_so(value, other):
    A = np.full((2, 2), value)
    row, _ = Game(A, other).types()
    assert row.ordering == "T=R=P=S" and "equal" in row.description
    assert dominance(A, other)[0] == 0                 # neither action dominates (both tie)
    assert pure_equilibria(A, other).any()
    assert regime_names(regime(A, other, 0.5)) in REGIMES


@settings(max_examples=30, deadline=None)
@given(A=small_ints, B=small_ints, r_other=st.sampled_from([0.0, 0.3, 0.8]),
       delta=st.sampled_from([0.3, 0.7, 0.95]))
def test_blocked_and_critical_weight_use_the_exact_criterion(A, B, r_other, delta):
    """``blocked_by_relative_gains`` and the critical weight agree with the regime's exact
    criterion: a blocked point is one the exact criterion makes cooperative at r = 0."""
    code, blocked = analyse_grid(A, B, r_other, r_other, delta)
    U, V = utility_game(A, B, r_other, r_other)
    coop = bool(sustained(U, V, delta, "spe") | pure_equilibria(U, V)[0, 0])
    assert bool(is_cooperative(code)) == coop
    coop0 = bool(sustained(A, B, delta, "spe") | pure_equilibria(A, B)[0, 0])
    assert bool(blocked) == (coop0 and not coop)
    crit = critical_weight(A, B, r_other, r_other, delta)[2]
    assert np.isnan(crit) == (not coop0)


@settings(max_examples=150, deadline=None)
@given(R=st.integers(-5, 5), gap=st.integers(1, 5), P=st.integers(-10, 10),
       other=small_ints, a=st.sampled_from([0.1, 0.3, 0.7, 3.0]) | scales,
       b=st.integers(-5, 5), profile=st.sampled_from(PROFILES))
def test_a_threshold_of_exactly_one_stays_never_under_affine_maps(R, gap, P, other, a, b,
                                                                    profile):
    """T − R = R − S puts TFT's and WSLS's root at δ = 1 exactly ("no δ < 1 suffices"); a
    rescaled copy must not read 0.9999999999999999 (found by hypothesis: a = 0.1, b = 0.2)."""
    S, T = R - gap, R + gap
    A = np.array([[R, S], [T, P]], dtype=float)
    assert _everything_exact(A, other, 0.5, (profile,)) == _everything_exact(
        a * A + b * a, other, 0.5, (profile,))
