"""JYC (2003) bounds (sim.spe_bounds): inner ⊆ Abreu–Sannikov set ⊆ outer, the operator
against the literal linear programmes (scipy HiGHS), convergence in the number of
directions, the folk-theorem limit and degenerate sets."""

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog
from scipy.spatial import ConvexHull

from sim.polygons import distance, hausdorff
from sim.spe import (deviation_gains, individually_rational_set, payoff_profiles,
                     spe_payoff_set)
from sim.spe_bounds import aps_support, spe_bounds, unit_directions

PD = np.array([[3.0, 0.0], [5.0, 1.0]])  # T=5, R=3, P=1, S=0; column: PD.T
ASYMMETRIC = (np.array([[3.0, 0.0], [5.0, 1.0]]), np.array([[4.0, 1.0], [0.0, 2.0]]))


def assert_sandwich(A, B, discount, directions=64, tol=1e-9):
    """inner ⊆ V ⊆ outer (V from sim.spe, Abreu–Sannikov) and the gap bounds both sides."""
    b = spe_bounds(A, B, discount, directions=directions)
    V = spe_payoff_set(A, B, discount).vertices
    assert b.converged
    assert all(distance(v, V) <= tol for v in b.inner)
    assert all(distance(v, b.outer) <= tol for v in V)
    if len(V):
        assert hausdorff(V, b.inner) <= b.hausdorff + tol
        assert hausdorff(V, b.outer) <= b.hausdorff + tol
    assert b.inner_defect <= tol
    return b


@pytest.mark.parametrize("discount", [0.1, 0.3, 0.5, 0.7, 0.9])
def test_pd_sandwich(discount):
    assert_sandwich(PD, PD.T, discount)


def game(m, n):
    return st.lists(st.integers(-3, 5), min_size=2 * m * n, max_size=2 * m * n).map(
        lambda x: (np.array(x[:m * n], float).reshape(m, n),
                   np.array(x[m * n:], float).reshape(m, n)))


@settings(max_examples=20, deadline=None)
@given(st.sampled_from([(2, 2), (2, 3), (3, 3)]).flatmap(lambda s: game(*s)),
       st.sampled_from([0.3, 0.6, 0.8, 0.9]), st.sampled_from([16, 64]))
def test_random_games_sandwich(g, discount, directions):
    assert_sandwich(*g, discount, directions)


def test_asymmetric_relative_gains_sandwich():
    A, B = ASYMMETRIC
    for r in (0.0, 0.3):
        assert_sandwich(A - r * B, B - r * A, 0.85, 128)


def jyc_linear_programme(g, gains, discount, W, h):
    """JYC's (2003) programme for one direction, literally: the max over profiles ``a`` of
    ``max h.((1 - δ) g(a) + δ w)`` s.t. ``w`` in the half-space form of ``W`` and
    the incentive constraints with threat point ``min_W w``."""
    hull = ConvexHull(W)
    normals, offsets = hull.equations[:, :2], -hull.equations[:, 2]
    u = W.min(0)
    best = -np.inf
    for ga, gain in zip(g, gains):
        lower = u + (1 - discount) / discount * gain
        res = linprog(-h, A_ub=normals, b_ub=offsets, bounds=list(zip(lower, [None, None])),
                      method="highs")
        if res.status == 0:
            best = max(best, h @ ((1 - discount) * ga) + discount * -res.fun)
    return best


@pytest.mark.parametrize("A,B,discount", [(PD, PD.T, 0.4), (PD, PD.T, 0.8),
                                       (*ASYMMETRIC, 0.7),
                                       (np.array([[-2, 4, 2], [5, 1, 2], [5, 3, 2]], float),
                                        np.array([[1, 2, 5], [-1, 4, 3], [-3, 0, 4]], float),
                                        0.6)])
def test_support_is_the_jyc_linear_programme(A, B, discount):
    W = individually_rational_set(A, B) * 0.9 + 0.1 * A.mean()  # some polygon
    H = unit_directions(24)
    ours, points = aps_support(A, B, discount, W, H)
    g, gains = payoff_profiles(A, B), deviation_gains(A, B).reshape(-1, 2)
    theirs = [jyc_linear_programme(g, gains, discount, W, h) for h in H]
    np.testing.assert_allclose(ours, theirs, atol=1e-9)
    np.testing.assert_allclose((points * H).sum(1), ours, atol=1e-12)


@pytest.mark.parametrize("A,B,discount", [(PD, PD.T, 0.9), (*ASYMMETRIC, 0.8)])
def test_gap_shrinks_with_directions(A, B, discount):
    # nested direction sets: each outer polytope lies inside the coarser one
    runs = [spe_bounds(A, B, discount, directions=D) for D in (16, 64, 256)]
    gaps = [b.hausdorff for b in runs]
    assert gaps[0] >= gaps[1] >= gaps[2] and gaps[2] < 0.1 * gaps[0]
    for coarse, fine in zip(runs, runs[1:]):
        assert all(distance(v, coarse.outer) <= 1e-9 for v in fine.outer)


def test_pd_near_one_approaches_feasible_rational_set():
    FIR = individually_rational_set(PD, PD.T)
    b = spe_bounds(PD, PD.T, 0.99, directions=256)
    assert b.converged
    assert hausdorff(b.inner, FIR) <= 1e-8
    assert hausdorff(b.outer, FIR) <= 0.01


def test_empty_set_matching_pennies():
    A = np.array([[1.0, -1.0], [-1.0, 1.0]])
    b = spe_bounds(A, -A, 0.9)
    assert b.outer.shape == b.inner.shape == (0, 2)
    assert b.hausdorff == 0.0 and b.converged


def test_single_point_and_segment():
    b = spe_bounds(PD, PD.T, 0.1)  # only (D, D) is enforceable: V = {(P, P)}
    assert hausdorff(b.outer, [[1.0, 1.0]]) <= 1e-8
    assert hausdorff(b.inner, [[1.0, 1.0]]) <= 1e-8
    A = np.array([[2.0, 0.0], [0.0, 1.0]])  # common interest: V is the segment (1,1)-(2,2)
    b = spe_bounds(A, A, 0.9)
    assert hausdorff(b.outer, [[1.0, 1.0], [2.0, 2.0]]) <= 1e-9
    assert hausdorff(b.inner, [[1.0, 1.0], [2.0, 2.0]]) <= 1e-9


def test_to_dict_is_json():
    d = spe_bounds(PD, PD.T, 0.7, directions=32).to_dict()
    assert json.loads(json.dumps(d)) == d
    assert sorted(d) == ["converged", "directions", "discount", "hausdorff", "inner",
                         "inner_defect", "iterations", "outer"]
    A = np.array([[1.0, -1.0], [-1.0, 1.0]])
    assert spe_bounds(A, -A, 0.5).to_dict()["outer"] == []


def test_rejects_bad_arguments():
    with pytest.raises(ValueError, match="discount > 0"):
        spe_bounds(PD, PD.T, 0.0)
    with pytest.raises(ValueError, match="discount"):
        spe_bounds(PD, PD.T, 1.0)
    with pytest.raises(ValueError, match="3 directions"):
        spe_bounds(PD, PD.T, 0.5, directions=2)


def test_cycling_inner_map_falls_back_to_a_certified_inner_set():
    """With few directions JYC's inner map can cycle (found by hypothesis: this 2x3 game at
    δ = 0.8 with 16 directions); the bounds then still converge and stay certified."""
    A = np.array([[-1.0, 0.0, 0.0], [0.0, 1.0, 2.0]])
    B = np.array([[0.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    for directions in (8, 16):
        b = assert_sandwich(A, B, 0.8, directions)
        assert len(b.inner) >= 1                     # at least the stage equilibrium (1, 1)
