"""``blocsim robust``: how robust is a scenario's verdict to its author's judgement calls?
(:func:`sim.workflows.robust.robust`)"""

from __future__ import annotations

from ..workflows.robust import SEED
from .common import add_output_options, add_scenario_options, finish, load, output_folder

FILES = ["robust.json", "tornado.png", "tornado.svg", "sensitivity.png", "sensitivity.svg"]


def add_parsers(sub):
    p = sub.add_parser("robust", help="robustness of the verdict to the scenario's "
                       "[uncertainty] ranges: shares of regimes, break-even values, Sobol "
                       "indices")
    add_scenario_options(p)
    p.add_argument("--draws", type=int, default=None, metavar="N",
                   help="quasi-random (scrambled Sobol) draws (default: "
                        "sim.robust.summary.DRAWS)")
    p.add_argument("--seed", type=int, default=None, help="random seed of the scrambling "
                   f"(default {SEED})")
    add_output_options(p, "robustness results")


def command(args) -> int:
    from ..workflows.robust import settings

    sc = load(args)
    settings(sc, args.draws, args.seed)          # bad options fail before any file is touched
    out = output_folder(args, sc, FILES)
    run = sc.robust(args.draws, seed=args.seed)
    return finish(args, out, FILES, run, run.figures, run.account)


COMMANDS = {"robust": command}
