"""The verdict of every draw at once: regime code and the ``blocked by relative gains`` flag,
and the share of draws giving each, with standard errors."""

from __future__ import annotations

import math

import numpy as np

from ..equilibria import COOPERATIVE, REGIMES

#: Draws evaluated per vectorised call (keeps the working arrays in cache).
CHUNK = 1 << 15


def evaluate(scenario, values: dict, chunk: int = CHUNK):
    """``(regime code, blocked)`` of the scenario with ``values`` (dotted key → 1-D array of
    ``n`` draws, or a number) substituted: arrays of shape ``(n,)``.

    Each draw is its own game, so each chunk of draws is one call of :meth:`Scenario.inputs`
    and of :func:`sim.equilibria_kernel.analyse` (the numbers of
    :func:`sim.equilibria.analyse_grid`, compiled game by game); chunking only bounds memory,
    the numbers are those of a single call.
    """
    from ..equilibria_kernel import analyse

    values = {k: np.asarray(v, dtype=float) for k, v in values.items()}
    n = max([v.size for v in values.values() if v.ndim] or [1])
    code = np.empty(n, dtype=np.int8)
    blocked = np.empty(n, dtype=bool)
    for start in range(0, n, chunk):
        part = {k: v[start:start + chunk] if v.ndim else v for k, v in values.items()}
        c, b = analyse(*scenario.inputs(part))
        code[start:start + chunk] = np.broadcast_to(c, code[start:start + chunk].shape)
        blocked[start:start + chunk] = np.broadcast_to(b, blocked[start:start + chunk].shape)
    return code, blocked


def evaluate_unit(scenario, distributions, unit):
    """:func:`evaluate` at points of the unit cube (``unit``: ``(n, d)``, columns in the order
    of ``distributions``) mapped through each key's quantile function: ``(regime code,
    blocked)`` of shape ``(n,)``, block by block (quantiles, games, verdicts) so that each
    block stays in cache."""
    from .sampling import BLOCK, values_at

    unit = np.asarray(unit, dtype=float)
    code = np.empty(len(unit), dtype=np.int8)
    blocked = np.empty(len(unit), dtype=bool)
    for start in range(0, len(unit), BLOCK):
        part = unit[start:start + BLOCK]
        code[start:start + len(part)], blocked[start:start + len(part)] = evaluate(
            scenario, values_at(distributions, part), chunk=len(part))
    return code, blocked


def sample_verdicts(scenario, distributions, n: int, seed: int = 0, replicates: int = 1):
    """``(regime code, blocked)`` of ``n`` scrambled Sobol draws of ``distributions`` (in
    ``replicates`` independent scramblings, :func:`sim.robust.sampling.unit_sample`): arrays of
    shape ``(replicates, ceil(n / replicates))``. The numbers of :func:`evaluate_unit` of the
    whole sample, drawn block by block too (:func:`sim.robust.sampling.unit_blocks`)."""
    from .sampling import unit_blocks

    m = -(-n // replicates)
    code = np.empty((replicates, m), dtype=np.int8)
    blocked = np.empty((replicates, m), dtype=bool)
    for i, start, unit in unit_blocks(n, len(distributions), seed, replicates):
        stop = start + len(unit)
        code[i, start:stop], blocked[i, start:stop] = evaluate_unit(scenario, distributions,
                                                                    unit)
    return code, blocked


def _share(indicator) -> dict:
    """Share of ``True`` in an array ``(replicates, m)``, its binomial standard error
    ``sqrt(p (1 − p) / n)`` and, with several replicates, the randomised-QMC one: the standard
    deviation of the replicate shares over ``sqrt(replicates)`` (Owen 1997)."""
    x = np.asarray(indicator, dtype=float)
    n = x.size
    p = float(x.mean())
    out = {"share": p, "se_binomial": math.sqrt(p * (1 - p) / n)}
    if x.shape[0] > 1:
        per = x.mean(axis=1)
        out["se_qmc"] = float(per.std(ddof=1) / math.sqrt(len(per)))
    else:
        out["se_qmc"] = None
    return out


def shares(code, blocked) -> dict:
    """Shares of draws per regime (those that occur), in the cooperative regimes and blocked by
    relative gains; ``code`` and ``blocked`` of shape ``(replicates, m)``."""
    code = np.atleast_2d(code)
    blocked = np.atleast_2d(blocked)
    regimes = {name: _share(code == i) for i, name in enumerate(REGIMES) if (code == i).any()}
    return {"draws": int(code.size), "replicates": int(code.shape[0]), "regimes": regimes,
            "cooperative": _share(code < len(COOPERATIVE)), "blocked": _share(blocked)}


def shares_at(scenario, values: dict, shape: tuple, draws: int, seed: int = 0):
    """Per point of a block (``values``: dotted key → array broadcasting to ``shape``), the
    share of ``draws`` scrambled Sobol draws of the scenario's other uncertain keys (those not
    in ``values``) that are cooperative, and that are blocked by relative gains: two arrays of
    shape ``shape``. The same draws serve every point (common random numbers), so shares vary
    smoothly across a grid; points are evaluated in blocks of about ``CHUNK`` draws."""
    from .sampling import unit_sample, values_at

    dists = [d for k, d in scenario.uncertainty().items() if k not in values]
    n_points = int(np.prod(shape, dtype=int))
    flat = {k: np.broadcast_to(np.asarray(v, dtype=float), shape).ravel()
            for k, v in values.items()}
    drawn = values_at(dists, unit_sample(draws, len(dists), seed)[0]) if dists else {}
    m = len(next(iter(drawn.values()))) if drawn else 1
    coop = np.empty(n_points)
    blocked = np.empty(n_points)
    step = max(1, CHUNK // m)
    for start in range(0, n_points, step):
        stop = min(n_points, start + step)
        part = {k: np.repeat(v[start:stop], m) for k, v in flat.items()}
        part.update({k: np.tile(v, stop - start) for k, v in drawn.items()})
        code, flag = evaluate(scenario, part)
        code = np.broadcast_to(code, ((stop - start) * m,)).reshape(stop - start, m)
        flag = np.broadcast_to(flag, ((stop - start) * m,)).reshape(stop - start, m)
        coop[start:stop] = (code < len(COOPERATIVE)).mean(axis=1)
        blocked[start:stop] = flag.mean(axis=1)
    return coop.reshape(shape), blocked.reshape(shape)
