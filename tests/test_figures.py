"""Every figure type, for every built-in scenario, rendered and checked as a reader would:
a sane size, no text cut off at the figure's edge or spilling out of its panel, a legend
wherever something is labelled; long titles and names wrapped or cut (:mod:`sim.plots.text`)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from sim import scenario  # noqa: E402
from sim.outputs import FIGURE_DPI, lay_out  # noqa: E402
from sim.plots.text import ELLIPSIS, shorten  # noqa: E402

#: The largest figure we make, in pixels at the saved 150 dpi.
MAX_PIXELS = (4200, 2600)


def check_figure(fig, name: str) -> None:
    """Render ``fig`` as :func:`sim.outputs.save_figure` does and check size, text, legend."""
    from matplotlib.text import Text

    box = lay_out(fig)                               # inches; what save_figure saves
    fig.set_layout_engine(None)                      # and renders, as save_figure does
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    width, height = box.width * FIGURE_DPI, box.height * FIGURE_DPI
    assert width <= MAX_PIXELS[0] and height <= MAX_PIXELS[1], (name, width, height)
    frame = fig.bbox
    ticks, drawn = set(), set()              # tick labels outside the view are never drawn
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                ticks.update((id(tick.label1), id(tick.label2)))
            for tick in axis._update_ticks():
                drawn.update((id(tick.label1), id(tick.label2)))
    for t in fig.findobj(Text):
        if not t.get_visible() or not t.get_text().strip() or \
                (id(t) in ticks and id(t) not in drawn):
            continue
        ext = t.get_window_extent(renderer)
        assert ext.x0 >= frame.x0 - 2 and ext.x1 <= frame.x1 + 2 and \
            ext.y0 >= frame.y0 - 2 and ext.y1 <= frame.y1 + 2, \
            (name, "text outside the figure", t.get_text()[:60])
        ax = t.axes
        if ax is not None and t.get_transform() == ax.transData:      # labels in a panel
            inner = ax.get_window_extent(renderer)
            assert ext.x0 >= inner.x0 - 2 and ext.x1 <= inner.x1 + 2, \
                (name, "label spills out of its panel", t.get_text())
    _no_overlaps(fig, renderer, name)
    labelled = any(not h.get_label().startswith("_") for ax in fig.axes
                   for h in ax.get_legend_handles_labels()[0])
    if labelled:
        assert fig.legends or any(ax.get_legend() for ax in fig.axes), (name, "no legend")
    assert any(ax.get_title() for ax in fig.axes) or fig._suptitle is not None, name
    plt.close(fig)


def _no_overlaps(fig, renderer, name: str) -> None:
    """Titles and axis labels of all panels clear of one another, and every marker drawn over
    a panel's frame (``clip_on=False``) clear of its panel's title."""
    from matplotlib.lines import Line2D

    texts = [fig._suptitle] if fig._suptitle is not None else []
    for ax in fig.axes:
        texts += [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label]
    boxes = [(t.get_text(), t.get_window_extent(renderer).expanded(1, 1).padded(-1))
             for t in texts if t.get_visible() and t.get_text().strip()]     # 1 px: touching
    for i, (a, box) in enumerate(boxes):
        for b, other in boxes[i + 1:]:
            assert not box.overlaps(other), (name, "texts overlap", a[:40], b[:40])
    for ax in fig.axes:
        title = ax.title.get_window_extent(renderer) if ax.get_title() else None
        for line in ax.get_lines():
            if title is not None and not line.get_clip_on() and line.get_marker() not in \
                    (None, "None", "", " "):
                marker = line.get_window_extent(renderer)
                assert not marker.overlaps(title), (name, "marker over the title",
                                                    line.get_label())


def figures_of(sc) -> dict:
    """The figures the commands draw for a scenario (without saving them)."""
    from sim import analysis
    from sim.plots.folk import plot_folk, plot_folk_panels
    from sim.plots.regions import draw_regime_map
    from sim.plots.tournament import payoff_heatmap, ranking_chart
    from sim.tournament import tournament

    out = {"region_map": draw_regime_map(analysis.regime_map(sc))}
    game = sc.utility_game()
    result = tournament(["TFT", "AllD", "WSLS", "Grim"], game.A, game.B, turns=50)
    out["payoff_heatmap"], out["ranking"] = payoff_heatmap(result), ranking_chart(result)
    evo = sc.evolve().figures()
    out.update({f"evolve_{k}": v for k, v in evo.items()})
    material = sc.material_game()
    out["folk"] = plot_folk(game.A, game.B, [0.3, 0.6, sc.discount], players=sc.players,
                            title=f"{sc.title}: subgame-perfect payoffs")
    out["folk_weights"] = plot_folk_panels([(r, material.A, material.B) for r in (0, 0.5)],
                                           [0.3, 0.9], players=sc.players, title=sc.title)
    return {k: v if hasattr(v, "savefig") else v.figure for k, v in out.items()}


@pytest.mark.parametrize("name", scenario.builtin_names())
def test_every_figure_of_every_builtin_scenario(name):
    for kind, fig in figures_of(scenario.load(name)).items():
        check_figure(fig, f"{name}: {kind}")


def test_every_dynamics_figure():
    sc = scenario.load("prisoners_dilemma")
    for dynamics, players, extra in [("replicator", ["TFT", "AllD"], {}),
                                     ("moran", ["TFT", "AllD"], {"population": 30}),
                                     ("moran", ["TFT", "AllD", "AllC"],
                                      {"population": 12, "runs": 20}),
                                     ("generational", ["TFT", "AllD", "AllC"], {})]:
        on = scenario.load("bilateral_pfp") if dynamics == "replicator" else sc
        figs = on.evolve(players, dynamics=dynamics, **extra).figures()
        assert figs
        for kind, fig in figs.items():
            check_figure(fig if hasattr(fig, "savefig") else fig.figure, f"{dynamics}: {kind}")


def test_phase_plot_names_the_blocs_and_has_a_legend():
    from sim.plots.evolution import plot_phase_portrait

    A = np.array([[3.0, 0.0], [5.0, 1.0]])
    ax = plot_phase_portrait(A, A.T, row_strategies=["TFT", "AllD"],
                             column_strategies=["TFT", "AllD"], populations=("NATO", "CSTO"))
    assert ax.get_xlabel().startswith("NATO population")
    assert ax.get_ylabel().startswith("CSTO population")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("trajector" in x for x in labels) and any("direction" in x for x in labels)
    check_figure(ax.figure, "phase")


def test_ranking_says_ci_only_when_simulated():
    from sim.plots.tournament import ranking_chart
    from sim.tournament import tournament

    A = np.array([[3.0, 0.0], [5.0, 1.0]])
    for method, says in (("exact", False), ("simulate", True)):
        fig = ranking_chart(tournament(["TFT", "AllD", "Random"] if method == "simulate"
                                       else ["TFT", "AllD"], A, turns=20, repetitions=5,
                                       method=method))
        text = " ".join(t.get_text() for t in fig.axes[0].get_legend().get_texts())
        assert ("95 % CI" in text) is says, (method, text)
        check_figure(fig, f"ranking {method}")


@pytest.mark.parametrize("axes", [
    ["parameters.threat=log:0.5:8:12"],
    ["parameters.threat=log:0.5:8:12", "preferences.relative_gain_weight.NATO=0:1:10"],
    ["parameters.threat=log:0.5:8:12", "preferences.relative_gain_weight.NATO=0:1:10",
     "repeated.discount=0.5,0.9,0.99"],
    ["parameters.threat=log:0.9:1.1:12", "repeated.discount=0:0.99:10"],
])
def test_sweep_figures_on_log_axes(axes, tmp_path):
    from sim.plots.sweep import draw_measure
    from sim.sweep.run import run_sweep

    result = run_sweep("common_threat", axes, out=tmp_path, progress=False)
    meta, columns = result.load()
    fig = draw_measure(meta, columns, "regime")
    fig.canvas.draw()
    log_axis = fig.axes[0].xaxis
    shown = [t.get_text() for t in log_axis.get_ticklabels() if t.get_text()]
    assert len(shown) >= 3, shown                  # not only "1"
    check_figure(fig, f"sweep {len(axes)} axes")


def test_long_titles_wrap_and_long_names_are_cut():
    assert shorten("word " * 100, 40, 2).count("\n") == 1
    assert shorten("word " * 100, 40, 2).endswith(ELLIPSIS)
    assert shorten("short", 40, 2) == "short"
    fig, ax = plt.subplots(figsize=(6, 4), layout="constrained")   # as every blocsim figure
    ax.set_title("T" * 5000)
    ax.plot([0, 1], [0, 1], label="n" * 5000)
    ax.set_xlabel("x" * 3000)
    ax.legend()
    check_figure(fig, "long texts")


def test_format_and_robustness_figures():
    """The figures of ``blocsim formats`` (a point on the map's edge included) and
    ``blocsim robust``."""
    from sim.blocs.maps import default_axes, format_map
    from sim.blocs.summary import format_summary
    from sim.plots.formats import plot_format_map, plot_formats
    from sim.plots.robust import sensitivity_bars, tornado

    members = scenario.load("nato_csto_members")
    grid = format_map(members, *default_axes(members))
    assert grid["point"][1] == max(grid["y"])                  # the star on the top edge
    check_figure(plot_formats(format_summary(members)), "formats")
    check_figure(plot_format_map(grid), "format map")
    result = scenario.load("nato_csto_2007").robust(256, seed=1)
    check_figure(tornado(result), "tornado")
    check_figure(sensitivity_bars(result), "sensitivity")


def test_trust_figures_and_every_event_of_the_timeline_is_named():
    """The figures of ``blocsim trust``; on the belief timeline every event of the record is
    numbered above the plot and named, in full, in the key (after the texts are fitted)."""
    from matplotlib.text import Text

    run = scenario.load("nato_csto_trust").trust()
    events = run["record"]["events"]
    assert len(events) == 10
    figures = run.figures()
    timeline = figures["belief_timeline"]
    lay_out(timeline)                                # texts fitted as when saved
    lines = [line for t in timeline.findobj(Text) if t.get_visible()
             for line in t.get_text().split("\n")]
    for i, e in enumerate(events, 1):
        named = [line for line in lines if line.startswith(f"{i} ") and e["date"] in line
                 and e["label"] in line]
        assert len(named) == 1, (i, e["label"], lines)
        assert str(i) in lines                      # its number above the plot
    assert not any(ELLIPSIS in line for line in lines)
    for kind, fig in figures.items():
        check_figure(fig, f"trust: {kind}")


def test_long_axis_labels_of_panels_side_by_side_stay_apart():
    fig, axes = plt.subplots(1, 3, figsize=(12, 4.5), layout="constrained", sharey=True)
    for ax in axes:
        ax.set_title("panel")
        ax.set_xlabel("threat (multiplies synergy, unilateral_effort, and several more factors "
                      "with long names)")
    check_figure(fig, "three panels")
