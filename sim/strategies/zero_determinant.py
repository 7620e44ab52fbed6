"""Zero-determinant strategies (Press & Dyson 2012): memory-one vectors that enforce a
linear relation between the two players' long-run payoffs."""

from __future__ import annotations

from dataclasses import dataclass

from ..games import trps
from .memory_one import MemoryOne


@dataclass(frozen=True)
class ZeroDeterminant(MemoryOne):
    """Zero-determinant strategy enforcing ``π_other − l = s (π_own − l)`` against any
    opponent in the long run (Press & Dyson 2012), in Hilbe et al.'s (2013, eq. 14)
    parametrisation: pCC = 1 − φ(1−s)(R−l), pCD = 1 − φ(s(l−S) + (T−l)),
    pDC = φ((l−S) + s(T−l)), pDD = φ(1−s)(l−P); first move C (``p0``). ``l`` defaults to
    ``P`` (extortion, χ = 1/s). Raises ValueError if the vector leaves [0, 1]. Source: Press
    & Dyson (2012); Hilbe et al. (2013)."""

    name = "ZD"
    aliases = ("Zero Determinant", "ZeroDeterminant", "LinearRelation")
    family = True
    phi: float = 1 / 9
    s: float = 0.5
    l: float | None = None
    p0: float = 1.0

    def vector(self, M):
        T, R, P, S = (float(x) for x in trps(M))
        l = P if self.l is None else self.l
        phi, s = self.phi, self.s
        p = (self.p0, 1 - phi * (1 - s) * (R - l), 1 - phi * (s * (l - S) + (T - l)),
             phi * ((l - S) + s * (T - l)), phi * (1 - s) * (l - P))
        if not all(-1e-12 <= x <= 1 + 1e-12 for x in p):
            raise ValueError(f"zero-determinant parameters phi={phi}, s={s}, l={l} give "
                             f"probabilities {[round(x, 4) for x in p]} outside [0, 1] in this game")
        return tuple(min(max(x, 0.0), 1.0) for x in p)


@dataclass(frozen=True)
class Extort2(ZeroDeterminant):
    """Extort-2: the zero-determinant extortioner with χ = 2 (s = 1/2, l = P, φ = 1/9);
    (8/9, 1/2, 1/3, 0) in the standard PD. Source: Press & Dyson (2012); Stewart & Plotkin
    (2012); as the Axelrod library's ``ZDExtort2``."""

    name = "Extort-2"
    aliases = ("ZDExtort2", "ZD-Extort-2", "Extort2")
    family = False
