"""Trust figures: the belief timeline of the record, and trust-threshold maps over
(prior, signal cost) and (prior, δ).

Readable in greyscale: beliefs differ in line style and marker, map regions in lightness and
hatching, and every region and line is labelled.
"""

from __future__ import annotations

import numpy as np

from ..trust.summary import OUTCOMES

#: Fills of the (prior, cost) map's outcomes, ordered by lightness; hatches tell them apart
#: in black-and-white print too.
OUTCOME_FILLS = ("#f0f0f0", "#bdbdbd", "#ffffff", "#636363")
OUTCOME_HATCHES = ("", "..", "//", "")


def event_key(events) -> list[str]:
    """One line per event of the record, numbered as on the timeline: ``"1  1993: CIS Joint
    Command's first invitation (2.2)"``."""
    return [f"{i}  {e['date']}: {e['label']} ({e['section']})" for i, e in enumerate(events, 1)]


def plot_belief_timeline(account: dict, title: str):
    """Each side's posterior after each event of the record, with the trust thresholds; the
    events are numbered above the plot and named in a key below it (every one of them)."""
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    ev = account["events"]
    years = np.array([e["year"] for e in ev])
    mu = np.array([e["posterior"] for e in ev])
    nu = np.array([e["trustee_posterior"] for e in ev])
    fig, ax = plt.subplots(figsize=(10, 6.8), layout="constrained")
    x = np.r_[years[0] - 0.6, years]
    ax.step(x, np.r_[account["prior"], mu], where="post", color="black", lw=2,
            label=f"{account['truster']}'s belief that the {account['trustee']} is a "
                  f"{account['cooperative']}")
    ax.plot(years, mu, "o", color="black", ms=6)
    ax.step(x, np.r_[nu[0] if len(nu) else 0.5, nu], where="post", color="0.45", lw=1.6,
            ls="--", label=f"{account['trustee']}'s belief that {account['truster']} is "
                            f"{account['truster_type']}")
    ax.plot(years, nu, "s", color="0.45", ms=5, mfc="white")
    if account["threshold"] is not None:
        ax.axhline(account["threshold"], color="black", ls=":", lw=1.4,
                   label=f"trust threshold, one-shot game (p* = {account['threshold']:.3g})")
    if account["threshold_repeated"] is not None:
        ax.axhline(account["threshold_repeated"], color="0.3", ls="-.", lw=1.2,
                   label=f"trust threshold at δ = {account['discount']:g} "
                         f"(p* = {account['threshold_repeated']:.3g})")
    lift, last = 0, -np.inf
    for i, e in enumerate(ev, 1):
        ax.axvline(e["year"], color="0.8", lw=0.8, zorder=0)
        lift = 0 if e["year"] - last > 0.4 or lift else 11      # stagger crowded labels
        last = e["year"]
        ax.annotate(f"{i}", (e["year"], 1.02), xytext=(0, 3 + lift),
                    textcoords="offset points", ha="center", va="bottom", fontsize=9,
                    fontweight="bold")
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlim(x[0], years[-1] + 0.6)
    ax.set_xlabel("year")
    ax.set_ylabel("posterior probability")
    ax.set_title(title + "\nsilence is a best reply while the belief is below the threshold",
                 pad=26)
    ax.legend(loc="upper left", fontsize=8.5, framealpha=0.95)
    fig.legend(handles=[Line2D([], [], ls="none") for _ in ev], labels=event_key(ev),
               loc="outside lower center", ncols=2, fontsize=9, handlelength=0,
               handletextpad=0, columnspacing=2.5, frameon=False, alignment="left",
               title="events of the record, numbered above the plot (report sections in "
                     "brackets)", title_fontsize=9)
    return fig


def plot_cost_map(data: dict, title: str, point=None):
    """Which PBE survives the intuitive criterion over (prior, signal cost)."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.patches import Patch

    p, c, code = data["priors"], data["costs"], data["outcome"]
    fig, ax = plt.subplots(figsize=(9, 6), layout="constrained")
    cmap = ListedColormap(OUTCOME_FILLS)
    ax.pcolormesh(p, c, code, cmap=cmap, norm=BoundaryNorm(np.arange(5) - 0.5, 4),
                  shading="nearest", rasterized=True)
    for k, hatch in enumerate(OUTCOME_HATCHES):
        if hatch and (code == k).any():
            ax.contourf(p, c, (code == k).astype(float), levels=[0.5, 1.5], colors="none",
                        hatches=[hatch])
    ax.contour(p, c, code, levels=np.arange(4) + 0.5, colors="black", linewidths=0.8)
    if np.isfinite(data["threshold"]):
        ax.axvline(data["threshold"], color="black", ls=":", lw=1.4)
        ax.annotate(f"trust threshold p* = {data['threshold']:.3g}", (data["threshold"], c[-1]),
                    xytext=(-4, -12), textcoords="offset points", fontsize=9, ha="right",
                    color="white", fontweight="bold")
    lo, hi = data["reassurance"]
    for v, text in ((lo, "the other type's valuation / cost ratio"),
                    (hi, "the cooperative type's valuation")):
        if np.isfinite(v) and c[0] <= v <= c[-1]:
            ax.axhline(v, color="0.25", ls="--", lw=1)
            ax.annotate(text, (p[0], v), xytext=(4, 3), textcoords="offset points",
                        fontsize=8.5)
    if point is not None:
        ax.plot(*point, marker="*", ms=16, color="white", mec="black", mew=1.2, ls="none",
                label="the scenario")
    handles = [Patch(facecolor=OUTCOME_FILLS[k], edgecolor="black", hatch=OUTCOME_HATCHES[k],
                     label=OUTCOMES[k]) for k in range(4) if (code == k).any()]
    if point is not None:
        handles.append(ax.lines[-1])
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=9,
              title="what the intuitive criterion leaves")
    ax.set_xlabel("prior belief that the sender is the cooperative type")
    ax.set_ylabel(f"cost of the gesture to the cooperative type (payoff units; "
                  f"× {data['cost_ratio']:g} to the other)")
    ax.set_title(title)
    return fig


def plot_delta_map(data: dict, title: str, point=None):
    """Probability of a spiral by the horizon over (prior, δ), and the trust threshold."""
    import matplotlib.pyplot as plt

    p, d, spiral = data["priors"], data["deltas"], data["spiral"]
    fig, ax = plt.subplots(figsize=(9, 6), layout="constrained")
    mesh = ax.pcolormesh(p, d, spiral, cmap="Greys", vmin=0, vmax=1, shading="nearest",
                         rasterized=True)
    cs = ax.contour(p, d, spiral, levels=[0.05, 0.25, 0.5, 0.75, 0.95], colors="black",
                    linewidths=0.7, linestyles="--")
    ax.clabel(cs, fmt="%.2f", fontsize=8)
    ok = np.isfinite(data["threshold"])
    ax.plot(data["threshold"][ok], d[ok], color="black", lw=2.2,
            label="trust threshold p*(δ): a cooperative equilibrium exists to its right")
    if point is not None:
        ax.plot(*point, marker="*", ms=16, color="white", mec="black", mew=1.2, ls="none",
                label="the scenario")
    fig.colorbar(mesh, ax=ax, label=f"probability that two cooperative types are in mutual "
                                    f"defection by round {data['horizon']}")
    ax.set_xlabel("prior belief that the other side is the cooperative type "
                  f"(the other side's own prior: {data['other_prior']:.3g})")
    ax.set_ylabel("discount factor δ (grim trigger against always-defect)")
    ax.set_title(title + f"\nexecution noise ε = {data['noise']:g}, {data['reading']} reading "
                 "of the other's defections")
    ax.legend(loc="upper right", fontsize=9, framealpha=0.95)
    return fig
