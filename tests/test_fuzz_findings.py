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
