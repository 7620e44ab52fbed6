"""``blocsim trust``: uncertainty about the other bloc's type — Bayesian equilibria, the trust
threshold, costly reassurance, spirals and the model's account of the 1993–2007 record
(:func:`sim.workflows.trust.trust`)."""

from __future__ import annotations

from .common import add_output_options, add_scenario_options, finish, load, output_folder

FILES = ["trust.json", "belief_timeline.png", "belief_timeline.svg", "trust_cost.png",
         "trust_cost.svg", "trust_delta.png", "trust_delta.svg"]
DEFAULT_SCENARIO = "nato_csto_trust"


def add_parsers(sub):
    p = sub.add_parser("trust", help="trust and mistrust: Bayesian equilibria, trust "
                       "threshold, costly reassurance, spirals, the record (default scenario: "
                       f"{DEFAULT_SCENARIO})")
    add_scenario_options(p)
    add_output_options(p, "trust results")


def command(args) -> int:
    if args.scenario is None:
        args.scenario = DEFAULT_SCENARIO
    sc = load(args)
    out = output_folder(args, sc, FILES)
    run = sc.trust()
    return finish(args, out, FILES, run, run.figures, run.account)


COMMANDS = {"trust": command}
