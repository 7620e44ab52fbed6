"""Trust: Bayesian Nash equilibria, the trust threshold, Bayes updates (sim.trust)."""

from fractions import Fraction
from itertools import product

import nashpy
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.equilibria import is_degenerate, nash_equilibria, pure_equilibria, sustained
from sim.preferences import utility_game
from sim.trust import beliefs
from sim.trust.bayesian import BayesianGame, ex_ante_form, ex_ante_form_exact
from sim.trust.exact import (extreme_equilibria, is_equilibrium, is_nondegenerate,
                             support_equilibria)
from sim.trust.threshold import (cooperative_equilibrium, meta_game, repeated_trust_threshold,
                                 trust_interval, trust_threshold)

small = st.integers(-4, 4)
prob = st.fractions(0, 1, max_denominator=6)


@st.composite
def bayesian_games(draw, max_types=2):
    nr = draw(st.integers(1, max_types))
    nc = draw(st.integers(1, max_types))
    A = np.array(draw(st.lists(small, min_size=nr * nc * 4, max_size=nr * nc * 4)),
                 float).reshape(nr, nc, 2, 2)
    B = np.array(draw(st.lists(small, min_size=nr * nc * 4, max_size=nr * nc * 4)),
                 float).reshape(nr, nc, 2, 2)

    def belief(n):
        w = draw(st.lists(st.integers(0, 3), min_size=n, max_size=n).filter(any))
        return [Fraction(x, sum(w)) for x in w]

    return BayesianGame(A, B, [float(x) for x in belief(nc)], [float(x) for x in belief(nr)])


def _as_float(eqs):
    return sorted((tuple(float(v) for v in x), tuple(float(v) for v in y)) for x, y in eqs)


def _matches(ours, theirs, tol=1e-7):
    if len(ours) != len(theirs):
        return False
    used = set()
    for x, y in ours:
        hit = next((k for k, (a, b) in enumerate(theirs) if k not in used
                    and np.allclose(a, x, atol=tol) and np.allclose(b, y, atol=tol)), None)
        if hit is None:
            return False
        used.add(hit)
    return True


# --------------------------------------------------------------------------------------------
# Exact enumeration against nashpy and against exact support enumeration
# --------------------------------------------------------------------------------------------

@settings(max_examples=40, deadline=None)
@given(bayesian_games())
def test_bne_are_equilibria_and_contain_support_enumeration(game):
    M, N = game.ex_ante_exact()
    vertex = extreme_equilibria(M, N)
    assert vertex, "every finite game has an equilibrium (Nash 1951)"
    assert all(is_equilibrium(M, N, x, y) for x, y in vertex)
    support = support_equilibria(M, N)
    assert set(support) <= set(vertex)
    pure = [(i, j) for i, j in product(range(len(M)), range(len(M[0])))
            if M[i][j] == max(M[k][j] for k in range(len(M)))
            and N[i][j] == max(N[i][k] for k in range(len(M[0])))]
    as_pure = {(x.index(1), y.index(1)) for x, y in vertex if 1 in x and 1 in y}
    assert set(pure) <= as_pure


@settings(max_examples=40, deadline=None)
@given(bayesian_games())
def test_vertex_enumeration_matches_nashpy_on_nondegenerate_forms(game):
    M, N = (np.asarray(X, float) for X in game.ex_ante())
    if not is_nondegenerate(*game.ex_ante_exact()):
        return
    ours = _as_float(extreme_equilibria(*game.ex_ante_exact()))
    assert _matches(ours, list(nashpy.Game(M, N).vertex_enumeration()))
    assert ours == _as_float(support_equilibria(*game.ex_ante_exact()))


@settings(max_examples=25, deadline=None)
@given(st.integers(2, 4), st.integers(2, 4), st.integers(0, 2**32 - 1))
def test_vertex_enumeration_matches_nashpy_on_generic_games(m, n, seed):
    rng = np.random.default_rng(seed)
    M, N = rng.normal(size=(m, n)).round(3), rng.normal(size=(m, n)).round(3)
    if not is_nondegenerate(M, N):
        return
    ours = _as_float(extreme_equilibria(M, N))
    theirs = list(nashpy.Game(M, N).vertex_enumeration())
    assert _matches(ours, theirs)
    assert ours == _as_float(support_equilibria(M, N))


def test_degenerate_form_finds_the_continuum_ends():
    # row indifferent everywhere: every column action is an equilibrium with any row mix
    M = [[0, 0], [0, 0]]
    N = [[1, 0], [0, 1]]
    eqs = extreme_equilibria(M, N)
    assert ((1, 0), (1, 0)) in eqs and ((0, 1), (0, 1)) in eqs
    assert ((Fraction(1, 2), Fraction(1, 2)), (1, 0)) in eqs  # column indifferent at x = 1/2


@settings(max_examples=30, deadline=None)
@given(bayesian_games())
def test_ex_ante_form_vectorised_equals_exact(game):
    M, N = game.ex_ante()
    Me, Ne = game.ex_ante_exact()
    assert np.allclose(M, np.array(Me, float)) and np.allclose(N, np.array(Ne, float))


def test_ex_ante_form_broadcasts_over_grids():
    rng = np.random.default_rng(1)
    A, B = rng.normal(size=(5, 2, 2, 2, 2)), rng.normal(size=(5, 2, 2, 2, 2))
    br, bc = rng.dirichlet([1, 1], 5), rng.dirichlet([1, 1], 5)
    M, N = ex_ante_form(A, B, br, bc)
    for i in range(5):
        m, n = ex_ante_form(A[i], B[i], br[i], bc[i])
        assert np.allclose(M[i], m) and np.allclose(N[i], n)


# --------------------------------------------------------------------------------------------
# Reduction to the complete-information model (#2)
# --------------------------------------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(st.lists(small, min_size=8, max_size=8))
def test_one_type_per_side_is_the_stage_game(values):
    A = np.array(values[:4], float).reshape(2, 2)
    B = np.array(values[4:], float).reshape(2, 2)
    game = BayesianGame.complete(A, B)
    M, N = game.ex_ante()
    assert np.array_equal(M, A) and np.array_equal(N, B)
    ours = [(np.array([float(e.row[0]), 1 - float(e.row[0])]),
             np.array([float(e.column[0]), 1 - float(e.column[0])])) for e in game.equilibria()]
    complete = nash_equilibria(A, B)
    if is_degenerate(A, B):
        assert all(any(np.allclose(x, a) and np.allclose(y, b) for a, b in ours)
                   for x, y in complete)
    else:
        assert _matches(_as_float(ours), complete)
    pure = {(int(e.row[0] == 0), int(e.column[0] == 0)) for e in game.equilibria() if e.pure}
    assert pure == set(zip(*np.nonzero(pure_equilibria(A, B))))


@settings(max_examples=30, deadline=None)
@given(st.lists(small, min_size=16, max_size=16), st.integers(0, 1))
def test_degenerate_prior_reduces_to_the_known_type(values, known):
    """Belief 1 on one column type: row's and that type's play is a Nash equilibrium of that
    type's game, and every equilibrium of that game appears."""
    A = np.array(values[:8], float).reshape(1, 2, 2, 2)
    B = np.array(values[8:], float).reshape(1, 2, 2, 2)
    belief = [1.0, 0.0] if known == 0 else [0.0, 1.0]
    game = BayesianGame(A, B, belief, [1.0])
    seen = {(e.row[0], e.column[known]) for e in game.equilibria()}
    complete = {(Fraction(x[0]).limit_denominator(10**6), Fraction(y[0]).limit_denominator(10**6))
                for x, y in nash_equilibria(A[0, known], B[0, known])}
    if not is_degenerate(A[0, known], B[0, known]):
        assert complete <= seen
    for x, y in seen:
        assert is_equilibrium(A[0, known], B[0, known], (x, 1 - x), (y, 1 - y))


# --------------------------------------------------------------------------------------------
# Trust threshold
# --------------------------------------------------------------------------------------------

@st.composite
def truster_games(draw):
    A = np.array(draw(st.lists(small, min_size=8, max_size=8)), float).reshape(2, 2, 2)
    B = np.array(draw(st.lists(small, min_size=8, max_size=8)), float).reshape(2, 2, 2)
    return A, B


@settings(max_examples=60, deadline=None)
@given(truster_games(), prob)
def test_threshold_agrees_with_the_enumerated_bne(game, p):
    """A BNE with the truster on C and the cooperative type on C exists iff p >= p*."""
    A, B = game
    lo, hi = (float(x) for x in trust_interval(A, B))
    bg = BayesianGame(A[None], B[None], [float(p), float(1 - p)], [1.0])
    exists = any(e.row[0] == 1 and e.column[0] == 1 for e in bg.equilibria())
    assert exists == bool(cooperative_equilibrium(A, B, float(p)))
    if np.isnan(lo):
        assert not exists
    else:
        assert exists == (lo - 1e-9 <= p <= hi + 1e-9)
        assert lo == float(trust_threshold(A, B))


scales = st.tuples(st.integers(-12, 12), st.integers(1, 9)).map(lambda e: e[1] * 10.0 ** e[0])


@settings(max_examples=80, deadline=None)
@given(truster_games(), scales, st.integers(-10, 10), st.lists(scales, min_size=2, max_size=2),
       st.lists(st.integers(-10, 10), min_size=2, max_size=2), st.floats(0.05, 0.95))
def test_thresholds_invariant_under_positive_affine_maps(game, a, b, c, e, delta):
    """A positive affine map of the truster's utilities (one map: one player) and of each
    trustee type's (one map per type: types are different preferences), at any scale from
    1e-12 to 1e12, changes no trust threshold, interval or repeated threshold: the tie
    tolerance is relative to each player's payoff range (:func:`sim.equilibria.tolerance`)."""
    A, B = game
    c, e = np.array(c)[:, None, None], np.array(e, float)[:, None, None]
    A2, B2 = a * A + a * b, c * B + c * e
    for f in (trust_threshold, lambda X, Y: trust_interval(X, Y)[1],
              lambda X, Y: repeated_trust_threshold(X, Y, delta)):
        np.testing.assert_allclose(f(A2, B2), f(A, B), rtol=0, atol=1e-9)


def test_threshold_is_kydds_formula_in_the_assurance_case():
    # truster's T, R, P, S = 3, 4, 2, 0 against both types; security seeker replies C,
    # expansionist D: p* = (P − S)/((R − T) + (P − S)) = 2/3
    A1 = np.array([[4.0, 0.0], [3.0, 2.0]])
    A = np.stack([A1, A1])
    B = np.stack([np.array([[4.0, 3.0], [0.0, 2.0]]).T * 0 + [[4.0, 3.0], [0.0, 2.0]],
                  [[3.0, 4.0], [0.0, 2.0]]])
    assert trust_threshold(A, B) == pytest.approx(2 / 3)
    assert cooperative_equilibrium(A, B, [0.6, 0.7]).tolist() == [False, True]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-5, 5), min_size=8, max_size=8), st.integers(-5, 5),
       st.floats(0, 1), st.floats(0, 1), st.floats(0, 1), st.integers(0, 1))
def test_threshold_monotone_in_the_other_types_relative_gain_weight(v, extra, r1, r2, r_row,
                                                                     which):
    """Where the truster gains from the other's C (A[C,C] >= A[C,D], A[D,C] >= A[D,D]) and its
    gain from engaging is larger against C than against D (strategic complements: the
    assurance structure), a more realist trustee type (higher r) never lowers the threshold."""
    A = np.array(v[:4], float).reshape(2, 2)
    A = np.array([[max(A[0, 0], A[0, 1]) + abs(extra), A[0, 1]],
                  [max(A[1, 0], A[1, 1]), A[1, 1]]])
    if (A[0, 0] - A[1, 0]) < (A[0, 1] - A[1, 1]):
        return
    B = np.array(v[4:], float).reshape(2, 2)
    lo, hi = sorted((r1, r2))

    def p_star(r):
        weights = [0.0, r] if which else [r, 1.0]
        games = [utility_game(A, B, r_row, w) for w in weights]
        return trust_threshold(np.stack([g[0] for g in games]), np.stack([g[1] for g in games]))

    a, b = p_star(lo), p_star(hi)
    a, b = (np.inf if np.isnan(a) else a), (np.inf if np.isnan(b) else b)
    assert b >= a - 1e-9


def test_threshold_vectorised_over_parameters():
    rng = np.random.default_rng(3)
    A, B = rng.normal(size=(50, 2, 2, 2)), rng.normal(size=(50, 2, 2, 2))
    grid = trust_threshold(A, B)
    assert grid.shape == (50,)
    assert np.allclose(grid, [trust_threshold(A[i], B[i]) for i in range(50)], equal_nan=True)


@settings(max_examples=60, deadline=None)
@given(st.lists(small, min_size=8, max_size=8), st.floats(0, 0.99))
def test_repeated_threshold_with_certainty_is_grim_trigger(values, delta):
    """Trusting the cooperative type for sure (p = 1), a cooperative equilibrium of the
    meta-game exists iff grim trigger is sustained at δ (#2's closed form, Friedman 1971),
    wherever (D,D) is a stage equilibrium (grim's punishment is then credible)."""
    A = np.array(values[:4], float).reshape(2, 2)
    B = np.array(values[4:], float).reshape(2, 2)
    MA, MB = meta_game(A, B, delta)
    if not pure_equilibria(A, B)[1, 1]:
        return
    stacked = (np.stack([MA, MA]), np.stack([MB, MB]))
    assert bool(cooperative_equilibrium(*stacked, 1.0)) == bool(sustained(A, B, delta, "grim"))


def test_meta_game_payoffs():
    A = np.array([[3.0, 0.0], [5.0, 1.0]])
    MA, MB = meta_game(A, A.T, 0.5)
    assert np.allclose(MA, [[3.0, 0.5], [3.0, 1.0]]) and np.allclose(MB, MA.T)


# --------------------------------------------------------------------------------------------
# Bayes' rule
# --------------------------------------------------------------------------------------------

@settings(max_examples=80, deadline=None)
@given(prob, st.lists(st.tuples(prob, prob), min_size=1, max_size=6))
def test_bayes_updates_agree_with_fractions(prior, obs):
    exact = beliefs.path(prior, obs)
    floats = beliefs.path(np.float64(prior), [(np.float64(a), np.float64(b)) for a, b in obs])
    assert all(isinstance(x, Fraction) for x in exact)
    assert np.allclose([float(x) for x in exact], [float(x) for x in floats])
    for mu, (lc, lu), nxt in zip(exact, obs, exact[1:]):
        den = mu * lc + (1 - mu) * lu
        assert nxt == (mu * lc / den if den else mu)


@settings(max_examples=60, deadline=None)
@given(st.fractions(Fraction(1, 20), Fraction(19, 20), max_denominator=20),
       st.lists(st.tuples(st.fractions(Fraction(1, 10), 1, max_denominator=10),
                          st.fractions(Fraction(1, 10), 1, max_denominator=10)),
                min_size=1, max_size=5))
def test_prior_needed_inverts_bayes(target, obs):
    p0 = Fraction(float(beliefs.prior_needed(float(target), obs))).limit_denominator(10**9)
    assert float(beliefs.path(p0, obs)[-1]) == pytest.approx(float(target), abs=1e-7)


@settings(max_examples=25, deadline=None)
@given(st.lists(small, min_size=8, max_size=8), st.floats(0.05, 0.95))
def test_certain_trust_in_the_repeated_game_is_the_spe_result(values, delta):
    """#6: where (D,D) is a stage equilibrium at the players' minmax (so Nash reversion is the
    harshest punishment) and (C,C)'s payoff is a vertex of the feasible set, the meta-game
    with certain trust has a cooperative equilibrium iff (C,C) is a subgame-perfect payoff
    (Abreu 1988; the SPE set of sim.spe)."""
    from scipy.spatial import ConvexHull, QhullError

    from sim.equilibria import threshold
    from sim.spe import profile_in_set, pure_minmax

    A = np.array(values[:4], float).reshape(2, 2)
    B = np.array(values[4:], float).reshape(2, 2)
    if not pure_equilibria(A, B)[1, 1] or not np.allclose(pure_minmax(A, B),
                                                          [A[1, 1], B[1, 1]]):
        return
    pts = np.stack([A.ravel(), B.ravel()], -1)
    try:
        hull = ConvexHull(pts)
    except QhullError:
        return
    if 0 not in hull.vertices or (pts[1:] == pts[0]).all(axis=1).any():
        return
    lo = threshold(A, B, "grim")[2]
    if np.isnan(lo) or abs(delta - lo) < 1e-6:
        lo = np.inf if np.isnan(lo) else lo
        if abs(delta - lo) < 1e-6:
            return
    MA, MB = meta_game(A, B, delta)
    certain = bool(cooperative_equilibrium(np.stack([MA, MA]), np.stack([MB, MB]), 1.0))
    assert certain == (delta >= lo) == profile_in_set(A, B, delta)
