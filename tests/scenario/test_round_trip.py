"""A scenario's ``raw`` is the scenario as overridden: ``from_dict(sc.raw)`` gives the same
scenario back — the same game, the same ranges — also when ``--set`` moved a value outside
the range its file gives it (the override pins the key, and its range goes with it)."""

import numpy as np
from hypothesis import given, settings, strategies as st

import sim
from sim.scenario.uncertainty import domain

BASE = sim.load("nato_csto_2007")
KEYS = sorted(BASE.uncertainty())


def _same(a, b):
    assert a.uncertainty() == b.uncertainty()
    for x, y in zip(a.inputs(), b.inputs()):
        np.testing.assert_array_equal(x, y)


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(KEYS), st.floats(0.05, 0.95), st.booleans(), st.booleans())
def test_from_dict_of_raw_is_the_same_scenario(key, frac, outside, with_range):
    lo, hi = BASE.uncertainty()[key].bounds
    d_lo, d_hi, _ = domain(key, grieco=False)
    if not outside:
        value = lo + (hi - lo) * frac
    elif min(d_hi, hi + 4) > hi:                    # above the file's range, in the domain
        value = hi + (min(d_hi, hi + 4) - hi) * frac
    else:
        value = lo - (lo - max(d_lo, lo - 4)) * frac
    overrides = [(key, value)]
    if with_range:                                  # a new range that holds the value
        new_lo, new_hi = max(d_lo, value - 1), min(d_hi, value + 1)
        overrides.append((f"uncertainty.{key}", [new_lo, (value + new_hi) / 2]))
    sc = sim.load("nato_csto_2007", overrides)
    assert (key in sc.uncertainty()) == with_range
    _same(sim.from_dict(sc.raw), sc)


def test_a_pinned_range_spelled_by_factor_name_or_nested_is_dropped_too():
    raw = sim.load("nato_csto_2007").raw
    name = raw["factors"][0]["name"]
    table = raw["uncertainty"]
    flat = f"factors.{name}.CC.0"
    raw["uncertainty"] = {k: v for k, v in table.items() if k != flat}
    raw["uncertainty"]["factors"] = {name: {"CC": {"0": table[flat]}}}
    sc = sim.from_dict(raw, "<nested>", [("factors.0.CC.0", 100.0)])
    assert "factors.0.CC.0" not in sc.uncertainty()
    _same(sim.from_dict(sc.raw), sc)
