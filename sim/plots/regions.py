"""Regime maps: which regime holds where in (relative-gain weight, discount factor) space.

Readable in black-and-white print: regimes differ in lightness and are labelled in place;
points blocked by relative gains are hatched; threshold curves differ in line style, the exact
criterion's (``spe``, the boundary the regimes use) a broad grey band under them.
"""

from __future__ import annotations

import numpy as np

from ..equilibria import REGIME_TEXT, REGIMES

#: One fill per regime, ordered by lightness so that greyscale keeps them apart.
REGIME_COLOURS = {
    "harmony": "#1a9850", "coordination": "#91cf60", "reciprocity": "#d9ef8b",
    "short-horizon": "#fee08b", "one-sided": "#fc8d59", "deadlock": "#d73027",
    "anti-coordination": "#c2a5cf", "unilateral": "#7b3294", "cycling": "#bababa",
}
#: Line style, legend text, width and grey of each threshold curve. ``spe`` is the boundary
#: the regimes use (the exact criterion, :func:`sim.equilibria.threshold`): a broad grey band
#: drawn under the others, so that it stays visible where grim trigger's curve runs along it.
CURVE_STYLES = {"spe": ("-", "exact criterion (spe): (C,C) forever is subgame\n"
                             "perfect at and above this δ (the regimes' boundary)", 7.0, "0.35"),
                "grim": ("-", "grim trigger threshold", 1.6, "black"),
                "wsls": ("--", "WSLS threshold", 1.6, "black")}


def _short(text: str, width: int = 70) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width))


def _align(index: int, n: int, low: str, high: str) -> str:
    """Text alignment keeping a label near an edge of the map inside it."""
    f = index / max(1, n - 1)
    return low if f < 0.2 else high if f > 0.8 else "center"


def _gaps(outside, axis: int) -> np.ndarray:
    """Distance from each cell to the nearest ``outside`` cell along ``axis`` (the first and
    last cells along it are outside)."""
    n = outside.shape[axis]
    at = np.arange(n).reshape((-1, 1) if axis == 0 else (1, -1))
    before = np.maximum.accumulate(np.where(outside, at, -n), axis=axis)
    after = np.flip(np.minimum.accumulate(np.flip(np.where(outside, at, 2 * n), axis), axis),
                    axis)
    return np.minimum(at - before, after - at)


def deepest_point(mask, chunk: int = 1 << 20) -> tuple[int, int]:
    """``(row, column)`` of the cell of ``mask`` (which has at least one) farthest
    (Euclidean, in cells) from every cell outside it, the area beyond the grid counting as
    outside; the first such cell in row-major order where several tie. This is ``argmax`` of the exact Euclidean distance
    transform of the padded mask (``scipy.ndimage.distance_transform_edt``, Maurer et al.
    2003), computed without scipy (whose import costs a command a fifth of a second):

    the squared distance of cell ``(i, j)`` is ``min_k g(i, k)² + (j − k)²``, ``g`` the
    distance to the nearest outside cell in the same column (the separable form of
    Felzenszwalb & Huttenlocher 2012). It is at most ``b² = min(g, h)²`` (``h``: along the
    row), so only cells whose ``b²`` reaches the exact squared distance of the cell with the
    largest ``b`` can be deepest, and for those only ``|j − k| <= b`` matters.
    """
    outside = ~np.pad(np.asarray(mask, bool), 1)
    g = _gaps(outside, 0)
    bound = np.minimum(g, _gaps(outside, 1))
    g2 = g.astype(np.int64) ** 2
    width = outside.shape[1]

    def exact(rows, cols, reach):
        """Squared distances of the cells ``(rows, cols)``, each within ``reach`` columns."""
        out = np.empty(rows.size, np.int64)
        span = int(reach.max()) if reach.size else 0
        step = max(1, chunk // (2 * span + 1))
        offset = np.arange(-span, span + 1)
        for s in range(0, rows.size, step):
            r, c, b = rows[s:s + step, None], cols[s:s + step, None], reach[s:s + step, None]
            k = c + offset
            far = (np.abs(offset) > b) | (k < 0) | (k >= width)
            d2 = g2[r, np.clip(k, 0, width - 1)] + offset ** 2
            out[s:s + step] = np.where(far, np.iinfo(np.int64).max, d2).min(1)
        return out

    start = np.unravel_index(np.argmax(bound), bound.shape)
    floor = exact(np.array([start[0]]), np.array([start[1]]), bound[start][None])[0]
    rows, cols = np.nonzero(bound.astype(np.int64) ** 2 >= floor)   # row-major order
    depth = exact(rows, cols, bound[rows, cols])
    best = np.argmax(depth)
    return int(rows[best]) - 1, int(cols[best]) - 1


def draw_regime_map(data: dict, ax=None, legend: bool = True):
    """Draw a :func:`sim.analysis.regime_map` result; returns the figure.

    ``data["weights"]`` and ``data["discounts"]`` are the x and y values, ``data["regime"]``
    the codes of shape ``(len(y), len(x))``. Optional keys, for maps over other axes (such as
    sweeps): ``xlabel``, ``ylabel``, ``heading`` (the title; by default built from ``title``
    and ``slice``, the player whose weight varies and the one held), ``point_label`` (legend text of
    ``point``, which may be ``None``), ``thresholds`` (curves y(x) per profile) and
    ``boundaries`` (boolean grids per profile, "the profile sustains (C,C)", whose edges are
    drawn in the profile's line style).
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.patches import Patch

    r, d, code = data["weights"], data["discounts"], np.asarray(data["regime"])
    if ax is None:
        fig, ax = plt.subplots(figsize=(10, 6.2), layout="constrained")
    else:
        fig = ax.figure
    cmap = ListedColormap([REGIME_COLOURS[n] for n in REGIMES])
    norm = BoundaryNorm(np.arange(len(REGIMES) + 1) - 0.5, len(REGIMES))
    ax.pcolormesh(r, d, code, cmap=cmap, norm=norm, shading="nearest", rasterized=True)
    ax.contour(r, d, code, levels=np.arange(len(REGIMES)) + 0.5, colors="black",
               linewidths=0.8)
    blocked = np.asarray(data["blocked"], float)
    if blocked.any():
        ax.contourf(r, d, blocked, levels=[0.5, 1.5], colors="none", hatches=["///"])
    present = [i for i in range(len(REGIMES)) if (code == i).any()]
    for i in present:                         # label each regime at its most interior point
        if np.pad(code == i, 1).mean() < 0.01:
            continue
        k, j = deepest_point(code == i)
        ax.text(r[j], d[k], REGIMES[i], ha=_align(j, len(r), "left", "right"),
                va=_align(k, len(d), "bottom", "top"), fontsize=9,
                bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.8))
    curves = data.get("thresholds", {})
    for name in sorted(curves, key=list(CURVE_STYLES).index):      # the spe band first
        style, label, lw, grey = CURVE_STYLES[name]
        y = np.asarray(curves[name], float)
        inside = (y > d.min()) & (y < d.max())     # a threshold 0 is the axis, not a boundary
        ax.plot(r, np.where(inside, y, np.nan), style, color=grey, lw=lw, label=label,
                alpha=0.75 if name == "spe" else 1.0, solid_capstyle="butt")
    for name, mask in data.get("boundaries", {}).items():
        mask = np.asarray(mask, float)
        if 0 < mask.mean() < 1:
            style, label, lw, grey = CURVE_STYLES[name]
            ax.contour(r, d, mask, levels=[0.5], colors=grey, linestyles=style,
                       linewidths=lw)
            ax.plot([], [], style, color=grey, lw=lw, label=label)
    if data.get("point") is not None:
        x, y = data["point"]
        ax.plot([x], [y], marker="*", ms=16, mfc="white", mec="black", mew=1.5, ls="none",
                clip_on=False, zorder=6,             # whole even on the map's edge (r = 0)
                label=data.get("point_label", f"this scenario (r = {x:.2f}, δ = {y:.2f})"))
    ax.set_xlim(r.min(), r.max())
    ax.set_ylim(d.min(), d.max())
    ax.set_xlabel(data.get("xlabel", "relative-gain weight r of both players (dimensionless; "
                                     "0 = absolute gains, 1 = relative gains)"))
    ax.set_ylabel(data.get("ylabel", "discount factor δ (dimensionless; shadow of the future)"))
    heading = f"{data.get('title')}: when is bloc-level cooperation an equilibrium?"
    if data.get("slice"):                     # unequal weights: which weight varies, which held
        (held, value), = data["slice"]["held"].items()
        heading += f"\n(slice through this scenario: {data['slice']['varied']}'s weight varies, " \
                   f"{held}'s held at {value:.2f})"
    ax.set_title(data.get("heading", heading))
    if legend:
        handles = [Patch(facecolor=REGIME_COLOURS[REGIMES[i]], edgecolor="black",
                         label=f"{REGIMES[i]}: {_short(REGIME_TEXT[REGIMES[i]], 60)}")
                   for i in present]
        if blocked.any():
            handles.append(Patch(facecolor="white", edgecolor="black", hatch="///",
                                 label="blocked by relative gains:\ncooperative at r = 0, "
                                       "not at this r"))
        lines, labels = ax.get_legend_handles_labels()
        ax.legend(handles=handles + lines, loc="upper left", bbox_to_anchor=(1.01, 1),
                  fontsize=7.5, frameon=False, labelspacing=0.9)
    return fig
