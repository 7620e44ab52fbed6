"""Batched adaptive Runge–Kutta integration of many starting points at once.

One explicit Dormand–Prince 5(4) scheme (Dormand & Prince, 1980, J. Comput. Appl. Math.
6:19–26; step-size control as in Hairer, Nørsett & Wanner, 1993, *Solving Ordinary
Differential Equations I*, §II.4) runs on a stacked state of shape ``(n, d)``: every row is
its own initial-value problem with its own time, step size and error control, and all rows
advance together in one numpy operation per stage. A row stops when it reaches its ``t_max``
or when it is at a stable rest (by default: its velocity falls below ``tol``; a caller may
supply its own test, as the replicator dynamics do to reject saddles), and leaves the active set.
The Runge–Kutta stages are combined term by term, not by a matrix product over the whole
batch, so with a field that computes each row on its own (as the batched replicator fields
do) a row's result does not depend on the other rows in the batch, to the last bit: a sweep
gives the same numbers however its points are chunked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from ..results import Result

# Dormand & Prince (1980) tableau: stage matrix a (its last row is the 5th-order weights b,
# first same as last) and the difference e = b - b* to the embedded 4th-order weights.
_A = [np.array(row) for row in [
    [],
    [1 / 5],
    [3 / 40, 9 / 40],
    [44 / 45, -56 / 15, 32 / 9],
    [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
    [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
    [35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84],
]]
_E = np.array([71 / 57600, 0.0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40])

def _combine(weights, K) -> np.ndarray:
    """``Σ_j weights[j] K[j]`` elementwise, term by term in a fixed order: each row's result
    is independent of the other rows of the batch (a matrix product over the batch may block
    rows together and round differently)."""
    out = None
    for w, k in zip(weights, K):
        if w:                                   # the tableaux have zeros: skip them
            out = w * k if out is None else out + w * k
    return out


#: A vector field on a stacked state: ``field(Y, rows)`` returns dY/dt for the rows ``rows``
#: (indices into the original batch, so that per-row parameters can be gathered).
Field = Callable[[np.ndarray, np.ndarray], np.ndarray]


#: A rest test on the active rows: ``settled(Y, K, rows)`` returns ``(still, stable)``, boolean
#: per row: ``still`` the state is (numerically) at rest, ``stable`` it is a rest point that
#: passed the caller's stability test (only rows both still and stable stop early).
Settled = Callable[[np.ndarray, np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class Integration(Result):
    """Outcome of :func:`integrate`, one entry per row of the batch.

    ``y`` final states ``(n, d)``; ``t`` final times; ``converged`` whether the row stopped at
    a stable rest (see ``settled``) before ``t_max``; ``steps`` accepted steps; ``path`` the
    states at the requested output ``times`` (``(n, len(times), d)``, ``None`` if no times
    were asked for; a row that converged before an output time holds its final state there);
    ``resting`` whether the row ended still but not stable (at a rest point that failed the
    stability test); ``visits`` how many times a row came to such an unstable rest and moved
    on; ``changes`` how many times ``label`` of the row's state changed (``label`` given).
    """

    y: np.ndarray
    t: np.ndarray
    converged: np.ndarray
    steps: np.ndarray
    times: np.ndarray | None
    path: np.ndarray | None
    resting: np.ndarray | None = None
    visits: np.ndarray | None = None
    changes: np.ndarray | None = None


def integrate(field: Field, y0, *, project: Callable[[np.ndarray], np.ndarray] | None = None,
              t_max=1000.0, times=None, tol: float = 1e-10,
              rtol: float = 1e-8, atol: float = 1e-10, max_iterations: int = 1_000_000,
              settled: Settled | None = None,
              label: Callable[[np.ndarray], np.ndarray] | None = None) -> Integration:
    """Integrate ``dy/dt = field(y)`` from every row of ``y0`` (shape ``(n, d)``) at once.

    Each row takes Dormand–Prince 5(4) steps with its own step size, accepted when the RMS of
    the scaled error estimate is at most 1 (scale ``atol + rtol * max(|y|, |y_new|)``), and
    steps exactly onto each output time in ``times`` (sorted, within ``[0, t_max]``; shape
    ``(m,)``, or ``(n, m)`` for output times of each row). ``t_max`` is one horizon or one per
    row. A row stops when it is at a stable rest — by default when ``max |dy/dt| < tol``
    (``tol = 0`` disables this), or as ``settled`` decides — or when it reaches ``t_max``.
    ``project`` maps accepted states back onto an invariant set (for the simplex: clip round-off
    negatives to 0 and renormalise), so round-off cannot leave it and grow there. ``label``
    maps states ``(r, d)`` to integer labels ``(r, p)`` whose changes are counted per row.
    """
    y0 = np.array(y0, dtype=float, ndmin=2)
    n, d = y0.shape
    horizon = np.broadcast_to(np.asarray(t_max, dtype=float), (n,)).copy()
    if times is not None:
        times = np.asarray(times, dtype=float)
        grid = np.broadcast_to(times, (n, times.shape[-1]))
        if times.ndim not in (1, 2) or np.any(np.diff(grid, axis=1) < 0) or np.any(grid[:, 0] < 0):
            raise ValueError("times must be sorted non-negative output times, one array or one "
                             "per row")
        horizon = grid[:, -1].copy()
        m = grid.shape[1]
        path = np.empty((n, m, d))
    else:
        grid, path, m = None, None, 0
    if settled is None:
        def settled(Y, K, rows):
            still = (np.max(np.abs(K), axis=1) < tol) if tol > 0 else np.zeros(len(rows), bool)
            return still, still
    out_y, out_t = y0.copy(), np.zeros(n)
    out_conv, out_steps = np.zeros(n, bool), np.zeros(n, np.int64)
    out_rest, out_visits, out_changes = np.zeros(n, bool), np.zeros(n, np.int64), np.zeros(n, np.int64)

    rows = np.arange(n)
    Y, T = y0.copy(), np.zeros(n)
    K1 = field(Y, rows)
    nxt = np.zeros(n, np.int64)  # index of the next output time per row
    if grid is not None:
        at0 = grid == 0.0
        path[at0] = np.repeat(Y[:, None, :], m, axis=1)[at0]
        nxt[:] = at0.sum(1)
    steps = np.zeros(n, np.int64)
    visits, changes = np.zeros(n, np.int64), np.zeros(n, np.int64)
    was_still = np.zeros(n, bool)
    labels = label(Y) if label is not None else None
    # Initial step: Hairer et al. (1993) heuristic h = 0.01 * ||y|| / ||f||.
    finite = np.isfinite(Y)                   # absent strategies in log shares: -inf
    scale = atol + rtol * np.abs(np.where(finite, Y, 0.0))
    d0 = np.sqrt(np.mean(np.where(finite, Y / scale, 0.0) ** 2, axis=1))
    d1 = np.sqrt(np.mean(np.where(finite, K1 / scale, 0.0) ** 2, axis=1))
    H = np.where((d0 > 1e-5) & (d1 > 1e-5), 0.01 * d0 / np.maximum(d1, 1e-300), 1e-6)
    H = np.minimum(H, np.maximum(horizon, 1e-12))

    for _ in range(max_iterations):
        still, stable = settled(Y, K1, rows)
        stop = still & stable
        visits += still & ~stable & ~was_still
        was_still = still
        done = stop | (T >= horizon[rows])
        if done.any():
            idx = rows[done]
            out_y[idx], out_t[idx], out_steps[idx] = Y[done], T[done], steps[done]
            out_conv[idx] = stop[done]
            out_rest[idx] = still[done] & ~stable[done]
            out_visits[idx], out_changes[idx] = visits[done], changes[done]
            if path is not None:
                fill = np.arange(m)[None, :] >= nxt[done][:, None]
                path[idx] = np.where(fill[..., None], Y[done][:, None, :], path[idx])
            keep = ~done
            rows, Y, T, K1, H, nxt, steps, visits, changes, was_still = (
                a[keep] for a in (rows, Y, T, K1, H, nxt, steps, visits, changes, was_still))
            if labels is not None:
                labels = labels[keep]
        if rows.size == 0:
            break
        target = grid[rows, np.minimum(nxt, m - 1)] if path is not None else horizon[rows]
        h = np.minimum(H, target - T)[:, None]
        K = np.empty((7,) + Y.shape)
        K[0] = K1
        for s in range(1, 7):
            Ys = Y + h * _combine(_A[s], K)
            K[s] = field(Ys, rows)
        Ynew = Ys  # stage 7 is evaluated at the 5th-order solution (FSAL)
        err = h * _combine(_E, K)
        with np.errstate(invalid="ignore"):       # inf - inf of absent (log-share -inf) entries
            scale = atol + rtol * np.maximum(np.abs(Y), np.abs(Ynew))
            en = np.sqrt(np.mean(np.where(np.isfinite(scale), err / scale, 0.0) ** 2, axis=1))
        ok = en <= 1.0
        factor = np.clip(0.9 * np.maximum(en, 1e-10) ** -0.2, 0.2, 10.0)
        H = np.where(ok, h[:, 0] * factor, h[:, 0] * np.minimum(factor, 1.0))
        if project is not None:
            Ynew = project(Ynew)  # a round-off move: the FSAL stage K[6] is kept
        Y = np.where(ok[:, None], Ynew, Y)
        K1 = np.where(ok[:, None], K[6], K1)
        T = np.where(ok, T + h[:, 0], T)
        steps += ok
        if labels is not None:
            new = label(Y)
            changes += np.any(new != labels, axis=1)
            labels = new
        if path is not None:
            hit = ok & (np.abs(T - target) <= 1e-12 * np.maximum(1.0, np.abs(target)))
            T = np.where(hit, target, T)
            if hit.any():
                path[rows[hit], nxt[hit]] = Y[hit]
                nxt = nxt + hit
                # Several equal output times are all reached by the same step.
                while True:
                    more = hit & (nxt < m)
                    more &= grid[rows, np.minimum(nxt, m - 1)] <= T
                    if not more.any():
                        break
                    path[rows[more], nxt[more]] = Y[more]
                    nxt = nxt + more
        H = np.maximum(H, 1e-14 * np.maximum(1.0, T))
    else:
        raise RuntimeError(f"integration did not finish within {max_iterations} iterations")
    return Integration(out_y, out_t, out_conv, out_steps, times, path, out_rest, out_visits,
                       out_changes)
