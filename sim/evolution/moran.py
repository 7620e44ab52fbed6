"""The Moran process with two types: exact fixation probabilities, fixation times, one-third rule.

Population of ``N``: ``i`` individuals of type A (strategy 0 of the 2x2 matrix
``M = [[a, b], [c, d]]``, ``M[0, 1] = b`` is A's payoff against B) and ``N - i`` of type B.
Payoffs exclude self-interaction (Nowak et al., 2004, Nature 428:646; Taylor et al., 2004,
Bull. Math. Biol. 66:1621)::

    π_A(i) = (a (i-1) + b (N-i)) / (N-1),     π_B(i) = (c i + d (N-i-1)) / (N-1)

Fitness maps payoff to reproductive rate:

- ``"linear"``: ``f = 1 - w + w π`` with selection intensity ``w`` in [0, 1] (Nowak et al.,
  2004); needs ``f ≥ 0`` (a type with ``f = 0`` cannot reproduce). ``w = 1`` is selection proportional to payoff, which is the axelrod
  library's ``MoranProcess`` (fitness = total score against everyone else = ``(N-1) π``; the
  factor ``N - 1`` cancels in proportional selection).
- ``"exponential"``: ``f = exp(β π)`` with intensity ``β ≥ 0`` (Traulsen, Shoresh & Nowak,
  2008, Bull. Math. Biol. 70:1410); positive for any payoffs.

One step (birth–death, as in axelrod's ``MoranProcess``): one individual reproduces with
probability proportional to fitness, its offspring (mutating with probability ``μ`` into the
other type) replaces an individual chosen uniformly at random among all ``N`` (the parent
included). So the number of A's goes up with ``T⁺_i = i f_A/(i f_A + (N-i) f_B) · (N-i)/N`` and
down with ``T⁻_i = (N-i) f_B/(i f_A + (N-i) f_B) · i/N``. Without mutation, the probability
that ``i₀`` A's take over (Karlin & Taylor, 1975, §4.7; Nowak et al., 2004) is::

    ρ(i₀) = (1 + Σ_{k=1}^{i₀-1} Π_{j=1}^{k} γ_j) / (1 + Σ_{k=1}^{N-1} Π_{j=1}^{k} γ_j),
    γ_j = T⁻_j / T⁺_j = f_B(j) / f_A(j)

computed in log space so large ``N`` and strong selection neither overflow nor underflow.
Times are counted in steps (one birth and one death), as axelrod counts iterations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..defaults import MORAN_FITNESS
from ..results import Result
from ._labels import square_matrix, strategy_labels

FITNESS_MAPS = ("linear", "exponential")


def fitness_map(payoff, intensity, mapping: str = MORAN_FITNESS) -> np.ndarray:
    """Reproductive rate from payoff: ``1 - w + w·π`` (``"linear"``, Nowak et al., 2004) or
    ``exp(β·π)`` (``"exponential"``, Traulsen et al., 2008); broadcasts."""
    payoff = np.asarray(payoff, dtype=float)
    intensity = np.asarray(intensity, dtype=float)
    if mapping == "linear":
        f = 1.0 - intensity + intensity * payoff
        if np.any(f < 0):
            raise ValueError(f"linear fitness 1 - w + w*payoff must be non-negative, got "
                             f"minimum {f.min():.4g}; use a smaller w or fitness='exponential'")
        return f
    if mapping == "exponential":
        return np.exp(intensity * payoff)
    raise ValueError(f"fitness must be one of {FITNESS_MAPS}, got {mapping!r}")


def _log_fitness(payoff, intensity, mapping):
    if mapping == "exponential":
        return np.asarray(intensity, dtype=float) * payoff
    # A zero fitness (a type that cannot reproduce) becomes the smallest positive float.
    return np.log(np.maximum(fitness_map(payoff, intensity, mapping), np.finfo(float).tiny))


def _two_by_two(M) -> np.ndarray:
    M = square_matrix(M, "M")
    if M.shape[-1] != 2:
        raise ValueError(f"the two-type Moran process needs a 2x2 payoff matrix, got {M.shape}")
    return M


def payoffs(M, N, i) -> tuple[np.ndarray, np.ndarray]:
    """Average payoffs ``(π_A(i), π_B(i))`` with ``i`` A's among ``N``, self excluded
    (Nowak et al., 2004); broadcasts over the leading axes of ``M`` and over ``N``, ``i``."""
    M = np.asarray(M, dtype=float)
    a, b, c, d = M[..., 0, 0], M[..., 0, 1], M[..., 1, 0], M[..., 1, 1]
    N = np.asarray(N, dtype=float)
    i = np.asarray(i, dtype=float)
    return ((a * (i - 1) + b * (N - i)) / (N - 1), (c * i + d * (N - i - 1)) / (N - 1))


def fixation_probability(M, N, intensity=1.0, fitness: str = MORAN_FITNESS, initial=1) -> np.ndarray:
    """Probability that ``initial`` A's (strategy 0) take over a population of ``N`` (closed form
    of Nowak et al., 2004, see the module docstring).

    Broadcasts over the leading axes of ``M`` (``(..., 2, 2)``), ``N`` (integers ≥ 2),
    ``intensity`` and ``initial`` (1 ≤ initial ≤ N). The probability that one B takes over a
    population of A's is ``fixation_probability(M[..., ::-1, ::-1], N, ...)``.
    """
    M = _two_by_two(M)
    N = np.asarray(N)
    initial = np.asarray(initial)
    if np.any(N < 2) or np.any(N != np.round(N)):
        raise ValueError(f"N must be an integer of at least 2, got {N}")
    if np.any(initial < 1) or np.any(initial > N):
        raise ValueError(f"initial must lie in 1..N, got {initial}")
    shape = np.broadcast_shapes(M.shape[:-2], N.shape, np.shape(intensity), initial.shape)
    Nb = np.broadcast_to(N, shape)[..., None].astype(float)
    i0 = np.broadcast_to(initial, shape)[..., None]
    j = np.arange(1, int(N.max()), dtype=float)              # j = 1 .. N_max - 1
    pa, pb = payoffs(M[..., None, :, :], Nb, j)
    w = np.asarray(intensity, dtype=float)[..., None]
    inside = j <= Nb - 1
    pa, pb = (np.where(inside, p, p[..., :1]) for p in (pa, pb))  # j = 1 is always inside
    log_gamma = np.where(inside, _log_fitness(pb, w, fitness) - _log_fitness(pa, w, fitness), 0.0)
    L = np.cumsum(log_gamma, axis=-1)                        # log Π_{m<=j} γ_m
    den = np.logaddexp(0.0, _logsumexp(np.where(inside, L, -np.inf)))
    num = np.logaddexp(0.0, _logsumexp(np.where(j <= i0 - 1, L, -np.inf)))
    return np.where(i0[..., 0] >= Nb[..., 0], 1.0, np.exp(num - den))


def _logsumexp(x):
    top = np.max(x, axis=-1, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    with np.errstate(divide="ignore"):
        return np.log(np.sum(np.exp(x - top), axis=-1)) + top[..., 0]


def transition_probabilities(M, N: int, intensity=1.0, fitness: str = MORAN_FITNESS,
                             mutation: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """``(T⁺, T⁻)`` for states ``i = 0..N`` of the birth–death chain (see module docstring);
    with mutation rate ``μ`` an A offspring becomes B with probability ``μ`` and vice versa."""
    M = _two_by_two(M)
    if M.ndim != 2:
        raise ValueError("transition_probabilities takes one 2x2 matrix")
    i = np.arange(N + 1, dtype=float)
    fa, fb = np.zeros(N + 1), np.zeros(N + 1)
    fa[1:] = fitness_map(payoffs(M, N, i[1:])[0], intensity, fitness)
    fb[:N] = fitness_map(payoffs(M, N, i[:N])[1], intensity, fitness)
    total = i * fa + (N - i) * fb
    birth_a = (i * fa * (1 - mutation) + (N - i) * fb * mutation) / total
    birth_b = ((N - i) * fb * (1 - mutation) + i * fa * mutation) / total
    return birth_a * (N - i) / N, birth_b * i / N


def fixation_times(M, N: int, intensity=1.0, fitness: str = MORAN_FITNESS) -> dict[str, np.ndarray]:
    """Mean numbers of steps, from every state ``i = 0..N`` of the birth–death chain:
    ``absorption`` (until either type fixes), ``fixation_A`` (conditional on A fixing) and
    ``fixation_B`` (conditional on B fixing) — first-step analysis of the chain (Karlin &
    Taylor, 1975; Antal & Scheuring, 2006, Bull. Math. Biol. 68:1923): with ``Q`` the
    transient part and ``h`` the fixation probabilities, ``(I - Q) t = 1`` and
    ``(I - Q)(h t_A) = h``. Also returns ``probability_A`` (``h``)."""
    from scipy.linalg import solve_banded

    up, down = transition_probabilities(M, N, intensity, fitness)
    n = N - 1
    IQ = np.zeros((3, n))               # I - Q is tridiagonal: banded storage, O(N) solves
    IQ[0, 1:] = -up[1:N - 1]
    IQ[1] = up[1:N] + down[1:N]
    IQ[2, :-1] = -down[2:N]
    r = np.zeros(n)
    r[-1] = up[N - 1]
    h, t = solve_banded((1, 1), IQ, np.stack([r, np.ones(n)], 1)).T
    with np.errstate(divide="ignore", invalid="ignore"):   # a type that never fixes: nan
        ta, tb = (solve_banded((1, 1), IQ, np.stack([h, 1.0 - h], 1)) / np.stack(
            [h, 1.0 - h], 1)).T
    pad = lambda x, lo, hi: np.concatenate([[lo], x, [hi]])
    return {"probability_A": pad(h, 0.0, 1.0), "absorption": pad(t, 0.0, 0.0),
            "fixation_A": pad(ta, np.nan, 0.0), "fixation_B": pad(tb, 0.0, np.nan)}


def stationary_distribution(M, N: int, intensity=1.0, fitness: str = MORAN_FITNESS,
                            mutation: float = 0.01) -> np.ndarray:
    """Stationary distribution over ``i = 0..N`` A's with mutation ``μ > 0``, by detailed
    balance of the birth–death chain: ``p_{i+1} / p_i = T⁺_i / T⁻_{i+1}`` (Karlin & Taylor,
    1975; Fudenberg & Imhof, 2006, J. Econ. Theory 131:251 for the small-μ limit)."""
    if not 0 < mutation <= 1:
        raise ValueError(f"mutation must lie in (0, 1], got {mutation}")
    up, down = transition_probabilities(M, N, intensity, fitness, mutation)
    log_p = np.concatenate([[0.0], np.cumsum(np.log(up[:-1]) - np.log(down[1:]))])
    p = np.exp(log_p - log_p.max())
    return p / p.sum()


def one_third_rule(M, N) -> dict[str, np.ndarray]:
    """The one-third rule (Nowak et al., 2004) for a coordination game (``a > c``, ``b < d``).

    Under weak selection A is favoured (``ρ_A > 1/N``) iff
    ``a (N-2) + b (2N-1) > c (N+1) + d (2N-4)``, which for large ``N`` becomes
    ``x* < 1/3`` with ``x* = (d - b)/(a - b - c + d)`` the unstable interior rest point of the
    replicator dynamics. Returns ``coordination``, ``x_star``, ``favoured_finite_n`` and
    ``favoured_large_n`` (broadcasts).
    """
    M = _two_by_two(M)
    a, b, c, d = M[..., 0, 0], M[..., 0, 1], M[..., 1, 0], M[..., 1, 1]
    N = np.asarray(N, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        x_star = (d - b) / (a - b - c + d)
    return {"coordination": (a > c) & (b < d), "x_star": x_star,
            "favoured_finite_n": a * (N - 2) + b * (2 * N - 1) > c * (N + 1) + d * (2 * N - 4),
            "favoured_large_n": x_star < 1.0 / 3.0}


@dataclass(frozen=True)
class MoranTwoTypes(Result):
    """Exact results for a two-type Moran process (see :func:`moran_two_types`)."""

    strategies: tuple[str, str]
    N: int
    intensity: float
    fitness: str
    rho: tuple[float, float]
    times: dict[str, float]
    one_third: dict[str, object]

    def _table(self):
        rows = [[name, float(rho), 1 / self.N] for name, rho in zip(self.strategies, self.rho)]
        return ["mutant", "fixation probability", "neutral 1/N"], rows

    def _caption(self) -> str:
        return (f"Moran process, N = {self.N}, {self.fitness} fitness, "
                f"intensity {self.intensity:g}")

    def to_dict(self) -> dict:
        """JSON-serialisable summary. Keys:

        - ``model``: ``"moran"``; ``N``; ``selection``: ``{"fitness", "intensity"}``;
        - ``strategies``: ``[A, B]``;
        - ``fixation_probability``: ``{A: ρ_A, B: ρ_B, "neutral": 1/N}`` — ``ρ_A`` is the
          probability that one A mutant takes over a population of B's, and vice versa;
        - ``final_shares``: ``{"population": {A: ρ_A, B: 1 - ρ_A}}``, the expected shares once
          one A mutant among B's has fixed or died out;
        - ``fixation_time``: mean steps for one mutant, ``{"A", "B"}`` conditional on its
          fixing, and ``"absorption_A"``, ``"absorption_B"`` unconditional;
        - ``one_third_rule``: ``{"coordination", "x_star", "favoured_finite_n",
          "favoured_large_n"}`` (``x_star`` is ``null`` when undefined).
        """
        a, b = self.strategies
        return {
            "model": "moran", "N": self.N,
            "selection": {"fitness": self.fitness, "intensity": self.intensity},
            "strategies": [a, b],
            "fixation_probability": {a: self.rho[0], b: self.rho[1], "neutral": 1.0 / self.N},
            "final_shares": {"population": {a: self.rho[0], b: 1.0 - self.rho[0]}},
            "fixation_time": dict(self.times),
            "one_third_rule": dict(self.one_third),
        }


def moran_two_types(M, N: int, intensity: float = 1.0, fitness: str = MORAN_FITNESS,
                    strategies: Sequence[str] | None = None) -> MoranTwoTypes:
    """Exact two-type Moran process on the 2x2 payoff matrix ``M`` (A = 0, B = 1) in a
    population of ``N``: both fixation probabilities, mean fixation times and the one-third
    rule (Nowak et al., 2004)."""
    M = _two_by_two(M)
    if M.ndim != 2:
        raise ValueError("moran_two_types takes one 2x2 matrix (use fixation_probability to "
                         "broadcast over many)")
    names = strategy_labels(2, strategies)
    rho_a = float(fixation_probability(M, N, intensity, fitness))
    rho_b = float(fixation_probability(M[::-1, ::-1], N, intensity, fitness))
    ta = fixation_times(M, N, intensity, fitness)
    tb = fixation_times(M[::-1, ::-1], N, intensity, fitness)
    times = {"A": float(ta["fixation_A"][1]), "B": float(tb["fixation_A"][1]),
             "absorption_A": float(ta["absorption"][1]), "absorption_B": float(tb["absorption"][1])}
    rule = one_third_rule(M, N)
    rule = {key: (None if not np.isfinite(v) else float(v)) if key == "x_star" else bool(v)
            for key, v in rule.items()}
    return MoranTwoTypes(names, int(N), float(intensity), fitness, (rho_a, rho_b), times, rule)
