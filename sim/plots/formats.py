"""Figures of the format analysis: each actor's utility in each format, and a map of the
preferred format over two parameters.

Readable in black-and-white print: the three formats differ in lightness *and* hatching, the
map's regions are labelled in place and outlined, and the scenario's own point is starred.
"""

from __future__ import annotations

import numpy as np

from ..blocs.formats import FORMATS

#: Fill and hatch per format, by lightness (status quo light, bilateral mid, bloc dark).
FORMAT_STYLE = {"status quo": ("#f0f0f0", ""), "bilateral": ("#9e9e9e", "//"),
                "bloc": ("#303030", "..")}


#: Size of the marker of the scenario's own point on the map, points.
STAR = 16


def _short(label: str) -> str:
    """An axis label without its parenthesised explanation, for a title."""
    return label.split(" (")[0]


def plot_formats(summary: dict):
    """Grouped bars: each actor's utility per format, in the repeated game at δ (left) and if
    each format's cooperation were realised (right); the preferred format is marked ▲."""
    import matplotlib.pyplot as plt

    actors = summary["players"] + summary["members"]
    fig, axes = plt.subplots(1, 2, figsize=(13, 5.4), layout="constrained", sharey=True)
    x = np.arange(len(actors))
    width = 0.27
    panels = (("repeated", f"equilibrium of the repeated game (δ = {summary['discount']:g})"),
              ("deal", "if the format's cooperation were realised"))
    for ax, (mode, label) in zip(axes, panels):
        for k, f in enumerate(FORMATS):
            colour, hatch = FORMAT_STYLE[f]
            u = [summary["utility"][mode][f][a] for a in actors]
            ax.bar(x + (k - 1) * width, u, width, color=colour, hatch=hatch, edgecolor="black",
                   linewidth=0.7, label=f)
            for i, a in enumerate(actors):
                if summary["preferred"][mode][a] == f:
                    top = max(u[i], 0)
                    ax.annotate("▲", (x[i] + (k - 1) * width, top), ha="center",
                                va="bottom", fontsize=11)
        ax.axhline(0, color="black", linewidth=0.8)
        ax.set_xticks(x, actors, rotation=30, ha="right")
        ax.set_title(label, fontsize=11)
        ax.grid(axis="y", color="#cccccc", linewidth=0.5)
        ax.set_axisbelow(True)
    axes[0].set_ylabel("utility u = π − r·Σ s·π' (scenario payoff units)")
    axes[0].legend(title="format (▲ = preferred)", loc="best", frameon=True)
    fig.suptitle(f"{summary['scenario']['title']}: each actor's utility in each format; "
                 f"choice stage gives {summary['choice']['repeated']}", fontsize=12)
    return fig


def plot_format_map(grid: dict):
    """Three panels over (x key, y key): the row player's and the bloc's preferred formats
    (equilibrium utilities of the repeated game) and the format the choice stage produces (the
    row player proposes, the bloc accepts by its rule)."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    fig, axes = plt.subplots(1, 3, figsize=(16, 5.6), layout="constrained", sharey=True)
    row, col = grid["players"]
    panels = ((grid["preferred"], f"{row}'s preferred format"),
              (grid["preferred_bloc"], f"{col}'s preferred format (as one actor)"),
              (grid["choice"], f"format chosen ({row} proposes, {grid['players'][1]} "
                               "accepts by its rule)"))
    x, y = grid["x"], grid["y"]
    for ax, (code, label) in zip(axes, panels):
        code = np.asarray(code)
        levels = np.arange(len(FORMATS) + 1) - 0.5
        ax.contourf(x, y, code, levels=levels, colors=[FORMAT_STYLE[f][0] for f in FORMATS],
                    hatches=[FORMAT_STYLE[f][1] for f in FORMATS])
        if len(np.unique(code)) > 1:
            ax.contour(x, y, code, levels=levels[1:-1], colors="black", linewidths=1.0)
        for i, f in enumerate(FORMATS):
            mask = code == i
            if mask.mean() > 0.02:
                yi, xi = np.argwhere(mask)[len(np.argwhere(mask)) // 2]
                ax.text(x[xi], y[yi], f, ha="center", va="center", fontsize=11,
                        color="white" if f == "bloc" else "black",
                        bbox=dict(facecolor=FORMAT_STYLE[f][0], edgecolor="black",
                                  boxstyle="round", alpha=0.9))
        px, py = grid["point"]
        ax.plot(px, py, marker="*", markersize=STAR, color="white", markeredgecolor="black",
                linestyle="none", label="the scenario's own point", clip_on=False, zorder=5)
        # a point on the map's top edge (a quota of 1) is drawn whole, over the frame: the
        # title keeps clear of it
        on_top = py >= max(y) - 0.02 * (max(y) - min(y))
        ax.set_title(label, fontsize=10.5, pad=6 + (STAR / 2 if on_top else 0))
        ax.set_xlabel(grid["x_label"])
    axes[0].set_ylabel(grid["y_label"])
    handles = [Patch(facecolor=FORMAT_STYLE[f][0], hatch=FORMAT_STYLE[f][1], edgecolor="black",
                     label=f) for f in FORMATS]
    axes[-1].legend(handles=handles + axes[-1].get_legend_handles_labels()[0], loc="best",
                   frameon=True, framealpha=0.95)
    fig.suptitle(f"{grid['title']}: which format, over {_short(grid['x_label'])} and "
                 f"{_short(grid['y_label'])}", fontsize=12)
    return fig
