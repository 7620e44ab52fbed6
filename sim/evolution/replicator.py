"""Replicator dynamics in one population (symmetric game) and two populations (asymmetric).

One population (Taylor & Jonker, 1978, Math. Biosci. 40:145–156; Hofbauer & Sigmund, 1998,
*Evolutionary Games and Population Dynamics*, ch. 7), with ``A[i, j]`` the payoff of
strategy ``i`` against ``j``::

    dx_i/dt = x_i ((A x)_i - x·A x)

Two populations (Taylor, 1979, Math. Biosci. 46:205–222; Hofbauer & Sigmund, 1998, §10.1),
row shares ``x`` on row payoffs ``A`` and column shares ``y`` on column payoffs ``B``
(nashpy's convention, ``B[i, j]`` is column's payoff when row plays ``i`` and column ``j``)::

    dx_i/dt = x_i ((A y)_i - x·A y),     dy_j/dt = y_j ((xᵀB)_j - x·B y)

These are exactly the fields of nashpy's ``replicator_dynamics`` and
``asymmetric_replicator_dynamics``. Many starting points (and, for sweeps, one payoff matrix
per start) are integrated as one stacked system by :func:`sim.evolution.ode.integrate`, each
stopping when it converges (``max |dx/dt| < tol``) or at ``t_max``.

Invariances (Hofbauer & Sigmund, 1998, §7.1): adding a constant to a column of ``A`` leaves
the one-population field unchanged; multiplying ``A`` by ``c > 0`` rescales time, so the
state at ``t`` under ``c·A`` is the state at ``c·t`` under ``A``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ._labels import ONE_POPULATION, TWO_POPULATIONS, shares_dict, square_matrix, strategy_labels
from ..results import Result
from .ode import integrate


def simplex_points(x0, k: int, name: str = "x0") -> np.ndarray:
    """Starting shares as an ``(n, k)`` array of points on the simplex (default: barycentre).

    Rows must be non-negative and sum to 1 (within 1e-9; they are then normalised exactly).
    """
    if x0 is None:
        return np.full((1, k), 1.0 / k)
    x = np.array(x0, dtype=float, ndmin=2)
    if x.ndim != 2 or x.shape[1] != k:
        raise ValueError(f"{name} must have shape (k,) or (n, k) with k = {k}, got {np.shape(x0)}")
    if np.any(x < 0) or np.any(np.abs(x.sum(1) - 1) > 1e-9):
        raise ValueError(f"{name} rows must be non-negative shares summing to 1")
    return x / x.sum(1, keepdims=True)


def simplex_projection(sizes: Sequence[int]):
    """Clip round-off negatives (and subnormal shares) to 0 and renormalise each population's
    block of shares."""
    edges = np.cumsum([0, *sizes])

    def project(Z):
        Z = np.where(Z < np.finfo(float).tiny, 0.0, Z)
        for a, b in zip(edges[:-1], edges[1:]):
            Z[:, a:b] /= Z[:, a:b].sum(1, keepdims=True)
        return Z
    return project


def one_population_field(A: np.ndarray):
    """The replicator field for ``A`` of shape ``(k, k)`` or one matrix per row ``(n, k, k)``."""
    if A.ndim == 2:
        def field(X, rows):
            f = X @ A.T
            return X * (f - np.sum(X * f, axis=1, keepdims=True))
    else:
        def field(X, rows):
            f = np.einsum("nij,nj->ni", A[rows], X)
            return X * (f - np.sum(X * f, axis=1, keepdims=True))
    return field


def two_population_field(A: np.ndarray, B: np.ndarray):
    """The two-population field on stacked states ``[x | y]`` (``A``, ``B`` ``(m, n)`` or batched)."""
    m = A.shape[-2]

    def field(Z, rows):
        X, Y = Z[:, :m], Z[:, m:]
        if A.ndim == 2:
            fx, fy = Y @ A.T, X @ B
        else:
            fx = np.einsum("rij,rj->ri", A[rows], Y)
            fy = np.einsum("ri,rij->rj", X, B[rows])
        return np.concatenate([X * (fx - np.sum(X * fx, 1, keepdims=True)),
                               Y * (fy - np.sum(Y * fy, 1, keepdims=True))], axis=1)
    return field


@dataclass(frozen=True)
class ReplicatorResult(Result):
    """Replicator trajectories from a batch of ``n`` starting points.

    ``final[p]`` is the ``(n, k_p)`` array of final shares of population ``p`` (one entry of
    ``populations``); ``time``, ``converged``, ``steps`` are per start; ``times`` and
    ``paths[p]`` (``(n, len(times), k_p)``) are set when output times were requested.
    ``single`` records that one start was given as a 1-d array (``to_dict`` then reports
    floats rather than one list per start).
    """

    populations: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    final: tuple[np.ndarray, ...]
    time: np.ndarray
    converged: np.ndarray
    steps: np.ndarray
    times: np.ndarray | None = None
    paths: tuple[np.ndarray, ...] | None = None
    single: bool = False

    def _table(self):
        rows = [[pop, name, float(x[0, k])]
                for pop, names, x in zip(self.populations, self.strategies, self.final)
                for k, name in enumerate(names)]
        return ["population", "strategy", "final share (first start)"], rows

    def _caption(self) -> str:
        return f"Replicator dynamics from {self.time.size} start(s)"

    def figure(self, population: int = 0):
        """The shares over time from the first start (needs output ``times``)."""
        from ..plots.evolution import plot_shares

        if self.paths is None:
            raise ValueError("no paths recorded: pass times=... to record them")
        return plot_shares(self.times, self.paths[population][0], self.strategies[population],
                           title=f"Replicator dynamics ({self.populations[population]})"
                           ).figure

    def to_dict(self) -> dict:
        """JSON-serialisable summary. Keys:

        - ``model``: ``"replicator"``;
        - ``populations``: population names (``["population"]`` or ``["row", "column"]``);
        - ``strategies``: ``{population: [strategy names]}``;
        - ``starts``: number of starting points;
        - ``final_shares``: ``{population: {strategy: share}}`` — a float for a single start,
          else a list with one share per start;
        - ``converged``, ``time``, ``steps``: per start (a single value for a single start).
        """
        pick = (lambda a: a[0].item()) if self.single else (lambda a: a.tolist())
        return {
            "model": "replicator",
            "populations": list(self.populations),
            "strategies": {p: list(s) for p, s in zip(self.populations, self.strategies)},
            "starts": int(self.time.size),
            "final_shares": {p: shares_dict(s, x[0] if self.single else x)
                             for p, s, x in zip(self.populations, self.strategies, self.final)},
            "converged": pick(self.converged),
            "time": pick(self.time),
            "steps": pick(self.steps),
        }


def _batch(matrices: Sequence[np.ndarray], starts: Sequence[np.ndarray]) -> int:
    n = {x.shape[0] for x in starts} | {M.shape[0] for M in matrices if M.ndim == 3}
    n.discard(1)
    if len(n) > 1:
        raise ValueError(f"batch sizes of payoff matrices and starts differ: {sorted(n)}")
    return n.pop() if n else 1


def replicator(A, x0=None, *, t_max: float = 1000.0, times=None, tol: float = 1e-10,
               rtol: float = 1e-8, atol: float = 1e-10,
               strategies: Sequence[str] | None = None) -> ReplicatorResult:
    """One-population replicator dynamics (Taylor & Jonker, 1978) from one or many starts.

    ``A`` is ``(k, k)`` or one matrix per start ``(n, k, k)``; ``x0`` is ``(k,)`` or
    ``(n, k)`` (default: the barycentre). Integration tolerances ``rtol``, ``atol``; a start
    stops once ``max |dx/dt| < tol`` or at ``t_max`` (or at ``times[-1]`` if ``times`` given).
    """
    A = square_matrix(A, "A")
    k = A.shape[-1]
    names = strategy_labels(k, strategies)
    X0 = simplex_points(x0, k)
    n = _batch([A], [X0])
    X0 = np.broadcast_to(X0, (n, k))
    run = integrate(one_population_field(A), X0, project=simplex_projection([k]), t_max=t_max, times=times, tol=tol,
                    rtol=rtol, atol=atol)
    single = A.ndim == 2 and (x0 is None or np.ndim(x0) == 1)
    return ReplicatorResult(ONE_POPULATION, (names,), (run.y,), run.t, run.converged,
                            run.steps, run.times,
                            None if run.path is None else (run.path,), single)


def replicator_two_populations(A, B, x0=None, y0=None, *, t_max: float = 1000.0, times=None,
                               tol: float = 1e-10, rtol: float = 1e-8, atol: float = 1e-10,
                               row_strategies: Sequence[str] | None = None,
                               column_strategies: Sequence[str] | None = None
                               ) -> ReplicatorResult:
    """Two-population (asymmetric) replicator dynamics (Taylor, 1979) from one or many starts.

    ``A``, ``B`` are ``(m, n)`` (or batched ``(r, m, n)``): row's and column's payoffs when
    row plays ``i`` and column ``j``. ``x0`` ``(m,)``/``(r, m)`` row shares, ``y0``
    ``(n,)``/``(r, n)`` column shares (defaults: barycentres). Other arguments as in
    :func:`replicator`.
    """
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    if A.ndim < 2 or A.shape != B.shape or not (np.all(np.isfinite(A)) and np.all(np.isfinite(B))):
        raise ValueError(f"A and B must be finite payoff matrices of equal shape, got "
                         f"{A.shape} and {B.shape}")
    m, k = A.shape[-2:]
    rows = strategy_labels(m, row_strategies, "row_strategies")
    cols = strategy_labels(k, column_strategies, "column_strategies")
    X0, Y0 = simplex_points(x0, m, "x0"), simplex_points(y0, k, "y0")
    n = _batch([A, B], [X0, Y0])
    Z0 = np.concatenate([np.broadcast_to(X0, (n, m)), np.broadcast_to(Y0, (n, k))], axis=1)
    run = integrate(two_population_field(A, B), Z0, project=simplex_projection([m, k]),
                    t_max=t_max, times=times, tol=tol,
                    rtol=rtol, atol=atol)
    single = A.ndim == 2 and all(z is None or np.ndim(z) == 1 for z in (x0, y0))
    paths = None if run.path is None else (run.path[..., :m], run.path[..., m:])
    return ReplicatorResult(TWO_POPULATIONS, (rows, cols), (run.y[:, :m], run.y[:, m:]), run.t,
                            run.converged, run.steps, run.times, paths, single)
