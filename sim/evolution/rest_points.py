"""Rest points of the replicator dynamics and their linear stability.

A point with support ``S`` is a rest point of the one-population dynamics iff every strategy in
``S`` earns the mean payoff: ``(A x)_i = x·A x`` for ``i`` in ``S`` (Hofbauer & Sigmund, 1998,
§7.2). For each support this is the linear system ``A_SS x_S = φ 1, 1·x_S = 1``; all supports
of one size are solved as one stacked system. In two populations a rest point needs supports of
equal size (generically) with ``(A y)_i`` constant on ``S_x`` and ``(xᵀB)_j`` constant on ``S_y``.

Stability is read from the eigenvalues of the Jacobian restricted to the tangent space of the
simplex (or of the product of simplices): *stable* if all real parts are negative
(asymptotically stable, Hofbauer & Sigmund, 1998, §7.4), *unstable* if one is positive,
*non-hyperbolic* otherwise (linearisation decides nothing: centres, lines of rest points).
The restricted Jacobian includes the transversal eigenvalues ``(A x)_i - x·A x`` of absent
strategies, so a stable boundary point is also stable against invasion.

A support whose system is singular yet consistent with a strictly positive solution carries a
*continuum* of rest points (e.g. a mix of AllC and TFT, who earn the same against each other);
such supports are listed in ``continua`` and not as isolated points.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from typing import Sequence

import numpy as np

from ..results import Result
from ._labels import ONE_POPULATION, TWO_POPULATIONS, shares_dict, square_matrix, strategy_labels

#: Largest number of supports (or support pairs) enumerated.
MAX_SUPPORTS = 200_000


@dataclass(frozen=True)
class RestPoint(Result):
    """One rest point: ``shares`` per population, its Jacobian ``eigenvalues`` on the tangent
    space, ``stability`` (``"stable"``, ``"unstable"``, ``"non-hyperbolic"``) and whether it
    is a Nash equilibrium (``nash``: no absent strategy earns more than the mean)."""

    shares: tuple[np.ndarray, ...]
    eigenvalues: np.ndarray
    stability: str
    nash: bool


@dataclass(frozen=True)
class RestPoints(Result):
    """All isolated rest points (``points``) and the supports carrying continua (``continua``:
    one tuple of strategy-index tuples per population)."""

    populations: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    points: list[RestPoint]
    continua: list[tuple[tuple[int, ...], ...]] = field(default_factory=list)

    def stable(self) -> list[RestPoint]:
        return [p for p in self.points if p.stability == "stable"]

    def _table(self):
        rows = [[", ".join(f"{n} {v:.3g}" for names, x in zip(self.strategies, pt.shares)
                           for n, v in zip(names, x)), pt.stability, pt.nash]
                for pt in self.points]
        return ["shares", "stability", "Nash"], rows

    def _caption(self) -> str:
        return f"Rest points of the replicator dynamics ({len(self.points)})"

    def to_dict(self) -> dict:
        """JSON-serialisable summary. Keys: ``model`` (``"rest_points"``), ``populations``,
        ``strategies`` (``{population: [names]}``), ``points`` (list of ``{"shares":
        {population: {strategy: share}}, "stability", "nash", "eigenvalues_real",
        "eigenvalues_imag"}``) and ``continua`` (list of ``{population: [strategy names]}``)."""
        pops, strats = self.populations, self.strategies
        return {
            "model": "rest_points",
            "populations": list(pops),
            "strategies": {p: list(s) for p, s in zip(pops, strats)},
            "points": [{"shares": {p: shares_dict(s, x) for p, s, x in zip(pops, strats, pt.shares)},
                        "stability": pt.stability, "nash": pt.nash,
                        "eigenvalues_real": pt.eigenvalues.real.tolist(),
                        "eigenvalues_imag": pt.eigenvalues.imag.tolist()}
                       for pt in self.points],
            "continua": [{p: [s[i] for i in sup] for p, s, sup in zip(pops, strats, c)}
                         for c in self.continua],
        }


def tangent_basis(k: int) -> np.ndarray:
    """Orthonormal ``(k, k-1)`` basis of ``{v : sum(v) = 0}``, the simplex's tangent space."""
    q, _ = np.linalg.qr(np.column_stack([np.ones(k), np.eye(k)[:, :k - 1]]))
    return q[:, 1:]


def _diag(v):
    return v[..., :, None] * np.eye(v.shape[-1])


def _times(M, v):
    """``M v`` over trailing axes, broadcasting stacks of ``M`` and ``v``."""
    return (M @ v[..., None])[..., 0]


def jacobian(A, x) -> np.ndarray:
    """Jacobian of ``x_i((A x)_i - x·A x)`` at ``x`` (Hofbauer & Sigmund, 1998, §7.4);
    broadcasts over stacks of ``A`` (``(..., k, k)``) and ``x`` (``(..., k)``)."""
    A, x = np.asarray(A, float), np.asarray(x, float)
    f = _times(A, x)
    phi = np.sum(x * f, axis=-1, keepdims=True)
    return _diag(f - phi) + x[..., :, None] * (A - (_times(np.swapaxes(A, -1, -2), x) + f)[..., None, :])


def jacobian_two_populations(A, B, x, y) -> np.ndarray:
    """Jacobian of the two-population field at ``(x, y)`` (Hofbauer & Sigmund, 1998, §10.1);
    broadcasts over stacks as :func:`jacobian`."""
    A, B, x, y = (np.asarray(v, float) for v in (A, B, x, y))
    BT = np.swapaxes(B, -1, -2)
    fx, fy = _times(A, y), _times(BT, x)
    px = np.sum(x * fx, axis=-1, keepdims=True)
    py = np.sum(y * fy, axis=-1, keepdims=True)
    xa, by = _times(np.swapaxes(A, -1, -2), x), _times(B, y)
    top = np.concatenate([_diag(fx - px) - x[..., :, None] * fx[..., None, :],
                          x[..., :, None] * (A - xa[..., None, :])], axis=-1)
    bottom = np.concatenate([y[..., :, None] * (BT - by[..., None, :]),
                             _diag(fy - py) - y[..., :, None] * fy[..., None, :]], axis=-1)
    return np.concatenate([top, bottom], axis=-2)


def tangent_basis_two(m: int, n: int) -> np.ndarray:
    """Orthonormal basis of the tangent space of the product of two simplices (``m + n`` by
    ``m + n - 2``)."""
    V = np.zeros((m + n, m + n - 2))
    V[:m, :m - 1], V[m:, m - 1:] = tangent_basis(m), tangent_basis(n)
    return V


def classify(eigenvalues: np.ndarray, tol: float) -> str:
    """``stable`` / ``unstable`` / ``non-hyperbolic`` from the largest real part."""
    top = eigenvalues.real.max() if eigenvalues.size else -np.inf
    return "stable" if top < -tol else "unstable" if top > tol else "non-hyperbolic"


def _supports(k: int, size: int) -> np.ndarray:
    return np.array(list(combinations(range(k), size)), dtype=np.int64).reshape(-1, size)


def _equalising(M: np.ndarray, rows: np.ndarray, cols: np.ndarray, tol: float):
    """Solve ``M[rows, cols] z = u 1, 1·z = 1`` for a stack of supports (same sizes).

    Returns ``(z, regular, continuum)``: the solutions ``z`` (over ``cols``), whether each
    system is regular, and whether a singular one is consistent with a positive solution.
    """
    n, s = rows.shape[0], cols.shape[1]
    K = np.zeros((n, s + 1, s + 1))
    K[:, :s, :s] = M[rows[:, :, None], cols[:, None, :]]
    K[:, :s, s] = -1.0
    K[:, s, :s] = 1.0
    rhs = np.zeros(s + 1)
    rhs[s] = 1.0
    sv = np.linalg.svd(K, compute_uv=False)
    regular = sv[:, -1] > tol * np.maximum(sv[:, 0], 1.0)
    z = np.zeros((n, s))
    if regular.any():
        z[regular] = np.linalg.solve(K[regular], np.broadcast_to(rhs, (regular.sum(), s + 1))[..., None])[:, :s, 0]
    continuum = np.zeros(n, bool)
    for i in np.flatnonzero(~regular):
        sol = np.linalg.lstsq(K[i], rhs, rcond=None)[0]
        continuum[i] = (np.abs(K[i] @ sol - rhs).max() < 1e-9 and sol[:s].min() > tol)
        z[i] = sol[:s]
    return z, regular, continuum


def _check_count(count: int):
    if count > MAX_SUPPORTS:
        raise ValueError(f"{count} supports to enumerate (limit {MAX_SUPPORTS}): too many "
                         "strategies for exhaustive rest-point search")


def rest_points(A, *, strategies: Sequence[str] | None = None, tol: float = 1e-9
                ) -> RestPoints:
    """All isolated rest points of the one-population replicator dynamics on ``A`` (k x k),
    classified by the eigenvalues of the tangent-space Jacobian (see the module docstring)."""
    A = square_matrix(A, "A")
    if A.ndim != 2:
        raise ValueError("rest_points takes one payoff matrix (k x k)")
    k = A.shape[0]
    names = strategy_labels(k, strategies)
    _check_count(2 ** k - 1)
    V = tangent_basis(k)
    points, continua = [], []
    for size in range(1, k + 1):
        sup = _supports(k, size)
        x_s, regular, continuum = _equalising(A, sup, sup, tol)
        continua += [((*map(int, sup[i]),),) for i in np.flatnonzero(continuum)]
        for i in np.flatnonzero(regular & (x_s.min(1) > tol)):
            x = np.zeros(k)
            x[sup[i]] = x_s[i]
            f = A @ x
            eig = np.linalg.eigvals(V.T @ jacobian(A, x) @ V)
            points.append(RestPoint((x,), eig, classify(eig, tol ** 0.5),
                                    bool(np.all(f <= x @ f + tol ** 0.5))))
    return RestPoints(ONE_POPULATION, (names,), points, continua)


def rest_points_two_populations(A, B, *, row_strategies: Sequence[str] | None = None,
                                column_strategies: Sequence[str] | None = None,
                                tol: float = 1e-9) -> RestPoints:
    """All isolated rest points of the two-population replicator dynamics on ``(A, B)``
    (supports of equal size), classified as in :func:`rest_points`."""
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    if A.ndim != 2 or A.shape != B.shape:
        raise ValueError(f"A and B must be payoff matrices of equal shape, got {A.shape}, {B.shape}")
    m, n = A.shape
    rows = strategy_labels(m, row_strategies, "row_strategies")
    cols = strategy_labels(n, column_strategies, "column_strategies")
    sizes = range(1, min(m, n) + 1)
    _check_count(sum(len(_supports(m, s)) * len(_supports(n, s)) for s in sizes))
    V = tangent_basis_two(m, n)
    points, continua = [], []
    for size in sizes:
        sx, sy = _supports(m, size), _supports(n, size)
        px = np.repeat(sx, len(sy), axis=0)
        py = np.tile(sy, (len(sx), 1))
        y_s, reg_y, cont_y = _equalising(A, px, py, tol)      # row indifferent on S_x
        x_s, reg_x, cont_x = _equalising(B.T, py, px, tol)    # column indifferent on S_y
        ok_y = (reg_y & (y_s.min(1) > tol)) | cont_y
        ok_x = (reg_x & (x_s.min(1) > tol)) | cont_x
        continua += [(tuple(map(int, px[i])), tuple(map(int, py[i])))
                     for i in np.flatnonzero((cont_x | cont_y) & ok_x & ok_y)]
        for i in np.flatnonzero(reg_x & reg_y & (x_s.min(1) > tol) & (y_s.min(1) > tol)):
            x, y = np.zeros(m), np.zeros(n)
            x[px[i]], y[py[i]] = x_s[i], y_s[i]
            eig = np.linalg.eigvals(V.T @ jacobian_two_populations(A, B, x, y) @ V)
            fx, fy = A @ y, x @ B
            nash = bool(np.all(fx <= x @ fx + tol ** 0.5) and np.all(fy <= fy @ y + tol ** 0.5))
            points.append(RestPoint((x, y), eig, classify(eig, tol ** 0.5), nash))
    return RestPoints(TWO_POPULATIONS, (rows, cols), points, continua)
