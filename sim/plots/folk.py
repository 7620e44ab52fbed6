"""Folk-theorem figures: the feasible set, the individually rational region and the
subgame-perfect payoff sets at several discount factors, with the (C,C) payoff marked.

Figures are returned, not shown or saved: the caller calls ``fig.savefig``. Every element
pairs its colour with a hatch, line style or marker so the figure reads in greyscale.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ..preferences import utility_game

from sim.deprecation import renamed_keywords
from sim.spe import (critical_discount, feasible_set, individually_rational_set,
                     payoff_profiles, pure_minmax, spe_payoff_sets)

_LINESTYLES = ("-", "--", "-.", ":")
_MARKERS = ("o", "s", "^", "D", "v", "P")
_AXIS_UNITS = "per-period average, discounted"


def _profile_name(i: int, j: int, shape) -> str:
    if shape == (2, 2):
        return f"({'CD'[i]},{'CD'[j]})"
    return f"({i},{j})"


def _draw_polygon(ax, vertices, **style):
    """Draw a convex polygon that may be a point (marker) or a segment (line)."""
    from matplotlib.patches import Polygon

    label = style.pop("label", None)
    if vertices.shape[0] >= 3:
        ax.add_patch(Polygon(vertices, closed=True, label=label, **style))
    elif vertices.shape[0] == 2:
        ax.plot(vertices[:, 0], vertices[:, 1], color=style.get("edgecolor", "k"),
                linestyle=style.get("linestyle", "-"), linewidth=style.get("linewidth", 2),
                label=label)
    elif vertices.shape[0] == 1:
        ax.plot(vertices[:, 0], vertices[:, 1], linestyle="none", marker="o",
                markerfacecolor="none", markersize=10,
                markeredgecolor=style.get("edgecolor", "k"), label=label)


def _delta_labels(ax, tops, span: float) -> None:
    """Label each SPE set with its δ at its top vertex; sets whose tops lie within 4 % of the
    payoff range of each other share one label (``δ = 0.3, 0.5``), so labels never overlap."""
    groups: list[list] = []
    for top, d, colour in sorted(tops, key=lambda t: (t[0][1], t[0][0])):
        near = next((g for g in groups if np.hypot(*(top - g[0][0])) < 0.04 * span), None)
        if near is None:
            groups.append([(top, d, colour)])
        else:
            near.append((top, d, colour))
    placed = []
    for group in groups:
        at = group[0][0]
        lift = 9 * sum(np.hypot(*(at - p)) < 0.12 * span for p in placed)   # stack if close
        placed.append(at)
        ax.annotate("δ = " + ", ".join(f"{d:g}" for _, d, _ in group), at,
                    xytext=(4, 4 + lift), textcoords="offset points", fontsize=8,
                    color=group[0][2] if len(group) == 1 else "0.15",
                    bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.8))


@renamed_keywords(deltas="discounts")
def plot_folk(A, B, discounts: Sequence[float], *, profile=(0, 0), ax=None,
              players: tuple[str, str] = ("row", "column"), title: str | None = None,
              legend: bool = True):
    """Payoff-space picture of the folk theorem for one stage game ``(A, B)``.

    Draws the feasible set ``co{g(a)}`` (hatched grey), the individually rational part above
    the pure minmax (Fudenberg & Maskin 1986; dashed minmax lines), the pure-strategy SPE set
    at each discount factor in ``discounts`` (Abreu & Sannikov 2014; nested outlines, one line style
    and shade each, labelled in the legend and at their top vertex), every stage payoff
    ``g(a)`` labelled, and the payoff of ``profile`` (default (C,C)) as a star. Returns the
    figure; pass ``ax`` to draw into an existing axes.
    """
    import matplotlib.pyplot as plt

    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.4, 5.6), layout="constrained")
    else:
        fig = ax.figure
    F = feasible_set(A, B)
    IR = individually_rational_set(A, B)
    m = pure_minmax(A, B)
    _draw_polygon(ax, F, facecolor="0.92", edgecolor="0.35", hatch="///", linewidth=1,
                  label="feasible set")
    if IR.shape[0]:
        _draw_polygon(ax, IR, facecolor="0.80", edgecolor="0.2", hatch="\\\\",
                      linewidth=1, label="individually rational (≥ pure minmax)")
    ax.axvline(m[0], color="0.3", linestyle=(0, (4, 3)), linewidth=0.8)
    ax.axhline(m[1], color="0.3", linestyle=(0, (4, 3)), linewidth=0.8)
    ax.plot([m[0]], [m[1]], marker="x", color="k", linestyle="none", markersize=8,
            label=f"pure minmax ({m[0]:.3g}, {m[1]:.3g})")

    order = sorted(discounts)
    cmap = plt.get_cmap("viridis")
    tops = []                                   # (top vertex, δ, colour) of each SPE set
    for k, (d, s) in enumerate(zip(order, spe_payoff_sets(A, B, order))):
        colour = cmap(0.15 + 0.7 * k / max(len(order) - 1, 1))
        style = _LINESTYLES[k % len(_LINESTYLES)]
        if s.empty:
            ax.plot([], [], color=colour, linestyle=style, label=f"δ = {d:g}: no pure SPE")
            continue
        _draw_polygon(ax, s.vertices, facecolor="none", edgecolor=colour, linestyle=style,
                      linewidth=2, label=f"SPE set, δ = {d:g}")
        tops.append((s.vertices[np.argmax(s.vertices[:, 1])], d, colour))

    g = payoff_profiles(A, B)
    _delta_labels(ax, tops, max(np.ptp(g[:, 0]), np.ptp(g[:, 1]), 1e-9))
    for a, (x, y) in enumerate(g):
        i, j = divmod(a, A.shape[1])
        ax.plot([x], [y], marker=_MARKERS[a % len(_MARKERS)], color="k", linestyle="none",
                markersize=4)
        ax.annotate(_profile_name(i, j, A.shape), (x, y), xytext=(4, -10),
                    textcoords="offset points", fontsize=8)
    p = np.array([A[tuple(profile)], B[tuple(profile)]])
    name = _profile_name(*profile, A.shape)
    ax.plot([p[0]], [p[1]], marker="*", markersize=16, color="tab:red",
            markeredgecolor="k", linestyle="none", label=f"{name} payoff")

    pad = 0.08 * max(np.ptp(g[:, 0]), np.ptp(g[:, 1]), 1e-9)
    ax.set_xlim(g[:, 0].min() - pad, g[:, 0].max() + pad)
    ax.set_ylim(g[:, 1].min() - pad, g[:, 1].max() + pad)
    ax.set_xlabel(f"{players[0]} payoff ({_AXIS_UNITS})")
    ax.set_ylabel(f"{players[1]} payoff ({_AXIS_UNITS})")
    ax.set_title(title if title is not None else
                 "Subgame-perfect payoffs of the repeated game (folk theorem)")
    if legend:
        ax.legend(fontsize=7, loc="best", framealpha=0.9)
    return fig


@renamed_keywords(deltas="discounts")
def plot_folk_panels(games: Sequence[tuple[float, object, object]],
                     discounts: Sequence[float],
                     *, profile=(0, 0), players: tuple[str, str] = ("row", "column"),
                     ncols: int | None = None, title: str | None = None):
    """One :func:`plot_folk` panel per relative-gain weight.

    ``games`` is a list of ``(r, A, B)`` with material payoffs ``A``, ``B``; each panel shows
    the utility game ``(A - r B, B - r A)`` (:func:`sim.preferences.utility_game`) and its title gives
    ``r`` and the critical discount factor of ``profile``. As ``r`` grows the feasible set
    flattens toward the zero-sum line and the SPE sets shrink: realism blocks cooperation.
    """
    import matplotlib.pyplot as plt

    n = len(games)
    if n == 0:
        raise ValueError("plot_folk_panels needs at least one (r, A, B) game")
    ncols = ncols or min(n, 3 if n % 3 == 0 or n > 4 else 2)   # 4 panels: 2 x 2
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(5.2 * ncols, 4.8 * nrows),
                             layout="constrained", squeeze=False)
    for ax, (r, A, B) in zip(axes.flat, games):
        U, V = utility_game(A, B, r, r)
        crit = critical_discount(U, V, profile)
        name = _profile_name(*profile, U.shape)
        verdict = (f"{name} is a stage equilibrium" if crit == 0 else
                   f"{name} needs δ ≥ {crit:.3f}" if np.isfinite(crit) else
                   f"{name} is no SPE payoff for δ ≤ 0.999")
        plot_folk(U, V, discounts, profile=profile, ax=ax, players=players,
                  title=f"relative-gain weight r = {r:g}\n{verdict}", legend=ax is axes.flat[0])
    for ax in axes.flat[n:]:
        ax.set_axis_off()
    fig.suptitle(title if title is not None else
                 "Relative gains shrink the set of cooperative equilibria")
    return fig
