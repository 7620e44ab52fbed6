"""The exact regime criterion compiled for batches of distinct 2x2 games (numba, cached).

:mod:`sim.equilibria` states the criterion once, as numpy functions that broadcast: they are
fast where games repeat along an axis (a grid over δ, a sweep's batch), but a batch in which
every point is its own game (robustness draws, bloc member pairs) pays for every temporary
array.
This module evaluates the same criterion game by game in one compiled loop, the same floating
point operations in the same order, so that it returns what :mod:`sim.equilibria` returns,
bit for bit (``tests/test_equilibria_kernel.py`` checks it on generated games):

* stage game: pure equilibria with weak best replies (Nash 1951), how many players strictly
  prefer (C,C) to (D,D), each player's tie tolerance ``TOL`` times its own payoff range
  (:func:`sim.equilibria.tolerance`, no absolute floor);
* per player, the threshold of (C,C) forever under Nash reversion to the stage equilibrium
  worst for it, mixed equilibria included (Friedman 1971;
  :func:`sim.equilibria.nash_reversion_threshold`), and under the optimal penal code where it
  has the closed form ``(T−R)/(T−m)`` with ``m`` the pure minmax attained by a pure stage
  equilibrium (Abreu 1988; :func:`sim.equilibria.penal_code_threshold`);
* the regime code of :func:`sim.equilibria.regime` (criterion ``spe``) at the game's δ, and
  ``blocked_by_relative_gains`` of :func:`sim.equilibria.analyse_grid`.

Where the optimal penal code has no closed form (a player tempted, ``R`` above its minmax,
and no pure stage equilibrium at the minmax) the kernel flags the game ``hard``; the wrappers
below then compute those games on :mod:`sim.equilibria`'s own path (the pure SPE sets of
:mod:`sim.spe`), so there is one criterion and the kernel never approximates it.

Entry points (inputs ``(..., 2, 2)`` broadcast together and are flattened to distinct games):
:func:`game_facts` (per-game facts, for callers that aggregate players, e.g. bloc members),
:func:`forever_threshold` (per-player ``spe`` thresholds, hard games filled) and
:func:`analyse` (material games with weights and δ: regime and blocked, as ``analyse_grid``).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from . import equilibria
from ._jit import announce
from .equilibria import TOL

#: Bits of the stage-equilibrium mask in :func:`game_facts`: (C,C), (C,D), (D,C), (D,D).
CC, CD, DC, DD = 1, 2, 4, 8

_REGIME = {name: i for i, name in enumerate(equilibria.REGIMES)}
_HARMONY, _COORDINATION, _RECIPROCITY = (_REGIME[k] for k in
                                         ("harmony", "coordination", "reciprocity"))
_SHORT, _ONE_SIDED, _DEADLOCK = (_REGIME[k] for k in ("short-horizon", "one-sided", "deadlock"))
_ANTI, _UNILATERAL, _CYCLING = (_REGIME[k] for k in
                                ("anti-coordination", "unilateral", "cycling"))
_N_COOPERATIVE = len(equilibria.COOPERATIVE)


# --------------------------------------------------------------------------------------------
# Kernel section: compiled per-game code (numba, cache=True). Each function mirrors the numpy
# function of sim.equilibria named in its docstring, operation for operation.
# --------------------------------------------------------------------------------------------

@njit(cache=True, inline="always")
def _letters(a00, a01, a10, a11, b00, b01, b10, b11, p):
    """``(T, R, P, S)`` of player ``p``'s own view (:func:`sim.games.trps` of
    :func:`sim.games.own_views`): row's is ``A``, column's is ``B`` transposed."""
    if p == 0:
        return a10, a00, a11, a01
    return b01, b00, b11, b10


@njit(cache=True, inline="always")
def _tol(T, R, P, S, tol_factor):
    """:func:`sim.equilibria.tolerance`: ``TOL`` times the player's payoff range."""
    return tol_factor * (max(max(T, R), max(P, S)) - min(min(T, R), min(P, S)))


@njit(cache=True, inline="always")
def _interval_lo(a, b, tol):
    """Lower end of :func:`sim.equilibria.condition_interval` where the interval is not empty,
    ``inf`` otherwise (as ``_forever_threshold``)."""
    up = b > tol
    down = b < -tol
    holds = a >= -tol
    root = 0.0
    if (up or down) and abs(a) > tol:
        root = 1.0 if abs(a + b) <= tol else -a / b
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
    return lo if lo <= hi else np.inf


@njit(cache=True, inline="always")
def _forever(T, R, punish, tol):
    """:func:`sim.equilibria._forever_threshold`: smallest δ with ``R >= (1−δ)T + δ min(w, R)``."""
    w = min(punish, R)
    return _interval_lo(R - T, T - w, tol)


@njit(cache=True, inline="always")
def _best(own, other, T, R, P, S, tol):
    """``own`` (P(C)) is a weak best reply to ``other`` (``worst_stage_nash``'s ``best``)."""
    diff = other * (R - T) + (1 - other) * (S - P)
    return (own <= 0 or diff >= -tol) and (own >= 1 or diff <= tol)


@njit(cache=True, inline="always")
def _payoff(own, other, T, R, P, S):
    """Expected payoff of mixing ``own`` against ``other`` (``worst_stage_nash``'s ``payoff``)."""
    return (own * other * R + own * (1 - other) * S
            + (1 - own) * other * T + (1 - own) * (1 - other) * P)


@njit(cache=True, inline="always")
def _indifference(T, R, P, S, tol):
    """The other's P(C) that makes this player indifferent, ``1.0`` where there is none in
    [0, 1] (``worst_stage_nash``'s ``q``)."""
    slope = (R - T) - (S - P)
    if abs(slope) > tol:
        q = (P - S) / slope
        if q >= 0 and q <= 1:
            return q
    return 1.0


@njit(cache=True, inline="always")
def _stage(a00, a01, a10, a11, b00, b01, b10, b11, t0, t1):
    """Mask of the pure stage equilibria (:func:`sim.equilibria.pure_equilibria`)."""
    mask = CC if (a00 >= a10 - t0) and (b00 >= b01 - t1) else 0
    if (a01 >= a11 - t0) and (b01 >= b00 - t1):
        mask |= CD
    if (a10 >= a00 - t0) and (b10 >= b11 - t1):
        mask |= DC
    if (a11 >= a01 - t0) and (b11 >= b10 - t1):
        mask |= DD
    return mask


@njit(cache=True, inline="always")
def _worst_nash(T0, R0, P0, S0, t0, T1, R1, P1, S1, t1):
    """Each player's worst stage-equilibrium payoff (:func:`sim.equilibria.worst_stage_nash`):
    the minimum over the candidates x in (1, 0, q1) for row's P(C), y in (1, 0, q0) for
    column's that are equilibria."""
    q0 = _indifference(T0, R0, P0, S0, t0)
    q1 = _indifference(T1, R1, P1, S1, t1)
    w0 = np.inf
    w1 = np.inf
    for i in range(3):
        x = 1.0 if i == 0 else (0.0 if i == 1 else q1)
        for j in range(3):
            y = 1.0 if j == 0 else (0.0 if j == 1 else q0)
            if _best(x, y, T0, R0, P0, S0, t0) and _best(y, x, T1, R1, P1, S1, t1):
                w0 = min(w0, _payoff(x, y, T0, R0, P0, S0))
                w1 = min(w1, _payoff(y, x, T1, R1, P1, S1))
    return w0, w1


@njit(cache=True, inline="always")
def _minmax(T, R, P, S, mask, x00, x01, x10, x11, t):
    """The player's pure minmax ``m`` (:func:`sim.equilibria.pure_minmax_payoffs`) and whether
    its penal code has no closed form (``hard``, as in
    :func:`sim.equilibria.penal_code_threshold`): tempted, ``R`` above ``m``, and no pure
    stage equilibrium paying it ``m`` (``x``: its payoffs, in the game's orientation)."""
    m = min(max(R, T), max(S, P))
    at = (((mask & CC) != 0 and abs(x00 - m) <= t) or ((mask & CD) != 0 and abs(x01 - m) <= t)
          or ((mask & DC) != 0 and abs(x10 - m) <= t)
          or ((mask & DD) != 0 and abs(x11 - m) <= t))
    return m, (T - R > t) and (R > m + t) and not at


@njit(cache=True)
def facts_kernel(A, B, tol_factor, out_f, out_i):
    """Per-game facts of games ``A[k], B[k]`` (``(n, 2, 2)`` each): ``out_f`` ``(4, n)`` float
    (Nash-reversion thresholds of row and column, closed-form penal thresholds of row and
    column), ``out_i`` ``(4, n)`` int8 (stage-equilibrium mask, n_prefer, hard row, hard
    column)."""
    for k in range(A.shape[0]):
        a00, a01, a10, a11 = A[k, 0, 0], A[k, 0, 1], A[k, 1, 0], A[k, 1, 1]
        b00, b01, b10, b11 = B[k, 0, 0], B[k, 0, 1], B[k, 1, 0], B[k, 1, 1]
        T0, R0, P0, S0 = _letters(a00, a01, a10, a11, b00, b01, b10, b11, 0)
        T1, R1, P1, S1 = _letters(a00, a01, a10, a11, b00, b01, b10, b11, 1)
        t0 = _tol(T0, R0, P0, S0, tol_factor)
        t1 = _tol(T1, R1, P1, S1, tol_factor)
        mask = _stage(a00, a01, a10, a11, b00, b01, b10, b11, t0, t1)
        w0, w1 = _worst_nash(T0, R0, P0, S0, t0, T1, R1, P1, S1, t1)
        m0, hard0 = _minmax(T0, R0, P0, S0, mask, a00, a01, a10, a11, t0)
        m1, hard1 = _minmax(T1, R1, P1, S1, mask, b00, b01, b10, b11, t1)
        out_f[0, k] = _forever(T0, R0, w0, t0)
        out_f[1, k] = _forever(T1, R1, w1, t1)
        out_f[2, k] = _forever(T0, R0, m0, t0)
        out_f[3, k] = _forever(T1, R1, m1, t1)
        out_i[0, k] = mask
        out_i[1, k] = (1 if R0 > P0 + t0 else 0) + (1 if R1 > P1 + t1 else 0)
        out_i[2, k] = hard0
        out_i[3, k] = hard1


@njit(cache=True, inline="always")
def forever_holds(a00, a01, a10, a11, b00, b01, b10, b11, d, tol_factor):
    """Per player of one game, whether δ = ``d`` reaches its threshold for (C,C) played
    forever (criterion ``spe``, :func:`forever_threshold`), the test
    ``d >= threshold − TOL`` of :func:`sim.equilibria.sustained`: codes ``(row, column)``,
    1 it holds, 0 it fails, 2 it turns on a hard player's penal code (compute it on the numpy
    path). As in :func:`_regime_at`, ``d >= min(nash, penal) − TOL`` iff ``d >= penal − TOL``
    or ``d >= nash − TOL`` (rounding is monotone); the worst stage equilibrium is found only
    where the closed-form penal code does not decide. For callers that aggregate players by
    a rule (bloc members, :mod:`sim.blocs.formats_kernel`)."""
    T0, R0, P0, S0 = _letters(a00, a01, a10, a11, b00, b01, b10, b11, 0)
    T1, R1, P1, S1 = _letters(a00, a01, a10, a11, b00, b01, b10, b11, 1)
    t0 = _tol(T0, R0, P0, S0, tol_factor)
    t1 = _tol(T1, R1, P1, S1, tol_factor)
    mask = _stage(a00, a01, a10, a11, b00, b01, b10, b11, t0, t1)
    m0, hard0 = _minmax(T0, R0, P0, S0, mask, a00, a01, a10, a11, t0)
    m1, hard1 = _minmax(T1, R1, P1, S1, mask, b00, b01, b10, b11, t1)
    ok0 = not hard0 and d >= _forever(T0, R0, m0, t0) - tol_factor
    ok1 = not hard1 and d >= _forever(T1, R1, m1, t1) - tol_factor
    if not (ok0 and ok1):
        w0, w1 = _worst_nash(T0, R0, P0, S0, t0, T1, R1, P1, S1, t1)
        ok0 = ok0 or d >= _forever(T0, R0, w0, t0) - tol_factor
        ok1 = ok1 or d >= _forever(T1, R1, w1, t1) - tol_factor
    return (1 if ok0 else (2 if hard0 else 0)), (1 if ok1 else (2 if hard1 else 0))


@njit(cache=True, inline="always")
def _regime_at(a00, a01, a10, a11, b00, b01, b10, b11, d, tol_factor):
    """:func:`sim.equilibria.regime` (criterion ``spe``) of one game at δ = ``d``; ``-1``
    where it turns on a hard player's penal code (compute it on the numpy path).

    (C,C) forever is sustained iff ``d >= max_i min(nash_i, penal_i) − TOL``
    (:func:`sim.equilibria.sustained`), that is iff for every player ``d >= penal_i − TOL``
    or ``d >= nash_i − TOL`` (rounding is monotone, so ``max``, ``min`` and the subtraction
    commute): :func:`forever_holds`. The rest is :func:`sim.equilibria.classify`'s rule
    order."""
    T0, R0, P0, S0 = _letters(a00, a01, a10, a11, b00, b01, b10, b11, 0)
    T1, R1, P1, S1 = _letters(a00, a01, a10, a11, b00, b01, b10, b11, 1)
    t0 = _tol(T0, R0, P0, S0, tol_factor)
    t1 = _tol(T1, R1, P1, S1, tol_factor)
    mask = _stage(a00, a01, a10, a11, b00, b01, b10, b11, t0, t1)
    if (mask & CC) != 0:
        return _COORDINATION if (mask & DD) != 0 else _HARMONY
    h0, h1 = forever_holds(a00, a01, a10, a11, b00, b01, b10, b11, d, tol_factor)
    if h0 == 1 and h1 == 1:
        return _RECIPROCITY
    if h0 != 0 and h1 != 0:                     # only a hard player's penal code can decide
        return -1
    if (mask & DD) != 0:
        prefer = (1 if R0 > P0 + t0 else 0) + (1 if R1 > P1 + t1 else 0)
        return _SHORT if prefer == 2 else (_ONE_SIDED if prefer == 1 else _DEADLOCK)
    if (mask & CD) != 0 and (mask & DC) != 0:
        return _ANTI
    if (mask & (CD | DC)) != 0:
        return _UNILATERAL
    return _CYCLING


@njit(cache=True)
def analyse_kernel(A, B, r_row, r_col, d, tol_factor, code, blocked):
    """:func:`sim.equilibria.analyse_grid` game by game: material games ``A[k], B[k]``,
    weights ``r_row[k], r_col[k]``, δ ``d[k]``; the utility game is ``U = A − r_row B``,
    ``V = B − r_col A`` (Snidal 1991). Fills ``code[k]`` (``-1``: it turns on a hard
    player's penal code, compute it on the numpy path) and ``blocked[k]`` (not cooperative,
    but cooperative in the material game at the same δ)."""
    for k in range(A.shape[0]):
        a00, a01, a10, a11 = A[k, 0, 0], A[k, 0, 1], A[k, 1, 0], A[k, 1, 1]
        b00, b01, b10, b11 = B[k, 0, 0], B[k, 0, 1], B[k, 1, 0], B[k, 1, 1]
        r, s = r_row[k], r_col[k]
        c = _regime_at(a00 - r * b00, a01 - r * b01, a10 - r * b10, a11 - r * b11,
                       b00 - s * a00, b01 - s * a01, b10 - s * a10, b11 - s * a11,
                       d[k], tol_factor)
        code[k] = c
        blocked[k] = False
        if c >= _N_COOPERATIVE:
            m = _regime_at(a00, a01, a10, a11, b00, b01, b10, b11, d[k], tol_factor)
            if m < 0:
                code[k] = -1
            else:
                blocked[k] = m < _N_COOPERATIVE


# --------------------------------------------------------------------------------------------
# Wrappers: broadcast, flatten, call the kernel, fill hard games on sim.equilibria's path
# --------------------------------------------------------------------------------------------

def _flat(x, shape, tail=()):
    """``x`` broadcast to ``shape + tail`` as a writable C-contiguous ``(n,) + tail`` array
    (a view where it already is one), so that the kernels see one array type."""
    if x.shape != shape + tail:
        x = np.broadcast_to(x, shape + tail)
    x = x.reshape((-1,) + tail)
    return x if x.flags.c_contiguous and x.flags.writeable else np.array(x)


def _games(A, B, *params):
    """``A, B`` as contiguous ``(n, 2, 2)`` and each parameter as ``(n,)``, over the broadcast
    of the games' leading axes with the parameters; and that shape."""
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    params = [np.asarray(p, dtype=float) for p in params]
    shape = np.broadcast_shapes(A.shape[:-2], B.shape[:-2], *(p.shape for p in params))
    return shape, [_flat(A, shape, (2, 2)), _flat(B, shape, (2, 2))] + [
        _flat(p, shape) for p in params]


def game_facts(A, B) -> dict:
    """Per-game facts of the exact criterion, for games ``A, B`` of shape ``(..., 2, 2)``.

    Returns arrays over the games' broadcast shape ``(...)``: ``equilibria`` (int8 mask of the
    pure stage equilibria, bits ``CC | CD | DC | DD``), ``prefer`` (how many players strictly
    prefer (C,C) to (D,D)), and per player (leading axis 2): ``nash``
    (:func:`sim.equilibria.nash_reversion_threshold`), ``penal`` (the closed form of
    :func:`sim.equilibria.penal_code_threshold`, a lower bound where ``hard``) and ``hard``
    (no closed form: the player's penal threshold needs the SPE sets). A bloc caller takes the
    members' pair games here and aggregates ``min(nash, penal)`` by its rule; see
    :func:`forever_threshold` for thresholds with the hard ones filled.
    """
    shape, (A, B) = _games(A, B)
    n = A.shape[0]
    out_f = np.empty((4, n))
    out_i = np.empty((4, n), np.int8)
    announce("sim.equilibria_kernel:facts_kernel")
    facts_kernel(A, B, TOL, out_f, out_i)
    return {"equilibria": out_i[0].reshape(shape), "prefer": out_i[1].reshape(shape),
            "nash": out_f[:2].reshape((2,) + shape), "penal": out_f[2:].reshape((2,) + shape),
            "hard": out_i[2:].astype(bool).reshape((2,) + shape)}


def forever_threshold(A, B):
    """Per player, :func:`sim.equilibria.forever_threshold` with ``punishment="spe"``: shape
    ``(2, ...)``, ``inf`` where no δ < 1 suffices. Hard games (no closed-form penal code) are
    computed on :mod:`sim.equilibria`'s path, once per distinct game."""
    facts = game_facts(A, B)
    penal = facts["penal"]
    if facts["hard"].any():
        A, B = np.broadcast_arrays(*(np.asarray(X, dtype=float) for X in (A, B)))
        penal = equilibria._numeric_penal_threshold(A, B, facts["hard"], penal)
    return np.minimum(facts["nash"], penal)


def analyse(A, B, relative_gain_weight_row, relative_gain_weight_column, discount):
    """:func:`sim.equilibria.analyse_grid` (criterion ``spe``) for a batch in which every point
    is its own game: ``(regime code, blocked_by_relative_gains)`` over the broadcast shape of
    the material games' leading axes, weights and δ. The same numbers as ``analyse_grid``;
    games flagged hard by the kernel are computed by ``analyse_grid`` itself."""
    shape, (A, B, r, s, d) = _games(A, B, relative_gain_weight_row,
                                    relative_gain_weight_column, discount)
    code = np.empty(A.shape[0], np.int8)
    blocked = np.empty(A.shape[0], bool)
    announce("sim.equilibria_kernel:analyse_kernel")
    analyse_kernel(A, B, r, s, d, TOL, code, blocked)
    hard = np.flatnonzero(code < 0)
    if hard.size:
        code[hard], blocked[hard] = equilibria.analyse_grid(A[hard], B[hard], r[hard], s[hard],
                                                            d[hard])
    return code.reshape(shape), blocked.reshape(shape)
