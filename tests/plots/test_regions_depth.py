"""Where a regime map labels a regime: :func:`sim.plots.regions.deepest_point` is the argmax of
the exact Euclidean distance transform, compared with scipy's (the peer it replaces)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.ndimage import distance_transform_edt

from sim.plots.regions import deepest_point


def scipy_deepest(mask):
    depth = distance_transform_edt(np.pad(mask, 1))[1:-1, 1:-1]
    return tuple(int(x) for x in np.unravel_index(np.argmax(depth), depth.shape))


masks = st.tuples(st.integers(1, 40), st.integers(1, 40)).flatmap(
    lambda shape: arrays(bool, shape)).filter(lambda m: m.any())


@settings(max_examples=300, deadline=None)
@given(masks, st.integers(1, 500))
def test_deepest_point_is_scipys_argmax(mask, chunk):
    # any chunk size: the candidates are worked through in pieces of that many cells
    assert deepest_point(mask, chunk=chunk) == scipy_deepest(mask)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 60), st.integers(1, 60), st.floats(-2, 2), st.floats(-1, 1),
       st.floats(0.05, 0.95))
def test_regions_cut_by_curves(h, w, slope, bend, level):
    # regime maps are regions bounded by threshold curves: large blobs with many ties
    y, x = np.mgrid[0:1:h * 1j, 0:1:w * 1j]
    mask = y > level + slope * (x - 0.5) + bend * (x - 0.5) ** 2
    for region in (mask, ~mask | (x > 0.5)):
        if region.any():
            assert deepest_point(region) == scipy_deepest(region)


def test_the_default_regime_map():
    import sim

    code = np.asarray(sim.load("nato_csto_2007").analyse().regime_map()["regime"])
    for i in np.unique(code):
        assert deepest_point(code == i) == scipy_deepest(code == i)
