"""Generational play in the style of "The Evolution of Trust" (Case, 2017, ncase.me/trust).

Each generation the whole population plays a round robin: an individual of strategy ``s``
scores ``Σ_t M[s, t] n_t - M[s, s]`` (its payoff summed over every *other* individual; ``M``
is the payoff of one match). Individuals are ranked by score; the ``replace`` lowest are
removed and the ``replace`` highest are copied (one copy each), so the population size stays
``N``. Both cuts are taken from the same ranking of the generation.

Only the ranking matters, so the result is invariant under positive affine maps of ``M``
(``c M + d``, ``c > 0``): the payoff scale does not act as a selection intensity here, and
scores are measured in units of the payoff range ``max M - min M`` (after subtracting
``min M``) before ties are decided.

Tie-break (seeded, documented): individuals with equal scores (equal after rounding scores, in
units of the payoff range, to 9 decimals) are ordered by a uniform random key per individual and generation, drawn from the
run's counter-based stream (see :mod:`.streams`) — a seeded shuffle followed by a stable sort
by score. So when strategies tie at a cut, how many of each are removed or copied is random
(hypergeometric), not decided by the order in which strategies are listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..results import Result
from ._labels import ONE_POPULATION, population, shares_dict
from .streams import run_keys


@dataclass(frozen=True)
class GenerationalResult(Result):
    """``counts[r, g, s]``: individuals of strategy ``s`` in generation ``g`` of run ``r``."""

    strategies: tuple[str, ...]
    replace: int
    seed: int
    counts: np.ndarray

    @property
    def shares(self) -> np.ndarray:
        """Shares per run and generation, ``(runs, generations + 1, k)``."""
        return self.counts / self.counts[0, 0].sum()

    def _table(self):
        last = self.shares[:, -1].mean(0)
        return ["strategy", "mean final share"], [[s, float(x)]
                                                  for s, x in zip(self.strategies, last)]

    def _caption(self) -> str:
        return f"Generational play, {self.counts.shape[0]} run(s)"

    def figure(self):
        """Mean shares per generation over the runs."""
        from ..plots.evolution import plot_shares

        return plot_shares(np.arange(self.counts.shape[1]), self.shares.mean(0),
                           self.strategies, xlabel="generation",
                           title=f"Generational play (mean of {self.counts.shape[0]} runs)"
                           ).figure

    def to_dict(self) -> dict:
        """JSON-serialisable summary. Keys: ``model`` (``"generational"``), ``strategies``,
        ``N``, ``replace``, ``generations``, ``runs``, ``seed``, ``initial_counts``
        (``{strategy: count}``), ``final_shares`` (``{"population": {strategy: mean share in
        the last generation over runs}}``), ``final_counts`` (``{strategy: [count per run]}``)
        and ``takeover`` (per run, the strategy that holds the whole population at the end,
        or ``null``)."""
        last = self.counts[:, -1]
        N = int(self.counts[0, 0].sum())
        return {
            "model": "generational", "strategies": list(self.strategies), "N": N,
            "replace": self.replace, "generations": self.counts.shape[1] - 1,
            "runs": self.counts.shape[0], "seed": self.seed,
            "initial_counts": {s: int(c) for s, c in zip(self.strategies, self.counts[0, 0])},
            "final_shares": {ONE_POPULATION[0]: shares_dict(self.strategies, last.mean(0) / N)},
            "final_counts": {s: last[:, i].tolist() for i, s in enumerate(self.strategies)},
            "takeover": [self.strategies[int(np.argmax(c))] if c.max() == N else None
                         for c in last],
        }


def generational(M, counts, *, replace: int = 5, generations: int = 50, runs: int = 1,
                 seed: int = 0, strategies: Sequence[str] | None = None) -> GenerationalResult:
    """Play ``generations`` generations (Case, 2017) from the strategy ``counts`` on the
    payoff matrix ``M`` (``M[s, t]``: one match's payoff to ``s`` against ``t``), replacing the
    ``replace`` worst by copies of the ``replace`` best each generation; ``runs`` independent
    runs differ only in their tie-breaks."""
    M, names, counts, N = population(M, counts, strategies, "generational")
    if not 0 < replace < N:
        raise ValueError(f"replace must lie in 1..N-1 = 1..{N - 1}, got {replace}")
    if generations < 0 or runs < 1:
        raise ValueError("generations must be non-negative and runs positive")
    from .kernels import generational_runs

    spread = M.max() - M.min()
    unit = (M - M.min()) / spread if spread > 0 else np.zeros_like(M)   # scale-free ties
    history = generational_runs(unit, counts, run_keys(seed, runs), int(replace),
                                int(generations))
    return GenerationalResult(names, int(replace), seed, history)
