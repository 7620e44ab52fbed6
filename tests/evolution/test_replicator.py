"""Replicator dynamics and rest points: against scipy's solve_ivp, nashpy, and invariances."""

import json

import nashpy as nash
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from scipy.integrate import solve_ivp

from sim.evolution import (replicator, replicator_two_populations, rest_points,
                           rest_points_two_populations)
from sim.evolution.replicator import one_population_field, two_population_field


def pd_strategies(n=10, R=3.0, S=0.0, T=5.0, P=1.0):
    """Mean payoffs per round of AllC, AllD, TFT in an n-round Prisoner's Dilemma."""
    return np.array([[R, S, R],
                     [T, P, (T + (n - 1) * P) / n],
                     [R, (S + (n - 1) * P) / n, R]])


def reference(field, x0, times):
    sol = solve_ivp(lambda t, x: field(x[None], None)[0], (0, times[-1]), x0, method="DOP853",
                    rtol=1e-12, atol=1e-14, t_eval=times)
    return sol.y.T


def test_one_population_matches_solve_ivp_batched():
    rng = np.random.default_rng(1)
    A = rng.normal(size=(5, 5))
    X0 = rng.dirichlet(np.ones(5), size=6)
    times = np.linspace(0, 20, 41)
    res = replicator(A, X0, times=times, tol=0, rtol=1e-10, atol=1e-13)
    for x0, path in zip(X0, res.paths[0]):
        np.testing.assert_allclose(path, reference(one_population_field(A), x0, times),
                                   atol=1e-8)


def test_two_populations_match_solve_ivp():
    rng = np.random.default_rng(2)
    A, B = rng.normal(size=(2, 3, 4))
    x0, y0 = rng.dirichlet(np.ones(3)), rng.dirichlet(np.ones(4))
    times = np.linspace(0, 15, 31)
    res = replicator_two_populations(A, B, x0, y0, times=times, tol=0, rtol=1e-10, atol=1e-13)
    ref = reference(two_population_field(A, B), np.concatenate([x0, y0]), times)
    np.testing.assert_allclose(res.paths[0][0], ref[:, :3], atol=1e-8)
    np.testing.assert_allclose(res.paths[1][0], ref[:, 3:], atol=1e-8)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2 ** 32 - 1), st.integers(2, 5))
def test_agrees_with_nashpy(seed, k):
    rng = np.random.default_rng(seed)
    A = rng.uniform(-2, 2, size=(k, k))
    x0 = rng.dirichlet(np.ones(k))
    times = np.linspace(0, 5, 11)
    ours = replicator(A, x0, times=times, tol=0).paths[0][0]
    theirs = nash.Game(A).replicator_dynamics(y0=x0, timepoints=times)
    # nashpy integrates with odeint's default tolerances: errors up to a few 1e-6 against a
    # tight DOP853 reference were seen (seed 3442793, k = 3), where ours was within 1e-7.
    np.testing.assert_allclose(ours, theirs, atol=1e-5)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2 ** 32 - 1), st.integers(2, 4), st.integers(2, 4))
def test_agrees_with_nashpy_asymmetric(seed, m, n):
    rng = np.random.default_rng(seed)
    A, B = rng.uniform(-2, 2, size=(2, m, n))
    x0, y0 = rng.dirichlet(np.ones(m)), rng.dirichlet(np.ones(n))
    times = np.linspace(0, 5, 11)
    res = replicator_two_populations(A, B, x0, y0, times=times, tol=0)
    xs, ys = nash.Game(A, B).asymmetric_replicator_dynamics(x0=x0, y0=y0, timepoints=times)
    np.testing.assert_allclose(res.paths[0][0], xs, atol=1e-5)   # nashpy's odeint accuracy
    np.testing.assert_allclose(res.paths[1][0], ys, atol=1e-5)


def test_batched_matrices_equal_one_at_a_time():
    rng = np.random.default_rng(3)
    As = rng.normal(size=(4, 3, 3))
    X0 = rng.dirichlet(np.ones(3), size=4)
    batch = replicator(As, X0, t_max=30)
    for A, x0, final in zip(As, X0, batch.final[0]):
        np.testing.assert_allclose(replicator(A, x0, t_max=30).final[0][0], final, atol=1e-7)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2 ** 32 - 1), st.floats(0.2, 5.0))
def test_time_rescaling_under_payoff_scaling(seed, c):
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(3, 3))
    x0 = rng.dirichlet(np.ones(3))
    times = np.linspace(0, 4, 9)
    base = replicator(A, x0, times=times, tol=0, rtol=1e-10, atol=1e-13).paths[0][0]
    scaled = replicator(c * A, x0, times=times / c, tol=0, rtol=1e-10, atol=1e-13).paths[0][0]
    np.testing.assert_allclose(scaled, base, atol=1e-8)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2 ** 32 - 1), st.integers(0, 2), st.floats(-10, 10))
def test_adding_a_constant_to_a_column_changes_nothing(seed, column, shift):
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(3, 3))
    B = A.copy()
    B[:, column] += shift
    x0 = rng.dirichlet(np.ones(3))
    times = np.linspace(0, 5, 6)
    a = replicator(A, x0, times=times, tol=0, rtol=1e-10, atol=1e-13).paths[0][0]
    b = replicator(B, x0, times=times, tol=0, rtol=1e-10, atol=1e-13).paths[0][0]
    np.testing.assert_allclose(a, b, atol=1e-8)


def test_prisoners_dilemma_defection_takes_over_and_stops_at_convergence():
    A = np.array([[3.0, 0.0], [5.0, 1.0]])
    res = replicator(A, [[0.9, 0.1], [0.5, 0.5]], tol=1e-10)
    assert res.converged.all() and np.all(res.time < 1000)
    np.testing.assert_allclose(res.final[0], [[0, 1], [0, 1]], atol=1e-9)
    np.testing.assert_allclose(res.final[0].sum(1), 1.0)


def test_tft_invades_alld_above_threshold_and_not_below():
    A = pd_strategies()
    # On the AllD-TFT edge the interior rest point splits the two basins.
    rp = [p for p in rest_points(A).points if p.shares[0][0] == 0 and p.shares[0].min() == 0
          and np.count_nonzero(p.shares[0]) == 2]
    x_star = rp[0].shares[0][2]
    starts = np.array([[0, 1 - x_star - 0.01, x_star + 0.01], [0, 1 - x_star + 0.01, x_star - 0.01]])
    final = replicator(A, starts).final[0]
    np.testing.assert_allclose(final, [[0, 0, 1], [0, 1, 0]], atol=1e-6)


def test_rest_points_of_pd_strategies():
    rp = rest_points(pd_strategies(), strategies=["AllC", "AllD", "TFT"])
    by_support = {tuple(np.flatnonzero(p.shares[0] > 0)): p for p in rp.points}
    assert by_support[(1,)].stability == "stable"           # AllD resists invasion
    assert by_support[(0,)].stability == "unstable"         # AllD invades AllC
    assert by_support[(2,)].stability == "non-hyperbolic"   # AllC drifts into TFT
    assert by_support[(1, 2)].stability == "unstable"       # the AllD-TFT threshold
    assert rp.continua == [((0, 2),)]                       # AllC and TFT earn the same
    json.dumps(rp.to_dict())


def test_rock_paper_scissors_centre_is_a_centre():
    A = np.array([[0, -1, 1], [1, 0, -1], [-1, 1, 0.0]])
    centre = [p for p in rest_points(A).points if np.all(p.shares[0] > 0)][0]
    np.testing.assert_allclose(centre.shares[0], 1 / 3)
    assert centre.stability == "non-hyperbolic"
    np.testing.assert_allclose(centre.eigenvalues.real, 0, atol=1e-12)


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2 ** 32 - 1))
def test_rest_points_are_rest_and_stable_ones_attract(seed):
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(4, 4))
    field = one_population_field(A)
    rp = rest_points(A)
    for p in rp.points:
        x = p.shares[0]
        np.testing.assert_allclose(field(x[None], None), 0, atol=1e-9)
        rate = -p.eigenvalues.real.max()
        if p.stability == "stable" and rate > 0.05:    # slower ones would need long runs
            support = x > 0
            nudged = x + 1e-3 * rng.dirichlet(np.ones(4)) * np.where(support, 1, 0.1)
            nudged /= nudged.sum()
            final = replicator(A, nudged, tol=0, t_max=25 / rate).final[0][0]
            np.testing.assert_allclose(final, x, atol=1e-6)


def test_two_population_rest_points():
    pennies = np.array([[1.0, -1.0], [-1.0, 1.0]])
    rp = rest_points_two_populations(pennies, -pennies)
    interior = [p for p in rp.points if p.shares[0].min() > 0]
    assert len(rp.points) == 5 and len(interior) == 1
    assert interior[0].stability == "non-hyperbolic" and interior[0].nash
    coordination = np.array([[2.0, 0.0], [0.0, 1.0]])
    rp = rest_points_two_populations(coordination, coordination)
    stable = sorted(tuple(np.argmax(s) for s in p.shares) for p in rp.stable())
    assert stable == [(0, 0), (1, 1)]


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 2 ** 32 - 1))
def test_two_population_nash_rest_points_are_nashpys_equilibria(seed):
    rng = np.random.default_rng(seed)
    A, B = rng.normal(size=(2, 3, 3))
    ours = {tuple(np.round(np.concatenate(p.shares), 8) + 0.0)
            for p in rest_points_two_populations(A, B).points if p.nash}
    # vertex enumeration: nashpy's support enumeration misses some equilibria (see DESIGN.md)
    theirs = {tuple(np.round(np.concatenate(eq), 8) + 0.0)
              for eq in nash.Game(A, B).vertex_enumeration()}
    assert ours == theirs


def test_to_dict_is_json_and_shaped():
    one = replicator(pd_strategies(), [0.2, 0.3, 0.5], strategies=["AllC", "AllD", "TFT"])
    d = json.loads(json.dumps(one.to_dict()))
    assert set(d["final_shares"]["population"]) == {"AllC", "AllD", "TFT"}
    assert isinstance(d["final_shares"]["population"]["TFT"], float)
    two = replicator_two_populations(np.eye(2), np.eye(2), [[0.5, 0.5], [0.3, 0.7]], [0.4, 0.6])
    d = json.loads(json.dumps(two.to_dict()))
    assert d["populations"] == ["row", "column"] and len(d["final_shares"]["column"]["s0"]) == 2


def test_bad_starts_are_rejected():
    with pytest.raises(ValueError, match="summing to 1"):
        replicator(np.eye(2), [0.5, 0.6])
    with pytest.raises(ValueError, match="shape"):
        replicator(np.eye(2), [1.0, 0.0, 0.0])
