"""Numba kernels of the evolution simulations (compiled on first call, cached on disk).

Imported lazily by :mod:`.moran_simulation` and :mod:`.generational`, so that importing
``sim.evolution`` does not import numba. Random numbers come from counter-based SplitMix64
streams (see :mod:`.streams`): draw ``c`` of run ``r`` is ``uniform(keys[r], c)``.
"""

import numpy as np
from numba import njit

LINEAR, EXPONENTIAL = 0, 1


@njit(cache=True, inline="always")
def uniform(key, counter):
    """Draw ``counter`` of the SplitMix64 stream ``key`` (Steele, Lea & Flood, 2014), in [0, 1)."""
    z = np.uint64(key) + np.uint64(counter + 1) * np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@njit(cache=True, inline="always")
def _pick(weights, u):
    """Index ``i`` with probability ``weights[i] / sum(weights)``, from a uniform ``u``."""
    target = u * weights.sum()
    acc = 0.0
    last = 0
    for i in range(weights.size):
        if weights[i] > 0:
            acc += weights[i]
            last = i
            if target < acc:
                return i
    return last


@njit(cache=True)
def moran_runs(M, counts0, keys, mapping, intensity, mutation, max_steps, record_every,
               n_records):
    """Birth–death Moran runs on the type counts (see :mod:`.moran_simulation`).

    Returns ``winner`` (type that fixed, -1 if none within ``max_steps``), ``steps``, ``final``
    counts per run, and ``history``: the sum over runs of the counts after
    ``0, record_every, 2 record_every, ...`` steps (``n_records`` rows).
    """
    runs, k = keys.size, counts0.size
    N = counts0.sum()
    winner = np.full(runs, -1, np.int64)
    steps = np.zeros(runs, np.int64)
    final = np.zeros((runs, k), np.int64)
    history = np.zeros((n_records, k))
    settled = np.zeros((n_records + 1, k))     # counts of runs that stopped, from that record on
    weights = np.zeros(k)
    for r in range(runs):
        n = counts0.copy()
        total = M @ n.astype(np.float64)           # total payoff of each type against all
        s = 0
        rec = 0
        fixed = -1
        if mutation == 0.0:
            for t in range(k):
                if n[t] == N:
                    fixed = t
        while True:
            while rec < n_records and rec * record_every <= s:
                history[rec] += n
                rec += 1
            if fixed >= 0 or s >= max_steps:
                break
            top = -np.inf                          # exponential: largest exponent present
            if mapping != LINEAR:
                for t in range(k):
                    if n[t] > 0:
                        top = max(top, intensity * (total[t] - M[t, t]) / (N - 1))
            for t in range(k):
                if n[t] > 0:
                    payoff = (total[t] - M[t, t]) / (N - 1)
                    if mapping == LINEAR:
                        f = 1.0 - intensity + intensity * payoff
                    else:                          # exp(β π) / exp(β π_max): never overflows
                        f = np.exp(intensity * payoff - top)
                    weights[t] = n[t] * f
                else:
                    weights[t] = 0.0
            if weights.sum() <= 0.0:                 # nobody can reproduce: neutral choice
                for t in range(k):
                    weights[t] = n[t]
            c = 4 * s
            parent = _pick(weights, uniform(keys[r], c))
            child = parent
            if mutation > 0.0 and uniform(keys[r], c + 1) < mutation:
                j = int(uniform(keys[r], c + 2) * (k - 1))
                child = j if j < parent else j + 1
            for t in range(k):
                weights[t] = n[t]
            dead = _pick(weights, uniform(keys[r], c + 3))
            n[child] += 1
            n[dead] -= 1
            if child != dead:
                for t in range(k):
                    total[t] += M[t, child] - M[t, dead]
            s += 1
            if mutation == 0.0 and n[child] == N:
                fixed = child
        settled[rec] += n                          # the later records: O(1) per run
        winner[r] = fixed
        steps[r] = s
        final[r] = n
    for rec in range(n_records):
        if rec:
            settled[rec] += settled[rec - 1]
        history[rec] += settled[rec]
    return winner, steps, final, history


@njit(cache=True)
def generational_runs(M, counts0, keys, replace, generations):
    """Generational round-robin runs (see :mod:`.generational`): counts per generation,
    shape ``(runs, generations + 1, k)``."""
    runs, k = keys.size, counts0.size
    N = counts0.sum()
    history = np.zeros((runs, generations + 1, k), np.int64)
    pop = np.empty(N, np.int64)
    ties = np.empty(N)
    scores = np.empty(N)
    for r in range(runs):
        n = counts0.copy()
        history[r, 0] = n
        for g in range(generations):
            score = M @ n.astype(np.float64) - np.diag(M)   # each individual vs all others
            score = np.round(score, 9)
            i = 0
            for t in range(k):
                for _ in range(n[t]):
                    pop[i] = t
                    i += 1
            for i in range(N):
                ties[i] = uniform(keys[r], g * N + i)
            order = np.argsort(ties)
            for i in range(N):
                scores[i] = score[pop[order[i]]]
            ranking = order[np.argsort(scores, kind="mergesort")]
            for i in range(replace):
                n[pop[ranking[i]]] -= 1
                n[pop[ranking[N - 1 - i]]] += 1
            history[r, g + 1] = n
    return history
