"""Sweep measures that take strategy names (``players``, ``mutant``, ``resident``) accept the
names a scenario defines under ``[strategies.NAME]``, as tournaments and evolution do, and
refuse any other name in one line that lists the allowed ones."""

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import scenario
from sim.cli import main
from sim.errors import SweepError
from sim.sweep.measures import Batch, parse_measure
from sim.sweep.run import run_sweep
from sim.tournament import tournament

AXIS = "repeated.discount=0.3,0.9"
DEFINED = {"Copycat": {"strategy": "TFT"}, "Forgiving": [1, 1, 0.3, 1, 0.3],
           "Cautious": {"fsm": {"start": "wait", "states": {
               "wait": {"play": "D", "C": "engage", "D": "wait"},
               "engage": {"play": "C", "C": "engage", "D": "wait"}}}}}


@pytest.fixture(scope="module")
def own():
    return scenario.load("nato_csto_2007", [("strategies", DEFINED)])


def _sweep(sc, *measures):
    result = run_sweep(sc, [AXIS], list(measures), executor="inprocess", progress=False)
    return result.to_frame()


def test_a_defined_name_is_its_definition(own):
    """Renaming is invariance: ``Copycat`` (TFT under another name) gives TFT's numbers in
    every strategy measure, under its own name."""
    renamed = _sweep(own, "tournament_winner:players=Copycat+AllD+WSLS",
                     "tournament_cooperation:players=Copycat+AllD+WSLS",
                     "evolved_cooperation:players=Copycat+AllD+AllC",
                     "fixation_probability:mutant=Copycat,resident=AllD")
    library = _sweep(own, "tournament_winner:players=TFT+AllD+WSLS",
                     "tournament_cooperation:players=TFT+AllD+WSLS",
                     "evolved_cooperation:players=TFT+AllD+AllC",
                     "fixation_probability:mutant=TFT,resident=AllD")
    for column in ("tournament_cooperation", "evolved_cooperation", "fixation_probability"):
        np.testing.assert_array_equal(renamed[column], library[column])
    assert list(renamed["tournament_winner"].cat.categories) == ["Copycat", "AllD", "WSLS"]
    np.testing.assert_array_equal(renamed["tournament_winner"].cat.codes,
                                  library["tournament_winner"].cat.codes)


@settings(max_examples=8, deadline=None)
@given(p=st.tuples(*(st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]),) * 5),
       delta=st.sampled_from([0.2, 0.6, 0.95]))
def test_tournament_measures_play_the_definition(p, delta):
    """A memory-one vector defined in the scenario: the measures equal the tournament of that
    vector on the point's utility game (exact play, continuation δ)."""
    sc = scenario.load("nato_csto_2007", [("strategies", {"Mine": list(p)}),
                                          ("repeated.discount", delta)])
    batch = Batch(sc, {}, (1,))
    winner = parse_measure("tournament_winner:players=Mine+TFT+AllD", sc)
    coop = parse_measure("tournament_cooperation:players=Mine+TFT+AllD", sc)
    game = sc.utility_game()
    direct = tournament([list(p), "TFT", "AllD"], game.A, game.B, turns=None,
                        continuation=delta, noise=0.0)
    got = coop.measure.func(batch, [np.random.SeedSequence(0)], players=("Mine", "TFT", "AllD"))
    np.testing.assert_allclose(got, direct.cooperation_rates.mean(), rtol=0, atol=1e-12)
    code = winner.measure.func(batch, [np.random.SeedSequence(0)],
                               players=("Mine", "TFT", "AllD"))
    best = direct.mean_payoffs.max()
    assert direct.mean_payoffs[int(code[0])] >= best - 1e-9 * max(1.0, abs(best))


def test_finite_state_definitions_pass_the_exact_check(own):
    _sweep(own, "evolved_cooperation:players=Cautious+Forgiving+AllD")
    with pytest.raises(SweepError, match="infinite memory"):
        parse_measure("tournament_winner:players=Copycat+Soft Majority,method=exact", own)


def test_an_unknown_name_lists_the_library_and_the_scenarios_names(own):
    with pytest.raises(SweepError) as err:
        parse_measure("tournament_winner:players=TFT+Forgivng", own)
    text = str(err.value)
    assert "\n" not in text
    assert text.startswith("--measure tournament_winner:players=TFT+Forgivng: players = "
                           "Forgivng: unknown strategy (did you mean 'Forgiving'?); allowed: ")
    assert "AllC, AllD" in text and text.endswith(
        "; or the scenario's [strategies]: Copycat, Forgiving, Cautious")
    with pytest.raises(SweepError, match=r"mutant = Copycat: unknown strategy; allowed: .*"
                                         r"\(the scenario defines none under \[strategies\]\)"):
        run_sweep(scenario.load("nato_csto_2007"), [AXIS],
                  ["fixation_probability:mutant=Copycat"], progress=False)


def test_the_command_and_a_sweep_section_take_the_names(tmp_path, capsys):
    path = tmp_path / "own.toml"
    path.write_text('[scenario]\nextends = "nato_csto_2007"\n'
                    '[strategies]\nForgiving = [1, 1, 0.3, 1, 0.3]\n'
                    '[sweep]\naxes = [{ key = "repeated.discount", values = [0.5, 0.9] }]\n'
                    'measures = ["tournament_winner"]\n'
                    '[sweep.options.tournament_winner]\nplayers = ["Forgiving", "AllD"]\n')
    assert main(["validate", str(path)]) == 0
    assert main(["sweep", str(path), "--quiet", "--no-plot", "--out",
                 str(tmp_path / "out")]) == 0
    meta = json.loads((tmp_path / "out" / "sweep.json").read_text())
    assert "Forgiving" in json.dumps(meta)
    bad = tmp_path / "bad.toml"
    bad.write_text(path.read_text().replace('["Forgiving", "AllD"]', '["Forgiven", "AllD"]'))
    capsys.readouterr()
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "bad.toml: sweep.measures tournament_winner: players = " \
        "Forgiven: unknown strategy (did you mean 'Forgiving'?)" in err
