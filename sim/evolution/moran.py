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


def _log_fitness(payoff, intensity, mapping, floor: bool = True):
    """``log f``; with ``floor`` a zero fitness (a type that cannot reproduce) becomes the
    smallest positive float, so that sums in log space stay finite (its terms then dominate
    by a factor e^708, exact to machine precision), else ``-inf``."""
    if mapping == "exponential":
        return np.asarray(intensity, dtype=float) * payoff
    f = fitness_map(payoff, intensity, mapping)
    with np.errstate(divide="ignore"):
        return np.log(np.maximum(f, np.finfo(float).tiny) if floor else f)


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


def log_fixation_probability(M, N, intensity=1.0, fitness: str = MORAN_FITNESS, initial=1
                             ) -> np.ndarray:
    """Natural logarithm of :func:`fixation_probability`, accurate where the probability
    itself underflows (below about 1e-308): ``log ρ = log S_{i₀} − log S_N`` with
    ``S_i = Σ_{k=0}^{i-1} Π_{j=1}^{k} γ_j``, every sum taken by logsumexp over the partial sums
    of ``log γ_j`` (Traulsen & Hauert, 2009, Reviews of Nonlinear Dynamics and Complexity II,
    eq. 12). All terms are positive, so there is no cancellation at any selection strength.
    Broadcasts as :func:`fixation_probability`."""
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
    return np.where(i0[..., 0] >= Nb[..., 0], 0.0, np.minimum(num - den, 0.0))


def fixation_probability(M, N, intensity=1.0, fitness: str = MORAN_FITNESS, initial=1
                         ) -> np.ndarray:
    """Probability that ``initial`` A's (strategy 0) take over a population of ``N`` (closed form
    of Nowak et al., 2004, see the module docstring; ``exp`` of
    :func:`log_fixation_probability`).

    Broadcasts over the leading axes of ``M`` (``(..., 2, 2)``), ``N`` (integers ≥ 2),
    ``intensity`` and ``initial`` (1 ≤ initial ≤ N). The probability that one B takes over a
    population of A's is ``fixation_probability(M[..., ::-1, ::-1], N, ...)``.
    """
    return np.exp(log_fixation_probability(M, N, intensity, fitness, initial))


def _logsumexp(x):
    top = np.max(x, axis=-1, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    with np.errstate(divide="ignore"):
        return np.log(np.sum(np.exp(x - top), axis=-1)) + top[..., 0]


def _birth_logits(M, N: int, intensity, fitness) -> np.ndarray:
    """``z_i = log(i f_A) − log((N−i) f_B)`` for ``i = 0..N``: the log-odds that the parent is
    an A (``-inf`` at 0, ``+inf`` at N); from log fitness, so no fitness overflows."""
    M = _two_by_two(M)
    if M.ndim != 2:
        raise ValueError("the birth–death chain takes one 2x2 matrix")
    i = np.arange(N + 1, dtype=float)
    inner = i[1:N]
    pa, pb = payoffs(M, N, inner)
    z = np.empty(N + 1)
    z[0], z[N] = -np.inf, np.inf
    z[1:N] = (np.log(inner) + _log_fitness(pa, intensity, fitness)
              - np.log(N - inner) - _log_fitness(pb, intensity, fitness))
    return z


def transition_probabilities(M, N: int, intensity=1.0, fitness: str = MORAN_FITNESS,
                             mutation: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """``(T⁺, T⁻)`` for states ``i = 0..N`` of the birth–death chain (see module docstring);
    with mutation rate ``μ`` an A offspring becomes B with probability ``μ`` and vice versa.
    The parent's type is drawn from the log-odds of fitness, so any selection strength is
    finite."""
    from scipy.special import expit

    z = _birth_logits(M, N, intensity, fitness)
    a, b = expit(z), expit(-z)              # parent is an A / a B (each without cancellation)
    i = np.arange(N + 1, dtype=float)
    return (a * (1 - mutation) + b * mutation) * (N - i) / N, \
        (b * (1 - mutation) + a * mutation) * i / N


def _log_steps(z, N: int):
    """``(log T⁺_i, log T⁻_i)`` for ``i = 1..N-1`` without mutation, from the birth log-odds."""
    from scipy.special import log_expit

    i = np.arange(1, N, dtype=float)
    inner = z[1:N]
    return (log_expit(inner) + np.log(N - i) - np.log(N),
            log_expit(-inner) + np.log(i) - np.log(N))


def _conditional_times(log_up, log_down):
    """``(log τ_i, log φ_i)`` for ``i = 1..N-1``: the mean steps to fixation at ``N``
    conditional on it, and the fixation probability, from log step probabilities.

    The chain conditioned on fixation (Doob's h-transform, Karlin & Taylor, 1975, §4.7) steps
    up with ``p_i = T⁺_i φ_{i+1}/φ_i`` and down with ``q_i = T⁻_i φ_{i-1}/φ_i`` (``q_1 = 0``).
    The mean time ``s_i`` to first reach ``i+1`` from ``i`` obeys ``s_i = (1 + q_i s_{i-1}) /
    p_i`` and the conditional fixation time is ``τ_i = Σ_{k≥i} s_k`` — Antal & Scheuring's
    (2006, Bull. Math. Biol. 68:1923, eq. 17) double sum, here as sums of positive terms only
    (``log s_i = B_i + logsumexp_{l≤i}(−log p_l − B_l)``, ``B_i = Σ_{2≤m≤i} log(q_m/p_m)``), so
    no cancellation occurs at any selection strength (unlike the closed form written with
    ``1 − φ``, which loses all digits once ``φ`` is below about 1e-16).
    """
    n = log_up.size                                           # N - 1 states
    log_gamma = log_down - log_up
    L = np.concatenate([[0.0], np.cumsum(log_gamma)])         # log Π_{j≤k} γ_j, k = 0..N-1
    log_S = np.logaddexp.accumulate(L)                        # log S_i, i = 1..N
    log_phi = log_S[:n] - log_S[-1]                           # φ_i, i = 1..N-1
    log_p = log_up + log_S[1:] - log_S[:n]
    log_q = np.full(n, -np.inf)
    log_q[1:] = log_down[1:] + log_S[:n - 1] - log_S[1:n]
    B = np.concatenate([[0.0], np.cumsum(log_q[1:] - log_p[1:])])
    log_s = B + np.logaddexp.accumulate(-log_p - B)
    return np.logaddexp.accumulate(log_s[::-1])[::-1], log_phi


def fixation_times(M, N: int, intensity=1.0, fitness: str = MORAN_FITNESS) -> dict[str, np.ndarray]:
    """Mean numbers of steps, from every state ``i = 0..N`` of the birth–death chain:
    ``fixation_A`` (conditional on A fixing), ``fixation_B`` (conditional on B fixing) and
    ``absorption`` (until either fixes, ``φ_i t^A_i + (1 − φ_i) t^B_i``); also the fixation
    probabilities ``probability_A`` (``φ_i``) and ``probability_B`` (``1 − φ_i``, computed on
    its own). Conditional times come from the chain conditioned on the outcome (see
    :func:`_conditional_times`; Antal & Scheuring, 2006; Traulsen & Hauert, 2009), in log
    space: accurate for any selection strength, O(N). A type that cannot fix from ``i``
    (a zero fitness on the way) has conditional time ``nan`` there."""
    z = _birth_logits(M, N, intensity, fitness)
    up, down = _log_steps(z, N)
    log_ta, log_pa = _conditional_times(up, down)
    log_tb, log_pb = (x[::-1] for x in _conditional_times(down[::-1], up[::-1]))  # j = N - i
    # A type with zero fitness somewhere on its way (linear fitness) cannot fix from there.
    dead_a, dead_b = (np.isneginf(_log_fitness(p, intensity, fitness, floor=False))
                      for p in payoffs(_two_by_two(M), N, np.arange(1, N, dtype=float)))
    blocked_a = np.cumsum(dead_a[::-1])[::-1] > 0            # a dead A at or above i
    blocked_b = np.cumsum(dead_b) > 0                        # a dead B at or below i
    log_pa, log_pb = np.where(blocked_a, -np.inf, log_pa), np.where(blocked_b, -np.inf, log_pb)
    log_t = np.logaddexp(np.where(blocked_a, -np.inf, log_pa + log_ta),
                         np.where(blocked_b, -np.inf, log_pb + log_tb))
    with np.errstate(over="ignore"):         # coexistence under strong selection: > 1e308 steps
        pa, pb, absorption, ta, tb = map(np.exp, (log_pa, log_pb, log_t, log_ta, log_tb))
    ta, tb = np.where(blocked_a, np.nan, ta), np.where(blocked_b, np.nan, tb)
    pad = lambda x, lo, hi: np.concatenate([[lo], x, [hi]])
    return {"probability_A": pad(pa, 0.0, 1.0), "probability_B": pad(pb, 1.0, 0.0),
            "absorption": pad(absorption, 0.0, 0.0),
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
