"""``[strategies.NAME]``: strategies defined as data in a scenario, used by name everywhere the
scenario's entrants are named; bad definitions and bad section entrants are one line at load."""

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim import scenario
from sim.cli import main
from sim.errors import UserError

CAUTIOUS = {"fsm": {"start": "wait", "states": {"wait": {"play": "D", "C": "engage", "D": "wait"},
                                                "engage": {"play": "C", "C": "engage",
                                                           "D": "wait"}}}}


def with_strategies(strategies, **sections):
    raw = copy.deepcopy(scenario.read("nato_csto_2007")[1])
    raw["strategies"] = strategies
    raw.update(sections)
    return scenario.from_dict(raw, "my.toml")


def payoffs(run):
    return [round(p, 12) for p in run["mean_payoffs"]]


def test_a_defined_name_plays_as_its_definition_inline():
    sc = with_strategies({"Cautious": CAUTIOUS})
    by_name = sc.tournament(["TFT", "AllD", "Cautious"], turns=50)
    inline = sc.tournament(["TFT", "AllD", {"name": "Cautious", **CAUTIOUS}], turns=50)
    assert by_name["players"] == inline["players"] == ["TFT", "AllD", "Cautious"]
    assert payoffs(by_name) == payoffs(inline)


def _library_with_parameters():
    from sim.strategies import registry

    return sorted(name for name, cls in registry().items()
                  if cls.parameter_names() and not cls.__dict__.get("family", False))


@pytest.mark.parametrize("library", _library_with_parameters())
def test_a_library_strategy_with_parameters_shows_its_given_name(library, tmp_path):
    """``[strategies.NAME]`` and a named ``players`` table of a library strategy with
    parameters (GTFT's generosity, Random's p, ...) play as that strategy and show the given
    name in the tournament's players, table, frame and figures, and in evolution's shares."""
    from sim.strategies import lookup, strategy_from_data

    params = {k: v for k, v in lookup(library)().parameters().items() if v is not None}
    raw = copy.deepcopy(scenario.read("prisoners_dilemma")[1])     # every default is valid
    raw["strategies"] = {"Mine": {"strategy": library, **params}}
    raw["tournament"] = {"players": ["TFT", "Mine", {"strategy": library, "name": "Inline",
                                                     **params}], "turns": 20}
    sc = scenario.from_dict(raw, "my.toml")
    run = sc.tournament()
    assert run["players"] == ["TFT", "Mine", "Inline"]
    assert payoffs(run)[1] == payoffs(run)[2]
    assert list(run.to_frame()["strategy"]) == run["ranking"] and "Mine" in run["ranking"]
    labels = [t.get_text() for fig in run.figures().values()
              for ax in fig.axes for t in ax.get_yticklabels()]
    assert "Mine" in labels and "Inline" in labels
    assert set(sc.evolve(["AllD", "Mine"])["final_shares"]["population"]) == {"AllD", "Mine"}
    named = strategy_from_data({"strategy": library, "name": "Mine", **params})
    assert named == lookup(library)(**params) and named.label == "Mine"
    assert strategy_from_data(named.to_dict()).label == "Mine"           # round trip
    assert lookup(library)(**params).label.startswith(lookup(library).name)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]), min_size=5, max_size=5))
def test_a_defined_vector_is_the_memory_one_strategy(vector):
    """Generated vectors: a named [strategies] vector, the same vector inline, and the table
    form give the same exact tournament (against TFT and AllD)."""
    sc = with_strategies({"Mine": vector})
    named = sc.tournament(["Mine", "TFT", "AllD"], turns=20)
    inline = sc.tournament([{"name": "Mine", "memory_one": vector}, "TFT", "AllD"], turns=20)
    assert payoffs(named) == payoffs(inline)


def test_section_players_and_evolution_use_the_definitions():
    sc = with_strategies({"Cautious": CAUTIOUS, "Forgiving": [1, 1, 0.3, 1, 0.3]},
                         tournament={"players": ["TFT", "Cautious", "Forgiving"], "turns": 30},
                         evolution={"players": ["AllD", "Forgiving"]})
    assert sc.tournament()["players"] == ["TFT", "Cautious", "Forgiving"]
    assert set(sc.evolve()["final_shares"]["NATO"]) == {"AllD", "Forgiving"}


def test_the_command_line_names_a_defined_strategy(tmp_path, capsys):
    path = tmp_path / "mine.toml"
    path.write_text('[scenario]\nextends = "nato_csto_2007"\n\n[strategies]\n'
                    "Forgiving = [1, 1, 0.3, 1, 0.3]\n")
    assert main(["tournament", str(path), "--players", "TFT", "Forgiving", "AllD", "--turns",
                 "20", "--quiet", "--out", str(tmp_path / "t")]) == 0
    assert "Forgiving" in capsys.readouterr().out
    assert main(["evolve", str(path), "--players", "AllD", "Forgiving",
                 "--out", str(tmp_path / "e")]) == 0
    assert "strategies AllD, Forgiving (" in capsys.readouterr().out


BAD = [
    ({"Mine": [1, 1, 0.2, 2, 0.2]}, {}, "strategies.Mine"),
    ({"Mine": {"memory_one": [1, 1, 0.2, 2, 0.2]}}, {}, "must lie in [0, 1]"),
    ({"Mine": {"fsm": {"start": "a", "states": {"a": {"play": "C", "C": "a", "D": "b"}}}}}, {},
     "strategies.Mine"),
    ({"TFT": [1, 1, 0, 1, 0]}, {}, "is the name of a library strategy"),
    ({"tit for tat": [1, 1, 0, 1, 0]}, {}, "is the name of a library strategy"),
    ({"Mine": "TFT"}, {}, "wrong type (a string)"),
    ({"Mine": {"strategy": "GTFT", "generosity": 0.2, "colour": 1}}, {}, "strategies.Mine"),
    ({}, {"evolution": {"players": ["AllD", "Nobody"]}}, "evolution.players[1]"),
    ({}, {"tournament": {"strategies": [{"memory_one": [1, 1]}]}}, "tournament.strategies[0]"),
]


@pytest.mark.parametrize("strategies, sections, part", BAD)
def test_a_bad_definition_is_one_line_at_load(strategies, sections, part):
    with pytest.raises(UserError) as e:
        with_strategies(strategies, **sections)
    message = str(e.value)
    assert message.startswith("my.toml: ") and "\n" not in message and part in message
    assert "allowed:" in message


def test_validate_reports_a_bad_entrant(tmp_path, capsys):
    path = tmp_path / "bad.toml"
    path.write_text('[scenario]\nextends = "nato_csto_2007"\n\n[evolution]\n'
                    'players = ["AllD", { memory_one = [1, 1, 0.2, 2, 0.2] }]\n')
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"blocsim: error: {path}: evolution.players[1]") and "\n" not in err


VALUES = st.recursive(st.none() | st.booleans() | st.integers(-3, 3) | st.floats(-2, 2)
                      | st.sampled_from(["C", "D", "a", "TFT", "CC", ""]),
                      lambda inner: st.lists(inner, max_size=6)
                      | st.dictionaries(st.sampled_from(["fsm", "start", "states", "play", "C",
                                                         "D", "memory_one", "strategy", "name",
                                                         "mealy", "a"]), inner, max_size=4),
                      max_leaves=12)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.dictionaries(st.text(min_size=1, max_size=8), VALUES, max_size=3))
def test_fuzz_strategies_section(strategies):
    """Any [strategies] table either loads, with every definition buildable, or is one
    line naming the file."""
    try:
        sc = with_strategies(strategies)
    except UserError as e:
        assert str(e).startswith("my.toml") and "\n" not in str(e)
        return
    from sim.scenario.strategies import resolve
    from sim.strategies import strategy_from_data

    for s in resolve(sc, list(strategies)):
        strategy_from_data(s)
