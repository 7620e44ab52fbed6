"""The object API: ``import sim`` is light and lazy, every example in the API's docstrings
runs, and each subcommand computes the same JSON through the CLI and through the API."""

import doctest
import importlib
import json
import subprocess
import sys

import numpy as np
import pytest

import sim
from sim.cli import main

API_MODULES = ["sim.games", "sim.scenario.loading", "sim.scenario.model", "sim.results",
               "sim.sweep.result", "sim.strategies.base"]


def test_import_is_lazy_and_submodules_load_on_first_use():
    code = ("import sys, sim\n"
            "assert not [m for m in sys.modules if m.startswith('sim.')], sys.modules\n"
            "assert 'numpy' not in sys.modules\n"
            "assert sim.games.Game is sim.Game\n"
            "assert sim.load.__module__ == 'sim.scenario.loading'\n"
            "assert 'games' in dir(sim) and 'load' in dir(sim)\n"
            "try:\n    sim.nonexistent\nexcept AttributeError as e:\n    print(e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert "no attribute 'nonexistent'" in out.stdout


@pytest.mark.parametrize("name", API_MODULES)
def test_docstring_examples_run(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


def test_load_keywords_and_overrides_are_the_same_scenario():
    a = sim.load("nato_csto_2007", threat=4, discount=0.8)
    b = sim.load("nato_csto_2007", overrides={"parameters.threat": 4,
                                              "repeated.discount": 0.8})
    c = sim.load("nato_csto_2007", ["parameters.threat=4", "repeated.discount=0.8"])
    assert a.raw == b.raw == c.raw and a.overrides == b.overrides == c.overrides


def test_load_unknown_keyword_is_one_line():
    with pytest.raises(sim.ScenarioError, match=r"thread = 4: unknown keyword; allowed: "
                                                r"threat, .*discount, noise"):
        sim.load("nato_csto_2007", thread=4)


def test_game_methods_are_the_vectorised_functions():
    from sim import equilibria, preferences, spe

    g = sim.Game.symmetric(T=5, R=3, P=1, S=0)
    U, V = preferences.utility_game(g.A, g.B, 0.5, 0.2)
    u = g.utility(r=(0.5, 0.2))
    assert np.array_equal(u.A, U) and np.array_equal(u.B, V)
    assert g.regime(0.9) == str(equilibria.regime_names(equilibria.regime(g.A, g.B, 0.9)))
    assert g.thresholds()["grim"]["both"] == equilibria.threshold(g.A, g.B, "grim")[2]
    assert np.array_equal(g.spe(0.9).vertices, spe.spe_payoff_set(g.A, g.B, 0.9).vertices)
    many = sim.Game.symmetric(T=np.array([5.0, 2.0]), R=3, P=1, S=0)
    assert list(many.regime(0.9)) == ["reciprocity", "coordination"]     # PD, Stag Hunt


def _clean(data):
    """JSON without what differs between two runs: creation time, output paths, timing; and
    without what only a result folder has: the checksums of its files."""
    data = json.loads(json.dumps(data))
    data.pop("checksum", None)
    data.get("sweep", {}).pop("table_sha256", None)
    data.get("provenance", {}).pop("created", None)
    data.get("provenance", {}).pop("outputs", None)
    data.pop("timing", None)
    return data


CASES = [
    ("run", [], "summary.json", lambda sc: sc.analyse()),
    ("tournament", ["--players", "TFT", "AllD", "Random", "--turns", "30", "--repetitions",
                    "4", "--seed", "3", "--quiet"], "tournament.json",
     lambda sc: sc.tournament(["TFT", "AllD", "Random"], turns=30, repetitions=4, seed=3)),
    ("evolve", ["--dynamics", "moran", "--players", "TFT", "AllD", "WSLS", "--runs", "20",
                "--population", "12"], "evolution.json",
     lambda sc: sc.evolve(["TFT", "AllD", "WSLS"], dynamics="moran", runs=20, population=12)),
    ("folk", ["--discount", "0.5", "0.9"], "folk.json", lambda sc: sc.folk([0.5, 0.9])),
    ("sweep", ["--axis", "repeated.discount=0:0.95:7", "--measure", "regime", "--measure",
               "threshold_grim", "--quiet", "--no-plot"], "sweep.json",
     lambda sc: sc.sweep(["repeated.discount=0:0.95:7"], ["regime", "threshold_grim"])),
    ("trust", [], "trust.json", lambda sc: sc.trust()),
    ("formats", [], "formats.json", lambda sc: sc.formats()),
]
SCENARIOS = {"trust": "nato_csto_trust", "formats": "nato_csto_members"}


@pytest.mark.parametrize("command, options, file, api", CASES, ids=[c[0] for c in CASES])
def test_cli_and_api_write_the_same_json(tmp_path, capsys, command, options, file, api):
    name = SCENARIOS.get(command, "nato_csto_2007")
    argv = [command, name, "--set", "parameters.threat=2", *options,
            "--out", str(tmp_path / "cli")]
    assert main(argv) == 0
    capsys.readouterr()
    result = api(sim.load(name, threat=2))
    result.to_json(tmp_path / "api" / file)
    cli = json.loads((tmp_path / "cli" / file).read_text())
    assert _clean(cli) == _clean(json.loads((tmp_path / "api" / file).read_text()))


def test_sweep_in_memory_equals_the_folder_and_opening_it(tmp_path):
    sc = sim.load("nato_csto_2007")
    axes = ["repeated.discount=0:0.95:5", "preferences.relative_gain_weight.NATO=0:1:3"]
    memory = sc.sweep(axes, ["regime", "critical_weight"])
    folder = sc.sweep(axes, ["regime", "critical_weight"], out=tmp_path / "s")
    opened = sim.SweepResult.open(tmp_path / "s")
    for other in (folder, opened):
        assert list(other.columns) == list(memory.columns)
        for k, v in memory.columns.items():
            np.testing.assert_array_equal(v, other.columns[k])
        assert other.to_frame().equals(memory.to_frame())
        assert other.to_xarray().equals(memory.to_xarray())
    ds = memory.to_xarray()
    assert ds["regime"].dims == ("repeated.discount", "preferences.relative_gain_weight.NATO")
    assert ds.sizes == {"repeated.discount": 5, "preferences.relative_gain_weight.NATO": 3}
    assert set(np.unique(ds["regime"].values)) <= set(ds["regime"].attrs["categories"])
    assert json.loads(ds.attrs["provenance"])["scenario"] == "nato_csto_2007"
    frame = memory.to_frame()
    assert str(frame["regime"].dtype) == "category" and len(frame) == 15


def test_scenario_results_share_one_interface(tmp_path):
    sc = sim.load("prisoners_dilemma")
    results = [sc.analyse(), sc.analyse().regime_map(np.linspace(0, 1, 5), [0.2, 0.8]),
               sc.tournament(["TFT", "AllD"]), sc.evolve(), sc.folk(0.9),
               sc.sweep(["repeated.discount=0.1,0.9"]), sim.load("nato_csto_trust").trust(),
               sim.load("nato_csto_members").formats()]
    for k, r in enumerate(results):
        d = r.to_dict()
        json.dumps(sim.outputs.plain(d), allow_nan=True)
        assert len(r.to_frame()) > 0
        assert r._repr_html_().startswith("<table>")
        path = r.to_json(tmp_path / f"{k}.json")
        assert json.loads(path.read_text()) is not None
        with pytest.raises(sim.UserError, match="already exists"):
            r.to_json(path)


def test_every_default_is_defined_once():
    """The library functions' defaults are the tasks' defaults, and --help shows them."""
    import inspect

    from sim import defaults, evolution, tournament
    from sim.workflows.settings import DEFAULTS

    sig = inspect.signature(tournament.tournament).parameters
    assert sig["repetitions"].default == DEFAULTS["tournament"]["repetitions"] \
        == defaults.TOURNAMENT_REPETITIONS
    from sim.sweep import tournament_measures

    for f in (tournament.tournament_batch, tournament_measures.tournaments,
              tournament_measures.tournament_batch):
        assert inspect.signature(f).parameters["repetitions"].default \
            == defaults.TOURNAMENT_REPETITIONS
    assert tournament_measures.OPTIONS["repetitions"].default == defaults.TOURNAMENT_REPETITIONS
    assert sig["turns"].default == DEFAULTS["tournament"]["turns"] == defaults.TOURNAMENT_TURNS
    for f in (evolution.fixation_probability, evolution.moran_two_types,
              evolution.moran_simulation, evolution.fixation_times):
        assert inspect.signature(f).parameters["fitness"].default \
            == DEFAULTS["evolution"]["fitness"] == defaults.MORAN_FITNESS
    with pytest.raises(ValueError, match=r"noise must lie in \[0, 0.5\]"):
        tournament.tournament(["TFT", "AllD"], [[3, 0], [5, 1]], noise=0.6)
    from sim.cli import build_parser

    text = build_parser().commands["tournament"].format_help()
    assert f"default {defaults.TOURNAMENT_REPETITIONS}" in text and "[0, 0.5]" in text
    text = build_parser().commands["evolve"].format_help()
    assert f"default {defaults.MORAN_FITNESS}" in text


def test_every_result_class_has_the_one_interface():
    """Every result dataclass of the library uses the mixin: to_dict, to_frame, _repr_html_,
    to_json; and its dict is JSON once arrays are plain."""
    import dataclasses

    from sim import evolution, games, play, results, spe, spe_bounds, tournament
    from sim.evolution import ode, rest_points

    g = sim.Game.symmetric(T=5, R=3, P=1, S=0)
    M = np.array([[3.0, 0.0], [5.0, 1.0]])
    instances = [
        g, g.types()[0], tournament.tournament(["TFT", "AllD"], g.A, turns=10),
        tournament.tournament_batch(["TFT", "AllD"], np.stack([g.A] * 2), np.stack([g.B] * 2),
                                    turns=10),
        spe.spe_payoff_set(g.A, g.B, 0.8), spe.folk_summary(g.A, g.B, [0.5, 0.9]),
        spe_bounds.spe_bounds(g.A, g.B, 0.8, directions=8),
        evolution.replicator(M, [0.5, 0.5], times=[0, 1]), evolution.rest_points(M),
        evolution.rest_points(M).points[0], evolution.moran_two_types(M, 10),
        evolution.moran_simulation(M, [5, 5], runs=20, record_every=10),
        evolution.generational(M, [5, 5], replace=1, generations=3),
        evolution.cooperation_basin(M, [True, False], samples=20),
        play.exact_match(sim.strategies.TFT(), sim.strategies.AllD(), g.A),
        play.population_game([sim.strategies.TFT(), sim.strategies.AllD()], g.A),
    ]
    kinds = {type(x) for x in instances}
    classes = {c for m in (games, play, spe, spe_bounds, tournament, ode, rest_points,
                           evolution.moran, evolution.moran_simulation, evolution.generational,
                           evolution.measures, evolution.replicator)
               for c in vars(m).values()
               if isinstance(c, type) and c.__module__ == m.__name__
               and (dataclasses.is_dataclass(c) or issubclass(c, results.Record))}
    inputs = {ode.Integration, games.Factor}          # internal state and input data
    assert classes - inputs <= kinds, classes - inputs - kinds
    for x in instances:
        assert isinstance(x, results.Result)
        json.dumps(sim.outputs.plain(x.to_dict()))
        assert len(x.to_frame().columns) >= 2
        assert x._repr_html_().startswith("<table>")


def test_figure_methods_draw_titled_figures():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sim import evolution

    M = np.array([[3.0, 0.0], [5.0, 1.0]])
    sc = sim.load("prisoners_dilemma")
    figures = [evolution.replicator(M, [0.5, 0.5], times=np.linspace(0, 5, 6)).figure(),
               evolution.moran_simulation(M, [5, 5], runs=20, record_every=10).figure(),
               evolution.generational(M, [5, 5], replace=1, generations=3).figure(),
               sc.analyse().figure(), sc.tournament(["TFT", "AllD"]).figure(),
               sc.evolve().figure(), sc.folk(0.9).figure(),
               sc.sweep(["repeated.discount=0:0.9:4"]).figure(),
               sim.load("nato_csto_trust").trust().figure(),
               sim.load("nato_csto_members").formats().figure()]
    for fig in figures:
        assert fig.axes and any(ax.get_title() for ax in fig.axes) or fig._suptitle
        plt.close(fig)
