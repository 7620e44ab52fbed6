"""The ``blocsim`` command: parse the options, run the subcommand, turn a user mistake into
one line on stderr and exit code 2.

Every subcommand is a module of :mod:`sim.commands` (``add_parsers(subparsers)`` and
``COMMANDS``), listed once in :data:`SUBCOMMANDS`. Imports are deferred to the command that
needs them, so ``blocsim --help`` stays fast.
"""

from __future__ import annotations

import argparse
import os
import sys

from .commands import (evolve, folk, formats, plot, report, robust, run, sweep, tournament,
                       trust, validate)
from .commands import list as list_
from .errors import UserError

#: Modules that add subcommands, in the order ``blocsim --help`` lists them.
SUBCOMMANDS = (run, list_, validate, tournament, evolve, folk, trust, sweep, plot, formats,
               robust, report)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line and exit 2."""

    def error(self, message):
        hint = "" if "allowed:" in message else f"; allowed: see '{self.prog} --help'"
        raise UserError(f"{self.prog}: {message}{hint}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="blocsim", description="When does cooperation between two rival "
                     "blocs emerge, and what blocks it? Game-theoretic analysis of scenarios. "
                     "Each COMMAND has its own --help; in Python, the same is 'import sim' "
                     "(help(sim)).")
    parser.add_argument("--version", action="version", version=f"blocsim {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in SUBCOMMANDS:
        module.add_parsers(sub)
    parser.commands = dict(sub.choices)
    return parser


def _version() -> str:
    from . import __version__

    return __version__


COMMANDS = {name: f for module in SUBCOMMANDS for name, f in module.COMMANDS.items()}


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
    except BrokenPipeError:
        return _reader_gone()


def _reader_gone() -> int:
    """The reader of our output left (``blocsim robust | head``): stop quietly, as ``yes`` does.

    Python's documented recipe (``signal`` module notes on SIGPIPE): point stdout at
    ``os.devnull`` so the interpreter's final flush cannot raise again; 141 is 128 + SIGPIPE.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 141


if __name__ == "__main__":
    sys.exit(main())
