"""The report's formats section: bloc-to-bloc against bilateral deals (``blocsim formats``).

Every number comes from :func:`sim.blocs.summary.format_summary` (utilities in each format,
preferred formats, the choice stage, voting power, flip points) and every figure from
:mod:`sim.plots.formats`; this module only lays them out. A scenario without a ``[blocs]``
section gets the comparison of the built-in scenario that extends it with the bloc's members
(``nato_csto_2007`` → ``nato_csto_members``: the same factors, weights and δ, the CSTO split
into its members), with the same ``--set`` overrides; failing that, a pointer to
``blocsim formats``.
"""

from __future__ import annotations

import tomllib
from html import escape

from ..blocs.summary import rule_words
from .figures import figure, svg
from .lesson import exercise_note

#: Scenario of ``blocsim formats`` without a name (the pointer's example).
POINTER_SCENARIO = "nato_csto_members"


def members_extension(scenario) -> str | None:
    """The built-in scenario with a ``[blocs]`` section that extends the built-in
    ``scenario`` directly (``None`` if there is none, or ``scenario`` is a file)."""
    from ..scenario.files import builtin_dir, builtin_names

    if scenario.where not in builtin_names():
        return None
    for name in builtin_names():
        raw = tomllib.loads((builtin_dir() / f"{name}.toml").read_text(encoding="utf-8"))
        if raw.get("scenario", {}).get("extends") == scenario.where and "blocs" in raw:
            return name
    return None


def format_scenario(scenario):
    """``(scenario with blocs, name it was taken from or None)``, or ``(None, None)``."""
    from .. import load
    from ..scenario.messages import ScenarioError

    if scenario.model.blocs is not None:
        return scenario, None
    name = members_extension(scenario)
    if name is None:
        return None, None
    try:
        return load(name, overrides=scenario.overrides), name
    except ScenarioError:               # an override the extension does not take
        return None, None


def _power_table(s) -> str:
    p = s["power"]
    rows = "".join(f"<tr><td>{escape(m)}</td><td>{s['shares'][m]:.3g}</td>"
                   f"<td>{p['shapley_shubik'][m]:.3f}</td><td>{p['banzhaf'][m]:.3f}</td></tr>"
                   for m in s["members"])
    return (f"<table id=\"tab-power\"><caption>{escape(s['players'][1])}'s members: share and "
            "voting power (Shapley–Shubik 1954; Banzhaf 1965, normalised)</caption><tr><th>member"
            "</th><th>share</th><th>Shapley–Shubik</th><th>Banzhaf</th></tr>"
            f"{rows}</table>")


def _utility_table(s, mode: str, caption: str) -> str:
    from ..blocs.formats import FORMATS

    actors = s["players"] + s["members"]
    head = "".join(f"<th>{f}</th>" for f in FORMATS)
    rows = "".join(
        f"<tr><td>{escape(a)}</td>"
        + "".join(f"<td{' class=eq' if s['preferred'][mode][a] == f else ''}>"
                  f"{s['utility'][mode][f][a]:.3g}</td>" for f in FORMATS)
        + f"<td>{s['preferred'][mode][a]}</td></tr>" for a in actors)
    return (f'<table id="tab-formats-{mode}"><caption>{escape(caption)}</caption><tr><th>actor'
            f"</th>{head}<th>prefers</th></tr>{rows}</table>")


def _rule_words(s) -> str:
    return escape(rule_words(s["rule"]))


def _consensus_words(s) -> str:
    return ("; under consensus every member, however small its share, holds the same veto and "
            "so the same power" if s["rule"]["kind"] == "consensus" else "")


def _flips(s) -> str:
    if not s["flip_points"]:
        return ""
    items = "".join(
        f"<li><code>{escape(f['key'])}</code> = {f['value']:.4g}: "
        + ("the format chosen" if f["who"] == "choice" else f"{escape(f['who'])}'s preference")
        + f" changes from {f['from']} to {f['to']}</li>" for f in s["flip_points"])
    return f"<p>Where a preference or the choice changes (flip points):</p><ul>{items}</ul>"


def formats_section(scenario) -> str:
    """The ``<section id="formats">`` of the report."""
    from ..blocs.maps import default_axes, format_map
    from ..blocs.summary import format_summary
    from ..plots.formats import plot_format_map, plot_formats

    sc, borrowed = format_scenario(scenario)
    if sc is None:
        return (f'<section id="formats"><h2>Bloc or bilateral: the formats</h2><p>This scenario '
                f"has no <code>[blocs]</code> section: {escape(scenario.players[1])} acts as one "
                "player, so there is no bilateral alternative to compare. <code>blocsim formats "
                f"{POINTER_SCENARIO}</code> (or <code>blocsim report {POINTER_SCENARIO}</code>) "
                "compares the bloc format with NATO's bilateral programmes for the CSTO's "
                "members.</p></section>")
    s = format_summary(sc)
    row, col = s["players"]
    x, y = default_axes(sc)
    grid = format_map(sc, x, y)
    b = s["bloc_format"]
    bil = "; ".join(f"{escape(m)}: {g['regime']}" for m, g in s["bilateral_format"].items())
    note = (f"<p class=\"note\">This scenario treats {escape(col)} as one player. The comparison "
            f"below is computed on the built-in scenario <code>{escape(borrowed)}</code>, which "
            f"extends it: the same factors, weights and δ, with {escape(col)} split into its "
            f"members (<code>blocsim formats {escape(borrowed)}</code> gives the same numbers)."
            "</p>" if borrowed else "")
    bars = figure("fig-formats", svg(plot_formats(s)), "Each actor's utility in each format",
                  f"One group of bars per actor ({escape(row)}, {escape(col)} as one actor, then "
                  "its members): light = status quo, hatched grey = bilateral deals, dark dotted "
                  "= the bloc format; ▲ marks the format the actor prefers. Left: what each "
                  "format yields in the repeated game's equilibrium at the scenario's δ (a "
                  "format whose cooperation is no equilibrium yields the status quo, 0). Right: "
                  "what it would yield if its cooperation were realised. Compare the bars within "
                  "a group: the tallest is the actor's best format.")
    fmap = figure("fig-format-map", svg(plot_format_map(grid)), "Which format, where",
                  f"Three maps over {grid['x_label']} (across) and {grid['y_label']} (up): "
                  f"the format {escape(row)} prefers, the one {escape(col)} prefers as one actor, "
                  f"and the one that comes out when {escape(row)} proposes and {escape(col)} "
                  "accepts by its rule. Fill and hatch name the format (legend); the star is the "
                  "scenario. Read along a row: where does a preference change?")
    return f"""<section id="formats"><h2>Bloc or bilateral: the formats</h2>{note}
<p>{escape(row)} can deal with {escape(col)} as a bloc (one game, {escape(col)} acting
{_rule_words(s)}) or with each of its {len(s['members'])} members bilaterally; the status quo is
no deal. Bloc format: regime {b['regime']}, outcome {b['outcome_repeated']} in the repeated
game. Bilateral games: {bil}. <strong>The format that comes out</strong> ({escape(row)}
proposes, {escape(col)} accepts or refuses by its rule): <strong id="format-choice">{s['choice']['repeated']}</strong>
in the repeated game, {s['choice']['stage']} in the one-shot game.</p>
{_utility_table(s, 'repeated', f"Utilities in the repeated game at δ = {s['discount']:g}, and each actor's preferred format (marked)")}
{_utility_table(s, 'deal', "Utilities if each format's cooperation were realised")}
{bars}{_power_table(s)}
<p>Voting power is not share: a member's power is its chance of being pivotal to the bloc's
decision{_consensus_words(s)}.</p>
{fmap}{_flips(s)}{exercise_note((11,))}</section>"""
