"""Robustness of verdicts: how much of a scenario's regime survives its author's uncertainty.

Data flow: scenario (its ``[uncertainty]`` ranges, :mod:`sim.scenario.uncertainty`) →
quasi-random draws (:mod:`.sampling`) → the draws evaluated block by block, one vectorised call
of :meth:`Scenario.inputs` and one of the compiled criterion
:func:`sim.equilibria_kernel.analyse` per block (each draw is its own game; the numbers of
:func:`sim.equilibria.analyse_grid`) (:mod:`.verdicts`) → shares of
regimes with their standard errors, one-at-a-time break-even values (:mod:`.breakeven`) and
variance-based sensitivity, Sobol first-order and total indices by SALib (:mod:`.sensitivity`)
→ one JSON-ready summary with provenance (:mod:`.summary`).
"""

from .breakeven import break_even
from .sampling import unit_sample
from .sensitivity import sobol_indices
from .summary import account, robustness
from .verdicts import evaluate, shares

__all__ = ["account", "break_even", "evaluate", "robustness", "shares", "sobol_indices",
           "unit_sample"]
