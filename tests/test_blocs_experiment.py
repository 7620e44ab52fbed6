"""The report's claims experiment runs from the shipped scenarios; the format measures sweep."""

import importlib.util
from pathlib import Path

import numpy as np

from sim import scenario
from sim.blocs.formats import FORMATS, analyse
from sim.scenario.blocs import numbers

ROOT = Path(__file__).resolve().parents[1]


def load_experiment():
    spec = importlib.util.spec_from_file_location("report_claims",
                                                  ROOT / "experiments" / "report_claims.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_report_claims_experiment(capsys):
    exp = load_experiment()
    rows = exp.claims()
    labels = [r["claim"].split(")")[0] + ")" for r in rows]
    for claim in ("(i)", "(ii)", "(iii)", "(iv)", "(v)", "(vi)", "(vii)"):
        assert claim in labels
    assert all(r["verdict"] in (exp.HOLDS, exp.FAILS) for r in rows)
    assert all(r["note"] for r in rows if r["verdict"] == exp.FAILS)   # a disagreement says why
    res = analyse(numbers(scenario.load("nato_csto_members")))
    nato = FORMATS[res.preferred()[0]]
    assert (rows[labels.index("(iii)")]["verdict"] == exp.HOLDS) == (nato == "bilateral")
    assert exp.main() == 0
    out = capsys.readouterr().out
    assert out.startswith("| claim (report section) |") and out.count("\n") == len(rows) + 2


def test_docs_table_is_the_experiments_output():
    exp = load_experiment()
    assert exp.table(exp.claims()) in (ROOT / "docs" / "blocs.md").read_text()


def test_format_measures_in_a_sweep():
    from sim.sweep.measures import Batch, measure_call

    sc = scenario.load("nato_csto_members")
    share = np.linspace(0.1, 0.9, 5)[:, None]
    threat = np.linspace(0, 6, 4)[None, :]
    values = {"blocs.members.Russia.share": share, "parameters.threat": threat}
    batch = Batch(sc, values, (5, 4))
    res = analyse(numbers(sc, values))
    pref = measure_call("preferred_format", {"actor": "CSTO"}).measure.func(batch, actor="CSTO")
    np.testing.assert_array_equal(pref, res.preferred()[..., 1])
    choice = measure_call("format_choice").measure.func(batch)
    np.testing.assert_array_equal(choice, res.choice())
    u = measure_call("format_utility", {"actor": "Russia", "format": "bilateral"}).measure.func(
        batch, actor="Russia", format="bilateral")
    np.testing.assert_allclose(u, res.utility["repeated"][..., 1, 2])
