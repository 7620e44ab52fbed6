"""``blocsim folk``: the folk theorem computed — subgame-perfect payoff sets of the repeated game."""

from __future__ import annotations

from ..budget import LIMITS
from .common import (add_output_options, add_scenario_options, emit, prepare, save_figures,
                     use_agg, user_error)

FILES = ["folk.json", "folk.png", "folk.svg", "folk_weights.png", "folk_weights.svg"]


def add_parsers(sub):
    p = sub.add_parser("folk", help="subgame-perfect equilibrium payoff sets at several discount "
                       "factors, and the critical δ for (C,C)")
    add_scenario_options(p)
    p.add_argument("--discount", type=float, nargs="+", metavar="DELTA",
                   help="discount factors in [0, 1) (default: the scenario's [folk] discounts, "
                        "or 0.3, 0.6 and the scenario's δ)")
    p.add_argument("--payoffs", choices=["utility", "material"], default=None,
                   help="payoff space of the utility game (default) or the material game")
    p.add_argument("--weights", type=float, nargs="+", metavar="R",
                   help="relative-gain weights, one panel each (default 0, 0.25, 0.5, 0.75)")
    p.add_argument("--bounds", type=int, nargs="?", const=64, default=None, metavar="DIRECTIONS",
                   help="also certified inner and outer approximations (Judd, Yeltekin & "
                        "Conklin 2003) with this many directions (default 64)")
    add_output_options(p, "folk-theorem results")


def settings(sc, args) -> dict:
    section = sc.model.folk
    deltas = (args.discount or (section.discount if section and section.discount else None)
              or sorted({0.3, 0.6, sc.discount}))
    weights = (args.weights or (section.weights if section and section.weights else None)
               or [0.0, 0.25, 0.5, 0.75])
    payoffs = args.payoffs or (section.payoffs if section else None) or "utility"
    return {"discount": [float(d) for d in deltas], "weights": [float(r) for r in weights],
            "payoffs": payoffs, "bounds": args.bounds}


def _check(where, s):
    from ..errors import UserError

    for name, key in (("discount", "discounts"), ("weights", "weights")):
        if len(s[name]) > LIMITS[key]:
            raise UserError(f"{where}: --{name}: {len(s[name])} values; allowed: 1 to "
                            f"{LIMITS[key]} values")
    bad = [d for d in s["discount"] if not 0 <= d < 1]
    if bad:
        raise UserError(f"{where}: --discount {bad[0]}: allowed: numbers in [0, 1)")
    bad = [r for r in s["weights"] if not 0 <= r <= 1]
    if bad:
        raise UserError(f"{where}: --weights {bad[0]}: allowed: numbers in [0, 1]")
    if s["bounds"] is not None and not 3 <= s["bounds"] <= 4096:
        raise UserError(f"{where}: --bounds {s['bounds']}: allowed: a whole number of "
                        "directions from 3 to 4096")


def account(summary, sc, s) -> str:
    names = sc.players
    lines = [f"Folk theorem for {sc.title} ({s['payoffs']} payoffs)", "",
             f"Pure minmax (what each can guarantee itself): {names[0]} "
             f"{summary['minmax'][0]:.4g}, {names[1]} {summary['minmax'][1]:.4g}",
             f"(C,C) pays {summary['profile_payoff'][0]:.4g}, {summary['profile_payoff'][1]:.4g}"]
    for d, inside, best, worst in zip(summary["deltas"], summary["cooperation_in_set"],
                                      summary["best"], summary["worst"]):
        if best is None:
            lines.append(f"  δ = {d:.3g}: no pure-strategy subgame-perfect equilibrium")
            continue
        lines.append(f"  δ = {d:.3g}: (C,C) {'is' if inside else 'is not'} an SPE payoff; "
                     f"SPE payoffs {names[0]} [{worst[0]:.3g}, {best[0]:.3g}], "
                     f"{names[1]} [{worst[1]:.3g}, {best[1]:.3g}]")
    for b in summary.get("bounds") or ():
        if b is not None:
            gap = "unbounded" if b["hausdorff"] is None else f"{b['hausdorff']:.2e}"
            lines.append(f"  δ = {b['delta']:.3g}: certified bounds (Judd, Yeltekin & Conklin "
                         f"2003, {b['directions']} directions): inner and outer sets within "
                         f"Hausdorff distance {gap}")
    crit = summary["critical_discount"]
    lines.append("")
    lines.append("Critical discount factor for (C,C): " + (
        "never (no δ < 1 makes (C,C) subgame perfect)" if crit is None else
        "0 — (C,C) is a stage equilibrium" if crit == 0 else f"δ ≥ {crit:.4f}"))
    return "\n".join(lines)


def command(args) -> int:
    from .. import outputs
    from ..analysis import provenance
    from ..spe import folk_summary

    sc, s, out = prepare(args, settings, _check, FILES)
    game = sc.utility_game() if s["payoffs"] == "utility" else sc.material_game()
    try:
        summary = folk_summary(game.A, game.B, s["discount"])
    except ValueError as exc:
        raise user_error(f"{sc.where}: folk", exc) from None
    if s["bounds"] is not None:
        from ..spe_bounds import spe_bounds

        summary["bounds"] = [spe_bounds(game.A, game.B, d, directions=s["bounds"]).to_dict()
                             if d > 0 else None for d in s["discount"]]
    summary = {"players": list(sc.players), "payoffs": s["payoffs"], **summary,
               "provenance": provenance(sc, folk=s, outputs=[str(out / f) for f in FILES])}
    use_agg()
    from ..plots.folk import plot_folk, plot_folk_panels

    material = sc.material_game()
    figures = {"folk": plot_folk(game.A, game.B, s["discount"], players=sc.players,
                                 title=f"{sc.title}: subgame-perfect payoffs "
                                       f"({s['payoffs']} game)"),
               "folk_weights": plot_folk_panels([(r, material.A, material.B)
                                                 for r in s["weights"]], s["discount"],
                                                players=sc.players,
                                                title=f"{sc.title}: how relative gains shrink "
                                                      "what patience can sustain")}
    save_figures(out, figures)
    outputs.write_json(out / "folk.json", summary)
    emit(args, summary, account(summary, sc, s) + f"\n\nWrote {', '.join(FILES)} to {out}")
    return 0


COMMANDS = {"folk": command}
