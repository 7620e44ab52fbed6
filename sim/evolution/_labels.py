"""Strategy labels and payoff-matrix checks shared by the evolution modules."""

from __future__ import annotations

from typing import Sequence

import numpy as np

#: Population names: one population (symmetric game) or row and column (asymmetric game).
ONE_POPULATION = ("population",)
TWO_POPULATIONS = ("row", "column")


def strategy_labels(k: int, strategies: Sequence[str] | None, what: str = "strategies"
                    ) -> tuple[str, ...]:
    """``strategies`` as a tuple of ``k`` distinct names, or ``s0 .. s{k-1}`` if not given."""
    if strategies is None:
        return tuple(f"s{i}" for i in range(k))
    names = tuple(str(s) for s in strategies)
    if len(names) != k or len(set(names)) != k:
        raise ValueError(f"{what} must be {k} distinct names, got {list(names)}")
    return names


def square_matrix(M, name: str = "M") -> np.ndarray:
    """``M`` as a float array of shape ``(..., k, k)`` with finite entries."""
    M = np.asarray(M, dtype=float)
    if M.ndim < 2 or M.shape[-1] != M.shape[-2]:
        raise ValueError(f"{name} must be a square payoff matrix (k x k), got shape {M.shape}")
    if not np.all(np.isfinite(M)):
        raise ValueError(f"{name} must have finite entries")
    return M


def population(M, counts, strategies, what: str):
    """Check one payoff matrix and a population's strategy counts, for the finite-population
    models: returns ``(M, names, counts as int64, N)``."""
    M = square_matrix(M, "M")
    if M.ndim != 2:
        raise ValueError(f"{what} takes one k x k payoff matrix")
    k = M.shape[0]
    names = strategy_labels(k, strategies)
    counts = np.asarray(counts)
    if counts.shape != (k,) or np.any(counts < 0) or np.any(counts != np.round(counts)):
        raise ValueError(f"counts must be {k} non-negative integers, got {counts.tolist()}")
    counts = counts.astype(np.int64)
    return np.ascontiguousarray(M), names, counts, int(counts.sum())   # as the kernels want


def shares_dict(names: Sequence[str], x) -> dict[str, object]:
    """``{name: share}``; ``x`` is ``(k,)`` (floats) or ``(n, k)`` (one list per name)."""
    x = np.asarray(x, dtype=float)
    return {s: (float(x[i]) if x.ndim == 1 else x[:, i].tolist()) for i, s in enumerate(names)}
