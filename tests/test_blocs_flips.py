"""Closed-form flip points equal the bisection's on generated blocs (same changes, same values
to the bisection's precision), and each sits where the model's code changes."""

import copy

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import scenario
from sim.blocs.flips import format_evaluator, format_flips
from sim.blocs.maps import key_range

BASE = scenario.read("nato_csto_members")[1]
KEYS = ["parameters.threat", "blocs.members.M0.share", "preferences.relative_gain_weight.NATO",
        "blocs.quota", "repeated.discount", "blocs.members.M1.relative_gain_weight"]

weight = st.floats(0, 1)


@st.composite
def blocs(draw):
    """A bloc of 2 to 4 members: member M0 holds the control factor; random shares, weights,
    comparisons (the rival, or the rival and M0), own stakes, rule and scenario numbers."""
    k = draw(st.integers(2, 4))
    raw = copy.deepcopy(BASE)
    raw.pop("uncertainty", None)
    shares = np.array(draw(st.lists(st.floats(0.05, 1), min_size=k, max_size=k)))
    shares = np.round(shares / shares.sum(), 6)
    shares[-1] = round(1 - shares[:-1].sum(), 6)
    members = {}
    for i in range(k):
        m = {"share": float(shares[i]), "relative_gain_weight": draw(weight),
             "allocation": {"russian_control": float(i == 0), "bilateral_leverage": float(i == 0)}}
        if i and draw(st.booleans()):
            w = draw(weight)
            m["compare"] = {"NATO": w, "M0": 1 - w}
        if draw(st.booleans()):
            m["factors"] = [{"name": "own", "theory": "realist",
                             "CC": draw(st.floats(-2, 2))}]
        members[f"M{i}"] = m
    rule = draw(st.sampled_from(["consensus", "quota", "leader"]))
    raw["blocs"] = {**{k_: v for k_, v in raw["blocs"].items() if k_ != "members"},
                    "members": members, "rule": rule, "control": "M0"}
    if rule == "quota":
        raw["blocs"]["quota"] = draw(st.floats(0.05, 1))
    if rule == "leader":
        raw["blocs"]["leader"] = f"M{draw(st.integers(0, k - 1))}"
    raw["parameters"]["threat"] = draw(st.floats(0, 6))
    raw["repeated"]["discount"] = draw(st.floats(0, 0.99))
    raw["preferences"]["relative_gain_weight"]["NATO"] = draw(weight)
    return scenario.from_dict(raw, "<generated bloc>")


@settings(max_examples=20, deadline=None)
@given(blocs(), st.sampled_from(KEYS), st.sampled_from(["repeated", "deal", "stage"]))
def test_closed_form_flips_equal_bisection(sc, key, mode):
    lo, hi = key_range(sc, key)
    if key == "parameters.threat":
        hi = 10.0
    closed = format_flips(sc, key, lo, hi, mode)
    bisected = format_flips(sc, key, lo, hi, mode, closed_form=False)
    assert [(f["who"], f["from"], f["to"]) for f in closed] == \
        [(f["who"], f["from"], f["to"]) for f in bisected]
    for c, b in zip(closed, bisected):
        # the bisection stops where the tie tolerance flips the code; the closed form is the
        # tie itself
        assert abs(c["value"] - b["value"]) <= 1e-6 * (hi - lo), (c, b)
    if mode == "deal":        # outcomes fixed: every flip is a root of affine utilities
        assert all(f["method"] == "closed form" for f in closed), closed
    evaluate = format_evaluator(sc, key, mode)
    who = ["choice"] + list(sc.players) + list(sc.model.blocs.members)
    for f in closed:
        if f["method"] != "closed form":
            continue
        col, eps = who.index(f["who"]), 1e-6 * (hi - lo)
        x = np.array([max(f["value"] - eps, lo), min(f["value"] + eps, hi)])
        below, above = evaluate(x)[:, col]
        assert below != above


def test_shipped_flips_are_closed_form():
    sc = scenario.load("nato_csto_members")
    for key, lo, hi in (("parameters.threat", 0.0, 10.0), ("blocs.members.Russia.share", 0.01,
                                                          0.99)):
        found = format_flips(sc, key, lo, hi, "deal")
        assert found and all(f["method"] == "closed form" for f in found)
