"""Figures of a finished sweep, drawn from its saved table (nothing is recomputed).

* one axis: the measure against the axis; the regime as labelled bands (hatched where blocked
  by relative gains); the points where the analytic regime changes marked and named;
* two axes: a regime map (:func:`sim.plots.regions.draw_regime_map`: colours, hatching,
  legend in words), a map of categories (e.g. the tournament winner: one fill and hatch per
  category, legend in words) or a heatmap with labelled contour lines; the analytic boundaries
  (where grim trigger sustains (C,C), where (C,C) is an equilibrium outcome, optionally where
  WSLS does) drawn over it, so simulated maps can be compared with theory;
* three axes: a row of two-axis maps, one per value of the third axis (at most
  ``MAX_PANELS``, evenly spaced).

The scenario's own point is marked with a star. Analytic overlays are evaluated from the
scenario saved in the metadata (milliseconds): on the plotted grid for regime maps, on a fine
grid of ``OVERLAY_POINTS`` per axis over the same range for the other maps, so that the edges
are smooth however coarse the simulated grid; the measures themselves come from the table.
Grids larger than ``MAX_CELLS`` per axis are drawn at every k-th value.
"""

from __future__ import annotations

import math

import numpy as np

from ..equilibria import REGIME_TEXT, REGIMES, TOL, is_cooperative, threshold_interval
from .regions import REGIME_COLOURS, draw_regime_map

MAX_PANELS = 4
MAX_CELLS = 800
OVERLAY_POINTS = 401
OVERLAY_STYLES = {"cooperative": ("--", "edge of (C,C) as an equilibrium outcome (analytic)"),
                  "grim": ("-", "edge of grim trigger sustaining (C,C) (analytic)"),
                  "wsls": (":", "edge of WSLS sustaining (C,C) (analytic)")}
#: Overlays drawn unless the caller names others.
DEFAULT_OVERLAYS = ("cooperative", "grim")
#: Fills and hatches of categories (e.g. tournament winners): apart in lightness and pattern.
CATEGORY_FILLS = ("#08306b", "#fdd0a2", "#4292c6", "#ffffff", "#f16913", "#c6dbef",
                  "#969696", "#7f2704")
CATEGORY_HATCHES = ("", "..", "//", "", "xx", "\\\\", "++", "")


def _unit(key: str) -> str:
    if key.startswith(("payoffs.", "factors.")):
        return "payoff units"
    if key.startswith("parameters."):
        return "scenario parameter; 1 = its baseline level" if key == "parameters.threat" \
            else "scenario parameter"
    if key.startswith("preferences.actors."):
        return "number of actors"
    return "dimensionless"


def _label(axis: dict) -> str:
    """The axis's label with its unit, wrapped so that maps side by side keep them apart."""
    import textwrap

    return textwrap.fill(f"{axis['label']} ({_unit(axis['keys'][0])})", 60)


def _scenario(meta):
    from .. import scenario as scenario_mod

    prov = meta["provenance"]
    return scenario_mod.from_dict(prov["parameters"], prov["source"])


def figure_names(meta: dict, only=()) -> list[str]:
    """Measures that get a figure (``blocked_by_relative_gains`` is drawn as hatching on the
    regime figure when both were measured)."""
    from ..errors import SweepError

    names = [m["name"] for m in meta["sweep"]["measures"]]
    for n in only:
        if n not in names:
            raise SweepError(f"--measure {n}: not in this sweep; allowed: {', '.join(names)}")
    if only:
        return list(only)
    if "regime" in names:
        names = [n for n in names if n != "blocked_by_relative_gains"]
    return names


def _overlays(sc, axes: list[dict], values: dict):
    """Analytic masks on the plotted grid: ``cooperative`` regime and ``grim`` sustained.

    ``values`` maps keys to arrays shaped to broadcast over the grid of ``axes``."""
    from ..sweep.measures import Batch

    shape = tuple(len(a["plot_values"]) for a in axes)
    batch = Batch(sc, values, shape)
    U, V = batch.utility
    delta = batch.inputs[4]
    masks = {}
    for profile in ("grim", "wsls"):
        lo, hi = threshold_interval(U, V, profile)
        masks[profile] = batch.full((np.asarray(delta) >= lo[2] - TOL)
                                    & (np.asarray(delta) <= hi[2] + TOL))
    return {"cooperative": batch.full(is_cooperative(batch.regimes[0])),
            "regime": batch.full(batch.regimes[0]), **masks}


def _grid_values(axes, fixed):
    n = len(axes)
    values = {}
    for k, a in enumerate(axes):
        for key in a["keys"]:
            values[key] = np.asarray(a["plot_values"]).reshape((1,) * k + (-1,) + (1,) * (n - k - 1))
    values.update(fixed)
    return values


def _title(sc, measure: dict) -> str:
    if measure["name"] == "regime":
        return f"{sc.title}: when is bloc-level cooperation an equilibrium?"
    return f"{sc.title}: {measure['name'].replace('_', ' ')}"


def draw_measure(meta: dict, columns: dict, name: str, overlays=DEFAULT_OVERLAYS,
                 title: str | None = None):
    """The figure of one measure of a finished sweep (``meta``, ``columns`` as returned by
    :func:`sim.sweep.store.load`); returns the figure. ``overlays`` names the analytic edges
    drawn over two-axis maps of measures other than the regime (keys of ``OVERLAY_STYLES``);
    ``title`` replaces the default title."""
    import matplotlib.pyplot as plt

    sweep = meta["sweep"]
    measure = next(m for m in sweep["measures"] if m["name"] == name)
    sc = _scenario(meta)
    shape = tuple(sweep["shape"])
    data = np.asarray(columns[name]).reshape(shape)
    blocked = (np.asarray(columns["blocked_by_relative_gains"]).reshape(shape)
               if "blocked_by_relative_gains" in columns else np.zeros(shape, bool))
    axes = [dict(a) for a in sweep["axes"]]
    # decimate long axes, drop axes of one value (noted in the title)
    index, kept, fixed_note, fixed = [], [], [], {}
    for a in axes:
        n = len(a["values"])
        if n == 1:
            index.append(0)
            fixed_note.append(f"{a['label']} = {a['values'][0]:g}")
            fixed.update({k: np.asarray(a["values"][0]) for k in a["keys"]})
            continue
        step = math.ceil(n / MAX_CELLS)
        index.append(slice(None, None, step))
        a["plot_values"] = np.asarray(a["values"])[::step]
        kept.append(a)
    data, blocked = data[tuple(index)], blocked[tuple(index)]
    title = (title or _title(sc, measure)) + (f" ({'; '.join(fixed_note)})" if fixed_note
                                              else "")
    if len(kept) <= 1:
        fig, ax = plt.subplots(figsize=(10, 4.8), layout="constrained")
        axis = kept[0] if kept else {**axes[0], "plot_values": np.asarray(axes[0]["values"])}
        _line(ax, sc, axis, data.ravel(), blocked.ravel(), measure, fixed)
        ax.set_title(title)
        return fig
    if len(kept) == 2:
        fig, ax = plt.subplots(figsize=(11, 6.2), layout="constrained")
        _map(ax, sc, kept, data, blocked, measure, fixed, title, legend=True, colorbar=True,
             overlays=overlays)
        return fig
    third = kept[2]
    n3 = len(third["plot_values"])
    finite = (None if measure["dtype"] in ("regime", "category") else
              np.asarray(data, float)[np.isfinite(np.asarray(data, float))])
    if finite is not None and finite.size:       # one colour scale for all panels
        measure = {**measure, "vmin": float(finite.min()), "vmax": float(finite.max())}
    picks = np.unique(np.linspace(0, n3 - 1, min(n3, MAX_PANELS)).round().astype(int))
    fig, axs = plt.subplots(1, len(picks), figsize=(4.6 * len(picks) + 4, 5.2),
                            layout="constrained", sharey=True, squeeze=False)
    for j, (ax, k) in enumerate(zip(axs[0], picks)):
        v = third["plot_values"][k]
        panel_fixed = {**fixed, **{key: np.asarray(v) for key in third["keys"]}}
        _map(ax, sc, kept[:2], data[:, :, k], blocked[:, :, k], measure, panel_fixed,
             f"{third['label']} = {v:.3g}",
             legend=j == len(picks) - 1,
             colorbar=j == len(picks) - 1, overlays=overlays)
        if j:
            ax.set_ylabel("")
    unit = _unit(third["keys"][0])                # once for all panels, not on each
    fig.suptitle(title + ("" if unit == "dimensionless" else
                          f"\npanels: {third['label']} ({unit})"))
    return fig


def _line(ax, sc, axis, y, blocked, measure, fixed):
    """One axis: the measure, and the points where the analytic regime changes."""
    x = np.asarray(axis["plot_values"], float)
    log = axis["kind"] == "log"
    if measure["dtype"] == "regime":
        edges = np.concatenate([[x[0]], (x[1:] + x[:-1]) / 2, [x[-1]]]) if len(x) > 1 else \
            np.array([x[0] - 0.5, x[0] + 0.5])
        seen = set()
        for i, code in enumerate(y):
            name = REGIMES[int(code)]
            ax.axvspan(edges[i], edges[i + 1], color=REGIME_COLOURS[name], lw=0,
                       hatch="///" if blocked[i] else None,
                       label=None if name in seen else f"{name}: {REGIME_TEXT[name]}")
            seen.add(name)
        ax.set_yticks([])
        ax.set_ylabel("regime")
    elif measure["dtype"] == "category":
        labels = measure["categories"]
        ax.plot(x, np.asarray(y, int), "o-" if len(x) <= 60 else "-", drawstyle="steps-mid",
                color="black", ms=3, lw=1.4, label=measure["name"].replace("_", " "))
        ax.set_yticks(range(len(labels)), labels)
        ax.set_ylim(-0.5, len(labels) - 0.5)
        ax.set_ylabel(measure["name"].replace("_", " "))
    else:
        values = np.asarray(y, float)
        ax.plot(x, values, "o-" if len(x) <= 60 else "-", color="black", ms=3, lw=1.4,
                label=measure["name"].replace("_", " "))
        ax.set_ylabel(f"{measure['name'].replace('_', ' ')} ({measure['unit'] or 'value'})")
    fine = (np.geomspace if log else np.linspace)(x.min(), x.max(), 2001)
    sub = {**{k: fine for k in axis["keys"]}, **fixed}
    regime = _overlays(sc, [{**axis, "plot_values": fine}], sub)["regime"]
    changes = np.flatnonzero(np.diff(regime))
    for i in changes:
        at = fine[i + 1]
        ax.axvline(at, color="black", ls=":", lw=1.2)
        ax.annotate(f"→ {REGIMES[regime[i + 1]]} at {at:.3g}", (at, 1), xycoords=("data",
                    "axes fraction"), rotation=90, va="top", ha="right", fontsize=8)
    if changes.size:
        ax.plot([], [], ":", color="black", label="analytic regime changes (thresholds)")
    own = sc.value(axis["keys"][0])
    if x.min() <= own <= x.max():
        ax.axvline(own, color="black", lw=2.2, ls="-.", label=f"this scenario ({own:.3g})")
    if log:
        _log_scale(ax, ax.xaxis)
    if x.max() > x.min():                      # one value: matplotlib's margins around it
        ax.set_xlim(x.min(), x.max())
    ax.set_xlabel(_label(axis))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=7.5, frameon=False)


def _point(sc, kept):
    x, y = (sc.value(a["keys"][0]) for a in kept)
    inside = all(min(a["plot_values"]) <= v <= max(a["plot_values"])
                 for a, v in zip(kept, (x, y)))
    return (x, y) if inside else None


def _fine(axis: dict) -> np.ndarray:
    """``OVERLAY_POINTS`` values over the axis's range (log-spaced on a log axis)."""
    v = np.asarray(axis["plot_values"], float)
    return (np.geomspace if axis["kind"] == "log" else np.linspace)(v.min(), v.max(),
                                                                   OVERLAY_POINTS)


def _map(ax, sc, kept, Z, blocked, measure, fixed, title, legend, colorbar,
         overlays=DEFAULT_OVERLAYS):
    """Two axes: regime map, category map or heatmap, analytic overlays, the scenario's
    point."""
    from matplotlib import patheffects
    from matplotlib.lines import Line2D

    xa, ya = kept
    x, y = np.asarray(xa["plot_values"]), np.asarray(ya["plot_values"])
    point = _point(sc, kept)
    if measure["dtype"] == "regime":
        over = _overlays(sc, kept, _grid_values(kept, fixed))
        draw_regime_map({"weights": x, "discounts": y, "regime": Z.T, "blocked": blocked.T,
                         "boundaries": {"grim": over["grim"].T}, "point": point,
                         "point_label": "this scenario" if point is None else
                         f"this scenario ({point[0]:.3g}, {point[1]:.3g})",
                         "xlabel": _label(xa), "ylabel": _label(ya), "heading": title,
                         "title": sc.title}, ax=ax, legend=legend)
    else:
        fine = [{**a, "plot_values": _fine(a)} for a in kept]
        over = _overlays(sc, fine, _grid_values(fine, fixed))
        fx, fy = (f["plot_values"] for f in fine)
        handles = (_categories(ax, x, y, np.asarray(Z).T, measure["categories"])
                   if measure["dtype"] == "category"
                   else _heatmap(ax, x, y, np.asarray(Z, float).T, measure, colorbar))
        halo = [patheffects.Stroke(linewidth=3.6, foreground="white"), patheffects.Normal()]
        for key in overlays:
            style, label = OVERLAY_STYLES[key]
            mask = np.asarray(over[key], float).T
            if 0 < mask.mean() < 1:         # black on a white halo: visible on any fill
                ax.contour(fx, fy, mask, levels=[0.5], colors="black", linestyles=style,
                           linewidths=1.8).set(path_effects=halo)
                handles.append(Line2D([], [], color="black", ls=style, lw=1.8, label=label,
                                      path_effects=halo))
        if point is not None:
            ax.plot(*point, marker="*", ms=16, mfc="white", mec="black", mew=1.5, ls="none")
            handles.append(Line2D([], [], marker="*", ms=12, mfc="white", mec="black",
                                  ls="none", label=f"this scenario ({point[0]:.3g}, "
                                                   f"{point[1]:.3g})"))
        if legend:                  # below the figure: clear of (wrapped) axis labels
            ax.figure.legend(handles=handles, loc="outside lower center", fontsize=7.5,
                             frameon=False, ncol=min(len(handles), 4))
        ax.set_xlabel(_label(xa))
        ax.set_ylabel(_label(ya))
        ax.set_title(title)
    for a, axis in ((xa, ax.xaxis), (ya, ax.yaxis)):
        if a["kind"] == "log":
            _log_scale(ax, axis)


def _heatmap(ax, x, y, values, measure, colorbar) -> list:
    """A heatmap with labelled contours; NaN cells hatched. Returns legend handles."""
    from matplotlib.patches import Patch

    mesh = ax.pcolormesh(x, y, values, cmap="viridis", shading="nearest", rasterized=True,
                         vmin=measure.get("vmin"), vmax=measure.get("vmax"))
    finite = values[np.isfinite(values)]
    if finite.size and finite.max() > finite.min():
        from matplotlib.ticker import MaxNLocator

        lo, hi = finite.min(), finite.max()
        span = hi - lo
        # levels strictly inside the range: a contour at the extreme value traces round-off
        levels = [v for v in MaxNLocator(6).tick_values(lo, hi)
                  if lo + 1e-6 * span < v < hi - 1e-6 * span]
        if levels:
            cs = ax.contour(x, y, values, levels=levels, colors="white", linewidths=0.8)
            ax.clabel(cs, fontsize=7, fmt="%.3g")
    handles = []
    if np.isnan(values).any():
        ax.contourf(x, y, np.isnan(values).astype(float), levels=[0.5, 1.5], colors="none",
                    hatches=["xx"])
        handles.append(Patch(facecolor="white", edgecolor="black", hatch="xx",
                             label="no value (e.g. no δ < 1 suffices)"))
    if colorbar:
        ax.figure.colorbar(mesh, ax=ax, label=f"{measure['name'].replace('_', ' ')} "
                                              f"({measure['unit'] or 'value'})")
    return handles


def _cell_grid(v: np.ndarray) -> np.ndarray:
    """Each cell of a ``shading="nearest"`` mesh as two points just inside its edges, so that
    contours of cell values drawn on it follow the cell edges (a staircase, as the mesh)."""
    v = np.asarray(v, float)
    if v.size == 1:
        return np.array([v[0] - 0.5, v[0] + 0.5])
    mid = (v[1:] + v[:-1]) / 2
    edges = np.concatenate([[2 * v[0] - mid[0]], mid, [2 * v[-1] - mid[-1]]])
    inset = 1e-3 * np.diff(edges)
    return np.stack([edges[:-1] + inset, edges[1:] - inset], 1).ravel()


def _categories(ax, x, y, codes, labels) -> list:
    """One fill and hatch per category present, edges between categories drawn; returns
    legend handles naming the categories."""
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.patches import Patch

    n = len(labels)
    fills = [CATEGORY_FILLS[i % len(CATEGORY_FILLS)] for i in range(n)]
    hatches = [CATEGORY_HATCHES[i % len(CATEGORY_HATCHES)] for i in range(n)]
    ax.pcolormesh(x, y, codes, cmap=ListedColormap(fills),
                  norm=BoundaryNorm(np.arange(n + 1) - 0.5, n), shading="nearest",
                  rasterized=True)
    cx, cy = _cell_grid(x), _cell_grid(y)
    cells = np.repeat(np.repeat(codes, 2, axis=0), 2, axis=1)
    present = [i for i in range(n) if (codes == i).any()]
    for i in present:
        if hatches[i]:
            ax.contourf(cx, cy, (cells == i).astype(float), levels=[0.5, 1.5], colors="none",
                        hatches=[hatches[i]])
    if len(present) > 1:
        ax.contour(cx, cy, cells, levels=np.arange(n - 1) + 0.5, colors="black",
                   linewidths=0.6)
    return [Patch(facecolor=fills[i], edgecolor="black", hatch=hatches[i], label=labels[i])
            for i in present]


def _log_scale(ax, axis) -> None:
    """A log scale with plain-number tick labels, at least three of them however narrow the
    range: powers of ten on a wide axis, 1-2-5 steps within a decade or two, and evenly
    spaced (on the log scale) values on an axis narrower than a factor of five."""
    from matplotlib.ticker import (FixedLocator, FormatStrFormatter, LogLocator,
                                   NullFormatter)

    (ax.set_xscale if axis is ax.xaxis else ax.set_yscale)("log")
    lo, hi = sorted(axis.get_view_interval())
    decades = np.log10(hi / lo) if lo > 0 and hi > lo else 0.0
    if decades <= 2.5:
        ticks = [t for t in LogLocator(subs=(1.0, 2.0, 5.0)).tick_values(lo, hi)
                 if lo <= t <= hi]
        if len(ticks) < 3:
            ticks = [float(f"{t:.2g}") for t in np.geomspace(lo, hi, 4)]
        axis.set_major_locator(FixedLocator(ticks))
    axis.set_major_formatter(FormatStrFormatter("%g"))
    axis.set_minor_formatter(NullFormatter())
