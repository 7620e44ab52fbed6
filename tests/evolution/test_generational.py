"""Generational play (Case, 2017) and the emergence measures."""

import json

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from sim.evolution import (cooperation_basin, cooperation_rate, cooperator_share, generational,
                           takeover)
from sim.evolution.measures import simplex_grid


def trust_matrix(rounds=10, R=2.0, S=-1.0, T=3.0, P=0.0):
    """Case's coin game over ``rounds`` rounds: AllC, AllD, Copycat (TFT) totals per match."""
    n = rounds
    return np.array([[R * n, S * n, R * n],
                     [T * n, P * n, T + (n - 1) * P],
                     [R * n, S + (n - 1) * P, R * n]])


def reference_generation(M, counts, replace):
    """One generation by ranking individuals one by one (valid when no scores tie)."""
    pop = np.repeat(np.arange(len(counts)), counts)
    score = np.array([sum(M[a, b] for j, b in enumerate(pop) if j != i) for i, a in enumerate(pop)])
    order = np.argsort(score, kind="stable")
    new = np.array(counts)
    for i in range(replace):
        new[pop[order[i]]] -= 1
        new[pop[order[-1 - i]]] += 1
    return new


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2 ** 32 - 1), st.integers(2, 5), st.integers(1, 4))
def test_matches_individual_ranking_without_ties(seed, k, replace):
    rng = np.random.default_rng(seed)
    M = rng.normal(size=(k, k))
    counts = rng.integers(1, 6, size=k)
    res = generational(M, counts, replace=min(replace, counts.sum() - 1), generations=6)
    for g in range(6):
        expected = reference_generation(M, res.counts[0, g], min(replace, counts.sum() - 1))
        np.testing.assert_array_equal(res.counts[0, g + 1], expected)


def test_copycat_takes_over_after_defectors_rise():
    res = generational(trust_matrix(), [15, 5, 5], replace=5, generations=20, runs=4,
                       strategies=["AllC", "AllD", "Copycat"])
    assert res.counts[0, 1, 1] > 5                       # defectors feast on cooperators first
    d = json.loads(json.dumps(res.to_dict()))
    assert d["takeover"] == ["Copycat"] * 4
    assert d["final_shares"]["population"]["Copycat"] == 1.0
    np.testing.assert_array_equal(res.counts.sum(-1), 25)


def test_ties_are_broken_at_random_and_seeded():
    # Two identical strategies tie at every cut: which one loses is random, fair on average.
    M = np.array([[1.0, 1.0, 0.0], [1.0, 1.0, 0.0], [2.0, 2.0, 0.5]])
    res = generational(M, [6, 6, 8], replace=3, generations=1, runs=4000, seed=7)
    losses = res.counts[:, 0, :2] - res.counts[:, 1, :2]
    np.testing.assert_array_equal(losses.sum(1), 3)
    assert len({tuple(x) for x in losses}) == 4          # 3-0, 2-1, 1-2, 0-3 all occur
    # Hypergeometric: removing 3 of 12 tied individuals, 6 of them strategy 0.
    assert abs(losses[:, 0].mean() - 1.5) < 4 * np.sqrt(0.61 / 4000)
    again = generational(M, [6, 6, 8], replace=3, generations=1, runs=4000, seed=7)
    np.testing.assert_array_equal(res.counts, again.counts)


def test_bad_replace_is_rejected():
    with pytest.raises(ValueError, match="replace"):
        generational(trust_matrix(), [1, 1, 1], replace=3)


def test_measures():
    shares = np.array([[0.2, 0.5, 0.3], [0.0, 0.995, 0.005]])
    np.testing.assert_allclose(cooperator_share(shares, [True, False, True]), [0.5, 0.005])
    np.testing.assert_array_equal(takeover(shares), [-1, 1])
    rates = np.array([[1.0, 1.0, 1.0], [0.0, 0.0, 0.0], [1.0, 0.1, 1.0]])
    x = shares[0]
    assert cooperation_rate(x, rates) == pytest.approx(sum(x[i] * rates[i, j] * x[j]
                                                           for i in range(3) for j in range(3)))


def test_simplex_grid_counts_interior_points():
    grid = simplex_grid(3, 10)
    assert grid.shape == (36, 3) and grid.min() > 0
    np.testing.assert_allclose(grid.sum(1), 1.0)
    assert len({tuple(p) for p in np.round(grid, 12)}) == 36


def test_basin_of_cooperation_edges():
    pd = np.array([[3.0, 0.0], [5.0, 1.0]])
    assert cooperation_basin(pd, [True, False], samples=50).fraction == 0.0
    harmony = np.array([[4.0, 3.0], [2.0, 1.0]])
    assert cooperation_basin(harmony, [True, False], samples=50).fraction == 1.0


def test_basin_matches_the_threshold_of_a_coordination_game():
    # TFT against AllD over 10 rounds: TFT wins from above x* = (P - S')/(R - S' - T' + P).
    n, R, S, T, P = 10, 3.0, 0.0, 5.0, 1.0
    A = np.array([[R, (S + (n - 1) * P) / n], [(T + (n - 1) * P) / n, P]])
    x_star = (A[1, 1] - A[0, 1]) / (A[0, 0] - A[0, 1] - A[1, 0] + A[1, 1])
    basin = cooperation_basin(A, [True, False], resolution=200, tol=1e-9)
    assert basin.method == "grid" and basin.starts == 199
    grid = np.arange(1, 200) / 200
    assert basin.fraction == pytest.approx(np.mean(grid > x_star))
    sampled = cooperation_basin(A, [True, False], samples=2000, seed=1)
    assert sampled.ci_low <= 1 - x_star <= sampled.ci_high
