"""``blocsim tournament``: an Axelrod-style round robin on a scenario's game."""

from __future__ import annotations

import sys

from ..budget import from_args, limit
from .common import (add_output_options, add_scenario_options, emit, natural, prepare,
                     save_figures, use_agg, user_error)

#: Entrants when neither the command line nor the scenario names any: the classics of Axelrod
#: (1984) and Nowak & Sigmund (1993), with a fixed generosity for GTFT so that it is defined in
#: every game.
DEFAULT_PLAYERS = ("TFT", "Grim", "WSLS", "TF2T", "AllC", "AllD", "Random", "Joss", "Prober",
                   "Alternator", "SuspiciousTFT")

FILES = ["tournament.json", "ranking.csv", "pairs.csv", "payoff_heatmap.png",
         "payoff_heatmap.svg", "ranking.png", "ranking.svg"]


def add_parsers(sub):
    p = sub.add_parser("tournament", help="round-robin tournament of strategies on the "
                       "scenario's game (exact or Monte Carlo)")
    add_scenario_options(p)
    p.add_argument("--players", nargs="+", metavar="NAME",
                   help=f"strategies by name (default: the scenario's [tournament] players, or "
                        f"{', '.join(DEFAULT_PLAYERS)})")
    length = p.add_mutually_exclusive_group()
    length.add_argument("--turns", type=int, help="fixed number of turns per match")
    length.add_argument("--continuation", type=float, metavar="W",
                        help="continuation probability w in [0, 1): geometric match length")
    p.add_argument("--noise", type=float, help="execution noise ε (default: repeated.noise)")
    p.add_argument("--repetitions", type=int, help="repetitions of each match (Monte Carlo)")
    p.add_argument("--seed", type=natural, help="random seed (default 0)")
    how = p.add_mutually_exclusive_group()
    how.add_argument("--exact", dest="method", action="store_const", const="exact",
                     help="exact expected payoffs (finite-memory strategies only)")
    how.add_argument("--simulate", dest="method", action="store_const", const="simulate",
                     help="Monte Carlo, vectorised over matches and repetitions")
    p.add_argument("--payoffs", choices=["utility", "material"],
                   help="play on the utility game (relative gains; default) or material payoffs")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    add_output_options(p, "tournament results")


def _first(*values):
    return next((v for v in values if v is not None), None)


def settings(sc, args) -> dict:
    """The tournament's settings: command line over ``[tournament]`` over defaults."""
    section = sc.model.tournament

    def given(name):
        return _first(getattr(args, name, None),
                      getattr(section, name, None) if section is not None else None)

    if getattr(args, "turns", None) is not None or getattr(args, "continuation", None) is not None:
        turns, continuation = args.turns, args.continuation
    elif section is not None and (section.turns is not None or section.continuation is not None):
        turns, continuation = section.turns, section.continuation
    else:
        turns, continuation = 200, None
    entrants = section.entrants if section is not None else None
    return {"players": list(_first(getattr(args, "players", None), entrants, DEFAULT_PLAYERS)),
            "turns": turns, "continuation": continuation,
            "noise": _first(given("noise"), sc.model.repeated.noise),
            "repetitions": _first(given("repetitions"), 20), "seed": _first(given("seed"), 0),
            "method": _first(given("method"), "auto"),
            "payoffs": _first(given("payoffs"), "utility"),
            "self_play": section.self_play if section is not None else True}


def _check(where, s):
    from ..errors import UserError

    for name in ("turns", "repetitions"):
        try:
            limit(name, s[name], label=f"--{name}")
        except UserError as exc:
            raise UserError(f"{where}: {exc}") from None
    if s["continuation"] is not None and not 0 <= s["continuation"] < 1:
        raise UserError(f"{where}: --continuation {s['continuation']}: allowed: a number in "
                        "[0, 1)")
    if not 0 <= s["noise"] <= 0.5:
        raise UserError(f"{where}: --noise {s['noise']}: allowed: a number in [0, 0.5]")


def run(sc, s, progress=False, budget=None):
    """Play the tournament described by settings ``s`` on scenario ``sc``."""
    from ..tournament import tournament

    game = sc.utility_game() if s["payoffs"] == "utility" else sc.material_game()
    try:
        return tournament(s["players"], game.A, game.B, turns=s["turns"],
                          continuation=s["continuation"], noise=s["noise"],
                          repetitions=s["repetitions"], seed=s["seed"], method=s["method"],
                          self_play=s["self_play"], progress=progress, budget=budget)
    except ValueError as exc:
        raise user_error(f"{sc.where}: tournament", exc) from None


def account(result, sc, s) -> str:
    d = result.to_dict()
    lines = [f"Tournament on {sc.title} ({s['payoffs']} payoffs; {d['method']}; "
             + (f"{s['turns']} turns" if s["continuation"] is None else
                f"continuation w = {s['continuation']}") + f"; noise {s['noise']})", "",
             f"{'rank':>4}  {'strategy':<24} {'mean payoff':>12} {'95% CI':>20} "
             f"{'cooperation':>11} {'wins':>6}"]
    for rank, i in enumerate(result.ranking, 1):
        lo, hi = d["ci95"][i]
        ci = "exact" if d["method"] == "exact" else f"[{lo:.3f}, {hi:.3f}]"
        lines.append(f"{rank:>4}  {d['players'][i]:<24} {d['mean_payoffs'][i]:>12.4f} "
                     f"{ci:>20} {d['cooperation_rates'][i]:>11.3f} {d['wins'][i]:>6.2f}")
    return "\n".join(lines)


def command(args) -> int:
    from .. import outputs
    from ..analysis import provenance

    sc, s, out = prepare(args, settings, _check, FILES)
    result = run(sc, s, progress=not args.quiet and sys.stderr.isatty(), budget=from_args(args))
    summary = {**result.to_dict(), "payoffs": s["payoffs"],
               "provenance": provenance(sc, seed=s["seed"], tournament=s,
                                        outputs=[str(out / f) for f in FILES])}
    use_agg()
    from ..plots.tournament import payoff_heatmap, ranking_chart

    figures = {"payoff_heatmap": payoff_heatmap(result), "ranking": ranking_chart(result)}
    for fig in figures.values():                  # say which game was played
        ax = fig.axes[0]
        ax.set_title(f"{sc.title} ({s['payoffs']} payoffs)\n{ax.get_title()}")
    save_figures(out, figures)
    result.to_csv(out / "ranking.csv", overwrite=True)
    result.pairs_csv(out / "pairs.csv", overwrite=True)
    outputs.write_json(out / "tournament.json", summary)
    emit(args, summary, account(result, sc, s) + f"\n\nWrote {', '.join(FILES)} to {out}")
    return 0


COMMANDS = {"tournament": command}
