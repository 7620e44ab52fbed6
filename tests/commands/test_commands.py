"""The tournament, folk and evolve subcommands, end to end through ``sim.cli.main``."""

import json

import pytest

from sim.cli import main


def run_json(capsys, *argv):
    code = main(list(argv) + ["--json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out)


def test_tournament_json_and_files(tmp_path, capsys):
    d = run_json(capsys, "tournament", "prisoners_dilemma", "--players", "TFT", "AllD", "AllC",
                 "--turns", "50", "--out", str(tmp_path))
    for key in ("players", "ranking", "mean_payoffs", "payoff_matrix", "cooperation",
                "provenance"):
        assert key in d
    assert d["players"] == ["TFT", "AllD", "AllC"]
    assert d["method"] == "exact"
    # exact 50-turn PD (5,3,1,0): TFT vs AllD = 49/50, TFT vs AllC = 3, AllD vs AllC = 5
    assert d["payoff_matrix"][0][1] == pytest.approx(49 / 50)
    assert d["payoff_matrix"][1][2] == pytest.approx(5.0)
    for f in ("tournament.json", "ranking.csv", "pairs.csv", "payoff_heatmap.png", "ranking.svg"):
        assert (tmp_path / f).stat().st_size > 0
    assert d["provenance"]["seed"] == 0


def test_tournament_simulated_is_seeded(tmp_path, capsys):
    args = ["tournament", "nato_csto_2007", "--players", "TFT", "Random", "WSLS",
            "--continuation", "0.9", "--noise", "0.05", "--repetitions", "5", "--seed", "7",
            "--simulate"]
    a = run_json(capsys, *args, "--out", str(tmp_path / "a"))
    b = run_json(capsys, *args, "--out", str(tmp_path / "b"))
    assert a["method"] == "simulate"
    assert a["payoff_matrix"] == b["payoff_matrix"]
    assert a["payoffs"] == "utility"


def test_tournament_bad_input_is_one_line(tmp_path, capsys):
    for argv, needle in ((["--players", "TFT", "Nonsense"], "Nonsense"),
                         (["--noise", "0.9"], "--noise"),
                         (["--turns", "0"], "--turns")):
        code = main(["tournament", "prisoners_dilemma", "--out", str(tmp_path), *argv])
        err = capsys.readouterr().err
        assert code == 2 and needle in err and len(err.strip().splitlines()) == 1


def test_folk_json_and_files(tmp_path, capsys):
    d = run_json(capsys, "folk", "prisoners_dilemma", "--discount", "0.3", "0.6",
                 "--out", str(tmp_path))
    for key in ("feasible", "minmax", "sets", "cooperation_in_set", "critical_discount",
                "provenance"):
        assert key in d
    assert d["cooperation_in_set"] == [False, True]
    assert d["critical_discount"] == pytest.approx(0.5, abs=1e-6)   # (T-R)/(T-P)
    for f in ("folk.json", "folk.png", "folk_weights.svg"):
        assert (tmp_path / f).stat().st_size > 0


def test_folk_bad_discount(tmp_path, capsys):
    assert main(["folk", "--discount", "1.2", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "--discount" in err and "[0, 1)" in err and len(err.strip().splitlines()) == 1


def test_evolve_replicator_two_populations(tmp_path, capsys):
    d = run_json(capsys, "evolve", "common_threat", "--players", "TFT", "AllD",
                 "--out", str(tmp_path))
    assert set(d["final_shares"]) == {"NATO", "CSTO"}
    assert d["final_shares"]["NATO"]["TFT"] == pytest.approx(1, abs=1e-6)
    assert "provenance" in d
    for f in ("evolution.json", "shares_row.png", "shares_column.svg", "phase.png"):
        assert (tmp_path / f).stat().st_size > 0


def test_evolve_moran_two_types_matches_closed_form(tmp_path, capsys):
    from sim.evolution import fixation_probability

    d = run_json(capsys, "evolve", "prisoners_dilemma", "--dynamics", "moran", "--players",
                 "TFT", "AllD", "--population", "30", "--out", str(tmp_path))
    M = d["payoff_matrix"]["one_population"]
    expected = fixation_probability(M, 30, 1.0, "exponential")
    assert d["fixation_probability"]["TFT"] == pytest.approx(float(expected))


def test_evolve_moran_two_types_with_mutation_is_simulated(tmp_path, capsys):
    # the exact two-type process has no mutation: it used to be dropped without a word
    d = run_json(capsys, "evolve", "prisoners_dilemma", "--dynamics", "moran", "--players",
                 "TFT", "AllD", "--population", "6", "--mutation", "0.2", "--runs", "3",
                 "--out", str(tmp_path))
    assert d["model"] == "moran_simulation" and d["mutation"] == 0.2
    assert d["unfixed_runs"] == 3                           # with mutation nobody fixes
    assert main(["evolve", "prisoners_dilemma", "--dynamics", "moran", "--players", "TFT",
                 "AllD", "--mutation", "0.2", "--out", str(tmp_path / "b")]) == 2
    assert "10,000,000 steps each" in capsys.readouterr().err


def test_evolve_generational_is_seeded(tmp_path, capsys):
    args = ["evolve", "nato_csto_2007", "--dynamics", "generational", "--players", "AllC",
            "AllD", "TFT", "WSLS", "--runs", "3", "--seed", "5"]
    a = run_json(capsys, *args, "--out", str(tmp_path / "a"))
    b = run_json(capsys, *args, "--out", str(tmp_path / "b"))
    assert a["final_shares"] == b["final_shares"]


def test_evolve_bad_input(tmp_path, capsys):
    assert main(["evolve", "--population", "1", "--dynamics", "moran",
                 "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "--population" in err and len(err.strip().splitlines()) == 1


def test_tournament_section_with_user_defined_strategies(tmp_path, capsys):
    """Users define strategies in the scenario file, without Python: a memory-one vector and
    a finite-state machine (tit-for-tat written as a table)."""
    toml = tmp_path / "mine.toml"
    toml.write_text('''
[scenario]
extends = "prisoners_dilemma"

[tournament]
players = ["AllD", [1.0, 1.0, 0.0, 1.0, 0.0]]
turns = 20

[[tournament.strategies]]
name = "table-TFT"
fsm.start = "calm"
fsm.states.calm = { play = "C", C = "calm", D = "angry" }
fsm.states.angry = { play = "D", C = "calm", D = "angry" }
''')
    d = run_json(capsys, "tournament", str(toml), "--out", str(tmp_path / "out"))
    assert d["players"][2] == "table-TFT"
    # the memory-one vector (1, 1, 0, 1, 0) is TFT: identical to the table version
    assert d["payoff_matrix"][1] == pytest.approx(d["payoff_matrix"][2])
    assert d["provenance"]["tournament"]["turns"] == 20


def test_folk_bounds_sandwich_the_set(tmp_path, capsys):
    from sim.polygons import distance

    d = run_json(capsys, "folk", "prisoners_dilemma", "--discount", "0.7", "--bounds", "64",
                 "--out", str(tmp_path))
    b = d["bounds"][0]
    assert b["hausdorff"] < 0.01 and b["converged"]
    # every vertex of the Abreu-Sannikov set lies within the outer bound's gap of the inner set
    import numpy as np

    inner = np.array(b["inner"])
    for v in d["sets"][0]:
        assert distance(np.array(v), inner) <= b["hausdorff"] + 1e-9


def test_evolve_moran_many_types_has_intervals_and_a_figure(tmp_path, capsys):
    d = run_json(capsys, "evolve", "prisoners_dilemma", "--dynamics", "moran", "--players",
                 "AllC", "AllD", "TFT", "--population", "30", "--runs", "200",
                 "--out", str(tmp_path))
    fp = d["fixation_probability"]
    assert set(fp) == {"AllC", "AllD", "TFT"}
    assert all(v["ci_low"] <= v["estimate"] <= v["ci_high"] for v in fp.values())
    assert sum(v["estimate"] for v in fp.values()) == pytest.approx(1.0)
    assert (tmp_path / "shares.png").stat().st_size > 0
