"""Emergence measures for sweeps: does cooperation emerge, and who takes over?

All take shares of shape ``(..., k)`` (any leading axes: starts, runs, sweep points) and
broadcast; :func:`cooperation_basin` integrates the replicator dynamics itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np

from ..results import Result
from .moran_simulation import wilson_interval
from .replicator import replicator


def cooperator_share(shares, cooperative) -> np.ndarray:
    """Share of the population playing a strategy flagged ``cooperative`` (boolean, length k)."""
    cooperative = np.asarray(cooperative, dtype=bool)
    return np.asarray(shares, dtype=float) @ cooperative.astype(float)


def cooperation_rate(shares, rates) -> np.ndarray:
    """Fraction of cooperative moves in random encounters: ``x·C x`` with ``C[i, j]`` the
    cooperation rate of strategy ``i`` against ``j`` (e.g. from the exact repeated play)."""
    x = np.asarray(shares, dtype=float)
    return np.einsum("...i,ij,...j->...", x, np.asarray(rates, dtype=float), x)


def takeover(shares, threshold: float = 0.99) -> np.ndarray:
    """Index of the strategy holding at least ``threshold`` of the population, else -1."""
    x = np.asarray(shares, dtype=float)
    top = np.argmax(x, axis=-1)
    return np.where(np.take_along_axis(x, top[..., None], -1)[..., 0] >= threshold, top, -1)


def simplex_grid(k: int, resolution: int) -> np.ndarray:
    """All interior points of the simplex lattice ``{n / resolution : n_i ≥ 1, Σ n_i =
    resolution}`` (stars and bars), shape ``(C(resolution - 1, k - 1), k)``."""
    if resolution < k:
        raise ValueError(f"resolution must be at least k = {k} for interior points")
    bars = np.array(list(combinations(range(1, resolution), k - 1)), dtype=np.int64)
    edges = np.concatenate([np.zeros((len(bars), 1), np.int64), bars,
                            np.full((len(bars), 1), resolution)], axis=1)
    return np.diff(edges, axis=1) / resolution


@dataclass(frozen=True)
class Basin(Result):
    """Fraction of starts whose replicator trajectory ends cooperative, with a 95% Wilson (1927)
    interval (meaningful for random samples; for a grid it is the grid's own fraction)."""

    fraction: float
    ci_low: float
    ci_high: float
    starts: int
    method: str

    def to_dict(self) -> dict:
        """Keys: ``fraction``, ``ci_low``, ``ci_high``, ``starts``, ``method``
        (``"sample"`` or ``"grid"``)."""
        return {"fraction": self.fraction, "ci_low": self.ci_low, "ci_high": self.ci_high,
                "starts": self.starts, "method": self.method}


def cooperation_basin(A, cooperative, *, samples: int = 1000, resolution: int | None = None,
                      threshold: float = 0.99, seed: int = 0, t_max: float | None = None,
                      tol: float = 1e-8) -> Basin:
    """Basin size of the all-cooperative states under the replicator dynamics on ``A``: the
    fraction of starting points whose final cooperator share is at least ``threshold``.

    Starts are ``samples`` uniform points of the simplex (Dirichlet(1, ..., 1), seeded) or, if
    ``resolution`` is given, the interior points of the simplex lattice of that resolution.
    ``t_max`` in the payoffs' time units (default: the replicator's scale-free horizon).
    """
    A = np.asarray(A, dtype=float)
    k = A.shape[-1]
    if resolution is not None:
        starts, method = simplex_grid(k, resolution), "grid"
    else:
        starts = np.random.default_rng(seed).dirichlet(np.ones(k), size=samples)
        method = "sample"
    run = replicator(A, starts, t_max=t_max, tol=tol)
    hits = int((cooperator_share(run.final[0], cooperative) >= threshold).sum())
    low, high = wilson_interval(hits, len(starts))
    return Basin(hits / len(starts), float(low), float(high), len(starts), method)
