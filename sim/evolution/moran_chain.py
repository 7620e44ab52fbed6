"""The Moran process with any number of types as an absorbing Markov chain on the type counts:
exact fixation probabilities and the mean number of steps until one type has taken over.

The process is the one of :mod:`.moran_simulation` without mutation (birth–death; payoffs
without self-interaction; fitness ``1 - w + w π`` or ``exp(β π)``). Its states are the counts
``n = (n_0, …, n_{k-1})`` with ``Σ n_s = N``, ``C(N + k - 1, k - 1)`` of them; a step moves
``n → n + e_p − e_d`` with probability ``T(p, d) = (n_p f_p / Σ_t n_t f_t) · n_d / N``
(parent ``p`` by fitness, the dying individual ``d`` uniformly). The ``k`` monomorphic states
absorb. With ``Q`` the steps among the other (transient) states and ``R`` the steps into the
absorbing ones, the fixation probabilities ``X`` and the mean absorption times ``τ`` solve

    (I − Q) X = R,     (I − Q) τ = 1

(Kemeny & Snell, 1960, *Finite Markov Chains*, §3.2–3.3; for the Moran process Nowak, 2006,
*Evolutionary Dynamics*, ch. 6). ``I − Q`` is built from the off-diagonal steps (its diagonal
is the probability of leaving the state, summed from the moves themselves), so no ``1 − (1 −
ε)`` cancellation occurs, and solved by one sparse LU factorisation.

A coexistence game (Chicken, Hawk–Dove) keeps a finite population mixed for a time that grows
exponentially with ``N`` (Antal & Scheuring, 2006, Bull. Math. Biol. 68:1923): ``τ`` says
beforehand how long simulated runs (:func:`.moran_simulation`) would last, which is what
:func:`sim.budget.evolve` needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import comb

import numpy as np

from ..defaults import MORAN_FITNESS
from ._labels import population

#: Largest chain solved exactly, in states, by number of types (the LU factor fills in faster
#: the more types, i.e. dimensions, the chain has; each limit is a solve of about a second on
#: the development machine), and the largest lookup grid ``(N + 1)^(k - 1)``.
MAX_STATES = {2: 1_000_000, 3: 40_000, 4: 6_000, 5: 3_000}
MAX_STATES_MANY = 2_000
MAX_GRID = 4_000_000


def chain_states(N: int, k: int) -> int:
    """Number of states ``C(N + k − 1, k − 1)`` of the chain of ``k`` types among ``N``."""
    return comb(N + k - 1, k - 1)


def solvable(N: int, k: int) -> bool:
    """Whether :func:`absorption` takes the chain of ``k`` types among ``N`` (its size is within
    :data:`MAX_STATES` and :data:`MAX_GRID`)."""
    return (chain_states(N, k) <= MAX_STATES.get(k, MAX_STATES_MANY)
            and (N + 1) ** (k - 1) <= MAX_GRID)


@dataclass(frozen=True)
class Absorption:
    """From one start: ``fixation`` (probability that each type takes over; ``nan`` where the
    solve fails) and ``steps`` (the mean number of steps until one has, ``inf`` where the chain
    is too slow to tell or never absorbs)."""

    fixation: np.ndarray
    steps: float


def _states(N: int, k: int):
    """All counts (``(S, k)``, int64) and the lookup ``index[n_0, …, n_{k-2}]`` of each."""
    grid = np.indices((N + 1,) * (k - 1)).reshape(k - 1, -1).T
    grid = grid[grid.sum(1) <= N]
    states = np.column_stack([grid, N - grid.sum(1)]).astype(np.int64)
    index = np.full((N + 1,) * (k - 1), -1, np.int64)
    index[tuple(grid.T)] = np.arange(len(states))
    return states, index


def absorption(M, counts, intensity: float = 1.0, fitness: str = MORAN_FITNESS) -> Absorption:
    """Exact fixation probabilities and mean absorption time of the Moran process without
    mutation on the ``k x k`` payoff matrix ``M`` from the type ``counts`` (see the module
    docstring). Needs :func:`solvable` ``(N, k)``."""
    from scipy.sparse import csc_matrix
    from scipy.sparse.linalg import splu

    from .moran import fitness_map

    M, _, counts, N = population(M, counts, None, "absorption")
    k = M.shape[0]
    if not solvable(N, k):
        raise ValueError(f"the chain of {k} types among {N} ({chain_states(N, k):,} states) is "
                         f"too large to solve exactly; simulate it (moran_simulation)")
    if np.count_nonzero(counts) <= 1:
        return Absorption((counts == N).astype(float), 0.0)
    states, index = _states(N, k)
    payoff = (states @ M.T - np.diag(M)) / (N - 1)     # π_s = (Σ_t M[s,t] n_t − M[s,s]) / (N−1)
    payoff = np.where(states > 0, payoff, M.min())          # an absent type has no payoff
    if fitness == "exponential":
        log_f = intensity * payoff
        present = np.where(states > 0, log_f, -np.inf)
        f = np.exp(log_f - present.max(1, keepdims=True))   # relative fitness: never overflows
    else:
        f = fitness_map(payoff, intensity, fitness)
    weights = states * f
    total = weights.sum(1, keepdims=True)
    neutral = total[:, 0] <= 0                               # nobody can reproduce: neutral
    weights[neutral], total[neutral] = states[neutral], N
    parent = weights / total
    transient = np.count_nonzero(states, axis=1) > 1
    order = np.cumsum(transient) - 1                          # row of each transient state
    rows, cols, vals, exit_rate = [], [], [], np.zeros(len(states))
    absorbed = np.zeros((len(states), k))
    for p in range(k):
        for d in range(k):
            if p == d:
                continue
            rate = parent[:, p] * states[:, d] / N
            move = transient & (rate > 0)
            target = states[move].copy()
            target[:, p] += 1
            target[:, d] -= 1
            j = index[tuple(target[:, :-1].T)]
            exit_rate[move] += rate[move]
            into = transient[j]
            rows.append(order[move][into])
            cols.append(order[j[into]])
            vals.append(-rate[move][into])
            absorbed[np.flatnonzero(move)[~into], p] += rate[move][~into]   # p has taken over
    n = int(transient.sum())
    A = csc_matrix((np.concatenate([exit_rate[transient], *vals]),
                    (np.concatenate([np.arange(n), *rows]),
                     np.concatenate([np.arange(n), *cols]))), shape=(n, n))
    try:
        lu = splu(A, permc_spec="MMD_AT_PLUS_A")
    except RuntimeError:          # exactly singular: states that never absorb (underflow)
        return Absorption(np.full(k, np.nan), np.inf)
    start = order[index[tuple(counts[:-1])]]
    X = lu.solve(np.ascontiguousarray(absorbed[transient]))
    tau = lu.solve(np.ones(n))
    fix = np.clip(np.nan_to_num(X[start]), 0.0, 1.0)
    steps = float(tau[start])
    total = fix.sum()
    return Absorption(fix / total if total > 0 else np.full(k, np.nan),
                      steps if np.isfinite(steps) and steps > 0 else np.inf)
