"""``blocsim evolve``: does cooperation emerge? Replicator, Moran and generational dynamics on
the payoff matrix among strategies in a scenario's repeated game
(:func:`sim.workflows.evolve.evolve`)."""

from __future__ import annotations

from ..workflows.settings import DEFAULTS, DYNAMICS, RUNS
from .common import (add_output_options, add_scenario_options, finish, given, load, natural,
                     output_folder, use_agg)

OPTIONS = ("players", "dynamics", "population", "intensity", "fitness", "mutation", "runs",
           "generations", "replace", "seed", "payoffs")


def add_parsers(sub):
    d = DEFAULTS["evolution"]
    p = sub.add_parser("evolve", help="evolutionary dynamics among strategies: replicator "
                       "(one or two populations), Moran process, generational play")
    add_scenario_options(p)
    p.add_argument("--dynamics", choices=DYNAMICS, help=f"default {d['dynamics']}")
    p.add_argument("--players", nargs="+", metavar="NAME",
                   help=f"strategies (default: [evolution] players, or "
                        f"{', '.join(d['players'])})")
    p.add_argument("--population", type=int, metavar="N",
                   help=f"population size for moran and generational (default "
                        f"{d['population']})")
    p.add_argument("--intensity", type=float, metavar="BETA",
                   help=f"selection intensity (default {d['intensity']:g})")
    p.add_argument("--fitness", choices=("linear", "exponential"),
                   help=f"fitness map: 1 − w + w·payoff or exp(β·payoff) (default "
                        f"{d['fitness']})")
    p.add_argument("--mutation", type=float,
                   help=f"mutation probability (moran, default {d['mutation']:g})")
    p.add_argument("--runs", type=int,
                   help=f"independent runs (default {RUNS['moran']} for simulated moran, "
                        f"{RUNS['generational']} for generational)")
    p.add_argument("--generations", type=int,
                   help=f"generations (generational, default {d['generations']})")
    p.add_argument("--replace", type=int,
                   help=f"individuals replaced per generation (default {d['replace']})")
    p.add_argument("--seed", type=natural, help=f"random seed (default {d['seed']})")
    p.add_argument("--payoffs", choices=("utility", "material"),
                   help=f"the utility game (relative gains) or material payoffs (default "
                        f"{d['payoffs']})")
    add_output_options(p, "evolution results")


def command(args) -> int:
    from .. import outputs
    from ..workflows.evolve import settings

    sc = load(args)
    settings(sc, given(args, OPTIONS))            # bad options fail before any file is touched
    path = output_folder(args, sc, ["evolution.json"])
    use_agg()
    from ..budget import from_args

    run = sc.evolve(**given(args, OPTIONS), budget=from_args(args))
    figures = run.figures()
    files = ["evolution.json"] + [f"{stem}.{x}" for stem in figures for x in ("png", "svg")]
    outputs.prepare(path, files, args.force)
    return finish(args, path, files, run, lambda: figures, run.account)


COMMANDS = {"evolve": command}
