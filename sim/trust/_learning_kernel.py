"""Compiled kernels for learning under noise (imported lazily by :mod:`sim.trust.learning`).

State of a pair of sides: ``s_i = k_i − K_i``, how many net informative observations side
``i`` is above the count at which it starts to trust (see :mod:`sim.trust.learning`). A
cooperative side intends C iff ``s_i >= 0``; side ``i``'s count moves by +1 if the other is
seen to cooperate and −1 if not — while the other's cooperative type would intend C, or
always for a ``naive`` reader.

Random numbers: counter-based, one stream per path, the splitmix64 output function of
:mod:`sim._kernel` applied to ``key(seed, path id) + (round + 1)·γ`` (Steele, Lea & Flood
2014): round ``t`` of path ``m`` sees the same 64 bits whatever the batch; the low 32 bits
draw the row side's execution noise, the high 32 the column side's.
"""

import numpy as np
from numba import njit

from .._kernel import _GAMMA, _LOW32, _S32, _SEED_SALT, _mix


@njit(cache=True)
def spiral_dp(s_row, s_col, coop_row, coop_col, eps, naive, horizon, out, played):
    """Exact distribution by dynamic programming over the lattice of counts, per point:
    ``out[i, t]`` = P(both sides intend D after round ``t``'s update, i.e. a spiral, at or
    before round ``t``), ``t = 0 .. horizon`` (``t = 0``: before any play);
    ``played[i, t - 1, k]`` = P(side ``k`` plays C in round ``t``)."""
    n = s_row.size
    for i in range(n):
        e = eps[i]
        w = horizon + 1
        size = 2 * w + 1
        prob = np.zeros((size, size))
        a0, b0 = s_row[i], s_col[i]
        # lattice index: offset from the start, shifted by w
        prob[w, w] = 1.0
        absorbed = 0.0
        if a0 < 0 and b0 < 0:
            absorbed = 1.0
            prob[w, w] = 0.0
        out[i, 0] = absorbed
        for t in range(1, horizon + 1):
            new = np.zeros((size, size))
            played[i, t - 1, 0] = absorbed * e
            played[i, t - 1, 1] = absorbed * e
            for x in range(w - t + 1, w + t):        # reachable after t − 1 rounds
                for y in range(w - t + 1, w + t):
                    q = prob[x, y]
                    if q == 0.0:
                        continue
                    a = a0 + x - w
                    b = b0 + y - w
                    row_c = a >= 0          # row's cooperative type intends C
                    col_c = b >= 0
                    # probability each side is *seen* to cooperate
                    pr = (1.0 - e) if (row_c and coop_row[i]) else e
                    pc = (1.0 - e) if (col_c and coop_col[i]) else e
                    played[i, t - 1, 0] += q * pr
                    played[i, t - 1, 1] += q * pc
                    # row's count moves iff column's cooperative type intends C (or always, for
                    # a naive reader), and vice versa
                    for ur in range(2):          # column's observed action (0 = C)
                        wr = pc if ur == 0 else 1.0 - pc
                        dx = (1 if ur == 0 else -1) if (col_c or naive[i]) else 0
                        for uc in range(2):      # row's observed action
                            wc = pr if uc == 0 else 1.0 - pr
                            dy = (1 if uc == 0 else -1) if (row_c or naive[i]) else 0
                            nx, ny = x + dx, y + dy
                            p = q * wr * wc
                            if a + dx < 0 and b + dy < 0:
                                absorbed += p
                            else:
                                new[nx, ny] += p
            prob = new
            out[i, t] = absorbed


@njit(cache=True)
def spiral_paths(s_row, s_col, coop_row, coop_col, noise_thr, naive, horizon, seed, ids,
                 first, counts):
    """Monte Carlo in lockstep over paths: ``first[m]`` = round of the spiral (−1: none by
    ``horizon``; 0: before play); ``counts[m, t, 0/1]`` = each side's net count after round
    ``t`` (the belief path)."""
    key = _mix(seed ^ _SEED_SALT)
    for m in range(s_row.size):
        mkey = _mix(key ^ _mix(ids[m] * _GAMMA + _GAMMA))
        a = s_row[m]
        b = s_col[m]
        ka = 0
        kb = 0
        first[m] = -1
        if a < 0 and b < 0:
            first[m] = 0
        ctr = mkey
        for t in range(1, horizon + 1):
            ctr += _GAMMA
            z = _mix(ctr)
            u_row = z & _LOW32
            u_col = z >> _S32
            row_c = a >= 0
            col_c = b >= 0
            # an intended C is executed unless noise flips it (prob eps); an intended D
            # comes out as C with probability eps
            row_play_c = (u_row >= noise_thr[m]) if (row_c and coop_row[m]) else \
                (u_row < noise_thr[m])
            col_play_c = (u_col >= noise_thr[m]) if (col_c and coop_col[m]) else \
                (u_col < noise_thr[m])
            if first[m] < 0:
                if col_c or naive[m]:
                    d = 1 if col_play_c else -1
                    a += d
                    ka += d
                if row_c or naive[m]:
                    d = 1 if row_play_c else -1
                    b += d
                    kb += d
                if a < 0 and b < 0:
                    first[m] = t
            counts[m, t - 1, 0] = ka
            counts[m, t - 1, 1] = kb
