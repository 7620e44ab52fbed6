"""``blocsim tournament``: an Axelrod-style round robin on a scenario's game
(:func:`sim.workflows.tournament.tournament`)."""

from __future__ import annotations

import sys

from ..defaults import MAX_NOISE
from ..workflows.settings import DEFAULTS
from .common import (add_output_options, add_scenario_options, finish, given, load, natural,
                     output_folder)

FILES = ["tournament.json", "ranking.csv", "pairs.csv", "payoff_heatmap.png",
         "payoff_heatmap.svg", "ranking.png", "ranking.svg"]
OPTIONS = ("players", "turns", "continuation", "noise", "repetitions", "seed", "method",
           "payoffs")


def add_parsers(sub):
    d = DEFAULTS["tournament"]
    p = sub.add_parser("tournament", help="round-robin tournament of strategies on the "
                       "scenario's game (exact or Monte Carlo)")
    add_scenario_options(p)
    p.add_argument("--players", nargs="+", metavar="NAME",
                   help=f"strategies by name (default: the scenario's [tournament] players, or "
                        f"{', '.join(d['players'])})")
    length = p.add_mutually_exclusive_group()
    length.add_argument("--turns", type=int,
                        help=f"fixed number of turns per match (default {d['turns']})")
    length.add_argument("--continuation", type=float, metavar="W",
                        help="continuation probability w in [0, 1): geometric match length "
                             "(default: fixed turns)")
    p.add_argument("--noise", type=float,
                   help=f"execution noise ε in [0, {MAX_NOISE:g}] (default: the scenario's "
                        "repeated.noise)")
    p.add_argument("--repetitions", type=int,
                   help=f"repetitions of each match (Monte Carlo; default {d['repetitions']})")
    p.add_argument("--seed", type=natural, help=f"random seed (default {d['seed']})")
    how = p.add_mutually_exclusive_group()
    how.add_argument("--exact", dest="method", action="store_const", const="exact",
                     help="exact expected payoffs (finite-memory strategies only; default "
                          "when every entrant is finite-state)")
    how.add_argument("--simulate", dest="method", action="store_const", const="simulate",
                     help="Monte Carlo, vectorised over matches and repetitions")
    p.add_argument("--payoffs", choices=["utility", "material"],
                   help=f"play on the utility game (relative gains) or material payoffs "
                        f"(default {d['payoffs']})")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    add_output_options(p, "tournament results")


def command(args) -> int:
    from ..budget import from_args
    from ..workflows.tournament import settings

    sc = load(args)
    settings(sc, given(args, OPTIONS))            # bad options fail before any file is touched
    out = output_folder(args, sc, FILES)
    run = sc.tournament(**given(args, OPTIONS),
                        progress=not args.quiet and sys.stderr.isatty(), budget=from_args(args))
    run.result.to_csv(out / "ranking.csv", overwrite=True)
    run.result.pairs_csv(out / "pairs.csv", overwrite=True)
    return finish(args, out, FILES, run, run.figures, run.account)


COMMANDS = {"tournament": command}
