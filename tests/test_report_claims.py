"""The report's claims (MODEL-NOTES.md), computed from the shipped scenarios — never typed in."""

import numpy as np
import pytest

from sim import scenario
from sim.analysis import summarize
from sim.equilibria import COOPERATIVE, analyse_grid, is_cooperative, regime_names


@pytest.fixture(scope="module")
def baseline():
    return scenario.load("nato_csto_2007")


def test_claim1_csto_gains_more_from_bloc_cooperation(baseline):
    A, B, *_ = baseline.inputs()
    gain_nato, gain_csto = A[0, 0] - A[1, 1], B[0, 0] - B[1, 1]
    assert gain_csto > gain_nato > 0          # mutual gains exist, the CSTO's are larger


def test_claim2_realist_nato_declines_one_sided(baseline):
    s = summarize(baseline)
    assert s["regime"] == "one-sided"
    assert s["blocked_by_relative_gains"]
    nato_cc = s["utility"]["outcomes"]["CC"][0]
    csto_cc = s["utility"]["outcomes"]["CC"][1]
    assert nato_cc < 0 < csto_cc               # NATO prefers (D,D), the CSTO invites
    # NATO stops wanting (C,C) once r > π_NATO(CC) / π_CSTO(CC) (MODEL-NOTES, report 2.6)
    A, B, *_ = baseline.inputs()
    assert s["critical_weight"]["NATO"] <= A[0, 0] / B[0, 0] + 1e-12


def test_claim4_common_threat_makes_cooperation_an_equilibrium(baseline):
    threat = np.linspace(1, 8, 141)
    A, B, r_row, r_col, d = baseline.inputs({"parameters.threat": threat})
    code, _ = analyse_grid(A, B, r_row, r_col, d)
    coop = is_cooperative(code)
    assert not coop[0] and coop[-1]
    assert (np.diff(coop.astype(int)) >= 0).all()          # once cooperative, it stays so
    s = summarize(scenario.load("common_threat"))
    assert s["regime"] in COOPERATIVE


def test_claim5_liberal_weights_and_long_shadow_sustain_cooperation(baseline):
    liberal = scenario.load("nato_csto_2007", ["preferences.relative_gain_weight.NATO=0",
                                               "preferences.relative_gain_weight.CSTO=0"])
    s = summarize(liberal)
    assert s["regime"] == "reciprocity"
    t = s["thresholds"]["grim"]["both"]
    short = summarize(scenario.load("nato_csto_2007", [
        "preferences.relative_gain_weight.NATO=0", "preferences.relative_gain_weight.CSTO=0",
        f"repeated.discount={t / 2}"]))
    assert short["regime"] == "short-horizon"


def test_claim6_bilateral_format_dilutes_relative_gains():
    bilateral = scenario.load("bilateral_pfp")
    r_nato, _ = bilateral.weights()
    assert r_nato == pytest.approx(0.5 / 6)
    assert summarize(bilateral)["regime"] in COOPERATIVE
    undiluted = scenario.load("bilateral_pfp", ["preferences.actors.NATO=2"])
    assert undiluted.weights()[0] == pytest.approx(0.5)


def test_region_map_marks_realist_region_blocked(baseline):
    from sim.analysis import regime_map

    m = regime_map(baseline, np.linspace(0, 1, 51), np.linspace(0, 0.99, 50))
    names = regime_names(m["regime"])
    assert (names[:, 0] != "one-sided").all() and (names[:, -1] == "one-sided").all()
    assert m["blocked"][-1, -1] and not m["blocked"][-1, 0]
