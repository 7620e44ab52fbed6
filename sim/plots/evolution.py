"""Figures of evolutionary dynamics: shares over time, the three-strategy simplex, the
two-population phase portrait and fixation probability against population size.

Each function draws on ``ax`` (a new figure if ``None``) and returns the axes; the caller
saves with ``fig.savefig``. Readable in greyscale: lines differ by style and marker, rest points
by fill (stable filled, unstable open, non-hyperbolic half-filled).
"""

from __future__ import annotations

from itertools import cycle
from typing import Sequence

import numpy as np

from sim.defaults import MORAN_FITNESS
from sim.evolution.moran import fixation_probability
from sim.evolution.replicator import (one_population_field, payoff_scale, replicator,
                                      replicator_two_populations, two_population_field)
from sim.evolution.rest_points import RestPoints, rest_points, rest_points_two_populations

LINESTYLES = ("-", "--", "-.", ":")
MARKERS = ("o", "s", "^", "D", "v", "x", "+", "*")
#: Okabe & Ito (2008) colour-blind-safe palette.
COLOURS = ("#000000", "#E69F00", "#56B4E9", "#009E73", "#D55E00", "#0072B2", "#CC79A7",
           "#F0E442")
#: Marker fill per stability class (greyscale-readable).
REST_STYLE = {"stable": dict(marker="o", markerfacecolor="black", markeredgecolor="black"),
              "unstable": dict(marker="o", markerfacecolor="white", markeredgecolor="black"),
              "non-hyperbolic": dict(marker="o", fillstyle="left", markerfacecolor="black",
                                     markerfacecoloralt="white", markeredgecolor="black")}


def _axes(ax, figsize=(6.4, 4.8)):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=figsize, layout="constrained")   # legends stay inside
    return ax


def _styles():
    return zip(cycle(LINESTYLES), cycle(MARKERS), cycle(COLOURS))


def plot_shares(times, shares, strategies: Sequence[str], *, ax=None,
                title: str = "Share of each strategy over time",
                xlabel: str = "time (replicator time units)"):
    """Lines of ``shares`` (``(len(times), k)``) against ``times``, one per strategy."""
    ax = _axes(ax)
    times, shares = np.asarray(times), np.asarray(shares)
    every = max(1, len(times) // 12)
    for i, (name, (ls, mk, col)) in enumerate(zip(strategies, _styles())):
        ax.plot(times, shares[:, i], linestyle=ls, marker=mk, markevery=every, color=col,
                label=name)
    ax.set_ylim(-0.02, 1.02)
    ax.set(title=title, xlabel=xlabel, ylabel="share of population (fraction)")
    ax.legend(loc="best", fontsize="small")
    return ax


_CORNERS = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, np.sqrt(3) / 2]])


def to_triangle(x) -> np.ndarray:
    """Barycentric shares ``(..., 3)`` to planar points ``(..., 2)`` of the unit triangle."""
    return np.asarray(x, dtype=float) @ _CORNERS


def _rest_markers(ax, rp: RestPoints, xy):
    drawn = set()
    for p in rp.points:
        style = REST_STYLE[p.stability]
        label = None if p.stability in drawn else f"{p.stability} rest point"
        drawn.add(p.stability)
        ax.plot(*xy(p), linestyle="none", markersize=9, zorder=5, label=label, **style)


def plot_simplex(A, *, starts=None, strategies: Sequence[str] = ("s0", "s1", "s2"),
                 rest: RestPoints | None = None, t_max: float = 50.0, ax=None,
                 title: str = "Replicator dynamics on the simplex"):
    """Trajectories of the three-strategy replicator dynamics in the simplex, with the
    rest points (stable filled, unstable open, non-hyperbolic half-filled) and continua of
    rest points (thick grey lines). ``starts`` default to a grid of interior points; paths run
    for ``t_max`` normalised time units (payoffs divided by their scale, see
    :func:`sim.evolution.payoff_scale`), so the picture is the same at any payoff scale."""
    from sim.evolution.measures import simplex_grid

    A = np.asarray(A, dtype=float)
    if A.shape != (3, 3):
        raise ValueError(f"the simplex plot needs 3 strategies, got A of shape {A.shape}")
    ax = _axes(ax, (6.0, 5.6))
    rest = rest_points(A, strategies=strategies) if rest is None else rest
    starts = simplex_grid(3, 6) if starts is None else np.asarray(starts, dtype=float)
    times = np.linspace(0.0, t_max, 400) / payoff_scale(A)    # t_max in normalised units
    paths = replicator(A, starts, times=times, tol=0.0).paths[0]
    tri = np.vstack([_CORNERS, _CORNERS[:1]])
    ax.plot(tri[:, 0], tri[:, 1], color="black", linewidth=1)
    field = one_population_field(A)
    for k, path in enumerate(paths):
        xy = to_triangle(path)
        ax.plot(xy[:, 0], xy[:, 1], color="0.45", linewidth=0.9,
                label="replicator paths (arrow: direction)" if k == 0 else None)
        mid = len(xy) // 8
        v = to_triangle(field(path[mid][None], None)[0])
        if np.hypot(*v) > 1e-9:
            ax.annotate("", xy=xy[mid] + 0.03 * v / np.hypot(*v), xytext=xy[mid],
                        arrowprops=dict(arrowstyle="->", color="0.3", lw=0.9))
    for (support,) in rest.continua:
        if len(support) == 2:
            seg = _CORNERS[list(support)]
            ax.plot(seg[:, 0], seg[:, 1], color="0.6", linewidth=5, solid_capstyle="butt",
                    zorder=3, label="continuum of rest points")
    _rest_markers(ax, rest, lambda p: to_triangle(p.shares[0]))
    for corner, name, (dx, dy, ha) in zip(_CORNERS, strategies,
                                         [(-0.03, -0.05, "right"), (0.03, -0.05, "left"),
                                          (0, 0.04, "center")]):
        ax.text(corner[0] + dx, corner[1] + dy, name, ha=ha, fontsize="medium")
    ax.set_aspect("equal")
    ax.set_xlim(-0.15, 1.15)
    ax.set_ylim(-0.12, 1.0)
    ax.set(title=title, xlabel="position in simplex (each corner: whole population plays it)",
           ylabel="")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.legend(loc="upper right", fontsize="small")
    return ax


def plot_phase_portrait(A, B, *, starts=None, row_strategies: Sequence[str] = ("C", "D"),
                        column_strategies: Sequence[str] = ("C", "D"),
                        rest: RestPoints | None = None, t_max: float = 30.0, ax=None,
                        title: str = "Two-population replicator dynamics",
                        populations: Sequence[str] = ("row", "column")):
    """Phase portrait of the two-population dynamics of a game with two strategies per side:
    share of row's first strategy (x-axis) against column's first (y-axis), with the vector
    field, trajectories and rest points; ``populations`` names the two (e.g. NATO, CSTO);
    paths run for ``t_max`` normalised time units (as in :func:`plot_simplex`)."""
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    if A.shape != (2, 2) or B.shape != (2, 2):
        raise ValueError("the phase portrait needs 2 strategies per population (2x2 A and B)")
    ax = _axes(ax, (5.6, 5.4))
    rest = rest_points_two_populations(A, B, row_strategies=row_strategies,
                                       column_strategies=column_strategies) if rest is None else rest
    g = np.linspace(0.04, 0.96, 13)
    P, Q = np.meshgrid(g, g)
    Z = np.column_stack([P.ravel(), 1 - P.ravel(), Q.ravel(), 1 - Q.ravel()])
    dZ = two_population_field(A, B)(Z, None)
    ax.quiver(P, Q, dZ[:, 0].reshape(P.shape), dZ[:, 2].reshape(P.shape), color="0.55",
              angles="xy", width=0.003, label="direction of change (replicator field)")
    if starts is None:
        s = np.array([0.1, 0.35, 0.65, 0.9])
        starts = np.array([(a, b) for a in s for b in s])
    starts = np.asarray(starts, dtype=float)
    res = replicator_two_populations(A, B, np.column_stack([starts[:, 0], 1 - starts[:, 0]]),
                                     np.column_stack([starts[:, 1], 1 - starts[:, 1]]),
                                     times=np.linspace(0, t_max, 300) / payoff_scale(A, B),
                                     tol=0.0)                   # t_max in normalised units
    for k, (xp, yp) in enumerate(zip(*res.paths)):
        ax.plot(xp[:, 0], yp[:, 0], color="black", linewidth=0.9,
                label=f"trajectories from {len(starts)} starts" if k == 0 else None)
    _rest_markers(ax, rest, lambda p: (p.shares[0][0], p.shares[1][0]))
    ax.set_xlim(-0.03, 1.03)
    ax.set_ylim(-0.03, 1.03)
    ax.set_aspect("equal")
    ax.set(title=title,
           xlabel=f"{populations[0]} population: share playing {row_strategies[0]} (fraction)",
           ylabel=f"{populations[1]} population: share playing {column_strategies[0]} "
                  "(fraction)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize="small")
    return ax


def plot_fixation_against_n(M, Ns, intensities: Sequence[float] = (0.01, 0.1, 1.0), *,
                            fitness: str = MORAN_FITNESS, strategies: Sequence[str] = ("A", "B"),
                            ax=None, title: str = "Fixation probability of a single mutant"):
    """Exact fixation probability of one mutant of each type against population size ``N``
    (Nowak et al., 2004), one line per type and selection intensity, with neutral ``1/N``."""
    ax = _axes(ax)
    M = np.asarray(M, dtype=float)
    Ns = np.asarray(Ns)
    w = np.asarray(intensities, dtype=float)

    def curve(X):       # one population size at a time: memory O(max N), not O(len(Ns) max N)
        return np.stack([fixation_probability(X, int(n), w, fitness) for n in Ns], -1)

    rho = {strategies[0]: curve(M), strategies[1]: curve(M[::-1, ::-1])}
    symbol = "w" if fitness == "linear" else "β"
    styles = _styles()
    for name, values in rho.items():
        for wi, row in zip(w, values):
            ls, mk, col = next(styles)
            ax.plot(Ns, row, linestyle=ls, marker=mk, color=col,
                    markevery=max(1, len(Ns) // 15),
                    label=f"one {name} among {[s for s in strategies if s != name][0]}, "
                          f"{symbol} = {wi:g}")
    ax.plot(Ns, 1.0 / Ns, color="0.5", linestyle=(0, (1, 1)), linewidth=2,
            label="neutral drift 1/N")
    ax.set_yscale("log")
    ax.set(title=title, xlabel="population size N (individuals)",
           ylabel="fixation probability (log scale)")
    ax.legend(loc="best", fontsize="small")
    return ax
