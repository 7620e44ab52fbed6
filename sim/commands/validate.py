"""``blocsim validate FILE``: check a scenario file (its ``[sweep]`` section included) and say
what is wrong, in one line."""

from __future__ import annotations


def add_parsers(sub):
    val = sub.add_parser("validate", help="check a scenario file and say what is wrong")
    val.add_argument("file", help="path to a scenario TOML file (or a built-in name)")


def command(args) -> int:
    from ..sweep import config

    sc, section = config.load(args.file)         # the scenario, and its [sweep] if any
    if section is not None:
        section.make_axes(sc.where)
        section.make_measures(sc.where)
    print(f"{sc.where}: valid scenario '{sc.name}' ({sc.players[0]} vs {sc.players[1]}); "
          f"numeric keys: {', '.join(sc.numeric_keys())}")
    return 0


COMMANDS = {"validate": command}
