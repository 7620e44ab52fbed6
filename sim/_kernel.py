"""Compiled Monte-Carlo kernel for repeated 2x2 play (imported lazily by :mod:`sim.play`).

Random numbers: one counter-based stream per match, the splitmix64 output function applied to
``key(seed, match id) + (turn + 1) · γ`` (Steele, Lea & Flood 2014): turn ``t`` of match ``m``
always sees the same 64 bits, the low 32 for the row player and the high 32 for the column
player, whatever order or batch the matches run in. Turn 0 of the counter sets the length.
"""

import numpy as np
from numba import njit

_GAMMA = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_SEED_SALT = np.uint64(0x5851F42D4C957F2D)
_LOW32 = np.uint64(0xFFFFFFFF)
_FULL = np.uint64(1 << 32)
_ONE = np.uint64(1)
_S30, _S27, _S31, _S32, _S11 = (np.uint64(k) for k in (30, 27, 31, 32, 11))


@njit(cache=True, inline="always")
def _mix(z):
    """splitmix64 output function (Steele, Lea & Flood 2014)."""
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


@njit(cache=True, inline="always")
def _threshold(kind, state, param, thr, noise_thr):
    """Probability of C this turn, as a 32-bit threshold: an automaton's state gives it;
    a majority rule intends C iff its balance reaches ``param`` (noise flips the intent)."""
    if kind == 0:
        return thr[state]
    return _FULL - noise_thr if state >= param else noise_thr


@njit(cache=True, inline="always")
def _next_state(kind, state, nxt, own, other):
    """Next state after (own, other) actions: the automaton's table, or the majority rule's
    balance of the other's cooperations minus defections."""
    if kind == 0:
        return nxt[state, 2 * own + other]
    return state + 1 - 2 * other


@njit(cache=True, inline="always")
def _play_match(m, thr, nxt, starts, kinds, params, row, col, ids, cap, cont, log_w, key,
                noise_thr, counts, lengths):
    """Play match ``m`` (one entry of ``row``/``col``/``ids``) into ``counts[m]``,
    ``lengths[m]``."""
    mkey = _mix(key ^ _mix(ids[m] * _GAMMA + _GAMMA))
    if cont >= 0.0:
        if cont == 0.0:
            n = 1
        else:
            u = (np.float64(_mix(mkey) >> _S11) + 1.0) * (1.0 / 9007199254740992.0)
            n = 1 + int(np.floor(np.log(u) / log_w))
        if n > cap:
            n = cap
    else:
        n = cap
    r, c = row[m], col[m]
    k1, k2 = kinds[r], kinds[c]
    p1, p2 = params[r], params[c]
    s1, s2 = starts[r], starts[c]
    d1 = np.int64(0)
    d2 = np.int64(0)
    dd = np.int64(0)
    ctr = mkey
    for t in range(n):
        ctr += _GAMMA
        t1 = _threshold(k1, s1, p1, thr, noise_thr)
        t2 = _threshold(k2, s2, p2, thr, noise_thr)
        if (t1 - _ONE) < (_FULL - _ONE) or (t2 - _ONE) < (_FULL - _ONE):
            x = _mix(ctr)
        else:
            x = np.uint64(0)
        a1 = 0 if (x & _LOW32) < t1 else 1
        a2 = 0 if (x >> _S32) < t2 else 1
        d1 += a1
        d2 += a2
        dd += a1 & a2
        s1 = _next_state(k1, s1, nxt, a1, a2)
        s2 = _next_state(k2, s2, nxt, a2, a1)
    counts[m, 0] = n - d1 - d2 + dd
    counts[m, 1] = d2 - dd
    counts[m, 2] = d1 - dd
    counts[m, 3] = dd
    lengths[m] = n


@njit(cache=True)
def play_matches(thr, nxt, starts, kinds, params, row, col, ids, cap, cont, seed, noise_thr,
                 counts, lengths):
    """Play every match; fill ``counts[m] = (CC, CD, DC, DD)`` and ``lengths[m]``.

    Rule kinds: 0 automaton (state = absolute index into ``thr``/``nxt``), 1 majority (state =
    other's cooperations − defections; intends C iff state ≥ ``params``)."""
    key = _mix(seed ^ _SEED_SALT)
    log_w = np.log(cont) if cont > 0.0 else 0.0
    for m in range(row.size):
        _play_match(m, thr, nxt, starts, kinds, params, row, col, ids, cap, cont, log_w, key,
                    noise_thr, counts, lengths)


@njit(cache=True)
def play_point_matches(thr, nxt, starts, kinds, params, row, col, ids, cap, conts, seeds,
                       noise_thr, counts, lengths):
    """:func:`play_matches` for many points at once (the same rules and noise): point ``q``
    plays the matches ``q * M .. (q + 1) * M - 1`` (``M = row.size // conts.size``) with its
    own continuation probability ``conts[q]`` and seed ``seeds[q]``; each match exactly as
    :func:`play_matches` plays it."""
    per = row.size // conts.size
    for q in range(conts.size):
        cont = conts[q]
        key = _mix(seeds[q] ^ _SEED_SALT)
        log_w = np.log(cont) if cont > 0.0 else 0.0
        for m in range(q * per, (q + 1) * per):
            _play_match(m, thr, nxt, starts, kinds, params, row, col, ids, cap, cont, log_w,
                        key, noise_thr, counts, lengths)
