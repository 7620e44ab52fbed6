"""The report page: sections from the library's result objects, the explorer, the lesson.

Data flow: scenario → :meth:`~sim.scenario.Scenario.analyse`, ``tournament``, ``evolve``,
``folk`` (result objects) → captioned SVG figures and tables → one HTML file (stdlib
:class:`string.Template`; nothing loaded from the network).
"""

from __future__ import annotations

import json
from html import escape
from importlib import resources
from string import Template

import numpy as np

from .. import __version__
from .explorer import explorer_grid
from .figures import figure, regime_legend, regime_patterns, svg
from .formats import formats_section
from .lesson import lesson_steps

OUTCOME_NAMES = ("C", "D")


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath("assets", name).read_text(encoding="utf-8")


def _num(x, digits: int = 3) -> str:
    return "—" if x is None else f"{x:.{digits}g}"


def matrix_table(block: dict, players, caption: str, tid: str) -> str:
    """A 2×2 game as a table: each cell ``row payoff, column payoff``; pure equilibria
    underlined and marked."""
    eqs = {e["outcome"] for e in block["equilibria"] if e["pure"]}
    rows = []
    for i, a in enumerate(OUTCOME_NAMES):
        cells = []
        for j, b in enumerate(OUTCOME_NAMES):
            eq = a + b in eqs
            cells.append(f'<td{" class=eq" if eq else ""}>{block["row"][i][j]:.3g}, '
                         f'{block["column"][i][j]:.3g}{" (equilibrium)" if eq else ""}</td>')
        rows.append(f"<tr><th>{a}</th>{''.join(cells)}</tr>")
    head = f"<tr><th>{escape(players[0])} \\ {escape(players[1])}</th><th>C</th><th>D</th></tr>"
    types = "".join(f"<li><strong>{escape(n)}: {escape(t['name'] or 'unnamed')}</strong> "
                    f"({t['ordering']}). {escape(t['description'])}</li>"
                    for n, t in block["types"].items())
    return (f'<div id="{tid}"><table><caption>{escape(caption)}</caption>{head}{"".join(rows)}'
            f"</table><ul>{types}</ul></div>")


def _gains_figure(s) -> str:
    """Each player's gain from (C,C) over (D,D) in the material game (who gains more?)."""
    import matplotlib.pyplot as plt

    names = s["players"]
    R = [s["material"]["row"][0][0], s["material"]["column"][0][0]]
    P = [s["material"]["row"][1][1], s["material"]["column"][1][1]]
    gain = np.subtract(R, P)
    fig, ax = plt.subplots(figsize=(7, 3.6))
    bars = ax.bar(names, gain, color=["#555", "#bbb"], edgecolor="black", hatch=["", "//"])
    ax.bar_label(bars, labels=[f"{g:.3g}" for g in gain], fontsize=13)
    ax.axhline(0, color="black", lw=1)
    ax.set_ylabel("material gain of (C,C) over (D,D)\n(scenario units)", fontsize=12)
    ax.set_title(f"{s['scenario']['title']}: who gains more from cooperation?", fontsize=13)
    ax.tick_params(labelsize=13)
    return svg(fig)


def _threat_figure(sc) -> str | None:
    """The regime along the common threat at the scenario's weights and δ (None without a
    ``threat`` parameter)."""
    import matplotlib.pyplot as plt

    from ..equilibria import REGIMES, analyse_grid
    from ..plots.regions import REGIME_COLOURS

    if not sc.has_key("parameters.threat"):
        return None
    value = sc.value("parameters.threat")
    t = np.linspace(0, max(5.0, 2 * value), 501)
    A, B, r_row, r_col, delta = sc.inputs({"parameters.threat": t})
    code, _ = analyse_grid(A, B, r_row, r_col, delta)
    fig, ax = plt.subplots(figsize=(10, 2.8))
    edges = np.flatnonzero(np.diff(code)) + 1
    for lo, hi in zip(np.r_[0, edges], np.r_[edges, len(t)]):
        name = REGIMES[int(code[lo])]
        ax.axvspan(t[lo], t[min(hi, len(t) - 1)], color=REGIME_COLOURS[name], ec="black")
        ax.text((t[lo] + t[min(hi, len(t) - 1)]) / 2, 0.5, name, ha="center", va="center",
                fontsize=13, rotation=90 if t[min(hi, len(t) - 1)] - t[lo] < 0.6 else 0,
                bbox={"fc": "white", "ec": "black", "pad": 2})
    ax.axvline(value, color="black", ls="--", lw=2, label=f"the scenario (threat = {value:g})")
    ax.set_yticks([])
    ax.set_xlim(t[0], t[-1])
    ax.set_xlabel("common threat (1 = the 2007 level)", fontsize=13)
    ax.set_title(f"{sc.title}: regime as the common threat grows (weights and δ of the "
                 "scenario)", fontsize=13)
    ax.legend(loc="upper right", fontsize=11)
    return svg(fig)


def _explorer(grid: dict) -> str:
    controls = []
    for k, a in enumerate(grid["axes"]):
        values = a["values"]
        start = int(np.argmin(np.abs(np.subtract(values, grid["start"][k]))))
        controls.append(
            f'<label for="slider-{k}">{escape(a["label"])}</label>'
            f'<input type="range" id="slider-{k}" data-key="{a["key"]}" min="0" '
            f'max="{len(values) - 1}" step="1" value="{start}">'
            f'<output id="value-{k}" for="slider-{k}"></output>')
    players = grid["players"]
    return f"""<section id="explorer" aria-labelledby="explorer-h">
<h2 id="explorer-h">Explorer: move the sliders</h2>
<p>Each slider moves over a grid of values the Python model computed; the page looks the
result up (it does not compute). Sliders work with the keyboard: Tab to one, then ← → (or Home,
End).</p>
<div class="controls">{''.join(controls)}</div>
<div class="panel">
<div><p>Regime: <strong id="regime-name" aria-live="polite"></strong></p>
<p id="regime-text"></p>
<table id="x-matrix"></table>
<p>Equilibria of the stage game: <span id="x-equilibria"></span></p>
<ul id="x-types"></ul></div>
<div><figure id="fig-explorer-map">
<svg id="x-map" viewBox="-70 -30 690 500" width="100%" role="img"
 aria-label="region map: regimes over {escape(players[0])}'s weight and δ">
<defs>{regime_patterns()}</defs>
<text x="300" y="-10" text-anchor="middle" font-size="19">Regimes over {escape(players[0])}'s
weight and δ (other sliders as set)</text>
<g id="x-cells"></g><rect width="600" height="400" fill="none" stroke="#000"/>
<g id="x-marker"><circle r="11" fill="#fff" stroke="#000" stroke-width="3"/>
<path d="M-7,0 H7 M0,-7 V7" stroke="#000" stroke-width="3"/></g>
<text x="0" y="425" font-size="20">0</text><text x="590" y="425" font-size="20">1</text>
<text x="300" y="450" text-anchor="middle" font-size="20">{escape(players[0])}'s relative-gain
weight r</text>
<text x="-10" y="400" text-anchor="end" font-size="20">0</text>
<text x="-10" y="12" text-anchor="end" font-size="20">{grid["axes"][2]["values"][-1]:g}</text>
<text transform="translate(-35,200) rotate(-90)" text-anchor="middle" font-size="20">discount
factor δ</text></svg>
{regime_legend()}
<figcaption><strong>Region map with the current point.</strong> Each cell is one grid point of
{escape(players[0])}'s weight (across) and δ (up), at the other sliders' values; its fill and
hatch name the regime (legend). The ringed cross is where the sliders are.</figcaption>
</figure></div></div></section>"""


def _sections(sc, s, tour, evo, folk) -> tuple[str, dict]:
    names = s["players"]
    src = escape(s["scenario"]["source"] or "not given")
    factors = "".join(f"<tr><td>{escape(f['name'])}</td><td>{f['theory']}</td>"
                      f"<td>{escape(f.get('note') or '')}</td><td>{escape(json.dumps(f['values']))}"
                      f"</td><td>{escape(f['scale'] or '')}</td></tr>" for f in s.get("factors", []))
    factor_table = (f"<table><caption>Payoff factors (values: outcome → [{escape(names[0])}, "
                    f"{escape(names[1])}])</caption><tr><th>factor</th><th>theory</th><th>reading"
                    f"</th><th>values</th><th>scaled by</th></tr>{factors}</table>"
                    if factors else "")
    th = s["thresholds"]
    thresholds = "".join(f"<tr><td>{p}</td>" + "".join(f"<td>{_num(th[p][n])}</td>"
                                                        for n in names + ["both"]) + "</tr>"
                         for p in th)
    crit = "".join(f"<td>{_num(s['critical_weight'][n])}</td>" for n in names + ["both"])
    head = "".join(f"<th>{escape(n)}</th>" for n in names) + "<th>both</th>"
    regime_words = escape(s["regime_text"]) + (
        f" Blocked by relative gains: with absolute gains the regime would be "
        f"{escape(s['regime_without_relative_gains'])}." if s["blocked_by_relative_gains"] else "")
    parts = {
        "material": matrix_table(s["material"], names, "Material payoffs (row player's, column "
                                 "player's)", "tab-material"),
        "utility": matrix_table(s["utility"], names, "Utilities u = π − r·π(other): what the "
                                "players act on", "tab-utility"),
        "gains": figure("fig-gains", _gains_figure(s), "Who gains more",
                        "Each bar is a player's material payoff at (C,C) minus at (D,D). The "
                        "taller bar is the side that gains more from cooperating; a player who "
                        "weighs relative gains counts the other's bar against its own."),
        "map": figure("fig-map", svg(s.figure()), "Region map",
                      "Regimes over a common relative-gain weight r (across) and the discount "
                      "factor δ (up); lightness and labels name the regime, hatching marks points "
                      "blocked by relative gains, lines are the grim-trigger and WSLS "
                      "thresholds, and the marker is the scenario."),
        "tournament": figure("fig-tournament", svg(tour.figures()["ranking"]),
                             "Tournament ranking",
                             "Mean payoff per turn of each strategy in a round robin on the "
                             "utility game (longer bar = better, whiskers = 95% interval). "
                             "Reciprocal strategies near the top mean reciprocity pays."),
        "evolution": figure("fig-evolution", "".join(svg(f) for f in evo.figures().values()),
                            "Evolution", "Share of each strategy in each population over time "
                            f"under the {evo['model']} dynamics; a line rising to 1 is the "
                            "strategy that takes over."),
        "folk": figure("fig-folk", svg(folk.figures()["folk"]), "Folk theorem",
                       "Subgame-perfect payoff pairs of the repeated game (shaded sets, one per "
                       "δ) inside the feasible set; (C,C)'s payoff inside a set means "
                       "cooperation can be sustained at that δ."),
    }
    threat = _threat_figure(sc)
    if threat:
        parts["threat"] = figure("fig-threat", threat, "The common threat",
                                 "The regime at each level of the common threat, the scenario's "
                                 "weights and δ held; the dashed line is the scenario. Read "
                                 "from left to right: where does cooperation start?")
    html = f"""<section id="scenario"><h2>The scenario and its sources</h2>
<p>{escape(s['scenario']['description'] or '')}</p><p><strong>Source:</strong> {src}</p>
{factor_table}</section>
<section id="games"><h2>Material and utility games</h2>{parts['material']}{parts['gains']}
{parts['utility']}</section>
<section id="regime"><h2>Equilibria, thresholds and the regime</h2>
<p>Stage equilibria (utility game): {escape('; '.join(e['outcome'] and f"pure ({e['outcome'][0]},{e['outcome'][1]})" or 'mixed' for e in s['equilibria']))}.</p>
<table><caption>Smallest δ at which (C,C) is sustained (— : no δ &lt; 1 suffices)</caption>
<tr><th>profile</th>{head}</tr>{thresholds}</table>
<table><caption>Critical relative-gain weight at δ = {s['discount']:g} (above it (C,C) is no
equilibrium outcome)</caption><tr>{head}</tr><tr>{crit}</tr></table>
<p>Regime: <strong>{escape(s['regime'])}</strong>. {regime_words}</p></section>
<section id="map"><h2>Region map</h2>{parts['map']}</section>
<section id="tournament"><h2>A tournament</h2>{parts['tournament']}</section>
<section id="evolution"><h2>An evolution run</h2>{parts['evolution']}</section>
<section id="folk"><h2>The folk theorem</h2>{parts['folk']}</section>
{f'<section id="threat"><h2>The common threat</h2>{parts["threat"]}</section>' if threat else ''}
{formats_section(sc)}"""
    return html, parts


def build_report(scenario) -> str:
    """The report of ``scenario`` as one self-contained HTML string."""
    import datetime as dt

    from ..outputs import plain

    s = scenario.analyse()
    tour, evo, folk = scenario.tournament(), scenario.evolve(), scenario.folk()
    sections, parts = _sections(scenario, s, tour, evo, folk)
    grid = explorer_grid(scenario)
    grid["start"] = [scenario.value(a["key"]) for a in grid["axes"]]
    data = json.dumps(plain(grid), separators=(",", ":")).replace("</", "<\\/")
    return Template(_asset("page.html")).substitute(
        title=escape(scenario.title), name=escape(scenario.name), version=__version__,
        created=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        css=_asset("page.css"), js=_asset("page.js"), explorer=_explorer(grid),
        sections=sections, lesson=lesson_steps(s, tour, evo, folk, parts), data=data)
