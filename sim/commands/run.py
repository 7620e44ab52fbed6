"""``blocsim run``: analyse a scenario — equilibria, thresholds, regime — and draw its region
map."""

from __future__ import annotations

from .common import add_output_options, add_scenario_options, finish, load, output_folder

FILES = ["summary.json", "region_map.png", "region_map.svg"]


def add_parsers(sub):
    p = sub.add_parser("run", help="analyse a scenario: equilibria, thresholds, regime, "
                       "region map")
    add_scenario_options(p)
    add_output_options(p, budget=False)           # fixed-size work


def command(args) -> int:
    sc = load(args)
    out = output_folder(args, sc, FILES)
    summary = sc.analyse()
    return finish(args, out, FILES, summary, lambda: {"region_map": summary.figure()},
                  summary.account)


COMMANDS = {"run": command}
