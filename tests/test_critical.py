"""The critical relative-gain weight against the regime criterion itself, exact rational
breakpoints and its monotonicity in δ, on generated games."""

from fractions import Fraction

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sim.critical import critical_weight
from sim.equilibria import is_cooperative, penal_code_bound, regime
from sim.games import own_views, trps
from sim.preferences import utility_game

small_ints = arrays(float, (2, 2), elements=st.integers(-3, 3).map(float))
fractions = st.fractions(0, 1, max_denominator=10)
discounts = st.fractions(Fraction(1, 20), Fraction(19, 20), max_denominator=20)
players = st.sampled_from([0, 1, 2])


def _weights(who, r, r_other):
    weights = [r_other, r_other]
    if who == 2:
        return [r, r]
    weights[who] = r
    return weights


def _cooperative(A, B, who, r, r_other, delta):
    U, V = utility_game(A, B, *_weights(who, r, r_other))
    return bool(is_cooperative(regime(U, V, delta)))


@settings(max_examples=60, deadline=None)
@given(A=small_ints, B=small_ints, r_other=fractions, delta=discounts, who=players)
@example(A=np.array([[0.0, -2.0], [-3.0, -3.0]]), B=np.array([[0.0, 0.0], [-1.0, -1.0]]),
         r_other=Fraction(0), delta=Fraction(13, 16), who=1)   # fails inside an SPE-set piece
def test_regime_changes_at_the_critical_weight(A, B, r_other, delta, who):
    """Cooperative on a dense grid below the weight and just below it, not just above it."""
    r_other, delta = float(r_other), float(delta)
    crit = critical_weight(A, B, r_other, r_other, delta)[who]
    if np.isnan(crit):
        assert not _cooperative(A, B, who, 0.0, r_other, delta)
        return
    grid = np.linspace(0, 1, 201)
    assert all(_cooperative(A, B, who, x, r_other, delta) for x in grid[grid < crit - 1e-9])
    assert _cooperative(A, B, who, max(crit - 1e-7, 0.0), r_other, delta)
    if crit < 1:
        assert not _cooperative(A, B, who, min(crit + 1e-7, 1.0), r_other, delta)


def _exact_roots(A, B, who, r_other, delta):
    """The breakpoints of :mod:`sim.critical` in exact rational arithmetic: the roots in
    (0, 1) of its linear functions of the weight, from the integer game."""
    A = [[Fraction(int(x)) for x in row] for row in A]
    B = [[Fraction(int(x)) for x in row] for row in B]
    vary = (who in (0, 2), who in (1, 2))
    fixed = [Fraction(0) if vary[p] else r_other for p in (0, 1)]
    # own views (T, R, P, S) at r = 0 and their slopes in r: u = π − r·π_other (Snidal 1991)
    views = []
    for p, (own, other) in enumerate(((A, B), (B, A))):
        at = (lambda M, i, j: M[i][j]) if p == 0 else (lambda M, i, j: M[j][i])
        cells = ((1, 0), (0, 0), (1, 1), (0, 1))
        views.append(([at(own, *c) - fixed[p] * at(other, *c) for c in cells],
                      [-at(other, *c) if vary[p] else Fraction(0) for c in cells]))
    roots = set()
    for base, slope in views:
        def fs(T, R, P, S):
            D = (R - T) - (S - P)
            return [R - T, S - P, D, R - S, R - P, T - S, T - P, R - T + delta * (T - S),
                    R - T + delta * (T - P), D + delta * (T - P)]
        for f0, f1 in zip(fs(*base), fs(*slope)):
            if f1 != 0 and 0 < -f0 / f1 < 1:
                roots.add(-f0 / f1)
    return roots


@settings(max_examples=60, deadline=None)
@given(A=small_ints, B=small_ints, r_other=fractions, delta=discounts, who=players)
def test_critical_weight_is_an_exact_breakpoint(A, B, r_other, delta, who):
    """Strictly inside (0, 1) the weight is a root of one of the criterion's linear functions,
    computed with ``fractions`` (to rounding), unless the optimal penal code there needs the SPE
    sets (then it is located numerically, to the tie tolerance)."""
    crit = critical_weight(A, B, float(r_other), float(r_other), float(delta))[who]
    if np.isnan(crit) or crit in (0.0, 1.0):
        return
    roots = _exact_roots(A, B, who, r_other, delta)
    if any(abs(crit - float(x)) <= 1e-12 for x in roots):
        return
    hard = [penal_code_bound(*utility_game(A, B, *_weights(who, x, float(r_other))))[1].any()
            for x in (crit - 1e-7, crit, crit + 1e-7)]   # at the weight or in a piece next to it
    assert any(hard)


@settings(max_examples=60, deadline=None)
@given(A=small_ints, B=small_ints, r_other=fractions, who=players,
       deltas=st.lists(discounts, min_size=2, max_size=6))
def test_critical_weight_is_monotone_in_delta(A, B, r_other, who, deltas):
    """(C,C) forever that is subgame perfect at δ stays so at every larger δ, so the weight up
    to which it is sustained never falls as δ grows (``nan``, none, counts as lowest)."""
    deltas = np.array(sorted(float(d) for d in deltas))
    crit = critical_weight(A, B, float(r_other), float(r_other), deltas)[who]
    crit = np.where(np.isnan(crit), -1.0, crit)
    assert np.all(np.diff(crit) >= -1e-9)          # up to the tie tolerance


@settings(max_examples=20, deadline=None)
@given(A=arrays(float, (5, 2, 2), elements=st.integers(-3, 3).map(float)),
       B=arrays(float, (5, 2, 2), elements=st.integers(-3, 3).map(float)),
       r=st.lists(fractions, min_size=4, max_size=4), delta=discounts)
def test_batch_equals_one_game_at_a_time(A, B, r, delta):
    """Broadcast over games and weights, it gives each game's own values."""
    r = np.array([float(x) for x in r])
    crit = critical_weight(A[:, None], B[:, None], r[None, :], r[::-1][None, :], float(delta))
    for i in range(5):
        for j in range(4):
            one = critical_weight(A[i], B[i], r[j], r[::-1][j], float(delta))
            np.testing.assert_array_equal(crit[:, i, j], one)


@settings(max_examples=30, deadline=None)
@given(A=small_ints, B=small_ints, where=st.tuples(st.integers(0, 1), st.integers(0, 1)),
       tiny=st.sampled_from([5e-324, -5e-324, 1e-310]), r=fractions, delta=discounts)
@example(A=np.zeros((2, 2)), B=np.array([[3.0, -1.0], [4.0, 0.0]]), where=(1, 0),
         tiny=5e-324, r=Fraction(1, 2), delta=Fraction(9, 10))
def test_subnormal_payoffs_raise_no_warning(A, B, where, tiny, r, delta):
    """A payoff at the smallest floats (a fuzz finding: ``DC = 5e-324`` in ``bilateral_pfp``)
    makes a root's quotient overflow; its root is far outside (0, 1) and is dropped quietly."""
    import warnings

    A = A.copy()
    A[where] = tiny
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        crit = critical_weight(A, B, float(r), float(r), float(delta))
    found = crit[~np.isnan(crit)]            # nan: (C,C) is no equilibrium even at weight 0
    assert np.all((found >= 0) & (found <= 1))
