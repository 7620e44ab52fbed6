"""Robustness figures: the tornado chart of break-even values and the Sobol index bars.

Both take a :func:`sim.robust.robustness` result and return a matplotlib ``Figure``.
Greyscale-safe: the verdict's interval is a dark bar, a key's range an outlined box, the part
of a range where the verdict changes is hatched; first-order and total indices differ in
fill and hatching, not in colour alone.
"""

from __future__ import annotations

import numpy as np

#: Half-width of the tornado's x axis, in widths of each key's range.
SPAN = 2.0
#: A label beside a bar ending within this many range widths of the axis' end is written
#: inside the bar's end instead (there is no room beside it).
INSIDE = 0.6
VERDICTS = {"regime": "the regime", "blocked": "the 'blocked by relative gains' flag"}


def _edge(hit, value, width, sign):
    """Break-even position in range widths from the key's value (``sign · inf`` if the
    verdict never changes on that side)."""
    return sign * np.inf if hit is None else (hit["value"] - value) / width


def tornado(result, max_keys: int = 20):
    """Per key, the interval around its value within which the verdict holds (one key moved,
    the others at their values), against the key's range; most fragile key on top."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch, Rectangle

    edges = result["break_even"]
    fig, axes = plt.subplots(1, 2, figsize=(13, 0.9 + 0.42 * min(len(edges), max_keys)),
                             sharey=True, layout="constrained")
    order = sorted(edges, key=lambda e: min(
        abs(_edge(e[v][s], e["value"], e["range"][1] - e["range"][0], 1))
        for v in VERDICTS for s in ("below", "above")))[:max_keys]
    for ax, what in zip(axes, VERDICTS):
        for y, e in enumerate(order):
            lo, hi = e["range"]
            w = hi - lo
            left = max(_edge(e[what]["below"], e["value"], w, -1), -SPAN)
            right = min(_edge(e[what]["above"], e["value"], w, 1), SPAN)
            ax.barh(y, right - left, left=left, height=0.55, color="0.35", zorder=2)
            r_lo, r_hi = (lo - e["value"]) / w, (hi - e["value"]) / w
            ax.add_patch(Rectangle((r_lo, y - 0.4), r_hi - r_lo, 0.8, fill=False,
                                   ec="black", lw=1.0, zorder=3))
            for a, b in ((r_lo, left), (right, r_hi)):          # range beyond a break-even
                if b > a:
                    ax.add_patch(Rectangle((a, y - 0.4), b - a, 0.8, fill=False, ec="black",
                                           hatch="////", lw=0, zorder=3))
            for side, x, box in (("below", left, r_lo), ("above", right, r_hi)):
                hit = e[what][side]
                clipped = abs(x) >= SPAN
                if hit is None:
                    text = "holds" if clipped else ""
                else:
                    to = hit["to"] if isinstance(hit["to"], str) else (
                        "blocked" if hit["to"] else "not blocked")
                    text = f"{hit['value']:.3g} → {to}"
                if clipped:
                    text = f"◀ {text}" if side == "below" else f"{text} ▶"
                sign = -1 if side == "below" else 1
                # beside the bar, clear of the key's range and its hatching; inside the
                # bar's end (white on the bar's grey) where there is no room beside it
                beyond = sign * max(sign * x, sign * box)
                inside = sign * beyond > SPAN - INSIDE
                at = x - sign * 0.05 if inside else beyond + sign * 0.05
                ax.text(at, y, text, ha="left" if (side == "below") == inside else "right",
                        va="center", fontsize=7, zorder=4,
                        color="white" if inside else "black",
                        bbox=dict(boxstyle="round,pad=0.15", ec="none",
                                  fc="0.35" if inside else "white"))
        ax.axvline(0, color="black", lw=0.8, ls=":")
        ax.set_xlim(-SPAN - 1.3, SPAN + 1.3)
        ax.set_title(f"where {VERDICTS[what]} holds", fontsize=10)
        ax.set_xlabel("distance from the scenario's value\n(in widths of the key's range; "
                      "dimensionless)")
        ax.grid(axis="x", color="0.85", zorder=0)
    axes[0].set_yticks(range(len(order)), [f"{e['label']}  [{e['range'][0]:.3g}, "
                                           f"{e['range'][1]:.3g}]" for e in order], fontsize=8)
    axes[0].invert_yaxis()
    handles = [Patch(fc="0.35", label="the scenario's verdict holds (one key moved)"),
               Patch(fill=False, ec="black", label="the key's range (from [uncertainty])"),
               Patch(fill=False, ec="black", hatch="////",
                     label="inside the range, beyond a break-even: the verdict changes")]
    fig.legend(handles=handles, loc="outside lower center", ncol=3, fontsize=8, frameon=False)
    nominal = result["nominal"]
    fig.suptitle(f"{result['scenario']['title']}: break-even values of the verdict "
                 f"({nominal['regime']}" + (", blocked by relative gains)" if nominal["blocked"]
                                             else ")"))
    return fig


def sensitivity_bars(result, max_keys: int = 15):
    """Sobol first-order (S1) and total (ST) indices with 95 % confidence intervals, for the
    regime and the blocked flag; keys by total index, largest on top."""
    import matplotlib.pyplot as plt

    outputs = result["sensitivity"]["outputs"]
    labels = [k["label"] for k in result["keys"]]
    fig, axes = plt.subplots(1, 2, figsize=(13, 1.2 + 0.36 * min(len(labels), max_keys)),
                             layout="constrained")
    for ax, what in zip(axes, VERDICTS):
        s = outputs[what]
        order = sorted(range(len(labels)), key=lambda i: -s["ST"][i])[:max_keys]
        y = np.arange(len(order))
        for offset, name, style in ((-0.2, "S1", dict(color="0.2")),
                                    (0.2, "ST", dict(color="white", ec="black", hatch="..."))):
            vals = np.array([s[name][i] for i in order])
            conf = np.array([s[f"{name}_conf"][i] for i in order])
            ax.barh(y + offset, vals, height=0.38, xerr=conf, capsize=2,
                    error_kw=dict(ecolor="black", lw=0.8), label={
                        "S1": "first order S1 (the key alone)",
                        "ST": "total ST (with interactions)"}[name], **style)
        ax.set_yticks(y, [labels[i] for i in order], fontsize=8)
        ax.invert_yaxis()
        ax.axvline(0, color="black", lw=0.8)
        ax.set_xlim(min(-0.05, ax.get_xlim()[0]), max(1.0, ax.get_xlim()[1]))
        ax.set_xlabel("Sobol index: share of the output's variance\n(dimensionless; "
                      "bars: 95 % confidence intervals)")
        share = (result["shares"]["blocked"] if what == "blocked" else
                 result["shares"]["regimes"].get(result["nominal"]["regime"], {"share": 0.0}))
        title = f"{s['text']} ({100 * share['share']:.1f} % of draws)"
        if s["variance"] == 0:
            title += "\n(no draw changes it: all indices 0)"
        ax.set_title(title, fontsize=10)
        ax.grid(axis="x", color="0.85", zorder=0)
        ax.legend(fontsize=8, loc="lower right")
    sens = result["sensitivity"]
    fig.suptitle(f"{result['scenario']['title']}: which judgement calls the verdict hinges on "
                 f"(SALib, {sens['evaluations']} evaluations)")
    return fig
