"""Strategies for the repeated 2x2 game, by family (as ``axelrod/strategies/``):

- :mod:`.rules` — what the play engines run: :class:`Automaton` (finite-state, exact play
  possible) and :class:`MajorityRule` (infinite memory, simulated only);
- :mod:`.classifiers` — classifiers computed from an automaton (memory depth, stochastic,
  nice, forgiving);
- :mod:`.base` — :class:`Strategy`, the registry every subclass joins, :func:`lookup`,
  :func:`filtered`;
- :mod:`.memory_one` — memory-one strategies: AllC, AllD, TFT, Suspicious TFT, WSLS,
  Alternator, GTFT, Joss, Random, any vector;
- :mod:`.zero_determinant` — zero-determinant strategies (ZD, Extort-2);
- :mod:`.machines` — finite-state machines: any table, Mealy form, Grim, TF2T, Prober;
- :mod:`.majority` — Go By Majority, soft and hard;
- :mod:`.data` — :func:`strategy_from_data`: a strategy from a name, a vector or a table.

Every strategy compiles, for a given own-view stage game ``M`` (``M[own, other]``, see
:func:`sim.games.own_views`), to a rule; a named strategy is a small frozen dataclass whose
docstring gives the rule and its source (Knight et al. 2016's design). Classifiers of
game-dependent strategies (GTFT, ZD) refer to the standard Prisoner's Dilemma
``T, R, P, S = 5, 3, 1, 0`` (Axelrod 1984).
"""

from . import memory_one, zero_determinant, machines, majority  # noqa: I001 (the registry's order)
from .base import STANDARD_PD, Strategy, filtered, lookup, registry
from .classifiers import (CLASSIFIER_KEYS, automaton_classifier, is_forgiving, is_nice,
                          is_stochastic, memory_depth)
from .data import strategy_from_data
from .machines import (TF2T, FiniteStateMachine, Grim, MealyMachine, Prober, fsm_automaton,
                       mealy_automaton)
from .majority import HardMajority, SoftMajority
from .memory_one import (GTFT, WSLS, AllC, AllD, Alternator, Joss, MemoryOne, MemoryOneVector,
                         Random, SuspiciousTFT, TFT, nowak_sigmund_generosity)
from .rules import C, D, Automaton, MajorityRule, memory_one_automaton
from .zero_determinant import Extort2, ZeroDeterminant

__all__ = [
    "C", "D", "CLASSIFIER_KEYS", "STANDARD_PD", "Automaton", "MajorityRule", "Strategy",
    "MemoryOne", "AllC", "AllD", "TFT", "SuspiciousTFT", "WSLS", "Alternator", "GTFT", "Joss",
    "Random", "MemoryOneVector", "ZeroDeterminant", "Extort2", "FiniteStateMachine",
    "MealyMachine", "Grim", "TF2T", "Prober", "SoftMajority", "HardMajority",
    "automaton_classifier", "filtered", "fsm_automaton", "is_forgiving", "is_nice",
    "is_stochastic", "lookup", "mealy_automaton", "memory_depth", "memory_one_automaton",
    "nowak_sigmund_generosity", "registry", "strategy_from_data",
]
