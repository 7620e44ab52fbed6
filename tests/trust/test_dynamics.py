"""Trust: costly reassurance (every PBE, intuitive criterion) and spirals under noise."""

from fractions import Fraction
from itertools import product

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.play import exact_match
from sim.strategies import AllC, AllD
from sim.trust import beliefs
from sim.trust.learning import belief, simulate, spiral_by, spiral_probability, start_offset
from sim.trust.signalling import (CLASSES, bayes_consistent, classify, equilibria,
                                  reassurance_range, sequentially_rational)

val = st.fractions(-3, 3, max_denominator=4)
interior = st.fractions(Fraction(1, 10), Fraction(9, 10), max_denominator=10)
cost = st.fractions(0, 3, max_denominator=4)


@st.composite
def signalling_games(draw):
    p = draw(interior)
    g = (draw(val), draw(val))
    h = (draw(val), draw(val))
    c = draw(cost)
    return p, g, h, (c, c * draw(st.sampled_from([Fraction(1), Fraction(1, 2), Fraction(2)])))


def _region(v):
    return (v > 0) - (v < 0)


@settings(max_examples=150, deadline=None)
@given(signalling_games())
def test_every_pbe_is_sequentially_rational_and_bayes_consistent(game):
    p, g, h, c = game
    found = equilibria(p, g, h, c)
    assert found, "a signalling game with finite messages has a PBE"
    for e in found:
        assert sequentially_rational(p, g, h, c, *e.example), e
        assert bayes_consistent(p, *e.example[:4]), e


@settings(max_examples=40, deadline=None)
@given(signalling_games())
def test_enumeration_is_complete_against_brute_force(game):
    """Every PBE found by brute force on a rational grid belongs to a reported family (same
    sender pattern, same responses' regions)."""
    p, g, h, c = game
    families = {(e.pattern, _region(e.example[2] * g[0] + (1 - e.example[2]) * g[1]),
                 _region(e.example[3] * g[0] + (1 - e.example[3]) * g[1]))
                for e in equilibria(p, g, h, c)}
    grid = [Fraction(k, 4) for k in range(5)]
    coarse = [Fraction(k, 2) for k in range(3)]
    for sc, su, x0, x1, off in product(grid, grid, coarse, coarse, coarse):
        mus = []
        for a, b in ((sc, su), (1 - sc, 1 - su)):
            den = p * a + (1 - p) * b
            mus.append(p * a / den if den else off)
        if not sequentially_rational(p, g, h, c, sc, su, mus[0], mus[1], x0, x1):
            continue
        pattern = tuple("g" if s == 1 else "n" if s == 0 else "m" for s in (sc, su))
        regions = tuple(_region(m * g[0] + (1 - m) * g[1]) for m in mus)
        assert (pattern, *regions) in families, (pattern, regions, sc, su, x0, x1, off)


@settings(max_examples=100, deadline=None)
@given(signalling_games())
def test_vectorised_classification_equals_exact_enumeration(game):
    p, g, h, c = game
    exact = equilibria(p, g, h, c)
    bits = sum(1 << CLASSES.index(k) for k in {e.kind for e in exact})
    alive = sum(1 << CLASSES.index(k) for k in {e.kind for e in exact if e.intuitive})
    exists, survives = classify(float(p), float(g[0]), float(g[1]), float(h[0]), float(h[1]),
                                float(c[0]), float(c[1]))
    assert int(exists) == bits
    assert int(survives) == alive


def test_classification_broadcasts_over_a_grid():
    p = np.linspace(0.05, 0.95, 7)[:, None]
    c = np.linspace(0, 3, 5)[None, :]
    exists, survives = classify(p, 1.0, -2.0, 2.0, 1.0, c, c)
    for i, j in product(range(7), range(5)):
        e, s = classify(p[i, 0], 1.0, -2.0, 2.0, 1.0, c[0, j], c[0, j])
        assert exists[i, j] == e and survives[i, j] == s
    assert np.array_equal(survives & exists, survives)


def test_reassurance_works_between_the_two_types_valuations():
    """Kydd (2005, ch. 7): a gesture reassures iff it costs more than the other type would
    pay for being trusted (h_u = 1) and no more than the cooperative type would (h_c = 2)."""
    lo, hi = reassurance_range(1.0, -2.0, 2.0, 1.0)
    assert (lo, hi) == (1.0, 2.0)
    sep = 1 << CLASSES.index("separating")
    for c, works in ((0.5, False), (1.0, True), (1.5, True), (2.0, True), (2.5, False)):
        exists, survives = classify(0.5, 1.0, -2.0, 2.0, 1.0, c, c)
        assert bool(exists & sep) == works
    # at c = 1.5 and a sceptical prior, the intuitive criterion leaves only separation
    _, survives = classify(0.5, 1.0, -2.0, 2.0, 1.0, 1.5, 1.5)
    assert int(survives) == sep
    assert np.isnan(reassurance_range(1.0, -2.0, 1.0, 2.0)[0])   # the other type values it more


def test_off_path_beliefs_are_stated():
    found = equilibria(Fraction(1, 2), (1, -2), (2, 1), (Fraction(3, 2),) * 2)
    pooling = [e for e in found if e.kind == "pooling-silence"]
    assert pooling and all(isinstance(e.beliefs[0], str) and "off path" in e.beliefs[0]
                           for e in pooling)
    assert not any(e.intuitive for e in pooling)


# --------------------------------------------------------------------------------------------
# Spirals
# --------------------------------------------------------------------------------------------

def _brute_spiral(s_row, s_col, eps, horizon, coop=(True, True), naive=False):
    """Exact spiral probabilities by enumerating every history of noise (Fractions)."""
    out = [Fraction(0)] * (horizon + 1)

    def walk(t, a, b, q):
        if a < 0 and b < 0:
            for k in range(t, horizon + 1):
                out[k] += q
            return
        if t == horizon:
            return
        pr = (1 - eps) if (a >= 0 and coop[0]) else eps
        pc = (1 - eps) if (b >= 0 and coop[1]) else eps
        for row_c, col_c in product((True, False), repeat=2):
            w = (pr if row_c else 1 - pr) * (pc if col_c else 1 - pc)
            da = (1 if col_c else -1) if (b >= 0 or naive) else 0
            db = (1 if row_c else -1) if (a >= 0 or naive) else 0
            walk(t + 1, a + da, b + db, q * w)

    walk(0, s_row, s_col, Fraction(1))
    return out


@settings(max_examples=30, deadline=None)
@given(st.integers(-2, 2), st.integers(-2, 2), st.fractions(Fraction(1, 20), Fraction(1, 2),
                                                            max_denominator=20),
       st.integers(1, 5), st.booleans(), st.booleans(), st.booleans())
def test_spiral_dp_equals_enumeration_of_histories(s_row, s_col, eps, horizon, c1, c2, naive):
    from sim.trust._learning_kernel import spiral_dp

    out = np.zeros((1, horizon + 1))
    played = np.zeros((1, horizon, 2))
    spiral_dp(np.array([s_row]), np.array([s_col]), np.array([c1]), np.array([c2]),
              np.array([float(eps)]), np.array([naive]), horizon, out, played)
    exact = _brute_spiral(s_row, s_col, eps, horizon, (c1, c2), naive)
    assert np.allclose(out[0], [float(x) for x in exact], atol=1e-12)


@pytest.mark.parametrize("prior,theta,eps,reading", [(0.7, 0.6, 0.1, "naive"),
                                                     (0.55, 0.5, 0.05, "bayesian"),
                                                     (0.9, 0.8, 0.2, "naive"),
                                                     (0.9, 0.8, 0.2, "bayesian")])
def test_spiral_monte_carlo_within_sampling_error(prior, theta, eps, reading):
    horizon, n = 40, 20_000
    exact = spiral_probability(prior, prior, theta, theta, eps, horizon, reading=reading)
    first, _ = simulate(prior, prior, theta, theta, eps, horizon, paths=n, seed=7,
                        reading=reading)
    mc = spiral_by(first, horizon)
    se = np.sqrt(np.maximum(exact * (1 - exact), 1e-12) / n)
    assert np.all(np.abs(mc - exact) <= 5 * se + 1e-12)


def test_simulation_is_seeded_and_independent_of_batch():
    a = simulate(0.7, 0.7, 0.6, 0.6, 0.1, 30, paths=500, seed=3)
    b = simulate(0.7, 0.7, 0.6, 0.6, 0.1, 30, paths=1000, seed=3)
    assert np.array_equal(a[0], b[0][:500]) and np.array_equal(a[1], b[1][:500])
    assert not np.array_equal(a[0], simulate(0.7, 0.7, 0.6, 0.6, 0.1, 30, paths=500,
                                             seed=4)[0])


@settings(max_examples=40, deadline=None)
@given(st.fractions(Fraction(1, 20), Fraction(19, 20), max_denominator=20),
       st.fractions(Fraction(1, 20), Fraction(9, 20), max_denominator=20),
       st.lists(st.booleans(), min_size=1, max_size=6))
def test_beliefs_from_counts_agree_with_bayes_in_fractions(prior, eps, seen_c):
    """Each informative observation is Bayes' rule with likelihoods (1 − ε, ε)."""
    obs = [((1 - eps, eps) if c else (eps, 1 - eps)) for c in seen_c]
    exact = beliefs.path(prior, obs)[-1]
    k = sum(1 if c else -1 for c in seen_c)
    assert float(belief(float(prior), k, float(eps))) == pytest.approx(float(exact), rel=1e-9)


@settings(max_examples=30, deadline=None)
@given(st.fractions(Fraction(1, 20), Fraction(19, 20), max_denominator=20),
       st.fractions(Fraction(1, 20), Fraction(19, 20), max_denominator=20),
       st.fractions(Fraction(1, 20), Fraction(9, 20), max_denominator=20))
def test_start_offset_is_the_least_trusting_count(prior, theta, eps):
    s0 = int(start_offset(float(prior), float(theta), float(eps), 50))
    r = (1 - eps) / eps

    def mu(k):
        return prior * r**k / (prior * r**k + 1 - prior)

    K = -s0
    if abs(mu(K) - theta) > Fraction(1, 10**9) and abs(mu(K - 1) - theta) > Fraction(1, 10**9):
        assert mu(K) >= theta > mu(K - 1)


@pytest.mark.parametrize("eps", [0.0, 0.05, 0.2])
def test_certain_trust_reduces_to_allc_and_no_trust_to_alld(eps):
    """Degenerate priors: belief 1 in a cooperative partner is AllC against AllC, belief 0 is
    AllD against AllD — the cooperation rates of #3's exact play."""
    A = np.array([[3.0, 0.0], [5.0, 1.0]])
    spiral, played = spiral_probability(1.0, 1.0, 0.5, 0.5, eps, 10, cooperation=True)
    assert spiral[-1] == 0
    allc = exact_match(AllC(), AllC(), A, noise=eps, turns=10).cooperation
    assert np.allclose(played, np.asarray(allc).reshape(-1)[0])
    spiral, played = spiral_probability(0.0, 0.0, 0.5, 0.5, eps, 10, cooperation=True)
    assert spiral[0] == 1
    alld = exact_match(AllD(), AllD(), A, noise=eps, turns=10).cooperation
    assert np.allclose(played, np.asarray(alld).reshape(-1)[0])


@pytest.mark.parametrize("reading", ["naive", "bayesian"])
def test_longer_shadow_lowers_spirals(reading):
    """Lower trust thresholds (a longer shadow of the future) never raise the spiral risk."""
    thetas = np.array([0.9, 0.7, 0.5, 0.3])
    p = spiral_probability(0.8, 0.8, thetas, thetas, 0.1, 30, reading=reading)[:, -1]
    assert np.all(np.diff(p) <= 1e-12)


def test_naive_readers_spiral_more():
    """Jervis's misperception: reading defensive defections as hostility spirals more often."""
    naive = spiral_probability(0.8, 0.8, 0.6, 0.6, 0.05, 30, reading="naive")[-1]
    bayesian = spiral_probability(0.8, 0.8, 0.6, 0.6, 0.05, 30, reading="bayesian")[-1]
    assert naive > bayesian > 0


@pytest.mark.parametrize("p,g,h,c", [
    (Fraction(1, 2), (1, -1), (2, 1), (Fraction(3, 2), Fraction(3, 2))),   # G(p) = 0
    (Fraction(1, 2), (1, -1), (1, 1), (Fraction(1, 2), Fraction(1, 2))),
    (Fraction(1, 3), (2, -1), (1, 2), (1, 1)),                              # c = h_c
    (Fraction(1, 2), (0, 0), (1, 1), (0, 0)),                               # cheap talk, G ≡ 0
    (Fraction(2, 3), (1, -2), (3, 1), (1, 2)),                              # μ = p* on path
])
def test_knife_edges_agree_between_exact_and_vectorised(p, g, h, c):
    exact = equilibria(p, g, h, c)
    for e in exact:
        assert sequentially_rational(p, g, h, c, *e.example)
        assert bayes_consistent(p, *e.example[:4])
    bits = sum(1 << CLASSES.index(k) for k in {e.kind for e in exact})
    alive = sum(1 << CLASSES.index(k) for k in {e.kind for e in exact if e.intuitive})
    exists, survives = classify(float(p), *map(float, g), *map(float, h), *map(float, c))
    assert (int(exists), int(survives)) == (bits, alive)
