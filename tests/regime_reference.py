"""Brute-force regime references shared by the differential tests and the regime benchmark,
independent of :mod:`sim.equilibria`'s vectorised criterion.

:func:`regime_label` is the definition of the regimes (DESIGN.md §6) applied to facts found
the slow way; :func:`nashpy_regime` finds those facts for one game with nashpy's support
enumeration and plain per-player checks (``tests/test_differential.py`` finds them in exact
``Fraction`` arithmetic instead; ``benchmarks/regimes.py`` times the nashpy one).
"""

import warnings

import nashpy
import numpy as np

from sim.spe import forever_thresholds


def regime_label(pure, sustained: bool, prefer: int) -> str:
    """The regime of a game whose pure stage equilibria are ``pure`` (a set of action pairs,
    0 = C, 1 = D), where (C,C) forever is (``sustained``) or is not an equilibrium outcome of
    the repeated game at δ, and ``prefer`` players (0, 1 or 2) prefer (C,C) to (D,D)."""
    cc, dd, cd, dc = ((0, 0) in pure), ((1, 1) in pure), ((0, 1) in pure), ((1, 0) in pure)
    if cc and dd:
        return "coordination"
    if cc:
        return "harmony"
    if sustained:
        return "reciprocity"
    if dd:
        return ["deadlock", "one-sided", "short-horizon"][prefer]
    if cd and dc:
        return "anti-coordination"
    return "unilateral" if cd or dc else "cycling"


def nashpy_regime(U, V, delta) -> str:
    """The regime of one utility game, found the slow way: nashpy plus per-point checks.

    (C,C) forever is subgame perfect when each player i with T_i > R_i is deterred by the
    harsher of two punishments: the stage equilibrium worst for it among nashpy's (Friedman
    1971), or its pure minmax where a pure stage equilibrium pays it that (Abreu 1988); where
    none does, its worst pure SPE payoff comes from the SPE set (sim.spe, Abreu & Sannikov).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        eqs = list(nashpy.Game(U, V).support_enumeration())
    pure = {(int(np.argmax(s)), int(np.argmax(t))) for s, t in eqs
            if np.isclose(s.max(), 1) and np.isclose(t.max(), 1)}
    games = (U, V)
    own = [U, V.T]
    letters = [dict(T=M[1, 0], R=M[0, 0], P=M[1, 1], S=M[0, 1]) for M in own]
    spe_thresholds = None
    sustained = True
    for p, (x, M) in enumerate(zip(letters, own)):
        tol = 1e-9 * np.ptp(M)
        if x["T"] <= x["R"] + tol:
            continue
        worst_ne = min(float(s @ games[p] @ t) for s, t in eqs)
        minmax = M.max(axis=0).min()
        at_minmax = any(abs(games[p][a] - minmax) <= tol for a in pure)
        ok = x["R"] >= (1 - delta) * x["T"] + delta * min(worst_ne, x["R"]) - tol
        if at_minmax:
            ok |= x["R"] >= (1 - delta) * x["T"] + delta * min(minmax, x["R"]) - tol
        elif x["R"] > minmax + tol:
            if spe_thresholds is None:
                spe_thresholds = forever_thresholds(U, V)
            ok |= bool(delta >= spe_thresholds[p] - 1e-9)
        sustained &= bool(ok)
    prefer = sum(x["R"] > x["P"] + 1e-9 * np.ptp(M) for x, M in zip(letters, own))
    return regime_label(pure, sustained, prefer)
