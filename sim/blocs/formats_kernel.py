"""The format model compiled point by point (numba, cached): :mod:`sim.blocs.formats`' outcomes,
utilities, preferred formats and format choice for a batch of parameter points, in one loop
that holds one point's games at a time.

The numpy path (:class:`sim.blocs.formats.FormatAnalysis`) broadcasts every game of every
member over the whole batch; this kernel evaluates the same definitions point by point, the
same floating-point operations in the same order (sums over members and comparison weights
term by term, :func:`sim.blocs.rules.sum_in_order`), so it returns what the numpy path
returns, bit for bit (``tests/test_blocs_kernel.py``). Per point:

* the bloc game: the members' Snidal (1991) utilities ``u_m = π_m − r_m Σ_j s_mj π_j`` in each
  outcome, the row side's (a player: ``π − r Σ_m π_m``; or a bloc of members), each side's
  stage answers by its rule (:mod:`sim.blocs.rules`) and acceptance of (C,C) over (D,D);
* each bilateral game with the control holder's loss (report 2.3 (1), 3.2);
* per mode the outcome of each format: a stage equilibrium, or in the repeated game (C,C)
  forever sustained at δ, member by member and pair by pair on
  :func:`sim.equilibria_kernel.forever_holds` (Friedman 1971; Abreu 1988), carried by each
  side's rule;
* each actor's utility in each format, its preferred format and the choice stage.

Inputs are not copied over the batch: each array of :class:`sim.scenario.blocs.BlocInputs`
keeps its own shape, and the kernel walks every array's offset along the batch with its own
strides (0 along the axes it does not vary over). The axes along which only the row side's
inputs vary are walked innermost, and what depends on the bloc's side alone is recomputed only
where its inputs move (a map over the row player's weight computes the members' games once
per value of the other axis). Points where a member pair's threshold turns on a hard penal code
(no closed form, :mod:`sim.equilibria_kernel`) are flagged and computed on the numpy path, so
there is one criterion. The loop runs on one thread: each point is computed alone, in the same
operations wherever the walk starts, so its result does not depend on the order.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..equilibria import TOL
from ..equilibria_kernel import _tol, forever_holds
from .formats import MODES, FormatAnalysis
from .power import QUOTA_TOL
from .rules import RULES

#: The inputs in the kernel's order: ``BlocInputs`` fields and the two rules' quotas, each
#: with its own axes (``n`` members, ``k`` row members, ``1`` for a unitary row player).
FIELDS = ("shares", "A", "P", "A_bil", "P_bil", "loss", "r_row", "r_row_nominal", "r_column",
          "r_members", "compare", "discount", "row_shares", "Q", "Q_bil", "r_rows",
          "r_rows_bil", "row_compare", "quota", "row_quota")
(_SH, _A, _P, _AB, _PB, _LOSS, _RROW, _RNOM, _RCOL, _RMEM, _CMP, _DISC, _RSH, _Q, _QB, _RRS,
 _RRB, _RCMP, _QUOTA, _RQUOTA) = range(len(FIELDS))

#: The fields the bloc's side depends on alone (its members' games and utilities).
MEMBER_FIELDS = (_SH, _A, _P, _AB, _PB, _LOSS, _RCOL, _RMEM, _CMP, _QUOTA)


def _tails(n, k):
    """Each field's own axes."""
    return {"shares": (n,), "A": (2, 2), "P": (n, 2, 2), "A_bil": (n, 2, 2),
            "P_bil": (n, 2, 2), "loss": (n,), "r_row": (), "r_row_nominal": (),
            "r_column": (), "r_members": (n,), "compare": (n, 1 + n), "discount": (),
            "row_shares": (k,), "Q": (k, 2, 2), "Q_bil": (k, n, 2, 2), "r_rows": (k,),
            "r_rows_bil": (k,), "row_compare": (k, 1 + n + k), "quota": (), "row_quota": ()}


# --------------------------------------------------------------------------------------------
# Kernel section: compiled per-point code (numba, cache=True). Payoffs are stored in the game's
# orientation, index 2 a + b for (row action a, bloc action b); own views follow sim.games.trps.
# The per-point path of the row side passes scalars, not arrays, to its helpers (no reference
# counting in the loop).
# --------------------------------------------------------------------------------------------

@njit(cache=True)
def _answers(T, R, P, S, tol_factor):
    """One member's stage answers from its own view: ``(C is a best reply to C, (C,C) weakly
    preferred to (D,D))``, with its tie tolerance (:func:`sim.equilibria.tolerance`)."""
    t = _tol(T, R, P, S, tol_factor)
    return R >= T - t, R >= P - t


@njit(cache=True)
def _outcome(mode, best, accepts):
    """:meth:`sim.blocs.formats.FormatAnalysis._outcome` of one game (``mode`` an index into
    ``MODES``) from the sides' stage answers: 1 (C,C), 0 the status quo, 2 the repeated-game
    criterion decides (:func:`_sustained`)."""
    if mode == 2:
        return 1
    if not accepts:
        return 0
    if best:
        return 1
    return 0 if mode == 0 else 2


@njit(cache=True)
def _first_best(u0, u1, u2, tol_factor):
    """:func:`sim.blocs.formats._argmax_first` over three formats' utilities."""
    top = max(max(u0, u1), u2)
    scale = 0.0
    for v in (u0, u1, u2):
        if np.isfinite(v):
            scale = max(scale, abs(v))
    tol = tol_factor * max(scale, 1.0)
    if u0 >= top - tol:
        return 0
    if u1 >= top - tol:
        return 1
    if u2 >= top - tol:
        return 2
    return 0


@njit(cache=True)
def _carries(holds, m, kind, leader, shares, o_shares, quota):
    """:meth:`sim.blocs.rules.Rule.carries`: the members with ``holds[:m]`` carry the rule
    (``kind`` an index into ``RULES``; shares at ``shares[o_shares:]``, summed in order)."""
    if kind == 0:
        for i in range(m):
            if not holds[i]:
                return False
        return True
    if kind == 2:
        return holds[leader]
    total = shares[o_shares] if holds[0] else 0.0
    for i in range(1, m):
        total = total + (shares[o_shares + i] if holds[i] else 0.0)
    return total >= quota - QUOTA_TOL


@njit(cache=True)
def _side(X, m, column, kind, leader, shares, o_shares, quota, hb, ha, tol_factor):
    """A side's ``(C is a best reply to C, accepts (C,C) over (D,D))`` by its rule
    (:meth:`sim.blocs.game.Side.best_replies`, :meth:`~sim.blocs.game.Side.accepts_cc`) from
    its members' payoffs ``X[:m]`` (a column member's own view is the transpose)."""
    for i in range(m):
        if column:
            hb[i], ha[i] = _answers(X[i, 1], X[i, 0], X[i, 3], X[i, 2], tol_factor)
        else:
            hb[i], ha[i] = _answers(X[i, 2], X[i, 0], X[i, 3], X[i, 1], tol_factor)
    return (_carries(hb, m, kind, leader, shares, o_shares, quota),
            _carries(ha, m, kind, leader, shares, o_shares, quota))


@njit(cache=True)
def _sustained(X, kx, Y, j0, ky, d, rules, row_shares, o_row, shares, o_column, q_row,
               q_column, hx, hy, tol_factor):
    """(C,C) forever sustained at δ = ``d`` (:meth:`sim.blocs.game.BlocGame.sustains_forever`)
    between the row side's members ``X[:kx]`` and the column's ``Y[j0:j0 + ky]``: on each side
    the members whose threshold against every member of the other side is reached carry its
    rule (``rules`` = row kind, row leader, column kind, column leader; shares at
    ``row_shares[o_row:]``, ``shares[o_column:]``). Returns 1 yes, 0 no, -1 a pair turns on a
    hard penal code (the numpy path decides)."""
    for i in range(kx):
        hx[i] = True
    for j in range(ky):
        hy[j] = True
    for i in range(kx):
        for j in range(ky):
            y = j0 + j
            h0, h1 = forever_holds(X[i, 0], X[i, 1], X[i, 2], X[i, 3],
                                   Y[y, 0], Y[y, 1], Y[y, 2], Y[y, 3], d, tol_factor)
            if h0 == 2 or h1 == 2:
                return -1
            hx[i] = hx[i] and h0 == 1
            hy[j] = hy[j] and h1 == 1
    return 1 if (_carries(hx, kx, rules[0], rules[1], row_shares, o_row, q_row)
                 and _carries(hy, ky, rules[2], rules[3], shares, o_column, q_column)) else 0


@njit(cache=True)
def _members_utility(compare, o_cmp, r, o_r, n, pi_row, pi_m, f, out):
    """The members' Snidal (1991) utilities ``π_m − r_m (s_m0 π_row + Σ_j s_mj π_j)`` in
    format ``f`` (payoffs ``pi_m[f]``) into ``out[f]``
    (:func:`sim.blocs.formats._member_utility`)."""
    c = o_cmp
    for i in range(n):
        acc = compare[c] * pi_row
        for j in range(n):
            acc = acc + compare[c + 1 + j] * pi_m[f, j]
        out[f, i] = pi_m[f, i] - r[o_r + i] * acc
        c += 1 + n


@njit(cache=True)
def _rows_utility(compare, o_cmp, r, o_r, n, k, total, pi_m, h, pi_rows, u, f):
    """The row side's members' utilities in format ``f``
    (:func:`sim.blocs.formats._row_member_utility`), comparing with the rival bloc's total,
    its members (payoffs ``pi_m[h]``) and their own side's members, into ``u[f, 2 + n:]``."""
    c = o_cmp
    for kk in range(k):
        acc = compare[c] * total
        for j in range(n):
            acc = acc + compare[c + 1 + j] * pi_m[h, j]
        for j in range(k):
            acc = acc + compare[c + 1 + n + j] * pi_rows[j]
        u[f, 2 + n + kk] = pi_rows[kk] - r[o_r + kk] * acc
        c += 1 + n + k


@njit(cache=True)
def _rows_choice(u, accepts, n, k, rules, shares, o_shares, quota, hx, tol_factor):
    """:meth:`sim.blocs.formats.FormatAnalysis.choice` for a row bloc: the first available
    format its members carry against every other available one (the status quo where none
    is)."""
    scale = 0.0
    for f in range(3):
        if f < 2 or accepts:
            for kk in range(k):
                scale = max(scale, abs(u[f, 2 + n + kk]))
    tol = tol_factor * max(scale, 1.0)
    for f in range(3):
        if f == 2 and not accepts:
            continue
        ok = True
        for g in range(3):
            if g == f or (g == 2 and not accepts):
                continue
            for kk in range(k):
                hx[kk] = u[f, 2 + n + kk] >= u[g, 2 + n + kk] - tol
            ok = ok and _carries(hx, k, rules[0], rules[1], shares, o_shares, quota)
        if ok:
            return f
    return 0


@njit(cache=True)
def formats_kernel(fields, strides, shape, n, k, rows, holder, rules, mode, tol_factor,
                   everyone, n_pref, out_u, out_pref, out_choice, out_bloc, out_bil,
                   out_accepts, out_hard):
    """The format model at every point of a batch of ``shape``, walked in C order of that
    shape (the wrapper orders the axes: those along which only the row side varies last).
    ``fields`` are the ``FIELDS``' own values, flat; field ``f`` at batch index ``i`` starts
    at ``fields[f][Σ_a i_a strides[f, a]]``. ``rules`` = (row kind, row leader, bloc kind,
    bloc leader); ``holder`` the control holder (-1: none); ``rows`` whether the row side has
    members (``k`` of them); ``everyone``: the members' and the bloc's bilateral utilities are
    needed (else only the row side's). Outputs are written in the walk's order; those with a
    zero-length first axis are not written; ``out_hard[p]``: point ``p`` is left to the numpy
    path.

    What depends on the bloc's side alone (its members' games, stage answers and utilities) is
    recomputed only where one of its inputs (``MEMBER_FIELDS``) moves to another value."""
    (bSH, bA, bP, bAB, bPB, bLOSS, bRROW, bRNOM, bRCOL, bRMEM, bCMP, bDISC, bRSH, bQ, bQB, bRRS,
     bRRB, bRCMP, bQUOTA, bRQUOTA) = fields
    N = out_hard.shape[0]
    D = shape.shape[0]
    F = strides.shape[0]
    kx = k if rows else 1
    actors = 2 + n + (k if rows else 0)
    row_kind, row_leader = (rules[0], rules[1]) if rows else (0, 0)
    side_rules = (row_kind, row_leader, rules[2], rules[3])
    bil_rules = (row_kind, row_leader, 0, 0)      # a member alone: a consensus of one
    X = np.empty((kx, 4))                        # the row side's payoffs, bloc game
    Xb = np.empty((kx, 4))                       # ... in one bilateral game
    Y = np.empty((n, 4))                         # the members' utilities, bloc game
    Yb = np.empty((n, 4))                        # ... in their bilateral games
    tot = np.empty(4)                            # the bloc's material payoffs
    best_m = np.empty(n, np.bool_)               # each member's stage answers, bilateral
    accept_m = np.empty(n, np.bool_)
    coop = np.empty(n, np.bool_)                 # each bilateral game's outcome
    last = np.empty(n, np.bool_)                 # the outcomes the bilateral payoffs are for
    pi_m = np.empty((3, n))                      # members' payoffs: sq, bilateral, (C,C)
    pi_row = np.empty(3)
    totals = np.empty(3)
    u_m = np.empty((3, n))                       # members' utilities: sq, bilateral, (C,C)
    u_bloc = np.empty(3)
    pi_rows = np.empty(kx)
    hb = np.empty(max(n, kx), np.bool_)
    ha = np.empty(max(n, kx), np.bool_)
    u = np.empty((3, actors))
    accept_if = np.zeros(2, np.bool_)            # the bloc accepts the bloc format if it ends
    best_c = accept_c = False                    # at (D,D), at (C,C)
    idx = np.zeros(D, np.int64)
    o = np.zeros(F, np.int64)
    key = np.full(len(MEMBER_FIELDS), -1, np.int64)
    fresh = False                                # the bilateral payoffs are ``last``'s
    for p in range(N):
        same = True
        for j in range(len(MEMBER_FIELDS)):
            same = same and o[MEMBER_FIELDS[j]] == key[j]
        oA, oP, oAB, oPB = o[_A], o[_P], o[_AB], o[_PB]
        oCMP, oRMEM, oSH, oLOSS, oRSH = o[_CMP], o[_RMEM], o[_SH], o[_LOSS], o[_RSH]
        q_row, q_column = bRQUOTA[o[_RQUOTA]], bQUOTA[o[_QUOTA]]
        if not same:                             # the bloc's side, at its new inputs
            for j in range(len(MEMBER_FIELDS)):
                key[j] = o[MEMBER_FIELDS[j]]
            fresh = False
            for ab in range(4):
                t = bP[oP + ab]
                for j in range(1, n):
                    t = t + bP[oP + 4 * j + ab]
                tot[ab] = t
                for i in range(n):
                    c = oCMP + i * (1 + n)
                    acc = bCMP[c] * bA[oA + ab]
                    for j in range(n):
                        acc = acc + bCMP[c + 1 + j] * bP[oP + 4 * j + ab]
                    Y[i, ab] = bP[oP + 4 * i + ab] - bRMEM[oRMEM + i] * acc
            best_c, accept_c = _side(Y, n, True, rules[2], rules[3], bSH, oSH, q_column, hb,
                                     ha, tol_factor)
            for m in range(n):
                loss = bLOSS[oLOSS + m]
                c = oCMP + m * (1 + n)
                s_holder = bCMP[c + 1 + holder] if holder >= 0 else 0.0
                r_m = bRMEM[oRMEM + m]
                for ab in range(4):
                    lost = loss * (1.0 if ab == 0 else 0.0)
                    Yb[m, ab] = bPB[oPB + 4 * m + ab] - r_m * (
                        bCMP[c] * bAB[oAB + 4 * m + ab] - s_holder * lost)
                best_m[m], accept_m[m] = _answers(Yb[m, 1], Yb[m, 0], Yb[m, 3], Yb[m, 2],
                                                  tol_factor)
            for f in (0, 2):                     # status quo (D,D), bloc format at (C,C)
                at = 3 if f == 0 else 0
                pi_row[f] = bA[oA + at]
                for i in range(n):
                    pi_m[f, i] = bP[oP + 4 * i + at]
                t = pi_m[f, 0]
                for i in range(1, n):
                    t = t + pi_m[f, i]
                totals[f] = t
                u_bloc[f] = t - bRCOL[o[_RCOL]] * pi_row[f]
                _members_utility(bCMP, oCMP, bRMEM, oRMEM, n, pi_row[f], pi_m, f, u_m)
            for g in range(2):
                f = 0 if g == 0 else 2
                scale = 0.0
                for i in range(n):
                    scale = max(scale, max(abs(u_m[0, i]), abs(u_m[f, i])))
                tol = tol_factor * max(scale, 1.0)
                for i in range(n):
                    ha[i] = u_m[f, i] >= u_m[0, i] - tol
                accept_if[g] = _carries(ha, n, rules[2], rules[3], bSH, oSH, q_column)
        # -- the row side, point by point: the bloc game ---------------------------------------
        d = bDISC[o[_DISC]]
        if rows:
            for ab in range(4):
                for kk in range(k):
                    c = o[_RCMP] + kk * (1 + n + k)
                    acc = bRCMP[c] * tot[ab]
                    for j in range(n):
                        acc = acc + bRCMP[c + 1 + j] * bP[oP + 4 * j + ab]
                    for j in range(k):
                        acc = acc + bRCMP[c + 1 + n + j] * bQ[o[_Q] + 4 * j + ab]
                    X[kk, ab] = bQ[o[_Q] + 4 * kk + ab] - bRRS[o[_RRS] + kk] * acc
            best_r, accept_r = _side(X, k, False, row_kind, row_leader, bRSH, oRSH, q_row, hb,
                                     ha, tol_factor)
        else:
            r = bRROW[o[_RROW]]
            x0 = bA[oA] - r * tot[0]
            x1 = bA[oA + 1] - r * tot[1]
            x2 = bA[oA + 2] - r * tot[2]
            x3 = bA[oA + 3] - r * tot[3]
            X[0, 0], X[0, 1], X[0, 2], X[0, 3] = x0, x1, x2, x3
            best_r, accept_r = _answers(x2, x0, x3, x1, tol_factor)
        bloc = _outcome(mode, best_r and best_c, accept_r and accept_c)
        if bloc == 2:
            bloc = _sustained(X, kx, Y, 0, n, d, side_rules, bRSH, oRSH, bSH, oSH, q_row,
                              q_column, hb, ha, tol_factor)
        # -- the bilateral games ---------------------------------------------------------------
        for m in range(n):
            if bloc < 0:
                break
            loss = bLOSS[oLOSS + m]
            if rows:
                for ab in range(4):
                    lost = loss * (1.0 if ab == 0 else 0.0)
                    pb = bPB[oPB + 4 * m + ab]
                    for kk in range(k):
                        s = o[_RCMP] + kk * (1 + n + k)
                        s_rival = bRCMP[s] + bRCMP[s + 1 + m]
                        s_loss = bRCMP[s] + (bRCMP[s + 1 + holder] if holder >= 0 else 0.0)
                        own = bRCMP[s + 1 + n] * bQB[o[_QB] + 4 * m + ab]
                        for j in range(1, k):
                            own = own + bRCMP[s + 1 + n + j] * bQB[o[_QB] + 4 * (j * n + m) + ab]
                        Xb[kk, ab] = bQB[o[_QB] + 4 * (kk * n + m) + ab] - bRRB[o[_RRB] + kk] * (
                            (s_rival * pb - s_loss * lost) + own)
                best_r, accept_r = _side(Xb, k, False, row_kind, row_leader, bRSH, oRSH, q_row,
                                         hb, ha, tol_factor)
            else:
                r = bRRB[o[_RRB]]
                a, b = oAB + 4 * m, oPB + 4 * m
                x0 = bAB[a] - r * (bPB[b] - loss * 1.0)
                x1 = bAB[a + 1] - r * (bPB[b + 1] - loss * 0.0)
                x2 = bAB[a + 2] - r * (bPB[b + 2] - loss * 0.0)
                x3 = bAB[a + 3] - r * (bPB[b + 3] - loss * 0.0)
                Xb[0, 0], Xb[0, 1], Xb[0, 2], Xb[0, 3] = x0, x1, x2, x3
                best_r, accept_r = _answers(x2, x0, x3, x1, tol_factor)
            out = _outcome(mode, best_r and best_m[m], accept_r and accept_m[m])
            if out == 2:
                out = _sustained(Xb, kx, Yb, m, 1, d, bil_rules, bRSH, oRSH, bSH, 0, q_row,
                                 1.0, hb, ha, tol_factor)
            if out < 0:
                bloc = -1
            coop[m] = out == 1
        out_hard[p] = bloc < 0
        if bloc >= 0:
            for m in range(n):
                fresh = fresh and coop[m] == last[m]
            if not fresh:                         # the bilateral format's payoffs
                pr = bAB[oAB + (0 if coop[0] else 3)]
                for m in range(1, n):
                    pr = pr + bAB[oAB + 4 * m + (0 if coop[m] else 3)]
                pi_row[1] = pr
                for i in range(n):
                    pi_m[1, i] = bPB[oPB + 4 * i + (0 if coop[i] else 3)]
                if holder >= 0:
                    lost = bLOSS[oLOSS] * (1.0 if coop[0] else 0.0)
                    for m in range(1, n):
                        lost = lost + bLOSS[oLOSS + m] * (1.0 if coop[m] else 0.0)
                    for i in range(n):
                        pi_m[1, i] = pi_m[1, i] - lost * (1.0 if i == holder else 0.0)
                t = pi_m[1, 0]
                for i in range(1, n):
                    t = t + pi_m[1, i]
                totals[1] = t
                if everyone:
                    u_bloc[1] = t - bRCOL[o[_RCOL]] * pi_row[1]
                    _members_utility(bCMP, oCMP, bRMEM, oRMEM, n, pi_row[1], pi_m, 1, u_m)
                for m in range(n):
                    last[m] = coop[m]
                fresh = True
            g = 2 if bloc == 1 else 0             # where the bloc format ends
            for f in range(3):
                h = g if f == 2 else f
                r = bRNOM[o[_RNOM]] / float(n) if f == 1 else bRROW[o[_RROW]]
                u[f, 0] = pi_row[h] - r * totals[h]
                u[f, 1] = u_bloc[h]
                for i in range(n):
                    u[f, 2 + i] = u_m[h, i]
                if rows:
                    for kk in range(k):
                        if f == 1:
                            qb = o[_QB] + 4 * kk * n
                            x = bQB[qb + (0 if coop[0] else 3)]
                            for m in range(1, n):
                                x = x + bQB[qb + 4 * m + (0 if coop[m] else 3)]
                            pi_rows[kk] = x
                        else:
                            pi_rows[kk] = bQ[o[_Q] + 4 * kk + (0 if h == 2 else 3)]
                    if f == 1:
                        _rows_utility(bRCMP, o[_RCMP], bRRB, o[_RRB], n, k, totals[h], pi_m,
                                      h, pi_rows, u, f)
                    else:
                        _rows_utility(bRCMP, o[_RCMP], bRRS, o[_RRS], n, k, totals[h], pi_m,
                                      h, pi_rows, u, f)
            accepts = accept_if[1] if bloc == 1 else accept_if[0]
            if out_u.shape[0]:
                out_u[p] = u
            for a in range(n_pref):
                out_pref[p, a] = _first_best(u[0, a], u[1, a], u[2, a], tol_factor)
            if out_choice.shape[0]:
                if rows:
                    out_choice[p] = _rows_choice(u, accepts, n, k, rules, bRSH, oRSH, q_row, hb,
                                                 tol_factor)
                else:
                    out_choice[p] = _first_best(u[0, 0], u[1, 0],
                                                u[2, 0] if accepts else -np.inf, tol_factor)
            if out_bloc.shape[0]:
                out_bloc[p] = bloc == 1
                out_accepts[p] = accepts
                for m in range(n):
                    out_bil[p, m] = coop[m]
        a = D - 1                                 # the next batch index (an odometer)
        while a >= 0:
            idx[a] += 1
            for f in range(F):
                o[f] += strides[f, a]
            if idx[a] < shape[a] or a == 0:
                break
            for f in range(F):
                o[f] -= strides[f, a] * shape[a]
            idx[a] = 0
            a -= 1


# --------------------------------------------------------------------------------------------
# Wrapper: the fields' own arrays and strides, the kernel, the numpy path at hard points
# --------------------------------------------------------------------------------------------

def _inputs(nums):
    """``{field: array}`` of ``FIELDS`` (quotas as arrays) and ``(n, k, rows)``."""
    n = len(nums.members)
    rows = bool(nums.row_members)
    k = len(nums.row_members) if rows else 1
    values = {f: np.asarray(getattr(nums, f), dtype=float) for f in FIELDS[:-2]}
    values["quota"] = np.asarray(nums.rule.quota, dtype=float)
    values["row_quota"] = np.asarray(nums.row_rule.quota, dtype=float)
    return values, (n, k, rows)


def _layout(values, tails):
    """Every field's own values (compacted: one copy along the batch axes it does not vary
    over, no copy where it already is so), flat; its strides (in elements) along the batch
    axes; and the batch shape."""
    own = {f: np.asarray(v).shape[:np.ndim(v) - len(tails[f])] for f, v in values.items()}
    shape = np.broadcast_shapes(*own.values())
    D = len(shape)
    fields, strides = [], np.zeros((len(FIELDS), D), np.int64)
    for i, f in enumerate(FIELDS):
        v = np.broadcast_to(values[f], (1,) * (D - len(own[f])) + own[f] + tails[f])
        index = tuple(slice(0, 1) if v.strides[a] == 0 else slice(None) for a in range(D))
        v = np.ascontiguousarray(v[index])
        for a in range(D):
            strides[i, a] = 0 if v.shape[a] == 1 else v.strides[a] // v.itemsize
        fields.append(v.reshape(-1))
    return tuple(fields), strides, shape


def _order(strides):
    """The batch axes in the order the kernel walks them: first those along which an input of
    the bloc's side varies, then those along which only the row side's do (innermost, so that
    the bloc's side is computed once per value of the outer axes)."""
    member = strides[list(MEMBER_FIELDS)].any(0)
    return np.array([a for a in range(len(member)) if member[a]]
                    + [a for a in range(len(member)) if not member[a]], np.int64)


def evaluate(nums, mode: str = "repeated", *, utility: bool = True, preferred: int | None = None,
             choice: bool = True, outcomes: bool = True) -> dict:
    """The format model of ``nums`` (:class:`sim.scenario.blocs.BlocInputs`) in ``mode``, point
    by point: ``{"utility" (..., 3, actors), "preferred" (..., p) int8, "choice" (...) int8,
    "bloc", "accepts_bloc" (...) bool, "bilateral" (..., n) bool}`` over the batch shape of the
    inputs, each only if asked for (``preferred``: for the first ``p`` actors, all by
    default), and ``"numpy"`` (...) bool: the points on which a hard penal code decides, which
    :class:`sim.blocs.formats.FormatAnalysis` computed. Equal to its arrays, bit for bit."""
    values, (n, k, rows) = _inputs(nums)
    fields, strides, shape = _layout(values, _tails(n, k))
    N = int(np.prod(shape))
    actors = 2 + n + (k if rows else 0)
    p = actors if preferred is None else preferred
    out = {"utility": np.empty((N if utility else 0, 3, actors)),
           "preferred": np.empty((N, p), np.int8),
           "choice": np.empty(N if choice else 0, np.int8),
           "bloc": np.empty(N if outcomes else 0, bool),
           "bilateral": np.empty((N if outcomes else 0, n), bool),
           "accepts_bloc": np.empty(N if outcomes else 0, bool), "numpy": np.empty(N, bool)}
    row_rule, rule = nums.row_rule, nums.rule
    rules = (RULES.index(row_rule.kind), int(row_rule.leader), RULES.index(rule.kind),
             int(rule.leader))
    order = _order(strides)
    from .._jit import announce

    announce("sim.blocs.formats_kernel:formats_kernel")
    formats_kernel(fields, np.ascontiguousarray(strides[:, order]),
                   np.array(shape, np.int64)[order], n, k, rows,
                   -1 if nums.holder is None else nums.holder, rules, MODES.index(mode), TOL,
                   utility or p > 1, p, out["utility"], out["preferred"], out["choice"],
                   out["bloc"], out["bilateral"], out["accepts_bloc"], out["numpy"])
    back = tuple(np.argsort(order))                   # the walk's order back to C order
    walked = tuple(np.array(shape, np.int64)[order])
    for key, v in out.items():
        if v.shape[0]:
            tail = v.shape[1:]
            own = tuple(range(len(shape), len(shape) + len(tail)))
            v = np.ascontiguousarray(v.reshape(walked + tail).transpose(back + own))
            out[key] = v.reshape((N,) + tail)
    hard = out["numpy"]
    where = np.flatnonzero(hard)
    if where.size:
        _fill(out, FormatAnalysis(_subset(nums, values, shape, where)), mode, where)
    wanted = {"utility": utility, "preferred": True, "choice": choice, "bloc": outcomes,
              "bilateral": outcomes, "accepts_bloc": outcomes, "numpy": True}
    return {key: v.reshape(shape + v.shape[1:]) for key, v in out.items() if wanted[key]}


def _subset(nums, values, shape, where):
    """``nums`` at the flat batch points ``where`` (a flat batch of their own)."""
    from dataclasses import replace

    from ..scenario.blocs import ARRAY_TAILS

    shape = shape or (1,)                           # a single point: a batch of one
    index = np.unravel_index(where, shape)

    def take(v, tail):
        v = np.asarray(v, dtype=float)
        return np.broadcast_to(v, shape + v.shape[v.ndim - tail:])[index]

    fields = {f: take(values[f], ARRAY_TAILS[f]) for f in ARRAY_TAILS}
    return replace(nums, **fields, rule=replace(nums.rule, quota=take(values["quota"], 0)),
                   row_rule=replace(nums.row_rule, quota=take(values["row_quota"], 0)))


def _fill(out, res, mode, where):
    """The numpy path's answers at the flat points ``where``."""
    h = len(where)
    if out["utility"].shape[0]:
        out["utility"][where] = np.broadcast_to(res.utility[mode],
                                                (h,) + out["utility"].shape[1:])
    p = out["preferred"].shape[1]
    out["preferred"][where] = np.broadcast_to(res.preferred(mode), (h, len(res.actors)))[:, :p]
    if out["choice"].shape[0]:
        out["choice"][where] = np.broadcast_to(res.choice(mode), (h,))
    if out["bloc"].shape[0]:
        out["bloc"][where] = np.broadcast_to(res.bloc[mode], (h,))
        out["accepts_bloc"][where] = np.broadcast_to(res.accepts_bloc[mode], (h,))
        out["bilateral"][where] = np.broadcast_to(res.bilateral[mode],
                                                  (h,) + out["bilateral"].shape[1:])
