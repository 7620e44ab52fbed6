"""The format analysis of one scenario: a JSON-ready summary and a plain-words account.

Every number comes from :mod:`sim.blocs.formats`, :mod:`sim.blocs.power` and
:mod:`sim.blocs.flips`; this module only collects and words them.
"""

from __future__ import annotations

import numpy as np

from ..equilibria import REGIMES
from .flips import format_flips
from .formats import FORMATS, MODES, analyse
from .game import PRESCRIBED

MODE_TEXT = {"stage": "one-shot game", "repeated": "repeated game at the scenario's δ",
             "deal": "if the format's cooperation were realised"}


def flip_ranges(scenario) -> list[tuple[str, float, float]]:
    """The parameters whose flip points are reported, with their ranges: the common threat
    (if the scenario scales factors by ``threat``), the control holder's (or largest member's)
    share, the quota, the row player's relative-gain weight and the discount factor."""
    b = scenario.model.blocs
    out = []
    if "threat" in scenario.model.parameters:
        out.append(("parameters.threat", 0.0, max(10.0, 4 * scenario.model.parameters["threat"])))
    big = b.control or max(b.members, key=lambda m: b.members[m].share)
    if len(b.members) > 1:
        out.append((f"blocs.members.{big}.share", 0.01, 0.99))
    out.append(("blocs.quota", 0.01, 1.0))
    form = "grieco_k" if scenario.model.preferences.grieco_k is not None else \
        "relative_gain_weight"
    out.append((f"preferences.{form}.{scenario.players[0]}", 0.0,
                1.0 if form == "relative_gain_weight" else 10.0))
    out.append(("repeated.discount", 0.0, 0.999))
    return out


def rule_words(rule: dict) -> str:
    """How a bloc decides, in words, from its summary's ``rule`` entry."""
    return ("by consensus (every member has a veto)" if rule["kind"] == "consensus" else
            f"by a weighted majority with quota {rule['quota']:g}" if rule["kind"] == "quota"
            else f"as its leader {rule['leader']} decides")


def _rule(rule, names) -> dict:
    return {"kind": rule.kind, "quota": float(np.asarray(rule.quota))
            if rule.kind == "quota" else None,
            "leader": names[rule.leader] if rule.kind == "leader" else None}


def _row_side(nums, res) -> dict:
    """The row side's members, shares, rule and power (only for a row side with members)."""
    rows = list(res.row_members)
    if not rows:
        return {}
    return {"row_members": rows, "row_shares": dict(zip(rows, map(float, nums.row_shares))),
            "row_rule": _rule(nums.row_rule, rows),
            "row_power": {k: dict(zip(rows, map(float, v))) for k, v in res.row_power.items()}}


def _f(x):
    x = float(x)
    return None if np.isnan(x) else x


def format_summary(scenario, flips: bool = True) -> dict:
    """Each format's outcome, each actor's utility (stage, repeated, deal), preferred formats,
    the choice stage, power indices and flip points, as a JSON-serialisable dict."""
    from ..analysis import provenance
    from ..scenario.blocs import numbers

    nums = numbers(scenario)
    res = analyse(nums)
    actors = list(res.actors)
    members = list(res.members)
    from .formats import bloc_game

    game = bloc_game(nums)
    out = {
        "scenario": {"name": scenario.name, "title": scenario.title},
        "players": list(scenario.players),
        "members": members,
        "shares": dict(zip(members, map(float, nums.shares))),
        "rule": _rule(nums.rule, members),
        "discount": float(nums.discount),
        "bloc_format": {
            "regime": REGIMES[int(res.bloc_regime)],
            "thresholds": {p: dict(zip([scenario.players[0], scenario.players[1], "both"],
                                       map(_f, game.threshold(p)))) for p in PRESCRIBED},
            **{f"outcome_{m}": "(C,C)" if bool(res.bloc[m]) else "(D,D)" for m in MODES[:2]},
        },
        "bilateral_format": {
            name: {"regime": REGIMES[int(code)],
                   **{f"outcome_{m}": "(C,C)" if bool(res.bilateral[m][i]) else "(D,D)"
                      for m in MODES[:2]}}
            for i, (name, code) in enumerate(zip(members, res.bilateral_regime))},
        "utility": {m: {f: dict(zip(actors, map(float, res.utility[m][k])))
                        for k, f in enumerate(FORMATS)} for m in MODES},
        "preferred": {m: dict(zip(actors, (FORMATS[i] for i in res.preferred(m))))
                      for m in MODES},
        "choice": {m: FORMATS[int(res.choice(m))] for m in MODES},
        "bloc_accepts_bloc_format": {m: bool(res.accepts_bloc[m]) for m in MODES},
        "power": {k: dict(zip(members, map(float, v))) for k, v in res.power.items()},
        **_row_side(nums, res),
        "flip_points": [f for key, lo, hi in flip_ranges(scenario)
                        for f in format_flips(scenario, key, lo, hi)] if flips else [],
        "provenance": provenance(scenario),
    }
    return out


def account(s: dict) -> str:
    """A readable account of a format summary."""
    row, col = s["players"]
    actors = [row, col] + s["members"] + s.get("row_members", [])
    lines = [f"Formats of cooperation: {s['scenario']['title']}",
             "=" * (24 + len(s["scenario"]["title"]))]
    sides = [(col, s["members"], s["shares"], s["rule"], s["power"])]
    if s.get("row_members"):
        sides.insert(0, (row, s["row_members"], s["row_shares"], s["row_rule"], s["row_power"]))
    for name, members, shares, rule, p in sides:
        how = rule_words(rule)
        lines += [f"{name} has {len(members)} members and decides {how}.",
                  "  Members, shares and voting power (Shapley-Shubik, Banzhaf normalised, "
                  "Banzhaf absolute):"]
        for m in members:
            lines.append(f"  {m:<14} share {shares[m]:5.3f}   {p['shapley_shubik'][m]:.4f}  "
                         f"{p['banzhaf'][m]:.4f}  {p['banzhaf_absolute'][m]:.4f}")
    lines += [f"δ = {s['discount']:g}."]
    b = s["bloc_format"]
    lines += ["", f"Bloc format ({row} against {col} acting by its rule): regime "
              f"{b['regime']}; outcome {b['outcome_stage']} in the one-shot game, "
              f"{b['outcome_repeated']} in the repeated game."]
    t = b["thresholds"]["grim"]
    lines.append("  grim trigger sustains (C,C) for " + "; ".join(
        f"{k} {'at no δ < 1' if v is None else f'δ ≥ {v:.4f}'}" for k, v in t.items()))
    lines += ["", f"Bilateral format ({row} with each member separately):"]
    for m, g in s["bilateral_format"].items():
        lines.append(f"  {row}-{m}: {g['regime']}; outcome {g['outcome_stage']} one-shot, "
                     f"{g['outcome_repeated']} repeated")
    for mode in ("repeated", "deal"):
        lines += ["", f"Utilities ({MODE_TEXT[mode]}):",
                  f"  {'':<14}" + "".join(f"{f:>12}" for f in FORMATS) + "   prefers"]
        for a in actors:
            u = [s["utility"][mode][f][a] for f in FORMATS]
            lines.append(f"  {a:<14}" + "".join(f"{x:12.4g}" for x in u)
                         + f"   {s['preferred'][mode][a]}")
    lines += ["", f"Format choice ({row} proposes{' by its rule' if s.get('row_members') else ''}, "
              f"{col} accepts or refuses by its rule): "
              f"{s['choice']['repeated']} (repeated game), {s['choice']['stage']} (one-shot)."]
    if s["flip_points"]:
        lines += ["", "Flip points (where a preference or the choice changes):"]
        for f in s["flip_points"]:
            who = "the format choice" if f["who"] == "choice" else f"{f['who']}'s preference"
            lines.append(f"  {f['key']} = {f['value']:.6g}: {who} changes from "
                         f"{f['from']} to {f['to']} ({f['method']})")
    return "\n".join(lines)
