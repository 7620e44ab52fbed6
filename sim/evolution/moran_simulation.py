"""The Moran process with any number of types, simulated (many runs in one numba kernel).

The process is the one of :mod:`.moran` (birth–death; payoffs without self-interaction,
``π_s = (Σ_t M[s, t] n_t - M[s, s]) / (N - 1)``; fitness ``1 - w + w π`` or ``exp(β π)``)
with ``k`` types: a parent is drawn with probability proportional to ``n_s f_s``, its offspring
mutates with probability ``μ`` into one of the other ``k - 1`` types chosen uniformly (axelrod's
"transition" mutation), and replaces an individual drawn uniformly among all ``N``. With
``w = 1`` (linear) this is the axelrod library's ``MoranProcess`` on the complete graph, except
that axelrod replays every match each step while we use the payoff matrix — identical for
deterministic strategies without noise (a type that cannot reproduce has fitness 0 in both).

Runs only track the counts of each type, so a step costs O(k). Fixation probabilities are
reported with Wilson score intervals (Wilson, 1927, JASA 22:209), mean fixation times with
normal intervals.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist
from typing import Sequence

import numpy as np

from ..defaults import MORAN_FITNESS, MORAN_MAX_STEPS
from ..results import Result
from ._labels import ONE_POPULATION, population, shares_dict
from .moran import FITNESS_MAPS, fitness_map
from .streams import run_keys


def wilson_interval(successes, trials, z: float = 1.959963984540054):
    """Wilson (1927) score interval for a binomial proportion (broadcasts); 95% by default."""
    successes = np.asarray(successes, dtype=float)
    trials = np.asarray(trials, dtype=float)
    p = successes / np.maximum(trials, 1)
    centre = (p + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z / (1 + z * z / trials) * np.sqrt(p * (1 - p) / trials + z * z / (4 * trials ** 2))
    return np.clip(centre - half, 0.0, 1.0), np.clip(centre + half, 0.0, 1.0)


@dataclass(frozen=True)
class MoranSimulation(Result):
    """Results of :func:`moran_simulation`: per run ``winner`` (type index, -1 if not fixed),
    ``steps`` and ``final`` counts; ``history`` the mean counts after ``record_times`` steps."""

    strategies: tuple[str, ...]
    N: int
    initial: np.ndarray
    intensity: float
    fitness: str
    mutation: float
    seed: int
    winner: np.ndarray
    steps: np.ndarray
    final: np.ndarray
    record_times: np.ndarray
    history: np.ndarray

    @property
    def runs(self) -> int:
        return int(self.winner.size)

    def fixation_probabilities(self, confidence: float = 0.95
                               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(estimate, low, high)`` per type: fraction of runs the type fixed, Wilson CI."""
        wins = (self.winner[:, None] == np.arange(len(self.strategies))).sum(0)
        z = NormalDist().inv_cdf(0.5 + confidence / 2)
        low, high = wilson_interval(wins, self.runs, z)
        return wins / self.runs, low, high

    def fixation_time(self) -> tuple[float, float, float]:
        """Mean steps to fixation over the runs that fixed, with a 95% normal interval."""
        t = self.steps[self.winner >= 0].astype(float)
        if t.size == 0:
            return float("nan"), float("nan"), float("nan")
        half = 1.96 * t.std(ddof=1) / np.sqrt(t.size) if t.size > 1 else float("nan")
        return float(t.mean()), float(t.mean() - half), float(t.mean() + half)

    def _table(self):
        est, low, high = self.fixation_probabilities()
        return (["strategy", "fixation probability", "95% low", "95% high"],
                [[s, float(e), float(lo), float(hi)]
                 for s, e, lo, hi in zip(self.strategies, est, low, high)])

    def _caption(self) -> str:
        return f"Moran process, N = {self.N}, {self.runs} runs (simulated)"

    def figure(self):
        """Mean shares over time (needs ``record_every``)."""
        from ..plots.evolution import plot_shares

        if not self.record_times.size:
            raise ValueError("no history recorded: pass record_every=... to record it")
        return plot_shares(self.record_times / self.N, self.history / self.N, self.strategies,
                           title=f"Moran process, mean of {self.runs} runs (N = {self.N})",
                           xlabel="generations (N Moran steps each)").figure

    def to_dict(self) -> dict:
        """JSON-serialisable summary. Keys:

        - ``model``: ``"moran_simulation"``; ``N``; ``runs``; ``seed``; ``mutation``;
          ``selection``: ``{"fitness", "intensity"}``; ``strategies``;
        - ``initial_counts``: ``{strategy: count}``;
        - ``final_shares``: ``{"population": {strategy: mean final share over runs}}``;
        - ``fixation_probability``: ``{strategy: {"estimate", "ci_low", "ci_high"}}``
          (fraction of runs the strategy took over, 95% Wilson interval);
        - ``fixation_time``: ``{"mean", "ci_low", "ci_high"}`` in steps, over fixed runs;
        - ``unfixed_runs``: runs still mixed after ``max_steps`` (all of them with mutation).
        """
        est, low, high = self.fixation_probabilities()
        mean, tl, th = self.fixation_time()
        nan_none = lambda v: None if not np.isfinite(v) else float(v)
        return {
            "model": "moran_simulation", "N": self.N, "runs": self.runs, "seed": self.seed,
            "mutation": self.mutation,
            "selection": {"fitness": self.fitness, "intensity": self.intensity},
            "strategies": list(self.strategies),
            "initial_counts": {s: int(c) for s, c in zip(self.strategies, self.initial)},
            "final_shares": {ONE_POPULATION[0]: shares_dict(self.strategies,
                                                            self.final.mean(0) / self.N)},
            "fixation_probability": {s: {"estimate": float(e), "ci_low": float(lo),
                                         "ci_high": float(hi)}
                                     for s, e, lo, hi in zip(self.strategies, est, low, high)},
            "fixation_time": {"mean": nan_none(mean), "ci_low": nan_none(tl),
                              "ci_high": nan_none(th)},
            "unfixed_runs": int((self.winner < 0).sum()),
        }


def moran_simulation(M, counts, *, runs: int = 1000, intensity: float = 1.0,
                     fitness: str = MORAN_FITNESS, mutation: float = 0.0,
                     max_steps: int = MORAN_MAX_STEPS,
                     record_every: int = 0, seed: int = 0,
                     strategies: Sequence[str] | None = None) -> MoranSimulation:
    """Simulate ``runs`` Moran processes on the ``k x k`` payoff matrix ``M`` from the type
    ``counts`` (length ``k``, summing to ``N``), each until one type fixes (no mutation) or
    for ``max_steps`` steps. ``record_every > 0`` records the mean counts every so many steps
    (up to ``max_steps``). Same ``seed`` → identical results; run ``r`` is the same for any
    number of runs."""
    M, names, counts, N = population(M, counts, strategies, "moran_simulation")
    k = M.shape[0]
    if N < 2:
        raise ValueError(f"the population needs at least 2 individuals, got N = {N}")
    if fitness not in FITNESS_MAPS:
        raise ValueError(f"fitness must be one of {FITNESS_MAPS}, got {fitness!r}")
    fitness_map(M.min(), intensity, fitness)     # payoffs are averages of entries of M
    if not 0.0 <= mutation <= 1.0:
        raise ValueError(f"mutation must lie in [0, 1], got {mutation}")
    if mutation > 0 and k < 2:
        raise ValueError("mutation needs at least two types")
    if runs < 1 or max_steps < 0 or record_every < 0:
        raise ValueError("runs must be positive, max_steps and record_every non-negative")
    from .kernels import EXPONENTIAL, LINEAR, moran_runs

    n_records = max_steps // record_every + 1 if record_every else 0
    winner, steps, final, history = moran_runs(
        M, counts, run_keys(seed, runs), LINEAR if fitness == "linear" else EXPONENTIAL,
        float(intensity), float(mutation), int(max_steps), max(int(record_every), 1), n_records)
    return MoranSimulation(names, N, counts, float(intensity), fitness, float(mutation), seed,
                           winner, steps, final,
                           np.arange(n_records) * record_every, history / runs)


#: Pilot runs of :func:`run_length` where the chain is too large to solve, and the most steps
#: they take together (about a second).
PILOT_RUNS = 16
PILOT_STEPS = 16 * 10 ** 6


def run_length(M, counts, *, intensity: float = 1.0, fitness: str = MORAN_FITNESS,
               mutation: float = 0.0, max_steps: int = MORAN_MAX_STEPS, seed: int = 0) -> float:
    """Mean number of steps a run of :func:`moran_simulation` takes, before running it, on
    the high side. With mutation no type fixes for good, so every run takes ``max_steps``.
    Without, it is the exact mean absorption time of the chain (:func:`.moran_chain.absorption`)
    where the chain is small, capped at ``max_steps``; else the mean over :data:`PILOT_RUNS`
    pilot runs (the first runs of ``seed``) of at most :data:`PILOT_STEPS` steps in all, a run
    still mixed at its cap counting ``max_steps``. A coexistence game (Chicken) keeps runs
    mixed for a time exponential in ``N``, far beyond ``N²``."""
    from .moran_chain import absorption, solvable

    M, _, counts, N = population(M, counts, None, "run_length")
    if mutation > 0:
        return float(max_steps)
    if solvable(N, M.shape[0]):
        return min(float(max_steps), absorption(M, counts, intensity, fitness).steps)
    cap = min(max_steps, PILOT_STEPS // PILOT_RUNS)
    pilot = moran_simulation(M, counts, runs=PILOT_RUNS, intensity=intensity, fitness=fitness,
                             max_steps=cap, seed=seed)
    return float(np.where(pilot.winner >= 0, pilot.steps, max_steps).mean())
