"""``blocsim formats``: bloc-to-bloc, bilateral or status quo — each actor's utility in each
format, the format each prefers, the format-choice stage, voting power and flip points
(:func:`sim.workflows.formats.formats`)."""

from __future__ import annotations

from .common import add_output_options, add_scenario_options, finish, load, output_folder

FILES = ["formats.json", "formats.png", "formats.svg", "format_map.png", "format_map.svg"]
DEFAULT_SCENARIO = "nato_csto_members"


def add_parsers(sub):
    p = sub.add_parser("formats", help="bloc format against bilateral deals: utilities, "
                       "preferred formats, format choice, voting power, flip points")
    add_scenario_options(p)
    p.add_argument("--x", default=None, metavar="KEY",
                   help="key on the map's x axis (default: the row player's relative-gain "
                        "weight)")
    p.add_argument("--y", default=None, metavar="KEY",
                   help="key on the map's y axis (default: the control holder's share)")
    add_output_options(p, "format results")


def command(args) -> int:
    from ..workflows.formats import map_axes

    if args.scenario is None:
        args.scenario = DEFAULT_SCENARIO
    sc = load(args)
    axes = map_axes(sc, args.x, args.y)
    out = output_folder(args, sc, FILES)               # checked before any file is written
    run = sc.formats(**axes)
    return finish(args, out, FILES, run, run.figures, run.account)


COMMANDS = {"formats": command}
