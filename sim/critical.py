"""Critical relative-gain weights: where (C,C) stops being an equilibrium outcome, exactly.

A player's utility is linear in its relative-gain weight ``r``: ``u_i = π_i − r_i π_j``
(Snidal 1991, APSR 85(3); Grieco's 1988 ``V − k(W − V)`` orders outcomes the same way with
``r = k/(1 + k)``, see :mod:`sim.preferences`). So along a weight each player's ``T, R, P, S``
are linear functions ``X(r) = X_0 + r X_1`` and every fact the exact criterion
(:func:`sim.equilibria.regime`, punishment ``spe``) is built from changes only where one of a
few functions of ``r`` changes sign. Per player ``i`` these are

* the stage structure: ``R−T``, ``S−P`` (best replies) and ``D = (R−T) − (S−P)`` (the mixed
  equilibrium's denominator; the other's mix ``q_i = (P−S)/D`` leaves ``[0, 1]`` only where
  ``S−P`` or ``R−T`` vanish) (Nash 1951);
* which payoff is the pure minmax, and whether a pure stage equilibrium pays it: the
  pairwise differences ``R−S``, ``R−P``, ``T−S``, ``T−P`` (Fudenberg & Maskin 1986);
* the one-shot deviation conditions ``R ≥ (1−δ)T + δw`` (Friedman 1971; Abreu 1988) for each
  candidate punishment ``w``: pure ones give the linear ``R−T+δ(T−S)`` and ``R−T+δ(T−P)``
  (``w = R`` or ``T`` give ``R−T``); the mixed stage equilibrium pays ``w = (RP−ST)/D``, where
  ``R−T+δ(T−w) = (R−T)(D + δ(T−P))/D``, so its condition changes sign at the roots of
  ``R−T``, ``D`` and the linear ``D + δ(T−P)``. (A candidate in which ``i`` mixes while the
  other plays a pure action is an equilibrium only where ``i`` is indifferent against it,
  ``R = T`` or ``S = P``: at a root above, or on the whole line, where it reduces to the pure
  conditions.)

All of them are linear in ``r``, so their roots are closed form: the **breakpoints**. Between
two consecutive breakpoints each player's condition for (C,C) forever at δ is either true or
false throughout, so the weights at which the regime is cooperative form a union of pieces and
breakpoints, and the critical weight is the breakpoint at which the first piece (or point)
fails. The criterion is evaluated at every breakpoint and at one point inside each piece, by
its closed forms (Nash reversion, and the minmax penal code where it is exact), per player;
the pieces' verdicts are intersected over the players. Only where the optimal penal code
needs the SPE sets (:func:`sim.equilibria.penal_code_bound` says ``hard``: no pure stage
equilibrium pays the minmax) and the closed forms do not decide, the piece is searched
numerically with the full criterion (a scan of ``NUMERIC_SCAN`` points up to the piece's end,
then bisection to ``NUMERIC_XTOL``); a failing stretch narrower than the scan's step inside
such a piece could be missed.
"""

from __future__ import annotations

import numpy as np

from .equilibria import (PUNISHMENTS, TOL, is_cooperative, nash_reversion_threshold,
                         penal_code_bound, pure_equilibria, regime)
from .games import own_views, trps

#: Points scanned, then bisected to ``NUMERIC_XTOL``, in a piece that needs the SPE sets.
NUMERIC_SCAN = 16
NUMERIC_XTOL = 1e-12
#: Points evaluated at once (memory: about 2 kB per point).
CHUNK = 1 << 15


def breakpoints(views0, views1, discount):
    """The weights in ``(0, 1)`` at which a fact of the exact criterion may change, sorted.

    ``views0 + r·views1`` are both players' own views (shape ``(2, n, 2, 2)``) along the weight
    ``r``; returns shape ``(k, n)``, padded with 1. See the module docstring for the functions
    whose roots these are.
    """
    d = np.asarray(discount, dtype=float)

    def functions(views):
        T, R, P, S = trps(views)
        D = (R - T) - (S - P)
        return np.stack([R - T, S - P, D, R - S, R - P, T - S, T - P,
                         R - T + d * (T - S), R - T + d * (T - P), D + d * (T - P)])

    f0, f1 = np.broadcast_arrays(functions(views0), functions(views1))
    # A slope near the smallest float overflows the quotient: its root is far outside (0, 1).
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        root = -f0 / f1
    root = np.where((f1 != 0) & (root > 0) & (root < 1), root, 1.0)
    root = np.sort(root.reshape(-1, root.shape[-1]), axis=0)
    return root[: max(1, int((root < 1).any(axis=1).sum()))]


def _verdict(U, V, discount, punishment):
    """``(cooperative, undecided)`` of each utility game at its δ by the closed forms:
    (C,C) a stage equilibrium, or each player deterred by Nash reversion or by the minmax
    penal code where that is exact. ``undecided``: only a ``hard`` penal code could decide."""
    d = np.asarray(discount, dtype=float)
    ok = np.zeros((2,) + d.shape, bool)
    open_ = np.zeros_like(ok)
    if punishment in ("nash", "spe"):
        ok |= d >= nash_reversion_threshold(U, V) - TOL
    if punishment in ("penal", "spe"):
        lo, hard = penal_code_bound(U, V)
        bound = d >= lo - TOL
        open_ = bound & hard & ~ok
        ok |= bound & ~hard
    cc = pure_equilibria(U, V)[..., 0, 0]
    coop = cc | ok.all(axis=0)
    return coop, ~coop & (ok | open_).all(axis=0)


def _cooperative(U, V, discount, punishment):
    """The full criterion (the regime's own, SPE sets included): is the regime cooperative."""
    return is_cooperative(regime(U, V, discount, punishment=punishment))


def _critical(G0, G1, d, punishment):
    """Critical weights of ``n`` games along ``G0 + r·G1`` (``G = (U, V)``, each ``(n, 2, 2)``)."""
    n = d.shape[0]
    b = breakpoints(own_views(*G0), own_views(*G1), d)
    b = np.concatenate([np.zeros((1, n)), b, np.ones((1, n))])
    crit = np.full(n, np.nan)
    idx = np.arange(n)                               # points whose set has not failed yet

    def game(r, at):
        r = r[:, None, None]
        return G0[0][at] + r * G1[0][at], G0[1][at] + r * G1[1][at]

    def evaluate(r, at):
        """Cooperative at weight ``r`` (per point ``at``), the SPE sets where needed."""
        if not at.size:
            return np.zeros(0, bool)
        coop, undecided = _verdict(*game(r, at), d[at], punishment)
        if undecided.any():
            u = np.flatnonzero(undecided)
            coop[u] = _cooperative(*game(r[u], at[u]), d[at[u]], punishment)
        return coop

    def first_failure(lo, hi, at):
        """In the pieces ``(lo, hi]`` that need the SPE sets: the last cooperative weight
        before the first failure (a scan ending at the breakpoint ``hi``, then bisection),
        ``nan`` where none fails."""
        out = np.full(at.size, np.nan)
        good = lo.copy()
        for j in range(1, NUMERIC_SCAN + 1):
            x = lo + (hi - lo) * j / NUMERIC_SCAN
            todo = np.flatnonzero(np.isnan(out))
            ok = evaluate(x[todo], at[todo])
            bad = todo[~ok]
            out[bad] = x[bad]                        # the first failing scan point
            good[todo[ok]] = x[todo[ok]]
        bad = np.flatnonzero(~np.isnan(out))
        a, z = good[bad], out[bad]
        while bad.size and (z - a).max() > NUMERIC_XTOL:
            c = 0.5 * (a + z)
            ok = evaluate(c, at[bad])
            a, z = np.where(ok, c, a), np.where(ok, z, c)
        out[bad] = a
        return out

    ok0 = evaluate(np.zeros(n), idx)
    idx = idx[ok0]
    for k in range(b.shape[0] - 1):
        if not idx.size:
            break
        lo, hi = b[k, idx], b[k + 1, idx]
        piece = hi > lo
        at, lo_p, hi_p = idx[piece], lo[piece], hi[piece]
        if not at.size:
            continue
        coop, undecided = _verdict(*game(0.5 * (lo_p + hi_p), at), d[at], punishment)
        fail = ~coop & ~undecided
        crit[at[fail]] = lo_p[fail]                  # cooperative up to the piece's start
        if undecided.any():
            u = np.flatnonzero(undecided)
            found = first_failure(lo_p[u], hi_p[u], at[u])
            hit = ~np.isnan(found)
            crit[at[u[hit]]] = found[hit]
            fail[u[hit]] = True
        done = np.zeros(n, bool)
        done[at[fail]] = True
        idx = idx[~done[idx]]
        point = idx[b[k + 1, idx] < 1]
        ok = evaluate(b[k + 1, point], point)
        crit[point[~ok]] = b[k + 1, point[~ok]]      # cooperative below, not at, the point
        done[point[~ok]] = True
        idx = idx[~done[idx]]
    crit[idx] = 1.0
    return crit


def critical_weight(A, B, relative_gain_weight_row, relative_gain_weight_column, discount, *,
                    punishment="spe"):
    """Largest relative-gain weight up to which (C,C) stays an equilibrium outcome, at δ.

    Returns shape ``(3, ...)``: the row player's weight (column's held at its value), the
    column player's (row's held), and a common weight for both. The value is the upper end of
    the set of weights in [0, 1] containing 0 on which the regime (:func:`sim.equilibria.regime`,
    criterion ``punishment``) is cooperative (harmony, coordination or reciprocity); ``1`` if
    it never fails; ``nan`` if (C,C) is no equilibrium outcome even at ``r = 0``. Exact: the
    value is one of the closed-form breakpoints of the module docstring (Snidal 1991's linear
    utility ``u_i = π_i − r_i π_j``), except in pieces where the optimal penal code needs the
    SPE sets, located there to ``NUMERIC_XTOL``. Non-decreasing in δ, since (C,C) forever
    that is subgame perfect at δ stays so at every larger δ (:func:`sim.equilibria.
    forever_threshold`). Broadcasts over all inputs.
    """
    if punishment not in PUNISHMENTS:
        raise ValueError(f"unknown punishment {punishment!r}; allowed: {', '.join(PUNISHMENTS)}")
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    weights = [np.asarray(relative_gain_weight_row, float),
               np.asarray(relative_gain_weight_column, float)]
    d = np.asarray(discount, dtype=float)
    shape = np.broadcast_shapes(A.shape[:-2], B.shape[:-2], *(w.shape for w in weights),
                                d.shape)
    size = int(np.prod(shape))

    def flat(x, game=False):
        x = np.asarray(x, dtype=float)
        return (np.broadcast_to(x, shape + (2, 2)).reshape(size, 2, 2) if game else
                np.broadcast_to(x, shape).reshape(size))

    A_f, B_f, d_f = flat(A, True), flat(B, True), flat(d)
    r_f = [flat(w)[:, None, None] for w in weights]
    out = np.empty((3, size))
    for who in (0, 1, 2):
        vary = (who in (0, 2), who in (1, 2))
        for s in range(0, size, CHUNK):
            part = slice(s, s + CHUNK)
            a, bb = A_f[part], B_f[part]
            G0 = (a - (0 if vary[0] else r_f[0][part]) * bb,
                  bb - (0 if vary[1] else r_f[1][part]) * a)
            G1 = (-bb if vary[0] else np.zeros_like(a), -a if vary[1] else np.zeros_like(a))
            out[who, part] = _critical(G0, G1, d_f[part], punishment)
    return out.reshape((3,) + shape)
