"""``blocsim robust``: how robust is a scenario's verdict to its author's judgement calls?"""

from __future__ import annotations

from .common import add_output_options, add_scenario_options, finish, load, output_folder

FILES = ["robust.json", "tornado.png", "tornado.svg", "sensitivity.png", "sensitivity.svg"]
#: Most draws one call may ask for (memory: about 100 bytes per draw and key in a chunk).
MAX_DRAWS = 10**8


def add_parsers(sub):
    p = sub.add_parser("robust", help="robustness of the verdict to the scenario's "
                       "[uncertainty] ranges: shares of regimes, break-even values, Sobol "
                       "indices")
    add_scenario_options(p)
    p.add_argument("--draws", type=int, default=None, metavar="N",
                   help="quasi-random (scrambled Sobol) draws (default: "
                        "sim.robust.summary.DRAWS)")
    p.add_argument("--seed", type=int, default=0, help="random seed of the scrambling "
                   "(default 0)")
    add_output_options(p, "robustness results")


def settings(sc, args) -> dict:
    from ..errors import UserError

    if not sc.uncertainty():
        raise UserError(f"{sc.where}: uncertainty: no ranges given; allowed: an [uncertainty] "
                        "table of dotted key = range, e.g. \"factors.0.CC.0\" = [0.5, 1.5] "
                        "(see docs/howto-scenarios.md)")
    from ..robust.summary import DRAWS

    return {"draws": DRAWS if args.draws is None else args.draws, "seed": args.seed}


def _check(where, s):
    from ..errors import UserError

    if not 2 <= s["draws"] <= MAX_DRAWS:
        raise UserError(f"{where}: --draws {s['draws']}: allowed: a whole number from 2 to "
                        f"{MAX_DRAWS}")
    if not 0 <= s["seed"] < 2**63:
        raise UserError(f"{where}: --seed {s['seed']}: allowed: a whole number in [0, 2^63)")


def command(args) -> int:
    from ..errors import UserError
    from ..robust import account, robustness

    sc = load(args)
    s = settings(sc, args)
    _check(sc.where, s)                          # bad options fail before any file is touched
    out = output_folder(args, sc, FILES)
    try:
        result = robustness(sc, s["draws"], s["seed"])
    except ValueError as exc:
        raise UserError(f"{sc.where}: robust: {str(exc).splitlines()[0]}") from None

    def figures():
        from ..plots.robust import sensitivity_bars, tornado

        return {"tornado": tornado(result), "sensitivity": sensitivity_bars(result)}

    return finish(args, out, FILES, result, figures, lambda: account(result))


COMMANDS = {"robust": command}
