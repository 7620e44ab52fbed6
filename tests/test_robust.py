"""Robustness of verdicts: shares against a per-draw loop over ``summarize``, break-even values
checked just inside and outside, Sobol indices against analytic test functions, sampling and
distributions against scipy, reproducibility, the command and the sweep measure."""

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from sim import scenario
from sim.analysis import summarize
from sim.cli import main
from sim.equilibria import COOPERATIVE, REGIMES, analyse_grid
from sim.robust import account, break_even, evaluate, robustness, sobol_indices, unit_sample
from sim.robust.sampling import values_at
from sim.robust.verdicts import shares, shares_at
from sim.scenario.uncertainty import Distribution

few = settings(max_examples=40, deadline=None)


@pytest.fixture(scope="module")
def nato():
    return scenario.load("nato_csto_2007")


@pytest.fixture(scope="module")
def edges(nato):
    return break_even(nato)


def _per_draw(sc, point: dict):
    """The verdict of one draw the slow way: a scenario loaded with the draw as overrides."""
    s = summarize(scenario.from_dict(sc.raw, sc.where, list(point.items())))
    return s["regime"], s["blocked_by_relative_gains"]


def _loaded(sc, point: dict):
    """:func:`_per_draw` without the rest of the summary: the loaded scenario classified by
    the one call of :func:`sim.equilibria.analyse_grid` that gives ``summarize`` its regime
    and blocked flag."""
    code, blocked = analyse_grid(*scenario.from_dict(sc.raw, sc.where,
                                                     list(point.items())).inputs())
    return REGIMES[int(code)], bool(blocked)


# --------------------------------------------------------------------------------------------
# Shares
# --------------------------------------------------------------------------------------------

def test_shares_equal_a_per_draw_loop_over_summarize(nato):
    dists = list(nato.uncertainty().values())
    unit = unit_sample(48, len(dists), seed=5, replicates=4)
    values = values_at(dists, unit.reshape(-1, len(dists)))
    code, blocked = evaluate(nato, values)
    slow = [_per_draw(nato, {k: float(v[i]) for k, v in values.items()})
            for i in range(len(code))]
    assert [REGIMES[c] for c in code] == [r for r, _ in slow]
    assert blocked.tolist() == [b for _, b in slow]
    got = shares(code.reshape(4, -1), blocked.reshape(4, -1))
    names = [r for r, _ in slow]
    for name, entry in got["regimes"].items():
        assert entry["share"] == pytest.approx(names.count(name) / len(names))
    assert got["blocked"]["share"] == pytest.approx(np.mean([b for _, b in slow]))
    assert got["cooperative"]["share"] == pytest.approx(
        np.mean([n in COOPERATIVE for n in names]))


def test_standard_errors():
    code = np.array([[4, 4, 2, 4], [4, 2, 2, 4]])
    blocked = np.zeros_like(code, bool)
    s = shares(code, blocked)
    p = 5 / 8
    assert s["regimes"]["one-sided"]["se_binomial"] == pytest.approx(math.sqrt(p * (1 - p) / 8))
    assert s["regimes"]["one-sided"]["se_qmc"] == pytest.approx(
        np.std([0.75, 0.5], ddof=1) / math.sqrt(2))
    assert s["blocked"] == {"share": 0.0, "se_binomial": 0.0, "se_qmc": 0.0}


def test_block_pipeline_equals_one_evaluation(nato, monkeypatch):
    """Sampling, quantiles and verdicts block by block give the numbers of one call on the
    whole sample, and the compiled criterion those of analyse_grid."""
    from sim.equilibria import analyse_grid
    from sim.robust import sampling, verdicts

    dists = list(nato.uncertainty().values())
    d = len(dists)
    unit = unit_sample(300, d, seed=2, replicates=3)
    code, blocked = evaluate(nato, values_at(dists, unit.reshape(-1, d)))
    ref = analyse_grid(*nato.inputs(values_at(dists, unit.reshape(-1, d))))
    assert np.array_equal(code, ref[0]) and np.array_equal(blocked, ref[1])
    blocks = list(sampling.unit_blocks(300, d, seed=2, replicates=3, block=7))
    assert max(len(b) for _, _, b in blocks) == 7
    rebuilt = np.empty_like(unit)
    for i, start, points in blocks:
        rebuilt[i, start:start + len(points)] = points
    assert np.array_equal(rebuilt, unit)
    monkeypatch.setattr(sampling, "BLOCK", 16)
    got = verdicts.sample_verdicts(nato, dists, 300, seed=2, replicates=3)
    assert np.array_equal(got[0], code.reshape(3, -1))
    assert np.array_equal(got[1], blocked.reshape(3, -1))
    flat = verdicts.evaluate_unit(nato, dists, unit.reshape(-1, d))
    assert np.array_equal(flat[0], code) and np.array_equal(flat[1], blocked)


def test_chunked_evaluation_is_one_call(nato):
    dists = list(nato.uncertainty().values())
    values = values_at(dists, unit_sample(300, len(dists), seed=1)[0])
    whole = evaluate(nato, values, chunk=10**6)
    parts = evaluate(nato, values, chunk=7)
    assert all((a == b).all() for a, b in zip(whole, parts))


# --------------------------------------------------------------------------------------------
# Break-even values
# --------------------------------------------------------------------------------------------

def test_break_even_just_inside_and_outside(nato, edges):
    code0, blocked0 = (x[0] for x in evaluate(nato, {}))
    assert {e["key"] for e in edges} == set(nato.uncertainty())
    hits = 0
    for e in edges:
        for what, nominal in (("regime", REGIMES[code0]), ("blocked", bool(blocked0))):
            for side, sign in (("below", -1), ("above", 1)):
                hit = e[what][side]
                if hit is None:
                    continue
                hits += 1
                assert sign * (hit["value"] - e["value"]) > 0 and hit["inside"] != hit["value"]
                # the bracket is tight: adjacent in floating point, or within 1e-12 relative
                assert abs(hit["value"] - hit["inside"]) <= 1e-12 * max(1.0, abs(hit["value"]))
                inside = _loaded(nato, {e["key"]: hit["inside"]})
                outside = _loaded(nato, {e["key"]: hit["value"]})
                index = 0 if what == "regime" else 1
                assert inside[index] == nominal and outside[index] == hit["to"] != nominal
                # nothing changes between the value and the break-even (no change missed)
                between = np.linspace(e["value"], hit["inside"], 201)
                c, b = evaluate(nato, {e["key"]: between})
                assert ((c == code0) if what == "regime" else (b == blocked0)).all()
                assert hit["in_range"] == (e["range"][0] <= hit["value"] <= e["range"][1])
    assert hits > 10


def test_break_even_of_nato_weight_is_its_critical_weight(nato, edges):
    """Along NATO's relative-gain weight the regime break-even below is where (C,C) stops
    being sustained for NATO — the critical weight (Snidal 1991: linear in r), up to the tie
    tolerance both apply (``TIE_TOL`` relative to the payoffs)."""
    from sim.games import TIE_TOL

    key = "preferences.relative_gain_weight.NATO"
    edge = next(e for e in edges if e["key"] == key)
    blocked_edge = edge["blocked"]["below"]["value"]
    assert blocked_edge == pytest.approx(summarize(nato)["critical_weight"]["NATO"],
                                         abs=100 * TIE_TOL)


# --------------------------------------------------------------------------------------------
# Sobol indices
# --------------------------------------------------------------------------------------------

def ishigami(unit, a=7.0, b=0.1):
    x = -math.pi + 2 * math.pi * unit
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_sobol_indices_of_the_ishigami_function():
    """Ishigami & Homma (1990), a = 7, b = 0.1: closed-form indices (Sobol & Levitan 1999),
    with a fourth input the function ignores."""
    a, b = 7.0, 0.1
    v1 = 0.5 * (1 + b * math.pi ** 4 / 5) ** 2
    v2 = a ** 2 / 8
    v13 = b ** 2 * math.pi ** 8 * (1 / 18 - 1 / 50)
    var = v1 + v2 + v13
    s1 = [v1 / var, v2 / var, 0.0, 0.0]
    st_ = [(v1 + v13) / var, v2 / var, v13 / var, 0.0]
    res = sobol_indices(["x1", "x2", "x3", "dummy"], lambda u: {"y": ishigami(u)}, base=4096,
                        seed=3)["y"]
    for i in range(4):
        assert res["S1"][i] == pytest.approx(s1[i], abs=max(0.03, 2 * res["S1_conf"][i]))
        assert res["ST"][i] == pytest.approx(st_[i], abs=max(0.03, 2 * res["ST_conf"][i]))
    assert res["ST"][3] == 0 and res["S1"][3] == 0            # the ignored input: exactly 0


@few
@given(st.lists(st.floats(0.1, 5), min_size=2, max_size=5))
def test_sobol_indices_of_a_linear_model(coef):
    """Y = Σ a_i X_i with independent uniform X_i: S1_i = ST_i = a_i² / Σ a_j²."""
    a = np.array(coef)
    res = sobol_indices([f"x{i}" for i in range(len(a))], lambda u: {"y": u @ a}, base=1024,
                        seed=0)["y"]
    exact = a ** 2 / (a ** 2).sum()
    np.testing.assert_allclose(res["S1"], exact, atol=0.03)
    np.testing.assert_allclose(res["ST"], exact, atol=0.03)


@pytest.fixture(scope="module")
def result(nato):
    return robustness(nato, draws=1024, seed=11)


def test_baseline_indices_are_sane(nato, result):
    for name, out in result["sensitivity"]["outputs"].items():
        if out["variance"] == 0:
            continue
        for s1, s1c, st_, stc in zip(out["S1"], out["S1_conf"], out["ST"], out["ST_conf"]):
            assert st_ >= s1 - s1c - stc - 1e-12                 # ST >= S1 up to the CIs
            assert st_ >= 0


def test_a_key_that_cannot_change_the_verdict_has_zero_indices(nato):
    """A range too narrow to reach any break-even: the output never varies with it, so its
    first-order and total indices are exactly 0 (Jansen's and Saltelli's estimators)."""
    sc = scenario.load("nato_csto_2007", [
        ("uncertainty", {"factors.bloc_formation.CC.1": [0.5, 0.5000001],
                         "factors.synergy.CC.0": [2.5, 7.5],
                         "preferences.relative_gain_weight.NATO": [0.25, 0.75]})])
    r = robustness(sc, draws=256, seed=2)
    i = [k["key"] for k in r["keys"]].index("factors.1.CC.1")
    for out in r["sensitivity"]["outputs"].values():
        assert out["S1"][i] == 0 and out["ST"][i] == 0


def test_reproducible_with_a_seed(nato, result):
    again = robustness(nato, draws=1024, seed=11)
    other = robustness(nato, draws=1024, seed=12)
    strip = [{k: v for k, v in r.items() if k != "provenance"} for r in (result, again, other)]
    assert strip[0] == strip[1]
    assert strip[0]["shares"] != strip[2]["shares"]
    assert result["provenance"]["robust"]["seed"] == 11


def test_result_is_json_and_says_what_it_hinges_on(result):
    from sim.outputs import json_text

    json.loads(json_text(result))
    assert result["nominal"]["regime"] == REGIMES[int(evaluate(
        scenario.load("nato_csto_2007"), {})[0][0])]
    ranges = {e["key"]: e for e in result["break_even"]}
    for key in result["hinges"]["regime"]:
        assert any(s and s["in_range"] for s in ranges[key]["regime"].values())


# --------------------------------------------------------------------------------------------
# Sampling and distributions
# --------------------------------------------------------------------------------------------

def test_unit_sample_is_seeded_scrambled_and_balanced():
    a = unit_sample(1024, 3, seed=4, replicates=2)
    assert a.shape == (2, 512, 3) and ((a >= 0) & (a < 1)).all()
    assert (a == unit_sample(1024, 3, seed=4, replicates=2)).all()
    assert not (a[0] == a[1]).all()
    counts = np.histogram(a[0, :, 0], bins=8, range=(0, 1))[0]
    assert (counts == 64).all()                                 # Sobol balance at n = 2^k


def _dist(draw):
    form = draw(st.sampled_from(["uniform", "triangular", "normal", "loguniform"]))
    lo = draw(st.floats(0.01, 5))
    hi = lo + draw(st.floats(0.01, 5))
    if form == "triangular":
        return Distribution("k", form, (lo, draw(st.floats(lo, hi)), hi))
    if form == "normal":
        return Distribution("k", form, (draw(st.floats(lo, hi)), draw(st.floats(0.05, 3)),
                                        lo, hi))
    return Distribution("k", form, (lo, hi))


@few
@given(st.data())
def test_quantiles_match_scipy(data):
    d = _dist(data.draw)
    u = np.linspace(0.001, 0.999, 51)
    lo, hi = d.bounds
    if d.form == "uniform":
        ref = stats.uniform(lo, hi - lo)
    elif d.form == "loguniform":
        ref = stats.loguniform(lo, hi)
    elif d.form == "triangular":
        ref = stats.triang((d.numbers[1] - lo) / (hi - lo), lo, hi - lo)
    else:
        mean, sd = d.numbers[:2]
        ref = stats.truncnorm((lo - mean) / sd, (hi - mean) / sd, mean, sd)
    x = d.ppf(u)
    np.testing.assert_allclose(x, ref.ppf(u), rtol=1e-9, atol=1e-12)
    assert (np.diff(x) >= 0).all() and (x >= lo).all() and (x <= hi).all()


# --------------------------------------------------------------------------------------------
# Scenario ranges: one-line errors
# --------------------------------------------------------------------------------------------

BAD = [
    ('"factors.synergy.CC.0" = [7.5, 2.5]', "lo > hi", "lo < hi"),
    ('"factors.synergy.CC.0" = [6.0, 7.5]', "outside the range", "a range containing 5"),
    ('"factors.synergie.CC.0" = [2.5, 7.5]', "did you mean 'synergy'", "russian_control"),
    ('"factors.synergy.DD.0" = [2.5, 7.5]', "unknown key", "a numeric key"),
    ('"parameters.threat" = ["low", "high"]', "not 2 finite numbers", "[lo, hi]"),
    ('"parameters.threat" = "wide"', "wrong type", "{ triangular"),
    ('"repeated.discount" = [0.5, 1.0]', "leaves [0, 1)", "a range inside [0, 1)"),
    ('"preferences.relative_gain_weight.NATO" = { normal = [0.5, 0.1] }', "truncation",
     "within"),
    ('"parameters.threat" = { triangular = [0, 3, 2] }', "mode outside", "lo <= mode"),
    ('"parameters.threat" = { lognorm = [0.5, 2] }', "unknown form", "loguniform"),
]


@pytest.mark.parametrize("line, problem, allowed", BAD)
def test_bad_ranges_are_one_line_errors(tmp_path, capsys, line, problem, allowed):
    path = tmp_path / "bad.toml"
    path.write_text(f'[scenario]\nextends = "nato_csto_2007"\n\n[uncertainty]\n{line}\n')
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    key = line.split("=")[0].strip().strip('"')
    assert str(path) in err and f"uncertainty.{key}" in err and problem in err
    assert "allowed:" in err and allowed in err.split("allowed:")[1]


def test_without_ranges_a_scenario_loads_as_before():
    plain = scenario.load("prisoners_dilemma")
    assert plain.uncertainty() == {} and plain.model.uncertainty is None


def test_set_pins_a_key_and_can_give_it_a_new_range(nato):
    key = "factors.4.CC.0"
    pinned = scenario.load("nato_csto_2007", [f"{key}=20"])
    assert key not in pinned.uncertainty() and len(pinned.uncertainty()) == \
        len(nato.uncertainty()) - 1
    moved = scenario.load("nato_csto_2007", [f"{key}=20", f"uncertainty.{key}=[15, 25]"])
    assert moved.uncertainty()[key].bounds == (15.0, 25.0)
    with pytest.raises(scenario.ScenarioError, match="outside the range"):
        scenario.load("nato_csto_2007", [f"uncertainty.{key}=[6, 7]"])


# --------------------------------------------------------------------------------------------
# The command and the sweep measure
# --------------------------------------------------------------------------------------------

def test_robust_command(tmp_path, capsys):
    argv = ["robust", "--draws", "256", "--seed", "3", "--out", str(tmp_path)]
    assert main(argv + ["--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["draws"] == 256 and d["provenance"]["robust"]["seed"] == 3
    for f in ("robust.json", "tornado.png", "tornado.svg", "sensitivity.png", "sensitivity.svg"):
        assert (tmp_path / f).stat().st_size > 0
    assert main(argv) == 2                                         # not overwritten
    assert "already exists" in capsys.readouterr().err
    assert "hinges on" in account(d)
    assert main(["robust", "prisoners_dilemma", "--out", str(tmp_path / "pd")]) == 2
    err = capsys.readouterr().err
    assert "no ranges" in err and "allowed:" in err and not (tmp_path / "pd").exists()


def test_scenario_robust_is_a_result_object(nato, result, tmp_path):
    """``Scenario.robust`` gives :func:`robustness`'s data as a result object: mapping access
    as before, attributes, a table of shares, the command's words and figures, JSON."""
    import sim
    from sim.workflows.robust import RobustRun

    run = nato.robust(1024, seed=11)
    assert isinstance(run, RobustRun) and run.settings == {"draws": 1024, "seed": 11}
    strip = [{k: v for k, v in r.items() if k != "provenance"} for r in (result, run)]
    assert strip[0] == strip[1]
    assert run.nominal == result["nominal"] and run.hinges == result["hinges"]
    for name, entry in result["shares"]["regimes"].items():
        assert run.share(name) == entry["share"]
    assert run.share("blocked") == result["shares"]["blocked"]["share"]
    assert "harmony" not in result["shares"]["regimes"] and run.share("harmony") == 0.0
    with pytest.raises(ValueError, match="unknown verdict 'harmoni'; allowed: harmony"):
        run.share("harmoni")
    frame = run.to_frame()
    assert list(frame["verdict"])[-2:] == ["cooperative", "blocked"]
    assert frame["share"].iloc[:-2].sum() == pytest.approx(1)
    assert run.account() == account(result)
    assert set(run.figures()) == {"tornado", "sensitivity"}
    assert json.loads(run.to_json(tmp_path / "r.json").read_text())["draws"] == 1024
    for bad, text in ((1, "--draws 1: allowed: a whole number from 2"),
                      (2.5, "--draws 2.5: allowed"), (True, "--draws True: allowed")):
        with pytest.raises(sim.UserError, match=text):
            nato.robust(bad)
    with pytest.raises(sim.UserError, match="--seed -1: allowed"):
        nato.robust(64, seed=-1)
    with pytest.raises(sim.UserError, match="no ranges given; allowed"):
        scenario.load("prisoners_dilemma").robust()


def test_cooperative_share_measure_is_the_share_of_draws(nato):
    from sim.sweep.axes import parse_axis
    from sim.sweep.measures import parse_measure
    from sim.sweep.plan import build_plan

    plan = build_plan(nato, [parse_axis("parameters.threat=1:4:4")],
                      [parse_measure("cooperative_share:draws=128,seed=2"),
                       parse_measure("blocked_share:draws=128,seed=2")], 0, None)
    out = plan.evaluate(0)
    dists = list(nato.uncertainty().values())
    drawn = values_at(dists, unit_sample(128, len(dists), seed=2)[0])
    for i, threat in enumerate([1.0, 2.0, 3.0, 4.0]):
        code, blocked = evaluate(nato, {**drawn, "parameters.threat": threat})
        assert out["cooperative_share"][i] == pytest.approx((code < len(COOPERATIVE)).mean())
        assert out["blocked_share"][i] == pytest.approx(blocked.mean())
    coop, _ = shares_at(nato, {"parameters.threat": np.array([1.0, 4.0])}, (2,), 128, 2)
    assert coop[1] > coop[0]                      # a common threat makes cooperation likelier


@few
@given(lo=st.floats(-1e12, 1e12), width=st.floats(1e-300, 2e12),
       form=st.sampled_from(["uniform", "triangular"]), at=st.floats(0, 1))
def test_quantiles_stay_inside_bounds_of_any_magnitude(lo, width, form, at):
    """Draws never leave [lo, hi], even where rounding ``lo + u (hi - lo)`` would (a bound of
    magnitude 1e-195 beside one of 1e12)."""
    hi = lo + width
    if not hi > lo:
        return
    numbers = (lo, lo + at * (hi - lo), hi) if form == "triangular" else (lo, hi)
    d = Distribution("k", form, numbers)
    x = d.ppf(np.linspace(0, 1, 1025))
    assert (x >= lo).all() and (x <= hi).all()


def test_quantiles_at_a_tiny_bound_beside_a_huge_one():
    d = Distribution("k", "uniform", (-1e12, -1.5e-195))
    x = d.ppf(np.linspace(0, 1, 1025))
    assert x.max() <= -1.5e-195 and x.min() >= -1e12
