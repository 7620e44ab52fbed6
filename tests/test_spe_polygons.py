"""Convex-polygon kernels (sim.polygons) against scipy's Qhull and closed forms."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial import ConvexHull

from sim.polygons import clip, convex_hull, distance, hausdorff

SQUARE = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])

point_clouds = st.integers(0, 2**32 - 1).map(
    lambda seed: np.random.default_rng(seed).normal(size=(
        np.random.default_rng(seed).integers(3, 40), 2)))


@settings(max_examples=40, deadline=None)
@given(point_clouds)
def test_hull_matches_qhull(points):
    ours = convex_hull(points)
    hull = ConvexHull(points)
    theirs = points[hull.vertices]  # counter-clockwise in 2-D
    assert sorted(map(tuple, ours)) == sorted(map(tuple, theirs))
    # counter-clockwise: positive signed area equal to Qhull's area ("volume" in 2-D)
    x, y = ours[:, 0], ours[:, 1]
    area = 0.5 * np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y)
    assert np.isclose(area, hull.volume)


def test_hull_degenerate_inputs():
    assert convex_hull(np.empty((0, 2))).shape == (0, 2)
    assert convex_hull([[1, 2], [1, 2], [1, 2]]).tolist() == [[1, 2]]
    assert convex_hull([[0, 0], [2, 2], [1, 1], [1, 1 + 1e-15]]).tolist() == [[0, 0], [2, 2]]
    thin = convex_hull([[0, 0], [0, 1], [1e-9, 0]])  # a thin triangle is not a segment
    assert len(thin) == 3


def test_distance_and_hausdorff():
    assert distance([0.5, 0.5], SQUARE) == 0.0
    assert np.isclose(distance([2.0, 2.0], SQUARE), np.sqrt(2))
    assert np.isclose(distance([0.5, -3.0], SQUARE), 3.0)
    assert distance([0.0, 0.0], np.empty((0, 2))) == np.inf
    assert np.isclose(hausdorff(SQUARE, SQUARE + [0.25, 0.0]), 0.25)
    assert np.isclose(hausdorff(SQUARE, [[0.5, 0.5]]), np.sqrt(0.5))
    assert np.isclose(hausdorff([[0, 0], [1, 0]], [[0, 1], [1, 1]]), 1.0)
    assert hausdorff(np.empty((0, 2)), SQUARE) == np.inf


@settings(max_examples=30, deadline=None)
@given(st.floats(-0.5, 1.5), st.integers(0, 1))
def test_clip_square(level, axis):
    part = clip(SQUARE, axis, level)
    width = min(max(1.0 - level, 0.0), 1.0)
    if width == 0.0 and level > 1.0:
        assert part.shape == (0, 2)
    else:
        lo = np.clip(level, 0, 1)
        expected = SQUARE.copy()
        expected[:, axis] = np.maximum(expected[:, axis], lo)
        assert hausdorff(part, convex_hull(expected)) <= 1e-12
