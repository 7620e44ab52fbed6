"""Figures of evolutionary dynamics: they draw, are titled and labelled, mark rest points."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from sim.evolution import replicator  # noqa: E402
from sim.plots.evolution import (plot_fixation_against_n, plot_phase_portrait,  # noqa: E402
                                 plot_shares, plot_simplex)

PD3 = np.array([[3.0, 0.0, 3.0], [5.0, 1.0, 1.4], [3.0, 0.9, 3.0]])


def labelled(ax):
    return ax.get_title() and ax.get_xlabel()


def test_shares_over_time():
    res = replicator(PD3, [0.3, 0.3, 0.4], times=np.linspace(0, 20, 50))
    ax = plot_shares(res.times, res.paths[0][0], ["AllC", "AllD", "TFT"])
    assert labelled(ax) and ax.get_ylabel() and len(ax.get_lines()) == 3
    assert len({line.get_linestyle() for line in ax.get_lines()}) == 3
    plt.close("all")


def test_simplex_marks_rest_points_by_stability():
    ax = plot_simplex(PD3, strategies=["AllC", "AllD", "TFT"], t_max=10)
    assert labelled(ax)
    faces = {line.get_label(): line.get_markerfacecolor() for line in ax.get_lines()
             if line.get_label().endswith("rest point")}
    assert faces["stable rest point"] == "black" and faces["unstable rest point"] == "white"
    assert "continuum of rest points" in [line.get_label() for line in ax.get_lines()]
    with pytest.raises(ValueError):
        plot_simplex(np.eye(2))
    plt.close("all")


def test_phase_portrait_and_fixation_figure():
    ax = plot_phase_portrait(np.array([[3.0, 0.0], [5.0, 1.0]]), np.array([[3.0, 5.0], [0.0, 1.0]]),
                             t_max=5)
    assert labelled(ax) and ax.get_ylabel()
    markers = [line for line in ax.get_lines() if line.get_marker() == "o"]
    assert len(markers) == 4                               # the four pure profiles
    ax = plot_fixation_against_n(np.array([[3.0, 1.0], [2.0, 2.0]]), np.arange(2, 30),
                                 strategies=["TFT", "AllD"], fitness="linear")
    assert labelled(ax) and ax.get_yscale() == "log" and len(ax.get_lines()) == 7
    plt.close("all")
