"""``blocsim formats``: bloc-to-bloc, bilateral or status quo — each actor's utility in each
format, the format each prefers, the format-choice stage, voting power and flip points."""

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


def settings(sc, args) -> dict:
    from ..blocs.maps import default_axes

    x, y = default_axes(sc)
    return {"x": args.x or x, "y": args.y or y}


def _check(where, s):
    from ..errors import UserError

    if s["x"] == s["y"]:
        raise UserError(f"{where}: --y {s['y']}: same key as --x; allowed: two different keys")


def command(args) -> int:
    from ..blocs.maps import check_axis, format_map
    from ..blocs.summary import account, format_summary
    from ..errors import UserError

    if args.scenario is None:
        args.scenario = DEFAULT_SCENARIO
    sc = load(args)
    s = settings(sc, args)
    _check(sc.where, s)
    if sc.model.blocs is None:
        raise UserError(f"{sc.where}: blocs: missing; allowed: a scenario with a [blocs] "
                        f"section, e.g. {DEFAULT_SCENARIO}")
    for axis in ("x", "y"):
        check_axis(sc, s[axis], f"--{axis} {s[axis]}")
    out = output_folder(args, sc, FILES)               # checked before any file is written
    summary = format_summary(sc)
    grid = format_map(sc, s["x"], s["y"])
    summary["map"] = {"x": s["x"], "y": s["y"]}
    summary["provenance"]["formats"] = s

    def figures():
        from ..plots.formats import plot_format_map, plot_formats

        return {"formats": plot_formats(summary), "format_map": plot_format_map(grid)}

    return finish(args, out, FILES, summary, figures, lambda: account(summary))


COMMANDS = {"formats": command}
