"""Replicator stopping rule, accuracy of the default tolerances, and payoff-scale invariance of
every evolutionary model (replicator: a change of clock; Moran: the selection intensity;
generational play: nothing)."""

import numpy as np
from hypothesis import given, settings, strategies as st
from scipy.integrate import solve_ivp
from scipy.special import softmax

from sim.evolution import (fixation_probability, generational, moran_simulation, payoff_scale,
                           replicator, replicator_two_populations)
from sim.evolution.replicator import HORIZON, RATE_TOL

seeds = st.integers(0, 2 ** 32 - 1)


def near_vertex(rng, k, share=1e-12):
    """A start at a random vertex with tiny shares of every other strategy."""
    x = np.full(k, share)
    x[rng.integers(k)] = 1 - share * (k - 1)
    return x


def log_share_reference(A, B, x0, y0, times):
    """Tight DOP853 reference in log shares (relative accuracy for rare strategies too)."""
    m = len(x0)

    def f(t, u):
        x, y = softmax(u[:m]), softmax(u[m:])
        fx, fy = A @ y, x @ B
        return np.concatenate([fx - x @ fx, fy - fy @ y])
    sol = solve_ivp(f, (0, times[-1]), np.log(np.concatenate([x0, y0])), method="DOP853",
                    rtol=1e-13, atol=1e-13, t_eval=times)
    assert sol.status == 0
    return softmax(sol.y[:m].T, axis=1), softmax(sol.y[m:].T, axis=1)


@settings(max_examples=6, deadline=None)
@given(st.floats(0.1, 3.0), st.floats(1.2, 4.0), st.floats(1.0, 1e4))
def test_heteroclinic_rock_paper_scissors_is_a_cycle_not_converged(win, ratio, scale):
    """Losses larger than wins: the boundary cycle attracts (Zeeman, 1980; Hofbauer &
    Sigmund, 1998, §7.7). Trajectories slow down near each vertex, which another strategy
    invades; no start may be reported converged."""
    lose = win * ratio
    A = scale * np.array([[0, -lose, win], [win, 0, -lose], [-lose, win, 0]])
    res = replicator(A, np.random.default_rng(0).dirichlet(np.ones(3), size=5))
    assert not res.converged.any()
    assert set(res.status) == {"cycle"}
    np.testing.assert_allclose(res.time, HORIZON / payoff_scale(A))


@settings(max_examples=12, deadline=None)
@given(seeds, st.integers(2, 4))
def test_converged_means_no_invader_and_stable(seed, k):
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(k, k))
    starts = np.vstack([rng.dirichlet(np.ones(k), size=4)] +
                       [near_vertex(rng, k) for _ in range(4)])
    res = replicator(A, starts)
    scale = payoff_scale(A)
    for x, ok in zip(res.final[0], res.converged):
        if ok:
            f = A @ x
            assert np.max(f - x @ f) <= 2 * RATE_TOL * scale     # nobody invades
    assert set(res.status) <= {"converged", "cycle", "unstable rest", "drift"}


def test_vertex_with_rare_invader_is_left():
    """A vertex that the other strategy invades, starting with a 1e-12 share of the invader:
    it is left (and reached), not reported converged at the start."""
    A = np.array([[1.0, 3.0], [0.0, 2.0]])            # strategy 0 dominates
    res = replicator(A, [1e-12, 1 - 1e-12])
    assert res.converged[0] and res.final[0][0, 0] > 1 - 1e-9
    assert res.time[0] > 20                            # ln(1e12) / 1 ≈ 27.6 to invade
    pure = replicator(A, [0.0, 1.0])                   # the invader absent: it cannot enter
    assert not pure.converged[0] and pure.status[0] == "unstable rest"


@settings(max_examples=12, deadline=None)
@given(seeds, st.integers(2, 3), st.integers(2, 3), st.booleans())
def test_two_population_defaults_match_a_tight_reference(seed, m, n, rare):
    rng = np.random.default_rng(seed)
    A, B = rng.normal(size=(2, m, n))
    x0, y0 = ((near_vertex(rng, m, 1e-9), near_vertex(rng, n, 1e-9)) if rare else
              (rng.dirichlet(np.ones(m)), rng.dirichlet(np.ones(n))))
    times = np.linspace(0, 60, 61)
    res = replicator_two_populations(A, B, x0, y0, times=times)        # default tolerances
    xs, ys = log_share_reference(A, B, x0, y0, times)
    np.testing.assert_allclose(res.paths[0][0], xs, rtol=0, atol=1e-6)
    np.testing.assert_allclose(res.paths[1][0], ys, rtol=0, atol=1e-6)


affine = st.tuples(st.floats(-6, 6), st.floats(-1, 1))


@settings(max_examples=10, deadline=None)
@given(seeds, st.integers(2, 4), affine)
def test_replicator_invariant_under_positive_affine_maps(seed, k, scale_shift):
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(k, k))
    starts = np.vstack([rng.dirichlet(np.ones(k), size=3), near_vertex(rng, k, 1e-6)])
    c, d = 10.0 ** scale_shift[0], scale_shift[1]
    base = replicator(A, starts)
    mapped = replicator(c * A + c * d, starts)          # c (A + d): a positive affine map
    np.testing.assert_allclose(mapped.final[0], base.final[0], atol=1e-9)
    np.testing.assert_array_equal(mapped.status, base.status)
    assert np.all(np.abs(mapped.steps - base.steps) <= 2)
    np.testing.assert_allclose(mapped.time * c, base.time, rtol=0.02)   # within a step
    assert base.steps.max() < 20_000


@settings(max_examples=10, deadline=None)
@given(seeds, affine, affine)
def test_two_populations_invariant_under_a_common_scale(seed, row_map, column_map):
    rng = np.random.default_rng(seed)
    A, B = rng.normal(size=(2, 3, 2))
    c = 10.0 ** row_map[0]
    base = replicator_two_populations(A, B)
    mapped = replicator_two_populations(c * (A + row_map[1]), c * (B + column_map[1]))
    for p in range(2):
        np.testing.assert_allclose(mapped.final[p], base.final[p], atol=1e-9)
    np.testing.assert_array_equal(mapped.status, base.status)
    assert abs(int(mapped.steps[0]) - int(base.steps[0])) <= 2
    np.testing.assert_allclose(mapped.time * c, base.time, rtol=0.02)


def test_evolve_command_cost_does_not_grow_with_payoff_scale():
    """`blocsim evolve bilateral_pfp --set factors.0.CC.0=1000000` ran for more than 9
    minutes (an explicit integrator on payoffs of size 1e6 over 100 time units)."""
    from sim import scenario
    from sim.workflows.evolve import evolve

    steps = []
    for size in (10, 1e6):
        run = evolve(scenario.load("bilateral_pfp", [("factors.0.CC.0", size)]))
        steps.append(run["steps"])
    assert max(steps) < 5000


@settings(max_examples=10, deadline=None)
@given(seeds, st.floats(-12, 12), st.floats(-1, 1))
def test_generational_play_depends_on_ranks_only(seed, log_scale, shift):
    rng = np.random.default_rng(seed)
    M = rng.integers(0, 4, size=(3, 3)).astype(float)     # integer payoffs: many ties
    c = 10.0 ** log_scale
    base = generational(M, [10, 10, 10], replace=3, generations=15, runs=3, seed=seed % 1000)
    mapped = generational(c * (M + shift), [10, 10, 10], replace=3, generations=15, runs=3,
                          seed=seed % 1000)
    np.testing.assert_array_equal(mapped.counts, base.counts)


def test_moran_simulation_under_very_strong_selection():
    """For Moran dynamics the payoff scale is the selection intensity: at payoffs of size
    1e6 (exp(β π) overflows) the fitter type must still win, with a bounded number of steps
    equal to those of the strong-selection limit (β π = 1e3)."""
    M = np.array([[1.0, 5.0], [0.0, 3.0]])       # strategy 0 (a defector) dominates
    results = [moran_simulation(c * M, [5, 5], runs=400, intensity=1.0,
                                fitness="exponential", seed=3) for c in (1e3, 1e6, 1e12)]
    for res in results:
        assert np.all(res.winner == 0)
        assert float(fixation_probability(1e6 * M, 10, 1.0, "exponential", initial=5)) == 1.0
        np.testing.assert_array_equal(res.steps, results[0].steps)
    assert results[0].steps.max() < 500
