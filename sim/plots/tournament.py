"""Tournament figures: the payoff heatmap and the ranking chart with confidence intervals.

Both take a :class:`sim.tournament.TournamentResult` and return a matplotlib ``Figure``; the
caller saves it (``fig.savefig``). Greyscale-safe: the heatmap uses a perceptually uniform
grey-friendly colormap (viridis) and prints every value in its cell; the ranking chart uses
markers and error bars, not colour alone.
"""

from __future__ import annotations

import numpy as np


def _title(result, what: str) -> str:
    s = result.settings
    if s.get("continuation") is not None:
        horizon = f"continuation probability {s['continuation']:g}"
    elif s.get("turns"):
        horizon = f"{s['turns']} turns"
    else:
        horizon = "limit of means"
    reps = f", {s['repetitions']} repetitions" if result.method == "simulate" else " (exact)"
    return f"{what}\n{horizon}, noise {s.get('noise', 0):g}{reps}"


def payoff_heatmap(result, ax=None, units: str = "payoff per turn"):
    """Heatmap of ``payoff_matrix[i, j]`` (row player's payoff against the column player),
    rows and columns in ranking order, each cell annotated with its value."""
    import matplotlib.pyplot as plt

    order = result.ranking
    M = result.payoff_matrix[np.ix_(order, order)]
    names = [result.players[i] for i in order]
    n = len(names)
    if ax is None:
        fig, ax = plt.subplots(figsize=(max(6.0, 1.0 + 0.6 * n), max(5.0, 0.8 + 0.55 * n)),
                               layout="constrained")
    else:
        fig = ax.figure
    im = ax.imshow(M, cmap="viridis")
    ax.set_xticks(range(n), names, rotation=45, ha="right")
    ax.set_yticks(range(n), names)
    ax.set_xlabel("opponent")
    ax.set_ylabel("player (ranked, best at top)")
    lo, hi = np.nanmin(M), np.nanmax(M)
    for i, j in np.ndindex(n, n):
        if np.isfinite(M[i, j]):
            dark = (M[i, j] - lo) < 0.5 * (hi - lo)
            ax.text(j, i, f"{M[i, j]:.2f}", ha="center", va="center", fontsize=7,
                    color="white" if dark else "black")
    fig.colorbar(im, ax=ax, label=f"player's mean {units}")
    ax.set_title(_title(result, "Tournament payoffs: player against opponent"))
    return fig


def ranking_chart(result, ax=None, units: str = "payoff per turn"):
    """Horizontal chart of each player's mean payoff against the other entrants, best at the
    top: exact expected payoffs as points, simulated ones with their 95 % confidence interval
    (error bars) over the repetitions."""
    import matplotlib.pyplot as plt

    order = result.ranking[::-1]
    m = result.mean_payoffs[order]
    ci = result.ci95[order]
    n = len(order)
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.5, max(3.5, 1.0 + 0.4 * n)), layout="constrained")
    else:
        fig = ax.figure
    y = np.arange(n)
    if result.method == "exact":
        ax.plot(m, y, "o", color="black", markersize=5, label="exact expected payoff")
    else:
        err = np.abs(np.stack([m - ci[:, 0], ci[:, 1] - m]))
        reps = result.scores.shape[1]
        ax.errorbar(m, y, xerr=np.nan_to_num(err), fmt="o", color="black", ecolor="0.4",
                    capsize=3, markersize=5,
                    label=f"mean with 95 % CI ({reps} repetitions)" if reps > 1 else
                    "mean of 1 repetition (no interval)")
    ax.hlines(y, np.nanmin(m) - 0.05 * (np.ptp(m) + 1e-9), m, colors="0.75", linestyles=":")
    ax.set_yticks(y, [result.players[i] for i in order])
    ax.set_xlabel(f"mean {units} against the other entrants")
    ax.set_ylabel("strategy (best at top)")
    ax.grid(axis="x", color="0.9")
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title(_title(result, "Tournament ranking"))
    return fig
