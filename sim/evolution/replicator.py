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
per start) are integrated as one stacked system by :func:`sim.evolution.ode.integrate`.

Invariances (Hofbauer & Sigmund, 1998, §7.1): adding a constant to a column of ``A`` leaves
the one-population field unchanged (in two populations: a column of ``A``, a row of ``B``);
multiplying the payoffs by ``c > 0`` rescales time, so the state at ``t`` under ``c·A`` is
the state at ``c·t`` under ``A``. So the integration runs on **normalised payoffs**: divided
by the *payoff scale* :func:`payoff_scale`, the largest difference between two strategies'
payoffs against one and the same opponent strategy (over both populations: one common factor,
since different factors per population would change the paths, not only the clock). Time is
reported in the original units (``t = τ / scale`` for normalised time ``τ``); the default
horizon, the stopping tolerance and every rate tolerance are in normalised units, so neither
the result nor the number of steps depends on the payoff scale.

**Log shares.** The state integrated is ``u_i = log x_i`` per population, with
``du_i/dt = (A y)_i − x·A y`` (Hofbauer & Sigmund, 1998, §7.1; the shares are ``softmax(u)``).
Error control on ``u`` is control of each share's *relative* error, so a rare invader
(share 1e-12) is followed as accurately as a common strategy and invades on time; absent
strategies (share 0, ``u = −∞``) stay absent, so every face of the simplex is invariant.

**Stopping.** A start stops as ``converged`` only at a rest point checked for stability:
its velocity ``max |dx/dτ|`` is below ``tol``, *no strategy can invade* (every strategy's
payoff is at most the population's mean payoff plus ``RATE_TOL``: equal payoffs, neutral
entry, count as no invasion) and the Jacobian on the tangent space of the simplex has no
eigenvalue with real part above ``RATE_TOL`` (Hofbauer & Sigmund, 1998, §7.4; at a boundary
point its eigenvalues are those within the support's face and the invasion rates of the
absent strategies). A start that comes to rest at a point failing the test (a saddle such
as a vertex of a heteroclinic rock–paper–scissors cycle, Zeeman 1980) is integrated on. At the
horizon a start that did not converge is a ``cycle`` if its leading strategy kept changing
(at least as many changes as strategies) or it passed by unstable rest points more than once,
an ``unstable rest`` if it sits at a rest point that fails the test (an invader that is
absent, share 0, cannot invade), and a ``drift`` otherwise (still moving slowly).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ._labels import ONE_POPULATION, TWO_POPULATIONS, shares_dict, square_matrix, strategy_labels
from ..results import Result
from .ode import integrate
from .rest_points import jacobian, jacobian_two_populations, tangent_basis, tangent_basis_two


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


#: Default integration horizon, in normalised time units (payoffs divided by their scale).
HORIZON = 1000.0
#: Rates per normalised time unit (invasion rates, real parts of Jacobian eigenvalues) up to
#: this count as zero: an instability that slow would not show within the horizon.
RATE_TOL = 1e-6
#: Final status of a start (see the module docstring).
STATUSES = ("converged", "cycle", "unstable rest", "drift")


def payoff_scale(A, B=None) -> np.ndarray:
    """The payoff scale of a (batch of) game(s): the largest difference between two
    strategies' payoffs against one and the same opponent strategy — over the strategies of
    ``A`` (``A[..., i, j]``, own strategy ``i``) and, for two populations, of ``B`` (column's
    own strategy ``j``). Invariant under adding constants per opponent strategy (which leave
    the dynamics unchanged), proportional to a positive rescaling; 1 for a game in which no
    strategy ever earns more than another (every point is a rest point)."""
    A = np.asarray(A, dtype=float)
    spread = np.max(np.ptp(A, axis=-2), axis=-1)
    if B is not None:
        spread = np.maximum(spread, np.max(np.ptp(np.asarray(B, dtype=float), axis=-1), axis=-1))
    return np.where(spread > 0, spread, 1.0)


def _softmax(U, sizes):
    """Shares from log shares, per population block."""
    out = np.empty_like(U)
    for a, b in _blocks(sizes):
        e = np.exp(U[:, a:b] - np.max(U[:, a:b], axis=1, keepdims=True))
        e /= e.sum(1, keepdims=True)
        out[:, a:b] = e
    return out


def _blocks(sizes):
    edges = [0]
    for size in sizes:
        edges.append(edges[-1] + int(size))
    return list(zip(edges[:-1], edges[1:]))


def simplex_projection(sizes: Sequence[int]):
    """Renormalise each population's block of log shares (``u ← u − log Σ e^u``), removing the
    round-off drift of ``Σ x = 1``; absent strategies (``−∞``) stay absent."""
    def project(U):
        for a, b in _blocks(sizes):
            top = np.max(U[:, a:b], axis=1, keepdims=True)
            U[:, a:b] -= top + np.log(np.exp(U[:, a:b] - top).sum(1, keepdims=True))
        return U
    return project


def _gather(M, rows):
    return M if M.ndim == 2 else M[rows]


def one_population_field(A: np.ndarray):
    """The replicator field for ``A`` of shape ``(k, k)`` or one matrix per row ``(n, k, k)``."""
    def field(X, rows):
        f = _payoff(A, X, rows)
        return X * (f - np.sum(X * f, axis=1, keepdims=True))
    return field


def two_population_field(A: np.ndarray, B: np.ndarray):
    """The two-population field on stacked states ``[x | y]`` (``A``, ``B`` ``(m, n)`` or batched)."""
    m = A.shape[-2]

    def field(Z, rows):
        X, Y = Z[:, :m], Z[:, m:]
        fx, fy = _payoffs_two(A, B, X, Y, rows)
        return np.concatenate([X * (fx - np.sum(X * fx, 1, keepdims=True)),
                               Y * (fy - np.sum(Y * fy, 1, keepdims=True))], axis=1)
    return field


def _payoff(A, X, rows):
    """``A x`` per row: ``(r, k)``."""
    return X @ A.T if A.ndim == 2 else np.einsum("nij,nj->ni", A[rows], X)


def _payoffs_two(A, B, X, Y, rows):
    """``(A y, xᵀB)`` per row."""
    if A.ndim == 2:
        return Y @ A.T, X @ B
    return np.einsum("rij,rj->ri", A[rows], Y), np.einsum("ri,rij->rj", X, B[rows])


class _LogShareDynamics:
    """The replicator dynamics in log shares on normalised payoffs, with the stability-checked
    rest test (see the module docstring); ``gains(X, rows)`` returns ``payoff − mean payoff``
    per strategy (stacked over populations) and ``jacobian(X, rows)`` the tangent-space
    Jacobian of the share dynamics."""

    def __init__(self, sizes, gains, jacobian, tol):
        self.sizes, self.gains, self.jacobian, self.tol = sizes, gains, jacobian, tol

    def field(self, U, rows):
        return self.gains(_softmax(U, self.sizes), rows)

    def settled(self, U, G, rows):
        X = _softmax(U, self.sizes)
        still = np.max(np.abs(X * G), axis=1) < self.tol if self.tol > 0 else \
            np.zeros(len(rows), bool)
        stable = np.zeros(len(rows), bool)
        check = np.flatnonzero(still & (G.max(axis=1) <= RATE_TOL))    # nobody invades
        if check.size:
            eig = np.linalg.eigvals(self.jacobian(X[check], rows[check]))
            stable[check] = eig.real.max(axis=1) <= RATE_TOL
        return still, stable

    def label(self, U):
        return np.stack([np.argmax(U[:, a:b], axis=1) for a, b in _blocks(self.sizes)], axis=1)


def _run(dynamics, X0, scale, sizes, t_max, times, tol, rtol, atol):
    """Integrate from shares ``X0`` on normalised payoffs; times in and out in original units."""
    with np.errstate(divide="ignore"):
        U0 = np.log(X0)
    horizon = HORIZON / scale if t_max is None else t_max
    run = integrate(dynamics.field, U0, project=simplex_projection(sizes),
                    t_max=np.asarray(horizon) * scale,
                    times=None if times is None else np.multiply.outer(scale, times),
                    tol=tol, rtol=rtol, atol=atol, settled=dynamics.settled,
                    label=dynamics.label)
    status = np.select([run.converged, (run.changes >= sum(sizes)) | (run.visits >= 2),
                        run.resting], STATUSES[:3], STATUSES[3])
    final = _softmax(run.y, sizes)
    path = None if run.path is None else _softmax(
        run.path.reshape(-1, run.path.shape[-1]), sizes).reshape(run.path.shape)
    return final, run.t / scale, run.converged, run.steps, path, status


@dataclass(frozen=True)
class ReplicatorResult(Result):
    """Replicator trajectories from a batch of ``n`` starting points.

    ``final[p]`` is the ``(n, k_p)`` array of final shares of population ``p`` (one entry of
    ``populations``); ``time``, ``converged``, ``steps`` are per start; ``times`` and
    ``paths[p]`` (``(n, len(times), k_p)``) are set when output times were requested.
    ``single`` records that one start was given as a 1-d array (``to_dict`` then reports
    floats rather than one list per start). ``status`` per start is one of ``STATUSES``
    (see the module docstring); ``payoff_scale`` per start is the factor the payoffs were
    divided by (one normalised time unit is ``1 / payoff_scale`` of the original units).
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
    status: np.ndarray | None = None
    payoff_scale: np.ndarray | None = None

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
        - ``converged``, ``status``, ``time`` (in the payoffs' time units), ``steps`` and
          ``payoff_scale``: per start (a single value for a single start).
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
            "status": pick(self.status),
            "time": pick(self.time),
            "steps": pick(self.steps),
            "payoff_scale": pick(self.payoff_scale),
        }


def _batch(matrices: Sequence[np.ndarray], starts: Sequence[np.ndarray]) -> int:
    n = {x.shape[0] for x in starts} | {M.shape[0] for M in matrices if M.ndim == 3}
    n.discard(1)
    if len(n) > 1:
        raise ValueError(f"batch sizes of payoff matrices and starts differ: {sorted(n)}")
    return n.pop() if n else 1


def replicator(A, x0=None, *, t_max: float | None = None, times=None, tol: float = 1e-10,
               rtol: float = 1e-8, atol: float = 1e-10,
               strategies: Sequence[str] | None = None) -> ReplicatorResult:
    """One-population replicator dynamics (Taylor & Jonker, 1978) from one or many starts.

    ``A`` is ``(k, k)`` or one matrix per start ``(n, k, k)``; ``x0`` is ``(k,)`` or
    ``(n, k)`` (default: the barycentre). ``t_max`` and ``times`` are in the payoffs' own
    time units (default horizon: ``HORIZON`` normalised units, ``HORIZON / payoff_scale(A)``);
    a start stops at a stable rest point (velocity ``max |dx/dτ| < tol`` in normalised time,
    no invader, Jacobian test; see the module docstring) or at the horizon (or at
    ``times[-1]``). ``rtol``, ``atol``: error control on the log shares.
    """
    A = square_matrix(A, "A")
    k = A.shape[-1]
    names = strategy_labels(k, strategies)
    X0 = simplex_points(x0, k)
    n = _batch([A], [X0])
    X0 = np.broadcast_to(X0, (n, k))
    scale = np.broadcast_to(payoff_scale(A), (n,))
    An = A / (scale[:, None, None] if A.ndim == 3 else scale[0])
    V = tangent_basis(k)

    def gains(X, rows):
        f = _payoff(An, X, rows)
        return f - np.sum(X * f, axis=1, keepdims=True)

    def tangent_jacobian(X, rows):
        return V.T @ jacobian(_gather(An, rows), X) @ V

    final, time, converged, steps, path, status = _run(
        _LogShareDynamics([k], gains, tangent_jacobian, tol), X0, scale, [k], t_max, times,
        tol, rtol, atol)
    single = A.ndim == 2 and (x0 is None or np.ndim(x0) == 1)
    return ReplicatorResult(ONE_POPULATION, (names,), (final,), time, converged, steps,
                            None if times is None else np.asarray(times, float),
                            None if path is None else (path,), single, status, scale)


def replicator_two_populations(A, B, x0=None, y0=None, *, t_max: float | None = None,
                               times=None, tol: float = 1e-10, rtol: float = 1e-8,
                               atol: float = 1e-10,
                               row_strategies: Sequence[str] | None = None,
                               column_strategies: Sequence[str] | None = None
                               ) -> ReplicatorResult:
    """Two-population (asymmetric) replicator dynamics (Taylor, 1979) from one or many starts.

    ``A``, ``B`` are ``(m, n)`` (or batched ``(r, m, n)``): row's and column's payoffs when
    row plays ``i`` and column ``j``. ``x0`` ``(m,)``/``(r, m)`` row shares, ``y0``
    ``(n,)``/``(r, n)`` column shares (defaults: barycentres). Other arguments as in
    :func:`replicator`; the payoff scale is common to both populations.
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
    scale = np.broadcast_to(payoff_scale(A, B), (n,))
    unit = scale[:, None, None] if A.ndim == 3 else scale[0]
    An, Bn = A / unit, B / unit
    V = tangent_basis_two(m, k)

    def gains(Z, r):
        X, Y = Z[:, :m], Z[:, m:]
        fx, fy = _payoffs_two(An, Bn, X, Y, r)
        return np.concatenate([fx - np.sum(X * fx, 1, keepdims=True),
                               fy - np.sum(Y * fy, 1, keepdims=True)], axis=1)

    def tangent_jacobian(Z, r):
        J = jacobian_two_populations(_gather(An, r), _gather(Bn, r), Z[:, :m], Z[:, m:])
        return V.T @ J @ V

    final, time, converged, steps, path, status = _run(
        _LogShareDynamics([m, k], gains, tangent_jacobian, tol), Z0, scale, [m, k], t_max,
        times, tol, rtol, atol)
    single = A.ndim == 2 and all(z is None or np.ndim(z) == 1 for z in (x0, y0))
    paths = None if path is None else (path[..., :m], path[..., m:])
    return ReplicatorResult(TWO_POPULATIONS, (rows, cols), (final[:, :m], final[:, m:]), time,
                            converged, steps, None if times is None else np.asarray(times, float),
                            paths, single, status, scale)
