"""Memory-one strategies (Nowak & Sigmund 1990): the classics given by a vector
``p = (p0, pCC, pCD, pDC, pDD)``, and any such vector."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..games import trps
from .base import Strategy
from .rules import _probabilities, memory_one_automaton


class MemoryOne(Strategy):
    """Base of the strategies given by a memory-one vector (Nowak & Sigmund 1990)."""

    def vector(self, M) -> tuple[float, float, float, float, float]:
        raise NotImplementedError

    def rule(self, M) -> Automaton:
        return memory_one_automaton(self.vector(M))


@dataclass(frozen=True)
class AllC(MemoryOne):
    """Always cooperate. Source: Axelrod (1984), "Cooperator"; p = (1, 1, 1, 1, 1)."""

    name = "AllC"
    aliases = ("Cooperator", "ALLC", "Always Cooperate")

    def vector(self, M):
        return (1, 1, 1, 1, 1)


@dataclass(frozen=True)
class AllD(MemoryOne):
    """Always defect. Source: Axelrod (1984), "Defector"; p = (0, 0, 0, 0, 0)."""

    name = "AllD"
    aliases = ("Defector", "ALLD", "Always Defect")

    def vector(self, M):
        return (0, 0, 0, 0, 0)


@dataclass(frozen=True)
class TFT(MemoryOne):
    """Tit For Tat: cooperate first, then copy the other's last action. Source: Rapoport's
    entry in Axelrod (1980); p = (1, 1, 0, 1, 0)."""

    name = "TFT"
    aliases = ("Tit For Tat", "TitForTat")

    def vector(self, M):
        return (1, 1, 0, 1, 0)


@dataclass(frozen=True)
class SuspiciousTFT(MemoryOne):
    """Suspicious Tit For Tat: defect first, then copy the other's last action. Source:
    Beaufils et al. (1997) "Mistrust"; Hilbe et al. (2013); p = (0, 1, 0, 1, 0)."""

    name = "Suspicious TFT"
    aliases = ("STFT", "SuspiciousTitForTat", "Suspicious Tit For Tat")

    def vector(self, M):
        return (0, 1, 0, 1, 0)


@dataclass(frozen=True)
class WSLS(MemoryOne):
    """Win-Stay Lose-Shift (Pavlov): cooperate first; cooperate after CC or DD, defect after
    CD or DC. Source: Kraines & Kraines (1989); Nowak & Sigmund (1993); p = (1, 1, 0, 0, 1).
    Not *forgiving* in the sense of :func:`is_forgiving`: after it exploits a cooperator (DC)
    it keeps defecting against an unconditional cooperator."""

    name = "WSLS"
    aliases = ("Pavlov", "Win-Stay Lose-Shift", "WinStayLoseShift")

    def vector(self, M):
        return (1, 1, 0, 0, 1)


@dataclass(frozen=True)
class Alternator(MemoryOne):
    """Alternate C, D, C, D, ... (switch from the action actually played last). Source:
    Axelrod (1984); p = (1, 0, 0, 1, 1)."""

    name = "Alternator"

    def vector(self, M):
        return (1, 0, 0, 1, 1)


def nowak_sigmund_generosity(M) -> float:
    """Optimal generosity of GTFT, ``min(1 − (T−R)/(R−S), (R−P)/(T−P))`` (Nowak & Sigmund
    1992), from an own-view matrix ``M`` (broadcasts)."""
    T, R, P, S = trps(M)
    return np.minimum(1 - (T - R) / (R - S), (R - P) / (T - P))


@dataclass(frozen=True)
class GTFT(MemoryOne):
    """Generous Tit For Tat: like TFT, but after the other's defection cooperate with
    probability ``generosity``; by default Nowak & Sigmund's (1992) value
    ``min(1 − (T−R)/(R−S), (R−P)/(T−P))`` from the game (1/3 in the standard PD). p = (1, 1,
    g, 1, g). Same default as the Axelrod library's ``GTFT``. Source: Nowak & Sigmund
    (1992)."""

    name = "GTFT"
    aliases = ("Generous TFT", "Generous Tit For Tat")
    generosity: float | None = None

    def __post_init__(self):
        if self.generosity is not None:
            _probabilities([self.generosity], 1, "GTFT generosity")

    def vector(self, M):
        g = self.generosity
        if g is None:
            g = float(nowak_sigmund_generosity(M))
            if not 0 <= g <= 1:
                raise ValueError(f"GTFT's default generosity {g:.4g} from this game is outside "
                                 "[0, 1] (the game is no Prisoner's Dilemma); give generosity")
        return (1, 1, g, 1, g)


@dataclass(frozen=True)
class Joss(MemoryOne):
    """Joss: cooperate first; after the other's C cooperate with probability ``p`` (0.9),
    after its D always defect. Source: Joss's entry in Axelrod (1980); p = (1, p, 0, p, 0),
    as the Axelrod library's ``FirstByJoss``."""

    name = "Joss"
    aliases = ("FirstByJoss", "Hard Joss")
    p: float = 0.9

    def __post_init__(self):
        _probabilities([self.p], 1, "Joss probability p")

    def vector(self, M):
        return (1, self.p, 0, self.p, 0)


@dataclass(frozen=True)
class Random(MemoryOne):
    """Cooperate with probability ``p`` every turn, independently. Source: Axelrod (1980),
    "Random"; p = (p, p, p, p, p)."""

    name = "Random"
    aliases = ("Lunatic",)
    p: float = 0.5

    def __post_init__(self):
        _probabilities([self.p], 1, "Random probability p")

    def vector(self, M):
        return (self.p,) * 5


@dataclass(frozen=True)
class MemoryOneVector(MemoryOne):
    """Any memory-one strategy ``p = (p0, pCC, pCD, pDC, pDD)``: ``p0`` is the probability to
    cooperate first, ``pXY`` after own action X and the other's Y. Source: Nowak & Sigmund
    (1990)."""

    name = "Memory-one"
    aliases = ("MemoryOne", "memory_one")
    family = True
    p: tuple = (1.0, 1.0, 0.0, 1.0, 0.0)

    def __post_init__(self):
        p = tuple(float(x) for x in _probabilities(self.p, 5,
                                                   "memory-one vector (p0, pCC, pCD, pDC, pDD)"))
        object.__setattr__(self, "p", p)

    @property
    def label(self):
        return self.title or f"Memory-one{self.p}"

    def vector(self, M):
        return self.p
