"""Bad input never crashes: each mistake gives exit code 2 and ONE line on stderr naming the file
(or --set / --out), the key, the offending value and what is allowed — never a traceback.

Every test runs the real command-line entry point ``sim.cli.main``.
"""

import json

import pytest

from sim.cli import main
from sim.scenario import builtin_names

PD = """\
[scenario]
name = "pd"
title = "A Prisoner's Dilemma"

[players]
row = "Row"
column = "Column"

[payoffs]
T = 5
R = 3
P = 1
S = 0

[preferences]
relative_gain_weight = { Row = 0.0, Column = 0.0 }

[repeated]
discount = 0.9
"""

FACTORS = """\
[scenario]
name = "fac"

[players]
row = "NATO"
column = "CSTO"

[[factors]]
name = "synergy"
theory = "liberal"
scale = "threat"
CC = [3.0, 3.0]

[[factors]]
name = "unilateral_effort"
theory = "liberal"
DC = [1.5, -0.75]
CD = [-0.75, 1.5]

[parameters]
threat = 1.0

[preferences]
relative_gain_weight = { NATO = 0.5, CSTO = 0.5 }
"""


def error_line(capsys, argv) -> str:
    """Run the CLI; assert exit 2, exactly one line on stderr, no traceback; return the line."""
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert code == 2, (code, out, err)
    assert "Traceback" not in err and "Traceback" not in out
    assert err.endswith("\n") and err.count("\n") == 1 and len(err.splitlines()) == 1, err
    assert err.startswith("blocsim: error: ")
    return err


def assert_names(line: str, *parts: str) -> None:
    """Every part (file, key, value, allowed values) appears in the line, and 'allowed:'."""
    assert "allowed:" in line, line
    for part in parts:
        assert part in line, (part, line)


@pytest.fixture
def write(tmp_path):
    def write(text, name="scenario.toml", mode="w"):
        path = tmp_path / name
        if mode == "wb":
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path
    return write


def validate(capsys, path) -> str:
    return error_line(capsys, ["validate", path])


# --------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------

def test_missing_file(capsys, tmp_path):
    path = tmp_path / "nowhere.toml"
    line = validate(capsys, path)
    assert_names(line, str(path), "not found", ".toml file", "nato_csto_2007")


def test_missing_file_on_run(capsys, tmp_path):
    path = tmp_path / "nowhere.toml"
    line = error_line(capsys, ["run", path, "--out", tmp_path / "out"])
    assert_names(line, str(path), "not found")
    assert not (tmp_path / "out").exists()


def test_unknown_builtin_name_suggests_closest(capsys):
    line = validate(capsys, "nato_csto_2008")
    assert_names(line, "nato_csto_2008", "did you mean 'nato_csto_2007'?", "built-in")


def test_directory_given_as_scenario(capsys, tmp_path):
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    line = validate(capsys, folder)
    assert_names(line, str(folder), "is a directory", ".toml file")


def test_non_utf8_file(capsys, write):
    path = write(PD.encode() + b"# caf\xe9\n", mode="wb")
    line = validate(capsys, path)
    assert_names(line, str(path), f"line {PD.count(chr(10)) + 1}", "\\xe9", "not UTF-8",
                 "UTF-8 encoded")


# --------------------------------------------------------------------------------------------
# Keys and types
# --------------------------------------------------------------------------------------------


def test_unknown_key_in_per_player_payoffs(capsys, write):
    text = PD.replace("T = 5\nR = 3\nP = 1\nS = 0\n",
                      "Row = { T = 5, R = 3, P = 1, S = 0 }\n"
                      "Column = { T = 5, R = 3, P = 1, Q = 0 }\n")
    path = write(text)
    line = validate(capsys, path)
    assert_names(line, str(path), "payoffs.Column.Q", "= 0", "unknown key", "T, R, P, S")


@pytest.mark.parametrize("text, shown", [("nan", "nan"), ("inf", "inf"), ("-inf", "-inf")])
def test_nan_and_inf(capsys, write, text, shown):
    path = write(PD.replace("T = 5", f"T = {text}"))
    line = validate(capsys, path)
    assert_names(line, str(path), "payoffs.T", f"= {shown}", "not a finite number",
                 "finite number in [-1e+12, 1e+12]")


def test_huge_integer_is_shortened(capsys, write):
    path = write(PD.replace("T = 5", "T = 1" + "0" * 500))
    line = validate(capsys, path)
    assert_names(line, str(path), "payoffs.T", "501-digit integer", "out of range")
    assert len(line) < 400


# --------------------------------------------------------------------------------------------
# Ranges
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["1.5", "-0.1"])
def test_relative_gain_weight_outside_unit_interval(capsys, write, value):
    path = write(PD.replace("Row = 0.0", f"Row = {value}"))
    line = validate(capsys, path)
    assert_names(line, str(path), "preferences.relative_gain_weight.Row", f"= {value}",
                 "out of range", "a number in [0, 1]")


@pytest.mark.parametrize("value", ["1.0", "1", "-0.1", "7"])
def test_discount_outside_half_open_interval(capsys, write, value):
    path = write(PD.replace("discount = 0.9", f"discount = {value}"))
    line = validate(capsys, path)
    assert_names(line, str(path), "repeated.discount", f"= {value}", "out of range",
                 "a number in [0, 1)")


# --------------------------------------------------------------------------------------------
# Structure
# --------------------------------------------------------------------------------------------

def test_both_payoffs_and_factors(capsys, write):
    factor = '\n[[factors]]\nname = "x"\ntheory = "liberal"\nCC = [1, 1]\n'
    path = write(PD + factor)
    line = validate(capsys, path)
    assert_names(line, str(path), "[payoffs]", "[[factors]]", "both given", "exactly one")


def test_empty_factors_list(capsys, write):
    text = PD.replace("[payoffs]\nT = 5\nR = 3\nP = 1\nS = 0\n", "")
    path = write("factors = []\n" + text)
    line = validate(capsys, path)
    assert_names(line, str(path), "factors = []", "empty", "at least one [[factors]]")


def test_wrong_matrix_shape(capsys, write):
    text = PD.replace("T = 5\nR = 3\nP = 1\nS = 0\n",
                      "row = [[3, 0, 1], [5, 1, 2]]\ncolumn = [[3, 5], [0, 1]]\n")
    path = write(text)
    line = validate(capsys, path)
    assert_names(line, str(path), "payoffs.row[0]", "[3, 0, 1]", "wrong length", "2x2 matrix")


def test_matrix_with_one_row(capsys, write):
    text = PD.replace("T = 5\nR = 3\nP = 1\nS = 0\n",
                      "row = [[3, 0]]\ncolumn = [[3, 5], [0, 1]]\n")
    path = write(text)
    line = validate(capsys, path)
    assert_names(line, str(path), "payoffs.row", "[[3, 0]]", "wrong length", "2x2 matrix")


def test_per_player_payoffs_missing_one_player(capsys, write):
    text = PD.replace("T = 5\nR = 3\nP = 1\nS = 0\n", "Row = { T = 5, R = 3, P = 1, S = 0 }\n")
    path = write(text)
    line = validate(capsys, path)
    assert_names(line, str(path), "payoffs.Column", "missing", "T, R, P, S", "Row, Column")


# --------------------------------------------------------------------------------------------
# extends
# --------------------------------------------------------------------------------------------


def test_extends_itself(capsys, write):
    path = write('[scenario]\nextends = "self.toml"\n', name="self.toml")
    line = validate(capsys, path)
    assert_names(line, str(path), "scenario.extends", "'self.toml'", "circular",
                 "does not extend this one")


def test_extends_cycle_through_another_file(capsys, write):
    write('[scenario]\nextends = "./b.toml"\n', name="a.toml")
    path = write('[scenario]\nextends = "a.toml"\n', name="b.toml")
    line = validate(capsys, path)
    assert_names(line, "scenario.extends", "circular")


def test_error_in_extended_file_names_that_file(capsys, write):
    base = write(PD.replace("discount = 0.9", "discount = 2"), name="base.toml")
    path = write('[scenario]\nextends = "base.toml"\nname = "child"\n', name="child.toml")
    line = validate(capsys, path)
    assert_names(line, str(path), "repeated.discount", "= 2", "[0, 1)")
    line = validate(capsys, base)
    assert_names(line, str(base))


# --------------------------------------------------------------------------------------------
# --set
# --------------------------------------------------------------------------------------------

def run_set(capsys, tmp_path, *items) -> str:
    argv = ["run", "nato_csto_2007", "--out", tmp_path / "out"]
    for item in items:
        argv += ["--set", item]
    line = error_line(capsys, argv)
    assert not (tmp_path / "out").exists()
    return line


def test_set_parameter_on_scenario_without_parameters(capsys, tmp_path):
    line = error_line(capsys, ["run", "prisoners_dilemma", "--out", tmp_path / "out",
                               "--set", "parameters.threat=2"])
    assert_names(line, "--set parameters.threat=2", "unknown parameter", "no [parameters]")


def test_file_error_takes_precedence_over_set(capsys, write, tmp_path):
    path = write(PD.replace("discount = 0.9", "discount = 1.0"))
    line = error_line(capsys, ["run", path, "--set", "repeated.discount=0.5",
                               "--out", tmp_path / "out"])
    assert_names(line, str(path), "repeated.discount = 1.0")


# --------------------------------------------------------------------------------------------
# --out
# --------------------------------------------------------------------------------------------

def test_out_under_a_regular_file(capsys, tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    out = blocker / "results"
    line = error_line(capsys, ["run", "chicken", "--out", out])
    assert_names(line, f"--out {out}", "cannot create directory", "writable directory")


def test_out_is_a_file(capsys, tmp_path):
    out = tmp_path / "file.txt"
    out.write_text("keep")
    line = error_line(capsys, ["run", "chicken", "--out", out, "--force"])
    assert_names(line, f"--out {out}", "not a directory", "writable directory")
    assert out.read_text() == "keep"


def test_existing_results_not_overwritten_without_force(capsys, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "summary.json").write_text('{"keep": true}')
    line = error_line(capsys, ["run", "chicken", "--out", out])
    assert_names(line, f"--out {out}", "summary.json", "already exists", "--force")
    assert json.loads((out / "summary.json").read_text()) == {"keep": True}
    assert sorted(p.name for p in out.iterdir()) == ["summary.json"]


def test_existing_result_that_is_a_directory(capsys, tmp_path):
    out = tmp_path / "out"
    (out / "region_map.png").mkdir(parents=True)
    line = error_line(capsys, ["run", "chicken", "--out", out, "--force"])
    assert_names(line, f"--out {out}", "region_map.png", "is a directory")


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------

def test_unknown_option(capsys):
    line = error_line(capsys, ["run", "--sett", "x=1"])
    assert_names(line, "--sett", "blocsim run --help")


def test_unknown_command(capsys):
    line = error_line(capsys, ["frobnicate"])
    assert_names(line, "'frobnicate'", "run", "list", "validate")


# --------------------------------------------------------------------------------------------
# Valid overrides work
# --------------------------------------------------------------------------------------------

def test_valid_overrides_change_the_summary(capsys, tmp_path):
    code = main(["run", "--json", "--out", str(tmp_path / "out"),
                 "--set", "repeated.discount=0.95",
                 "--set", "preferences.relative_gain_weight.NATO=0.3",
                 "--set", "parameters.threat=2"])
    out, err = capsys.readouterr()
    assert code == 0, err
    summary = json.loads(out)
    assert summary["discount"] == 0.95
    assert summary["weights"] == {"NATO": 0.3, "CSTO": 0.5}
    assert summary["provenance"]["parameters"]["parameters"]["threat"] == 2
    assert summary["provenance"]["overrides"] == {
        "repeated.discount": 0.95, "preferences.relative_gain_weight.NATO": 0.3,
        "parameters.threat": 2}
    expected = sum(f["values"].get("CC", [0, 0])[0] * (2 if f["scale"] == "threat" else 1)
                   for f in summary["factors"])
    assert summary["material"]["outcomes"]["CC"][0] == pytest.approx(expected)


def test_valid_overrides_through_load():
    from sim import scenario

    base = scenario.load("nato_csto_2007")
    sc = scenario.load("nato_csto_2007", ["parameters.threat=2", "repeated.noise=0.1",
                                          "factors.0.CC=[-1, 2]", "players.row=USA",
                                          "preferences.relative_gain_weight={USA=0.2, CSTO=0.4}"])
    assert sc.model.parameters["threat"] == 2 and sc.model.repeated.noise == 0.1
    assert sc.players == ("USA", "CSTO") and sc.weights() == (0.2, 0.4)
    assert sc.model.factors[0].CC == [-1, 2]
    A0, B0, *_ = base.inputs()
    A1, B1, *_ = sc.inputs()
    assert (A1 != A0).any() and (B1 != B0).any()


@pytest.mark.parametrize("name", builtin_names())
def test_every_builtin_validates(capsys, name):
    assert main(["validate", name]) == 0
    out, err = capsys.readouterr()
    assert err == "" and f"valid scenario '{name}'" in out


def test_error_after_several_sets_names_the_one_concerned(capsys, tmp_path):
    line = run_set(capsys, tmp_path, "repeated.noise=0.1", "repeated.discount=2",
                   "parameters.threat=3")
    assert line.startswith("blocsim: error: --set repeated.discount=2: ")
    assert "noise" not in line and "threat" not in line
    assert_names(line, "out of range", "[0, 1)")


# --------------------------------------------------------------------------------------------
# The tables: one bad scenario file (or one --set) per row, and the parts its error line names
# --------------------------------------------------------------------------------------------

BAD_FILES = [
    pytest.param(PD.replace("[players]", "[players"),
                 ("line 5", "'[players'", "not valid TOML", "TOML syntax"),
                 id='bad_toml'),
    pytest.param(PD + "\n[repeated]\nnoise = 0.1\n",
                 ("'[repeated]'", "not valid TOML"),
                 id='duplicate_table_is_bad_toml'),
    pytest.param(PD.replace("discount = 0.9", "discunt = 0.9"),
                 ("repeated.discunt", "0.9", "unknown key", "did you mean 'discount'?",
                  "discount, noise"),
                 id='unknown_key_did_you_mean'),
    pytest.param(PD.replace("[repeated]", "[repaeted]"),
                 ("repaeted", "did you mean 'repeated'?", "preferences"),
                 id='unknown_table_did_you_mean'),
    pytest.param(PD.replace("discount = 0.9", 'discount = "high"'),
                 ("repeated.discount", "'high'", "wrong type", "a number in [0, 1)"),
                 id='string_where_number_expected'),
    pytest.param(PD.replace("T = 5", 'T = "5"'),
                 ("payoffs.T", "'5'", "wrong type", "finite number"),
                 id='string_payoff'),
    pytest.param(PD.replace("Row = 0.0", "Row = true"),
                 ("preferences.relative_gain_weight.Row", "true", "wrong type",
                  "a number in [0, 1]"),
                 id='bool_where_number_expected'),
    pytest.param(PD.replace("discount = 0.9", "discount = nan"),
                 ("repeated.discount", "nan", "a number in [0, 1)"),
                 id='nan_discount'),
    pytest.param(PD.replace("S = 0", "S = -1e300"),
                 ("payoffs.S", "-1e+300", "out of range", "[-1e+12, 1e+12]"),
                 id='huge_number'),
    pytest.param(PD.replace("relative_gain_weight = { Row = 0.0, Column = 0.0 }",
                            "grieco_k = { Row = -1, Column = 0.5 }"),
                 ("preferences.grieco_k.Row", "= -1", "out of range", "a number in [0, "),
                 id='grieco_k_negative'),
    pytest.param(PD.replace("Column = 0.0 }", "Column = 0.0 }\nactors = { Row = 1 }"),
                 ("preferences.actors.Row", "= 1", "whole number in [2, "),
                 id='actors_below_two'),
    pytest.param(PD.replace("Column = 0.0 }", "Column = 0.0 }\nactors = { Row = 2.5 }"),
                 ("preferences.actors.Row", "2.5", "whole number"),
                 id='actors_not_whole'),
    pytest.param(PD.replace("[payoffs]\nT = 5\nR = 3\nP = 1\nS = 0\n", ""),
                 ("[payoffs]", "[[factors]]", "neither given", "exactly one"),
                 id='neither_payoffs_nor_factors'),
    pytest.param(FACTORS.replace('scale = "threat"', 'scale = "thret"'),
                 ("factors[0].scale", "'thret'", "no such parameter", "did you mean 'threat'?",
                  "allowed: threat"),
                 id='factor_scale_names_unknown_parameter'),
    pytest.param(FACTORS.replace('theory = "liberal"\nDC', 'theory = "marxist"\nDC'),
                 ("factors[1].theory", "'marxist'", "'liberal' or 'realist'"),
                 id='theory_not_liberal_or_realist'),
    pytest.param(FACTORS.replace("CC = [3.0, 3.0]\n", ""),
                 ("factors[0]", "'synergy'", "no outcome", "CC, CD, DC, DD"),
                 id='factor_without_outcome'),
    pytest.param(FACTORS.replace("CC = [3.0, 3.0]", "CC = [3.0]"),
                 ("factors[0].CC", "[3.0]", "wrong length", "a pair"),
                 id='factor_pair_wrong_length'),
    pytest.param(PD.replace("S = 0\n", ""),
                 ("payoffs.S", "missing", "all of T, R, P, S"),
                 id='symmetric_payoffs_missing_letter'),
    pytest.param(PD.replace('column = "Column"', 'column = "Row"'),
                 ("players.column", "'Row'", "same name", "two different player names"),
                 id='players_with_equal_names'),
    pytest.param(PD.replace('row = "Row"', 'row = "N.A.T.O"'),
                 ("players.row", "'N.A.T.O'", "without '.'"),
                 id='player_name_with_dot'),
    pytest.param(PD.replace("Column = 0.0", "Colum = 0.0"),
                 ("preferences.relative_gain_weight.Colum", "= 0.0", "unknown player",
                  "did you mean 'Column'?", "allowed: Row, Column"),
                 id='unknown_player_in_preferences'),
    pytest.param(PD.replace("Column = 0.0 }", "Column = 0.0 }\ngrieco_k = { Row = 1 }"),
                 ("preferences", "relative_gain_weight and grieco_k", "one of them"),
                 id='weight_and_grieco_k_both'),
    pytest.param(PD.replace("[repeated]\ndiscount = 0.9", "[repeated.discount]\nx = 1"),
                 ("repeated.discount", "{x = 1}", "wrong type (a table)", "[0, 1)"),
                 id='table_where_value_expected'),
    pytest.param(PD.replace("[repeated]\ndiscount = 0.9\n", "") .replace(
        "[scenario]", "repeated = 0.9\n[scenario]"),
                 ("repeated = 0.9", "wrong type", "a table with keys discount"),
                 id='value_where_table_expected'),
    pytest.param('[scenario]\nextends = "nato_csto_2070"\n',
                 ("scenario.extends", "'nato_csto_2070'", "did you mean 'nato_csto_2007'?",
                  "a built-in scenario name or a path"),
                 id='extends_missing_scenario'),
    pytest.param('[scenario]\nextends = "base.toml"\n',
                 ("scenario.extends", "'base.toml'", "not found", "relative to"),
                 id='extends_missing_file'),
    pytest.param("[scenario]\nextends = 3\n",
                 ("scenario.extends", "= 3", "a built-in scenario name"),
                 id='extends_not_a_string'),
    pytest.param(PD.replace("discount = 0.9", '"dis\\ncount\\u2028" = 0.9'),
                 ("unknown key", "discount"),
                 id='control_characters_in_a_key_stay_on_one_line'),
]


@pytest.mark.parametrize("text, parts", BAD_FILES)
def test_bad_file_is_one_line_naming_file_key_value_allowed(capsys, write, text, parts):
    path = write(text)
    line = validate(capsys, path)
    assert_names(line, str(path), *parts)


BAD_SETS = [
    pytest.param("repeated.discunt=0.9",
                 ("--set repeated.discunt=0.9", "unknown key", "did you mean 'discount'?",
                  "discount, noise"),
                 id='set_unknown_key_did_you_mean'),
    pytest.param("repeat.discount=0.9",
                 ("--set repeat.discount=0.9", "unknown key", "did you mean 'repeated'?"),
                 id='set_unknown_table'),
    pytest.param("parameters.thret=2",
                 ("--set parameters.thret=2", "unknown parameter", "did you mean 'threat'?",
                  "allowed: threat"),
                 id='set_unknown_parameter'),
    pytest.param("parameters={threat = 2, thrust = 1}",
                 ("--set parameters=", "parameters.thrust", "unknown parameter"),
                 id='set_parameters_table_cannot_add_parameters'),
    pytest.param("repeated.discount",
                 ("--set", "repeated.discount", "expected KEY=VALUE", "repeated.discount=0.95"),
                 id='set_without_equals'),
    pytest.param("repeated..discount=0.9",
                 ("--set repeated..discount=0.9", "empty part", "dotted KEY"),
                 id='set_empty_key_part'),
    pytest.param("repeated.discount.x=1",
                 ("--set repeated.discount.x=1", "repeated.discount = 0.9", "not a table",
                  "ends at a value"),
                 id='set_parent_not_a_table'),
    pytest.param("factors.99.CC=[1, 1]",
                 ("--set factors.99.CC=[1, 1]", "factors.99", "no such list index", "0 to 10"),
                 id='set_list_index_out_of_range'),
    pytest.param("repeated.discount=1.5",
                 ("--set repeated.discount=1.5", "out of range", "[0, 1)"),
                 id='set_value_out_of_range'),
    pytest.param("preferences.relative_gain_weight.NATO=nan",
                 ("--set preferences.relative_gain_weight.NATO=nan", "not a finite number",
                  "a number in [0, 1]"),
                 id='set_nan'),
    pytest.param("preferences.relative_gain_weight.NAT0=0.3",
                 ("--set preferences.relative_gain_weight.NAT0=0.3", "unknown player",
                  "did you mean 'NATO'?", "NATO, CSTO"),
                 id='set_unknown_player'),
    pytest.param("repeated.discount=high",
                 ("--set repeated.discount='high'", "wrong type (a string)", "[0, 1)"),
                 id='set_string_where_number_expected'),
    pytest.param("parameters.threat=true",
                 ("--set parameters.threat=true", "wrong type (true/false)", "finite number"),
                 id='set_bool_where_number_expected'),
    pytest.param("payoffs.T=3",
                 ("--set payoffs.T=3", "[payoffs] and [[factors]]", "both given"),
                 id='set_payoffs_on_factor_scenario'),
    pytest.param("scenario.extends=chicken",
                 ("--set scenario.extends='chicken'", "cannot be overridden", "SCENARIO"),
                 id='set_extends_refused'),
    pytest.param("players.row=CSTO",
                 ("--set players.row='CSTO'", "same name"),
                 id='error_in_a_valid_file_after_a_set_names_the_set'),
]


@pytest.mark.parametrize("override, parts", BAD_SETS)
def test_bad_set_is_one_line_naming_the_set(capsys, tmp_path, override, parts):
    line = run_set(capsys, tmp_path, override)
    assert_names(line, *parts)
