"""The ``blocsim`` command.

``blocsim run [SCENARIO]`` analyses a scenario (default: the NATO–CSTO baseline) and writes
``summary.json`` and a region map; ``blocsim list`` lists the built-in scenarios;
``blocsim validate FILE`` checks a scenario file. A user mistake prints one line and exits 2.

Imports are deferred to the command that needs them, so ``blocsim --help`` stays fast.
"""

from __future__ import annotations

import argparse
import sys

from .commands import evolve, folk, formats, tournament
from .errors import UserError
from .sweep import cli as sweep_cli

#: Modules that add subcommands: each has ``add_parsers(subparsers)`` and ``COMMANDS``.
SUBCOMMANDS = (tournament, evolve, folk, sweep_cli, formats)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line and exit 2."""

    def error(self, message):
        hint = "" if "allowed:" in message else f"; allowed: see '{self.prog} --help'"
        raise UserError(f"{self.prog}: {message}{hint}")


def _add_scenario_options(p, overrides=True):
    p.add_argument("scenario", nargs="?", default=None,
                   help="built-in scenario name or path to a TOML file (default: nato_csto_2007)")
    if overrides:
        p.add_argument("--set", dest="overrides", action="append", default=[],
                       metavar="KEY=VALUE",
                       help="override a scenario value by its dotted key, e.g. "
                            "preferences.relative_gain_weight.NATO=0.3 (repeatable)")


def _add_output_options(p):
    p.add_argument("--out", default=None, metavar="DIR",
                   help="directory for results (default: results/<scenario>/)")
    p.add_argument("--force", action="store_true", help="overwrite existing results")
    p.add_argument("--json", action="store_true", help="print the summary as JSON to stdout")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="blocsim", description="When does cooperation between two rival "
                     "blocs emerge, and what blocks it? Game-theoretic analysis of scenarios.")
    parser.add_argument("--version", action="version", version=f"blocsim {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    run = sub.add_parser("run", help="analyse a scenario: equilibria, thresholds, regime, "
                         "region map")
    _add_scenario_options(run)
    _add_output_options(run)
    sub.add_parser("list", help="list the built-in scenarios")
    val = sub.add_parser("validate", help="check a scenario file and say what is wrong")
    val.add_argument("file", help="path to a scenario TOML file (or a built-in name)")
    for module in SUBCOMMANDS:
        module.add_parsers(sub)
    parser.commands = dict(sub.choices)
    return parser


def _version() -> str:
    from . import __version__

    return __version__


def cmd_run(args) -> int:
    from . import analysis, outputs, scenario

    sc = scenario.load(args.scenario, args.overrides)
    files = ["summary.json", "region_map.png", "region_map.svg"]
    out = outputs.prepare(args.out or f"results/{sc.name}", files, args.force)
    summary = analysis.summarize(sc)
    summary["provenance"]["outputs"] = [str(out / f) for f in files]

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .plots.regions import draw_regime_map

    fig = draw_regime_map(analysis.regime_map(sc))
    try:
        for f in files[1:]:
            outputs.save_figure(fig, out / f)
        outputs.write_json(out / "summary.json", summary)
    finally:
        plt.close(fig)
    if args.json:
        print(outputs.json_text(summary))
    else:
        print(analysis.account(summary))
        print(f"\nWrote {', '.join(str(out / f) for f in files)}")
    return 0


def cmd_list(args) -> int:
    from . import scenario

    for name in scenario.builtin_names():
        sc = scenario.load(name)
        print(f"{name:<20} {sc.title}")
    return 0


def cmd_validate(args) -> int:
    from .sweep import config

    sc, section = config.load(args.file)         # the scenario, and its [sweep] if any
    if section is not None:
        section.make_axes(sc.where)
        section.make_measures(sc.where)
    print(f"{sc.where}: valid scenario '{sc.name}' ({sc.players[0]} vs {sc.players[1]}); "
          f"numeric keys: {', '.join(sc.numeric_keys())}")
    return 0


COMMANDS = {"run": cmd_run, "list": cmd_list, "validate": cmd_validate,
            **{name: f for module in SUBCOMMANDS for name, f in module.COMMANDS.items()}}


def main(argv=None) -> int:
    parser = build_parser()
    try:
        args, extra = parser.parse_known_args(argv)
        if extra:
            parser.commands.get(args.command, parser).error(
                f"unrecognized arguments: {' '.join(extra)}")
        if args.command is None:
            parser.print_help()
            return 0
        return COMMANDS[args.command](args)
    except UserError as exc:
        print(f"blocsim: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("blocsim: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
