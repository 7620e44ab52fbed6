"""Each failure the fuzz harness (:mod:`fuzz_cli`) found, as a regression test: the command
line it generated, now a one-line refusal (exit 2) naming what is allowed."""

from __future__ import annotations

import numpy as np
import pytest

from sim.cli import main


def refused(argv, capsys, *words) -> str:
    assert main(argv) == 2
    lines = [ln for ln in capsys.readouterr().err.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("blocsim: error: "), lines
    for word in words:
        assert word in lines[0], (word, lines[0])
    return lines[0]


@pytest.mark.parametrize("extra", [[], ["--dynamics", "moran"],
                                   ["--dynamics", "generational"]])
@pytest.mark.parametrize("players", [["TFT", "TFT"], ["TFT", "AllD", "tft"]])
def test_evolve_with_a_strategy_named_twice(players, extra, tmp_path, capsys):
    # found as: evolve s.toml --seed 2147483648 --fitness linear --players TFT TFT
    refused(["evolve", "--players", *players, *extra, "--out", str(tmp_path)], capsys,
            "--players", "TFT named twice", "allowed: distinct strategies")
    assert not any(tmp_path.iterdir())                     # refused before any output


@pytest.mark.parametrize("axes", [["repeated.noise=0:0:1"],
                                  ["repeated.noise=0:0:1", "repeated.discount=0.5:0.5:1"]])
def test_sweep_over_one_value_draws_without_a_warning(axes, tmp_path, capsys):
    # found as: sweep harmony --axis repeated.noise=0:0:1 (matplotlib warned of identical
    # x limits)
    import warnings

    argv = ["sweep", "harmony", "--out", str(tmp_path), "--quiet"]
    for axis in axes:
        argv += ["--axis", axis]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert main(argv) == 0
    assert "Warning" not in capsys.readouterr().err
    assert any(tmp_path.rglob("*.png"))


@pytest.mark.parametrize("A", [[[0, 0, 0]] * 3, [[1, 2, 0], [0, 1, 2], [2, 0, 1]],
                               [[3, 0, 5], [5, 1, 0], [0, 5, 1]]])
def test_simplex_plot_always_has_its_legend(A):
    # found as: evolve s.toml --runs 1 (a game whose rest points were all a continuum left the
    # legend empty, and matplotlib warned "No artists with labels found")
    import warnings

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sim.plots.evolution import plot_simplex

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = plot_simplex(np.array(A, dtype=float), t_max=5.0)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "replicator paths (arrow: direction)" in labels
    plt.close(ax.figure)


@pytest.mark.parametrize("extra, words", [
    ([], ["1,000 Moran runs at N = 60", "10,000,000 steps each, the most a run takes",
          "no strategy fixes sooner", "budget 1 min", "--yes",
          "fewer runs"]),
    (["--mutation", "0.01", "--players", "AllC", "AllD", "TFT"], ["10,000,000 steps each"]),
    (["--players", "AllC", "AllD", "TFT", "Grim"], ["steps each on average", "--yes"]),
])
def test_moran_runs_that_never_fix_are_refused_up_front(extra, words, tmp_path):
    # found as: evolve chicken --dynamics moran (silent for over 5 minutes). AllC and AllD
    # coexist in Chicken, so a population of 60 stays mixed for ~2.4e7 steps on average (the
    # exact chain, sim.evolution.moran_chain) and every run goes on to its 10^7-step cap: the
    # estimate assumed N²/2 = 1,800 steps. Four strategies: too many states to solve, so
    # measured by pilot runs.
    from budgeted import assert_refused, run_blocsim

    line = assert_refused(run_blocsim(["evolve", "chicken", "--dynamics", "moran", *extra,
                                       "--out", tmp_path / "out"], timeout=60), *words)
    assert not any((tmp_path / "out").rglob("*")), line         # refused before any output


def test_moran_runs_that_fix_soon_run(tmp_path, capsys):
    # ... and a population of 12 fixes within ~160 steps: it runs (the history of 1,000 runs
    # no longer costs max_steps / N records per run), as does a population of 3, which
    # generational play's --replace default (5) no longer blocks.
    for population in ("12", "3"):
        assert main(["evolve", "chicken", "--dynamics", "moran", "--population", population,
                     "--out", str(tmp_path / population)]) == 0, capsys.readouterr().err
        assert (tmp_path / population / "evolution.json").exists()


def test_replace_names_its_bound(tmp_path, capsys):
    # generational play of 3 with the default --replace 5: the bound, not "half the population"
    line = refused(["evolve", "chicken", "--dynamics", "generational", "--population", "3",
                    "--out", str(tmp_path)], capsys, "--replace 5",
                   "allowed: a whole number from 1 to 1 (half the population 3)")
    assert "chicken" in line
