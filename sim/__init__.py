"""blocsim: when does cooperation between two rival blocs emerge, and what blocks it?

The whole library is reachable from ``import sim``; the import is light because submodules
load on first use (PEP 562)::

    sc = sim.load("nato_csto_2007", threat=4)     # a Scenario
    sc.analyse(); sc.tournament(); sc.evolve(dynamics="moran"); sc.folk(discount=[0.5, 0.9])
    sc.sweep(["repeated.discount=0:0.99:100"])
    sim.load("nato_csto_trust").trust()          # Bayesian equilibria, trust threshold, record
    g = sim.Game.symmetric(T=5, R=3, P=1, S=0)
    g.equilibria(); g.types(); g.utility(r=(0.5, 0.2)); g.thresholds(); g.regime(0.9)
    sim.strategies.filtered(stochastic=False, memory_depth=1)

Submodules (``sim.games``, ``sim.preferences``, ``sim.equilibria``, ``sim.play``,
``sim.tournament``, ``sim.evolution``, ``sim.spe``, ``sim.scenario``, ``sim.sweep``, ...)
are attributes too.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

#: Submodules, imported on first attribute access.
SUBMODULES = ("analysis", "cli", "commands", "critical", "equilibria", "errors", "evolution", "games",
              "outputs", "play", "plots", "polygons", "preferences", "results", "robust",
              "scenario", "spe", "spe_bounds", "strategies", "sweep", "tournament", "workflows")
#: Names of the public API and the module each comes from.
API = {"load": "scenario", "from_dict": "scenario", "Scenario": "scenario",
       "ScenarioError": "scenario", "Game": "games", "UserError": "errors",
       "SweepResult": "sweep.result"}

__all__ = ["__version__", *API, *SUBMODULES]


def __getattr__(name: str):
    if name in SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    if name in API:
        value = getattr(importlib.import_module(f".{API[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'sim' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
