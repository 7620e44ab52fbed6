"""Infinite-memory strategies: Go By Majority, soft and hard (Axelrod 1984). They have no
automaton and are simulated only; their classifiers are declared."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .base import Strategy
from .rules import MajorityRule


@dataclass(frozen=True)
class SoftMajority(Strategy):
    """Go By Majority (soft): cooperate unless the other has defected more often than it has
    cooperated so far (ties: cooperate). Source: Axelrod (1984); the Axelrod library's
    ``GoByMajority``. Infinite memory: Monte Carlo only."""

    name = "Soft Majority"
    aliases = ("GoByMajority", "Go By Majority")
    declared = {"memory_depth": math.inf, "stochastic": False, "nice": True, "forgiving": True,
                "finite_state": False}

    def rule(self, M):
        return MajorityRule(0)


@dataclass(frozen=True)
class HardMajority(Strategy):
    """Hard Go By Majority: defect unless the other has cooperated more often than it has
    defected so far (ties, including the first move: defect). Source: Mittal & Deb (2009);
    the Axelrod library's ``HardGoByMajority``. Monte Carlo only."""

    name = "Hard Majority"
    aliases = ("HardGoByMajority", "Hard Go By Majority")
    declared = {"memory_depth": math.inf, "stochastic": False, "nice": False,
                "forgiving": True, "finite_state": False}

    def rule(self, M):
        return MajorityRule(1)
