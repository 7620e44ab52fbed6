"""The 15 wrong or unclear messages of issue #15, each fixed, and the one validation path:
``validate``, ``run`` and every subcommand check a scenario with the same code, every section
included, in blocsim's words (file, key, value, what is allowed)."""

from __future__ import annotations

import pytest

from sim.cli import main
from sim.scenario import builtin_dir

BASE = (builtin_dir() / "prisoners_dilemma.toml").read_text()


def cli(capsys, *args) -> tuple[int, str]:
    code = main([str(a) for a in args])
    err = capsys.readouterr().err
    return code, err


def one_line(capsys, *args) -> str:
    code, err = cli(capsys, *args)
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("blocsim: error: "), err
    assert "Input should" not in err and "pydantic" not in err and "Traceback" not in err
    return lines[0]


@pytest.fixture
def scenario_file(tmp_path):
    def write(extra: str, name="s.toml", prefix=""):
        path = tmp_path / name
        path.write_bytes(prefix.encode() + (BASE + "\n" + extra + "\n").encode())
        return path
    return write


def test_plot_does_not_wrap_its_own_errors(capsys, tmp_path):
    (tmp_path / "empty").mkdir()
    line = one_line(capsys, "plot", tmp_path / "empty")
    assert "UserError" not in line and "SweepError" not in line
    assert str(tmp_path / "empty") in line


def test_an_out_of_range_axis_blames_the_axis(capsys, tmp_path):
    line = one_line(capsys, "sweep", "--axis", "repeated.discount=0:2:5", "--out", tmp_path)
    assert "--set" not in line
    assert "--axis repeated.discount=0:2:5" in line and "= 2.0" in line and "[0, 1)" in line


def test_an_out_of_range_axis_in_a_file_names_the_file(capsys, scenario_file, tmp_path):
    path = scenario_file('[sweep]\naxes = [{ key = "repeated.discount", values = "0:2:5" }]')
    line = one_line(capsys, "sweep", path, "--out", tmp_path / "o")
    assert str(path) in line and "sweep.axes[0]" in line and "2.0" in line and "allowed" in line


@pytest.mark.parametrize("section", [
    '[sweep]\naxes = [{ key = "repeated.discount", values = "0:2:5" }]',
    '[sweep]\naxes = [{ key = "repeated.discont", values = "0:1:5" }]',
    '[sweep]\nmeasures = ["regme"]',
    '[sweep]\nmeasures = ["simulated_cooperation"]\n'
    '[sweep.options.simulated_cooperation]\nrepetitions = 0',
    '[sweep]\nseed = -1',
    '[sweep]\nexecutor = "gpu"',
    '[tournament]\nturns = -3',
    '[evolution]\npopulation = 1',
    '[folk]\ndiscount = [1.5]',
])
@pytest.mark.parametrize("command", ["validate", "run", "tournament", "evolve", "folk", "sweep"])
def test_every_command_checks_every_section_alike(command, section, capsys, scenario_file,
                                                  tmp_path):
    path = scenario_file(section)
    args = [command, path] + ([] if command == "validate" else ["--out", tmp_path / "o"])
    line = one_line(capsys, *args)
    assert str(path) in line and "allowed" in line
    assert line == one_line(capsys, "validate", path)       # the same words everywhere


def test_sweep_section_errors_are_in_blocsim_words(capsys, scenario_file):
    path = scenario_file('[sweep]\naxes = [{ key = "repeated.discount", values = 5 }]')
    line = one_line(capsys, "validate", path)
    assert "sweep.axes[0].values = 5" in line and "allowed: start:stop:num" in line
    assert ".str" not in line


def test_a_resume_with_other_axes_shows_how_they_differ(capsys, tmp_path):
    assert main(["sweep", "--axis", "repeated.discount=0:0.9:40", "--out", str(tmp_path),
                 "--no-plot"]) == 0
    capsys.readouterr()
    line = one_line(capsys, "sweep", "--axis", "repeated.discount=0:0.9:50", "--out", tmp_path,
                    "--resume", "--no-plot")
    stored, given = line.split("stored ")[1].split(", given ")
    assert "40 values" in stored and "50 values" in given.split(";")[0]


@pytest.mark.parametrize("command", ["run", "tournament", "evolve", "folk", "sweep"])
def test_an_empty_out_is_refused(command, capsys):
    extra = ["--axis", "repeated.discount=0:0.9:3"] if command == "sweep" else []
    line = one_line(capsys, command, *extra, "--out", "")
    assert "--out ''" in line and "allowed" in line


def test_resume_and_force_together_are_refused(capsys, tmp_path):
    line = one_line(capsys, "sweep", "--axis", "repeated.discount=0:0.9:3", "--out", tmp_path,
                    "--resume", "--force")
    assert "--resume --force" in line and "allowed: one of them" in line


@pytest.mark.parametrize("command", ["tournament", "evolve", "sweep"])
def test_a_negative_seed_is_refused_by_every_command(command, capsys, tmp_path):
    extra = ["--axis", "repeated.discount=0:0.9:3"] if command == "sweep" else []
    line = one_line(capsys, command, *extra, "--seed", "-1", "--out", tmp_path)
    assert "--seed" in line and "'-1'" in line and "allowed: a whole number >= 0" in line


def test_a_byte_order_mark_is_accepted(capsys, scenario_file):
    path = scenario_file("", prefix="\ufeff")
    code, err = cli(capsys, "validate", path)
    assert code == 0, err


@pytest.mark.parametrize("section, allowed", [
    ("[tournament]\nturns = -3", "a whole number from 1 to 1_000_000_000"),
    ("[tournament]\nrepetitions = 0", "a whole number from 1 to 1_000_000_000"),
    ("[tournament]\nseed = -1", "a whole number >= 0"),
    ("[evolution]\npopulation = 1", "a whole number from 2 to 1_000_000"),
    ("[evolution]\nintensity = -1.0", "a number in [0, 1000]"),
    ("[sweep]\nworkers = 0", "a whole number >= 1"),
])
def test_allowed_says_the_range(section, allowed, capsys, scenario_file):
    assert f"allowed: {allowed}" in one_line(capsys, "validate", scenario_file(section))


def test_the_account_does_not_contradict_the_thresholds(capsys, tmp_path):
    assert main(["run", "nato_csto_2007", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "CSTO any δ" in out
    assert "even at weight 0 for CSTO" not in out
    assert "CSTO would sustain (C,C) at this δ, but NATO does not" in out


@pytest.mark.parametrize("section", ["tournament", "evolution"])
@pytest.mark.parametrize("players, key, problem", [
    ("[[2.0, 0.5]]", "players[0] = [2.0, 0.5]", "out of range at [0] = 2.0"),
    ("[[0.5, 0.5, 0.5, 1.5, 0.5]]", "players[0] = [0.5, 0.5, 0.5, 1.5, 0.5]",
     "out of range at [3] = 1.5"),
    ('["TFT", [0.5, 0.5, 0.5, 0.5, "x"]]', "players[1] = [0.5, 0.5, 0.5, 0.5, 'x']",
     "wrong type (a string) at [4] = 'x'"),
    ("[3]", "players[0] = 3", "wrong type (a whole number)"),
])
def test_a_bad_vector_strategy_says_what_a_strategy_may_be(section, players, key, problem,
                                                           capsys, scenario_file):
    # found by the fuzz harness: "players[0] = [2.0, 0.5]: wrong type (an array); allowed: a
    # value of the type the schema gives" (the error of the union's string member)
    path = scenario_file(f"[{section}]\nplayers = {players}")
    line = one_line(capsys, "validate", path)
    assert f"{path}: {section}.{key}: {problem}; allowed: a library strategy's name" in line
    assert "memory-one vector [p0, pCC, pCD, pDC, pDD] of probabilities in [0, 1]" in line
    assert "wrong type (an array)" not in line and "schema" not in line


def test_a_bad_strategy_definition_or_axis_list_names_the_bad_item(capsys, scenario_file):
    line = one_line(capsys, "validate", scenario_file("[strategies]\nfoo = [2, 0, 0, 0, 0]"))
    assert "strategies.foo = [2, 0, 0, 0, 0]: out of range at [0] = 2; allowed: a " \
           "memory-one vector" in line
    line = one_line(capsys, "validate", scenario_file(
        '[sweep]\naxes = [{ key = "repeated.discount", values = [0.5, "a"] }]'))
    assert "sweep.axes[0].values = [0.5, 'a']: wrong type (a string) at [1] = 'a'; " \
           "allowed: start:stop:num" in line
