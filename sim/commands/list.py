"""``blocsim list``: the built-in scenarios, one line each."""

from __future__ import annotations


def add_parsers(sub):
    sub.add_parser("list", help="list the built-in scenarios")


def command(args) -> int:
    from .. import scenario

    for name in scenario.builtin_names():
        print(f"{name:<20} {scenario.load(name).title}")
    return 0


COMMANDS = {"list": command}
