"""Folk-theorem figures (sim.plots.folk): they draw, are titled and labelled, one panel per r."""

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from sim.plots.folk import plot_folk, plot_folk_panels  # noqa: E402

PD = np.array([[3.0, 0.0], [5.0, 1.0]])


@pytest.fixture(autouse=True)
def close_figures():
    yield
    import matplotlib.pyplot as plt
    plt.close("all")


def test_plot_folk_labels_every_set():
    fig = plot_folk(PD, PD.T, [0.3, 0.6, 0.9], players=("NATO", "CSTO"))
    (ax,) = fig.axes
    assert ax.get_title() and "NATO" in ax.get_xlabel() and "CSTO" in ax.get_ylabel()
    labels = ax.get_legend_handles_labels()[1]
    for d in ("0.3", "0.6", "0.9"):
        assert f"SPE set, δ = {d}" in labels
    assert "feasible set" in labels and "(C,C) payoff" in labels


def test_plot_folk_marks_empty_sets():
    A = np.array([[1.0, -1.0], [-1.0, 1.0]])
    ax = plot_folk(A, -A, [0.5]).axes[0]
    assert "δ = 0.5: no pure SPE" in ax.get_legend_handles_labels()[1]


def test_panels_one_per_weight():
    A = np.array([[3.0, 0.0], [5.0, 1.0]])
    B = np.array([[4.0, 6.0], [0.0, 1.0]])
    fig = plot_folk_panels([(r, A, B) for r in (0.0, 0.25, 0.5, 0.75)], [0.6, 0.9])
    visible = [ax for ax in fig.axes if ax.axison]
    assert len(visible) == 4
    assert [ax.get_title().splitlines()[0] for ax in visible] == [
        f"relative-gain weight r = {r:g}" for r in (0.0, 0.25, 0.5, 0.75)]
    assert fig.get_suptitle()
