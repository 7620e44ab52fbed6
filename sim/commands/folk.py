"""``blocsim folk``: the folk theorem computed — subgame-perfect payoff sets of the repeated
game (:func:`sim.workflows.folk.folk`)."""

from __future__ import annotations

from ..workflows.settings import BOUND_DIRECTIONS, DEFAULTS, FOLK_DISCOUNTS
from .common import (add_output_options, add_scenario_options, finish, given, load,
                     output_folder)

FILES = ["folk.json", "folk.png", "folk.svg", "folk_weights.png", "folk_weights.svg"]
OPTIONS = ("discount", "weights", "payoffs", "bounds")


def add_parsers(sub):
    d = DEFAULTS["folk"]
    p = sub.add_parser("folk", help="subgame-perfect equilibrium payoff sets at several discount "
                       "factors, and the critical δ for (C,C)")
    add_scenario_options(p)
    p.add_argument("--discount", type=float, nargs="+", metavar="DELTA",
                   help="discount factors in [0, 1) (default: the scenario's [folk] discounts, "
                        f"or {', '.join(map(str, FOLK_DISCOUNTS))} and the scenario's δ)")
    p.add_argument("--payoffs", choices=["utility", "material"], default=None,
                   help=f"payoff space of the utility game or the material game (default "
                        f"{d['payoffs']})")
    p.add_argument("--weights", type=float, nargs="+", metavar="R",
                   help="relative-gain weights, one panel each (default "
                        f"{', '.join(f'{r:g}' for r in d['weights'])})")
    p.add_argument("--bounds", type=int, nargs="?", const=BOUND_DIRECTIONS, default=None,
                   metavar="DIRECTIONS",
                   help="also certified inner and outer approximations (Judd, Yeltekin & "
                        f"Conklin 2003) with this many directions (default {BOUND_DIRECTIONS} "
                        "when given without a number; default: none)")
    add_output_options(p, "folk-theorem results", budget=False)   # bounded by LIMITS


def command(args) -> int:
    from ..workflows.folk import settings

    sc = load(args)
    settings(sc, given(args, OPTIONS))            # bad options fail before any file is touched
    out = output_folder(args, sc, FILES)
    run = sc.folk(**given(args, OPTIONS))
    return finish(args, out, FILES, run, run.figures, run.account)


COMMANDS = {"folk": command}
