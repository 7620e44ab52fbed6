"""Analytic measures: regime, relative-gain blocking, thresholds, critical weight.

Each is one broadcasting call of :mod:`sim.equilibria` on a whole box of the grid (the
formulas and their sources are documented there: Friedman 1971 for grim trigger, Axelrod &
Hamilton 1981 for TFT, Nowak & Sigmund 1993 for WSLS, Snidal 1991 for relative gains).
"""

from __future__ import annotations

from ..equilibria import PROFILES, PUNISHMENTS, threshold
from .measures import register


@register("regime", "analytic", "regime of the utility game at δ (harmony, coordination, "
          "reciprocity, short-horizon, one-sided, deadlock, ...)", dtype="regime")
def regime(batch):
    return batch.regimes[0]


@register("blocked_by_relative_gains", "analytic", "not cooperative at these weights, "
          "cooperative with absolute gains (r = 0) at the same δ", dtype="bool")
def blocked_by_relative_gains(batch):
    return batch.regimes[1]


def _threshold_measure(profile: str):
    def measure(batch):
        U, V = batch.utility
        return threshold(U, V, profile)[2]

    measure.__name__ = f"threshold_{profile}"
    return measure


_PROFILE_TEXT = {"grim": "grim trigger (reversion to (D,D))", "tft": "tit-for-tat against itself",
                 "wsls": "win-stay lose-shift against itself",
                 "nash": "(C,C) forever with reversion to the deviator's worst stage equilibrium",
                 "penal": "(C,C) forever with the optimal pure-strategy penal code",
                 "spe": "(C,C) forever as a subgame-perfect outcome (the regime's criterion)"}
for _profile in PROFILES + PUNISHMENTS:
    register(f"threshold_{_profile}", "analytic",
             f"smallest δ at which {_PROFILE_TEXT[_profile]} sustains (C,C) for both players "
             "(nan: no δ < 1 suffices)", unit="discount factor δ")(_threshold_measure(_profile))


@register("critical_weight", "analytic", "largest common relative-gain weight up to which "
          "(C,C) stays an equilibrium outcome at δ (nan: not even at r = 0)",
          unit="relative-gain weight r")
def critical_weight_both(batch):
    return batch.critical[2]


@register("critical_weight_row", "analytic", "largest relative-gain weight of the row player "
          "(the column player's held) up to which (C,C) stays an equilibrium outcome at δ",
          unit="relative-gain weight r")
def critical_weight_row(batch):
    return batch.critical[0]


@register("critical_weight_column", "analytic", "largest relative-gain weight of the column "
          "player (the row player's held) up to which (C,C) stays an equilibrium outcome at δ",
          unit="relative-gain weight r")
def critical_weight_column(batch):
    return batch.critical[1]
