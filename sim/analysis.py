"""The analysis of one scenario: a JSON-ready summary and a plain-words account of it.

Data flow: scenario → material game → utility game (relative gains) → equilibria, thresholds,
regime → this summary. Every number comes from :mod:`sim.equilibria`; this module only
collects and words them.
"""

from __future__ import annotations

import datetime as _dt
import math
import platform

import numpy as np

from . import __version__
from .equilibria import (COOPERATIVE, DOMINANCE_NAMES, PROFILES, PUNISHMENTS, REGIME_TEXT,
                         analyse_grid, dominance, is_degenerate,
                         nash_equilibria, pareto_optimal, pure_equilibria, regime,
                         regime_names, threshold)
from .critical import critical_weight
from .games import ACTIONS, OUTCOMES, Game
from .preferences import utility_game
from .results import Record
from .scenario import Scenario

#: Every threshold the summary reports, and what equilibrium notion and punishment it uses.
PROFILE_TEXT = {
    "grim": "grim trigger (reversion to (D,D) forever; subgame perfect only where (D,D) is a "
            "stage equilibrium)",
    "tft": "tit-for-tat against itself (a Nash equilibrium, not checked for subgame "
           "perfection)",
    "wsls": "win-stay lose-shift against itself (subgame perfect)",
    "nash": "Nash reversion (subgame perfect; Friedman 1971): after a deviation, the stage "
            "equilibrium worst for the deviator, mixed ones included, forever",
    "penal": "optimal penal code (subgame perfect; Abreu 1988): after a deviation, the "
             "deviator's worst pure-strategy SPE payoff, public randomisation allowed",
    "spe": "(C,C) forever as a subgame-perfect outcome, the harsher of the two punishments "
           "per deviator (the criterion of the regime)",
}
THRESHOLDS = PROFILES + PUNISHMENTS


def _num(x):
    """A float for JSON: ``None`` for nan (\"no δ < 1 suffices\")."""
    x = float(x)
    return None if math.isnan(x) else x


def provenance(scenario: Scenario, **extra) -> dict:
    """Where a result came from: scenario, parameters, overrides, versions and time.

    The libraries' versions come from their installed metadata, so that recording them does
    not import them (nashpy and scipy take a second to import)."""
    from importlib.metadata import version

    return {
        "scenario": scenario.name,
        "source": scenario.where,
        "overrides": {k: v for k, v in scenario.overrides},
        "parameters": scenario.raw,
        "blocsim": __version__,
        "python": platform.python_version(),
        "numpy": np.__version__, "scipy": version("scipy"),
        "nashpy": version("nashpy"), "matplotlib": version("matplotlib"),
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        **extra,
    }


def _game_block(game: Game) -> dict:
    types = game.types()
    dom = dominance(game.A, game.B)
    pareto = pareto_optimal(game.A, game.B)
    eqs = nash_equilibria(game.A, game.B)
    return {
        **game.to_dict(),
        "types": {name: {"name": t.name, "ordering": t.ordering, "description": t.description,
                         "ties": t.ties} for name, t in zip(game.players, types)},
        "dominant": {name: DOMINANCE_NAMES[int(d)] for name, d in zip(game.players, dom)},
        "equilibria": [{"row": [float(x) for x in s], "column": [float(y) for y in t],
                        "pure": bool(s.max() == 1 and t.max() == 1),
                        "outcome": (ACTIONS[int(s.argmax())] + ACTIONS[int(t.argmax())])
                        if s.max() == 1 and t.max() == 1 else None,
                        "payoffs": [float(s @ game.A @ t), float(s @ game.B @ t)]}
                       for s, t in eqs],
        "degenerate": bool(is_degenerate(game.A, game.B)),
        "pareto_optimal": [o for o, (i, j) in zip(OUTCOMES, np.ndindex(2, 2)) if pareto[i, j]],
    }


class Summary(Record):
    """The analysis of one scenario (:func:`summarize`): reads as its JSON-ready dict, with
    :meth:`account` (plain words) and :meth:`figure` (the regime map)."""

    def __init__(self, data, scenario: Scenario):
        super().__init__(data)
        self.scenario = scenario

    def _table(self):
        names = self["players"]
        rows = [["regime", self["regime"]],
                ["blocked by relative gains", self["blocked_by_relative_gains"]],
                ["discount factor δ", self["discount"]],
                *([f"relative-gain weight, {n}", self["weights"][n]] for n in names),
                *([f"type, {n}", self["types"][n]["name"] or self["types"][n]["ordering"]]
                  for n in names),
                *([f"{p} threshold (both)", self["thresholds"][p]["both"]] for p in PROFILES)]
        return ["", self["scenario"]["title"]], rows

    def _caption(self) -> str:
        return f"{self['scenario']['title']}: {self['regime']}"

    def account(self) -> str:
        """The plain-words account (see :func:`account`)."""
        return account(self)

    def regime_map(self, weights=None, discounts=None) -> "RegimeMap":
        """The scenario's regime map (see :func:`regime_map`)."""
        return regime_map(self.scenario, weights, discounts)

    def figure(self):
        """The regime map over (relative-gain weight, discount factor), with the scenario's
        point marked."""
        return self.regime_map().figure()


def summarize(scenario: Scenario) -> Summary:
    """The scenario's analysis as a :class:`Summary` (a JSON-serialisable mapping).

    Keys: ``players``, ``weights`` (effective relative-gain weights), ``discount``,
    ``material`` and ``utility`` (matrices, outcomes, types, dominant actions, equilibria,
    Pareto-optimal outcomes), ``types`` (utility-game types per player), ``equilibria`` (of
    the utility game), ``thresholds`` (``grim``, ``tft``, ``wsls``, ``nash``, ``penal``,
    ``spe``: per player and ``both``; ``null`` where no δ < 1 suffices; ``PROFILE_TEXT`` says
    which equilibrium notion and punishment each uses), ``credible_dd`` (per player: (D,D)
    is a stage equilibrium, so grim trigger's punishment is credible), ``indifferent`` (per
    player: all its utilities are equal), ``critical_weight`` (per player and ``both``),
    ``regime``, ``regime_text``, ``cooperative``, ``regime_without_relative_gains``,
    ``blocked_by_relative_gains``, ``factors`` (by theory) and ``provenance``.
    """
    A, B, r_row, r_col, delta = scenario.inputs()
    material = Game(A, B, scenario.players, "material payoffs")
    utility = Game(*utility_game(A, B, r_row, r_col), scenario.players, "utilities")
    names = list(scenario.players)
    code, blocked = analyse_grid(A, B, r_row, r_col, delta)
    name = str(regime_names(code))
    liberal = str(regime_names(regime(A, B, delta)))
    crit = critical_weight(A, B, r_row, r_col, delta)
    mat, util = _game_block(material), _game_block(utility)
    out = {
        "scenario": {"name": scenario.name, "title": scenario.title,
                     "description": scenario.model.scenario.description,
                     "source": scenario.model.scenario.source},
        "players": names,
        "weights": {n: float(r) for n, r in zip(names, (r_row, r_col))},
        "discount": float(delta),
        "material": mat,
        "utility": util,
        "types": util["types"],
        "equilibria": util["equilibria"],
        "thresholds": {p: dict(zip(names + ["both"], map(_num, threshold(utility.A, utility.B, p))))
                       for p in THRESHOLDS},
        "credible_dd": bool(pure_equilibria(utility.A, utility.B)[1, 1]),
        "indifferent": {n: bool(np.ptp(m) == 0) for n, m in
                        zip(names, (utility.A, utility.B))},
        "critical_weight": dict(zip(names + ["both"], map(_num, crit))),
        "regime": name,
        "regime_text": REGIME_TEXT[name],
        "cooperative": name in COOPERATIVE,
        "regime_without_relative_gains": liberal,
        "blocked_by_relative_gains": bool(blocked),
        "provenance": provenance(scenario),
    }
    if scenario.factors:
        out["factors"] = [{"name": f.name, "theory": f.theory, "scale": f.scale, "note": f.note,
                           "values": {o: list(v) for o, v in f.values.items()}}
                          for f in scenario.factors]
    return Summary(out, scenario)


def _fmt_delta(x):
    if x is None:
        return "never (no δ < 1 suffices)"
    return "any δ (no future needed)" if x == 0 else f"δ ≥ {x:.3f}"


def account(summary: dict) -> str:
    """A readable account of a summary: matrices, types, equilibria, thresholds, regime."""
    s = summary
    names = s["players"]
    lines = [f"{s['scenario']['title']}", "=" * len(s["scenario"]["title"])]
    if s["scenario"]["description"]:
        lines += [s["scenario"]["description"], ""]
    w = s["weights"]
    lines.append("Relative-gain weights (0 = absolute gains, 1 = relative gains): "
                 + ", ".join(f"{n} {w[n]:.3g}" for n in names)
                 + f"; discount factor δ = {s['discount']:.3g}")
    for key, label in (("material", "Material payoffs"),
                       ("utility", "Utilities u_i = π_i − r_i·π_j (what the players act on)")):
        block = s[key]
        game = Game(np.array(block["row"]), np.array(block["column"]), tuple(names))
        lines += ["", f"{label}:", game.to_text()]
        for n in names:
            t = block["types"][n]
            dom = block["dominant"][n]
            lines.append(f"  {n}: {t['name'] or 'unnamed'} ({t['ordering']}); "
                         f"dominant action: {dom or 'none'}. {t['description']}")
    lines += ["", "Stage equilibria of the utility game:"]
    for e in s["equilibria"]:
        if e["pure"]:
            lines.append(f"  pure ({e['outcome'][0]},{e['outcome'][1]}): payoffs "
                         f"{e['payoffs'][0]:.3g}, {e['payoffs'][1]:.3g}")
        else:
            lines.append(f"  mixed: {names[0]} plays C with probability {e['row'][0]:.3f}, "
                         f"{names[1]} with {e['column'][0]:.3f}")
    if s["utility"]["degenerate"]:
        lines.append("  (degenerate game: a player is indifferent against a pure action, so "
                     "equilibria may form a continuum between the points listed)")
    lines.append("  Pareto-optimal outcomes: " + ", ".join(s["utility"]["pareto_optimal"]))
    for n in names:
        if s["indifferent"][n]:
            lines.append(f"  {n}'s utilities are all equal: it is indifferent among all "
                         "outcomes, so every action is a best reply for it.")
    lines += ["", "Shadow of the future: discount factors at which (C,C) played forever is "
              "sustained"]
    for p in THRESHOLDS:
        t = s["thresholds"][p]
        lines.append(f"  {PROFILE_TEXT[p]}: " + "; ".join(
            f"{n} {_fmt_delta(t[n])}" for n in names) + f"; both: {_fmt_delta(t['both'])}")
    if not s["credible_dd"]:
        lines.append("  Grim trigger's threat is not credible here: (D,D) is no stage "
                     "equilibrium, so a player asked to play D forever would rather play C "
                     "against D; reverting to (D,D) is no subgame-perfect punishment. Nash "
                     "reversion punishes with a stage equilibrium instead"
                     + (", and (C,C) is one: no future is needed."
                        if s["thresholds"]["nash"]["both"] == 0 else "."))
    cw = s["critical_weight"]
    lines += ["", "Critical relative-gain weight at this δ (above it (C,C) is neither a stage "
              "equilibrium nor a subgame-perfect outcome):"]
    for n in names + ["both"]:
        v = cw[n]
        other = names[1 - names.index(n)] if n != "both" else None
        own_ok = n != "both" and any(s["thresholds"][p][n] is not None and
                                     s["thresholds"][p][n] <= s["discount"] for p in PROFILES)
        text = (("(C,C) is no equilibrium even with absolute gains" if n == "both" else
                 f"none: {n} would sustain (C,C) at this δ, but {other} does not, whatever "
                 f"{n}'s weight" if own_ok else
                 f"(C,C) is no equilibrium even at weight 0 for {n} (the other's weight held)")
                if v is None else
                "never fails" if v >= 1 else f"{v:.3f}")
        lines.append(f"  {n if n != 'both' else 'both players (common weight)'}: {text}")
    lines += ["", f"Regime: {s['regime']}", f"  {s['regime_text']}"]
    if s["blocked_by_relative_gains"]:
        lines.append(f"  Blocked by relative gains: with absolute gains (r = 0) the regime "
                     f"would be {s['regime_without_relative_gains']}.")
    elif not s["cooperative"]:
        lines.append(f"  Relative gains are not what blocks it: with absolute gains (r = 0) the "
                     f"regime would be {s['regime_without_relative_gains']}.")
    return "\n".join(lines)


class RegimeMap(Record):
    """Regimes over (relative-gain weight, discount factor): a mapping of arrays (see
    :func:`regime_map`) with :meth:`figure`."""

    def _table(self):
        from .equilibria import REGIMES

        codes, counts = np.unique(self["regime"], return_counts=True)
        return (["regime", "share of the map"],
                [[REGIMES[int(c)], float(n) / self["regime"].size] for c, n in zip(codes, counts)])

    def _caption(self) -> str:
        return f"{self['title']}: regimes over (r, δ)"

    def to_frame(self):
        """One row per grid point: ``weight``, ``discount``, ``regime``, ``blocked``."""
        import pandas as pd

        from .equilibria import REGIMES

        r, d = np.meshgrid(self["weights"], self["discounts"])
        return pd.DataFrame({"weight": r.ravel(), "discount": d.ravel(),
                             "regime": pd.Categorical.from_codes(self["regime"].ravel(),
                                                                 list(REGIMES)),
                             "blocked": self["blocked"].ravel()})

    def to_dict(self) -> dict:
        """The map as plain data: arrays as lists, regimes as names."""
        from .outputs import plain

        return plain({**self, "regime": regime_names(self["regime"])})

    def figure(self):
        """The regime map (:func:`sim.plots.regions.draw_regime_map`)."""
        from .plots.regions import draw_regime_map

        return draw_regime_map(self)


def regime_map(scenario: Scenario, weights=None, discounts=None) -> RegimeMap:
    """Regimes over (relative-gain weight, discount factor δ) on a slice through the scenario's
    own point — one vectorised call; the grid is shaped ``(len(discounts), len(weights))``.

    With equal nominal weights the x axis is the common weight of both players; with unequal
    ones it is the row player's weight, the column player's held at its own value. Either way
    the scenario's point (``point``: the row player's nominal weight and δ) lies on the slice,
    so the regime drawn under it is the regime :func:`summarize` reports. Weights are nominal
    (each diluted by its ``actors``, Snidal 1991). Also returns the joint thresholds of grim
    trigger, WSLS and the exact criterion ``spe`` (the regimes' own boundary: reciprocity at
    and above it) along the slice (``nan`` where none exists), to draw over the map,
    ``xlabel``/``point_label`` naming the slice, and ``slice`` (``None`` for a common weight,
    else ``{"varied": row player, "held": {column player: weight}}``).
    """
    from .equilibria import is_cooperative
    from .preferences import effective_weight

    r = np.linspace(0, 1, 401) if weights is None else np.asarray(weights, float)
    d = np.linspace(0, 0.995, 400) if discounts is None else np.asarray(discounts, float)
    A, B, *_ = scenario.inputs()
    n_row, n_col = scenario.actors()
    w_row, w_col = scenario.nominal_weights()
    row, col = scenario.players
    common = w_row == w_col
    r_row = effective_weight(r, n_row)
    r_col = effective_weight(r if common else np.full_like(r, w_col), n_col)
    code, blocked = analyse_grid(A, B, r_row[None, :], r_col[None, :], d[:, None])
    U, V = utility_game(A, B, r_row, r_col)
    curves = {p: threshold(U, V, p)[2] for p in ("grim", "wsls", "spe")}
    scale = "(dimensionless; 0 = absolute gains, 1 = relative gains)"
    if common:
        xlabel = f"relative-gain weight r of both players {scale}"
        point_label = f"this scenario (r = {w_row:.2f} for both, δ = {scenario.discount:.2f})"
    else:
        xlabel = f"{row}'s relative-gain weight r {scale}; {col}'s held at {w_col:.2f}"
        point_label = (f"this scenario ({row} r = {w_row:.2f}, {col} r = {w_col:.2f}, "
                       f"δ = {scenario.discount:.2f})")
    return RegimeMap({"weights": r, "discounts": d, "regime": code, "blocked": blocked,
                      "cooperative": is_cooperative(code), "thresholds": curves,
                      "point": (w_row, scenario.discount), "point_label": point_label,
                      "xlabel": xlabel, "players": scenario.players, "title": scenario.title,
                      "slice": None if common else {"varied": row, "held": {col: w_col}}})
