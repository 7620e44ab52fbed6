"""Format maps evaluated in blocks of grid rows (the array model) and point by point (the
compiled kernel, the default) equal the array model on the whole grid, point for point."""

from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import scenario
from sim.blocs.formats import analyse
from sim.blocs.maps import format_codes
from sim.blocs.rules import Rule
from sim.scenario.blocs import numbers

KEYS = ["parameters.threat", "preferences.relative_gain_weight.NATO",
        "preferences.relative_gain_weight.CSTO", "blocs.members.Russia.share",
        "blocs.members.Kazakhstan.compare.NATO", "blocs.bilateral.synergy", "repeated.discount"]
RANGES = {"parameters.threat": (0, 8), "blocs.members.Russia.share": (0.05, 0.95),
          "repeated.discount": (0, 0.99)}


@settings(max_examples=12, deadline=None)
@given(st.sampled_from(KEYS), st.sampled_from(KEYS), st.sampled_from(["consensus", "quota",
                                                                      "leader"]),
       st.floats(0.05, 1.0))
def test_blocks_equal_array_model(xk, yk, kind, q):
    if xk == yk:
        return
    sc = scenario.load("nato_csto_members")
    x = np.linspace(*RANGES.get(xk, (0, 1)), 23)
    y = np.linspace(*RANGES.get(yk, (0, 1)), 19)
    nums = numbers(sc, {xk: x[None, :], yk: y[:, None]})
    nums = replace(nums, rule=Rule(kind, q, 0))
    res = analyse(nums, method="numpy")
    for method in ("numpy", "kernel"):
        pref, choice = format_codes(nums, (19, 23), chunk_points=50, method=method)  # 2 rows
        np.testing.assert_array_equal(pref, np.broadcast_to(res.preferred()[..., 0], (19, 23)))
        np.testing.assert_array_equal(choice, np.broadcast_to(res.choice(), (19, 23)))
