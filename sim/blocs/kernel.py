"""Compiled format analysis for maps: the row player's preferred format and the format of the
choice stage at every point of a 2-D grid, in one pass (imported lazily by
:func:`sim.blocs.maps.format_codes`).

It computes what :func:`sim.blocs.formats.analyse` computes for the repeated game — the same
conditions (:mod:`sim.equilibria`'s, one interval of δ per member), the same rules
(:mod:`sim.blocs.rules`), the same tolerances and tie-breaking — point by point instead of
array by array, so a map never holds a grid-sized array per member and outcome. The inputs are
:class:`~sim.scenario.blocs.BlocInputs` arrays broadcast (without copying) to the grid; tests
and ``benchmarks/formats.py`` check that both paths agree on every point.
"""

import numpy as np
from numba import njit, prange

from ..equilibria import TOL
from .power import QUOTA_TOL

CONSENSUS, QUOTA, LEADER = 0, 1, 2


@njit(cache=True, inline="always")
def _carries(holds, shares, n, kind, quota, leader):
    if kind == CONSENSUS:
        for m in range(n):
            if not holds[m]:
                return False
        return True
    if kind == LEADER:
        return holds[leader]
    total = 0.0
    for m in range(n):
        if holds[m]:
            total += shares[m]
    return total >= quota - QUOTA_TOL


@njit(cache=True, inline="always")
def _interval(a, b, tol):
    """``[lo, hi]`` of ``{x >= 0 : a + b·x >= 0}`` as :func:`sim.equilibria._interval`."""
    up, down, holds = b > tol, b < -tol, a >= -tol
    root = -a / b if (up or down) else 0.0
    if up:
        lo = max(root, 0.0)
    elif holds or down:
        lo = 0.0
    else:
        lo = np.inf
    if down:
        hi = root
    elif up or holds:
        hi = np.inf
    else:
        hi = -np.inf
    return lo, hi


@njit(cache=True, inline="always")
def _within(a, b, tol, d):
    lo, hi = _interval(a, b, tol)
    return d >= lo - TOL and d <= hi + TOL


@njit(cache=True, inline="always")
def _carried(x, y, tol, mode, h, shares, n, kind, quota, leader):
    """The members with ``x`` weakly above ``y`` (mode 0), not weakly below it (mode 1, the
    negation :mod:`sim.blocs.rules` uses) or strictly above it (mode 2) carry the rule."""
    for m in range(n):
        if mode == 0:
            h[m] = x[m] >= y[m] - tol[m]
        elif mode == 1:
            h[m] = not (y[m] >= x[m] - tol[m])
        else:
            h[m] = x[m] > y[m] + tol[m]
    return _carries(h, shares, n, kind, quota, leader)


@njit(cache=True)
def _side(T, R, P, S, tol, shares, n, kind, quota, leader, d, out):
    """A side's answers: out = [C|C, D|C, C|D, D|D, prefers CC, accepts CC, grim, wsls]."""
    h = np.empty(n, dtype=np.bool_)
    out[0] = _carried(R, T, tol, 0, h, shares, n, kind, quota, leader)
    out[1] = not _carried(R, T, tol, 1, h, shares, n, kind, quota, leader)
    out[2] = _carried(S, P, tol, 0, h, shares, n, kind, quota, leader)
    out[3] = not _carried(S, P, tol, 1, h, shares, n, kind, quota, leader)
    out[4] = _carried(R, P, tol, 2, h, shares, n, kind, quota, leader)
    out[5] = _carried(R, P, tol, 0, h, shares, n, kind, quota, leader)
    for p in range(2):                     # grim: b = (T − P, 0); wsls: b = (R − P, R − P)
        for m in range(n):
            b1 = T[m] - P[m] if p == 0 else R[m] - P[m]
            h[m] = _within(R[m] - T[m], b1, tol[m], d)
        ok = _carries(h, shares, n, kind, quota, leader)
        for m in range(n):
            b2 = 0.0 if p == 0 else R[m] - P[m]
            h[m] = not _within(P[m] - S[m], b2, tol[m], d)
        out[6 + p] = ok and not _carries(h, shares, n, kind, quota, leader)


@njit(cache=True, inline="always")
def _player(T, R, P, S, d, out):
    """:func:`_side` for a unitary player (scalars, no coalition to count)."""
    tol = TOL * max(1.0, abs(T), abs(R), abs(P), abs(S))
    out[0] = R >= T - tol
    out[1] = T >= R - tol
    out[2] = S >= P - tol
    out[3] = P >= S - tol
    out[4] = R > P + tol
    out[5] = R >= P - tol
    out[6] = _within(R - T, T - P, tol, d) and _within(P - S, 0.0, tol, d)
    out[7] = _within(R - T, R - P, tol, d) and _within(P - S, R - P, tol, d)


@njit(cache=True)
def _regime(r, c):
    cc, cd, dc, dd = r[0] and c[0], r[0] and c[1], r[1] and c[2], r[3] and c[3]
    n_prefer = int(r[4]) + int(c[4])
    if ((r[6] and c[6]) or (r[7] and c[7])) and not cc:
        return 2
    if cc and dd:
        return 1
    if cc:
        return 0
    if dd:
        return 3 if n_prefer == 2 else 4 if n_prefer == 1 else 5
    if cd and dc:
        return 6
    if cd or dc:
        return 7
    return 8


@njit(cache=True, inline="always")
def _tol(a, b, c, e):
    return TOL * max(1.0, abs(a), abs(b), abs(c), abs(e))


@njit(cache=True, parallel=True)
def format_codes_kernel(A, P, A_bil, P_bil, loss, shares, r_row, r_nom, r_col, r_m, S, d,
                        quota, kind, leader, holder, pref, choice):
    """Fill ``pref`` (row player's preferred format) and ``choice`` on the grid."""
    ny, nx = pref.shape
    n = P.shape[2]
    for i in prange(ny):                   # rows in parallel; scratch arrays per row
        T = np.empty(n)
        R = np.empty(n)
        Pp = np.empty(n)
        Ss = np.empty(n)
        tol = np.empty(n)
        u = np.empty((2, 2, n))
        rside = np.zeros(8, dtype=np.bool_)
        cside = np.zeros(8, dtype=np.bool_)
        coop_bil = np.zeros(n, dtype=np.bool_)
        util = np.empty((3, n))
        urow = np.empty(3)
        h = np.empty(n, dtype=np.bool_)
        tot = np.empty((2, 2))
        U = np.empty((2, 2))
        Ub = np.empty((2, 2))
        Vb = np.empty((2, 2))
        pim = np.empty(n)
        for j in range(nx):
            delta = d[i, j]
            q = quota[i, j]
            # ---- bloc game ------------------------------------------------------------
            tot[:] = 0.0
            for m in range(n):
                for a in range(2):
                    for b in range(2):
                        tot[a, b] += P[i, j, m, a, b]
            for a in range(2):
                for b in range(2):
                    U[a, b] = A[i, j, a, b] - r_row[i, j] * tot[a, b]
            for m in range(n):
                for a in range(2):
                    for b in range(2):
                        ref = S[i, j, m, 0] * A[i, j, a, b]
                        for k in range(n):
                            ref += S[i, j, m, 1 + k] * P[i, j, k, a, b]
                        u[a, b, m] = P[i, j, m, a, b] - r_m[i, j, m] * ref
                R[m], Ss[m], T[m], Pp[m] = u[0, 0, m], u[1, 0, m], u[0, 1, m], u[1, 1, m]
                tol[m] = _tol(R[m], Ss[m], T[m], Pp[m])
            _player(U[1, 0], U[0, 0], U[1, 1], U[0, 1], delta, rside)
            _side(T, R, Pp, Ss, tol, shares[i, j], n, kind, q, leader, delta, cside)
            code = _regime(rside, cside)
            bloc = code <= 2 and rside[5] and cside[5]
            # ---- bilateral games -----------------------------------------------------------
            rb = r_nom[i, j] / n
            for m in range(n):
                lost = loss[i, j, m]
                sh = S[i, j, m, 1 + holder] if holder >= 0 else 0.0
                for a in range(2):
                    for b in range(2):
                        e = lost if (a == 0 and b == 0) else 0.0
                        Ub[a, b] = A_bil[i, j, m, a, b] - rb * (P_bil[i, j, m, a, b] - e)
                        Vb[a, b] = P_bil[i, j, m, a, b] - r_m[i, j, m] * (
                            S[i, j, m, 0] * A_bil[i, j, m, a, b] - sh * e)
                _player(Ub[1, 0], Ub[0, 0], Ub[1, 1], Ub[0, 1], delta, rside)
                _player(Vb[0, 1], Vb[0, 0], Vb[1, 1], Vb[1, 0], delta, cside)
                coop_bil[m] = _regime(rside, cside) <= 2 and rside[5] and cside[5]
            # ---- utilities per format: status quo, bilateral, bloc --------------------------
            big = 0.0
            for f in range(3):
                pi_row = 0.0
                if f == 1:
                    lost_total = 0.0
                    for m in range(n):
                        c = coop_bil[m]
                        pi_row += A_bil[i, j, m, 0, 0] if c else A_bil[i, j, m, 1, 1]
                        pim[m] = P_bil[i, j, m, 0, 0] if c else P_bil[i, j, m, 1, 1]
                        if c:
                            lost_total += loss[i, j, m]
                    if holder >= 0:
                        pim[holder] -= lost_total
                    rr_ = rb
                else:
                    c = f == 2 and bloc
                    pi_row = A[i, j, 0, 0] if c else A[i, j, 1, 1]
                    for m in range(n):
                        pim[m] = P[i, j, m, 0, 0] if c else P[i, j, m, 1, 1]
                    rr_ = r_row[i, j]
                total = 0.0
                for m in range(n):
                    total += pim[m]
                urow[f] = pi_row - rr_ * total
                big = max(big, abs(urow[f]), abs(total - r_col[i, j] * pi_row))
                for m in range(n):
                    ref = S[i, j, m, 0] * pi_row
                    for k in range(n):
                        ref += S[i, j, m, 1 + k] * pim[k]
                    util[f, m] = pim[m] - r_m[i, j, m] * ref
                    big = max(big, abs(util[f, m]))
            tu = TOL * max(big, 1.0)
            for m in range(n):
                h[m] = util[2, m] >= util[0, m] - tu
            accepted = _carries(h, shares[i, j], n, kind, q, leader)
            top = max(urow[0], urow[1], urow[2])
            ttop = TOL * max(1.0, abs(urow[0]), abs(urow[1]), abs(urow[2]))
            for f in range(3):
                if urow[f] >= top - ttop:
                    pref[i, j] = f
                    break
            top = max(urow[0], urow[1], urow[2] if accepted else -np.inf)
            ttop = TOL * max(1.0, abs(urow[0]), abs(urow[1]), abs(urow[2]) if accepted else 0.0)
            for f in range(3):
                if (f < 2 or accepted) and urow[f] >= top - ttop:
                    choice[i, j] = f
                    break
