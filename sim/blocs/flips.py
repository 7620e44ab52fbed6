"""Flip points: the parameter values at which an actor's preferred format, or the format the
choice stage produces, changes.

Every format utility is piecewise linear in the threat, the shares, the weights and the
quota, with pieces cut where a regime or an acceptance changes, so the preferred format is
piecewise constant. The flips are found on the vectorised model itself: one call on a grid of
the parameter's range brackets every change, and each bracket is then halved (bisection, all
brackets in one call per step) to ``1e-12`` of the range — exact to printing precision. A
change between two grid points closer together than a grid step can be missed; the grid has
``POINTS`` points.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .formats import FORMATS, analyse
from .rules import Rule

POINTS = 1025
STEPS = 42


def flips(evaluate, lo: float, hi: float, points: int = POINTS, steps: int = STEPS):
    """``[(x, before, after, column)]``: where ``evaluate(x)`` (codes ``(k, m)`` for ``k``
    values) changes in column ``m`` between ``lo`` and ``hi``."""
    x = np.linspace(lo, hi, points)
    codes = np.asarray(evaluate(x))
    codes = codes.reshape(len(x), -1)
    i, m = np.nonzero(codes[1:] != codes[:-1])
    a, b = x[i], x[i + 1]
    ca = codes[i, m]
    for _ in range(steps):
        if not len(a):
            break
        mid = (a + b) / 2
        cm = np.asarray(evaluate(mid)).reshape(len(mid), -1)[np.arange(len(mid)), m]
        same = cm == ca
        a, b = np.where(same, mid, a), np.where(same, b, mid)
    after = np.asarray(evaluate(b)).reshape(len(b), -1)[np.arange(len(b)), m] if len(b) else []
    return [(float((p + q) / 2), int(c0), int(c1), int(col))
            for p, q, c0, c1, col in zip(a, b, ca, after, m)]


def format_evaluator(scenario, key: str, mode: str = "repeated"):
    """``evaluate(x)``: codes ``(k, 1 + actors)`` — the choice stage's format, then each
    actor's preferred format — with ``key`` set to each ``x``. ``blocs.quota`` in a bloc
    whose rule is not a quota evaluates the bloc under the quota rule ``[x; shares]``."""
    from ..scenario.blocs import numbers

    quota_rule = key == "blocs.quota" and scenario.model.blocs.rule != "quota"

    def evaluate(x):
        x = np.asarray(x, dtype=float)
        if quota_rule:
            nums = _expand(replace(numbers(scenario), rule=Rule("quota", x)), len(x))
        else:
            nums = numbers(scenario, {key: x})
        res = analyse(nums)
        choice = np.broadcast_to(res.choice(mode), x.shape)
        pref = np.broadcast_to(res.preferred(mode), x.shape + (len(res.actors),))
        return np.concatenate([choice[:, None], pref], -1)

    return evaluate


def _expand(nums, k):
    """``nums`` with every array given a leading axis of length ``k`` (for a swept quota)."""
    from ..scenario.blocs import ARRAY_TAILS

    fields = {}
    for name in ARRAY_TAILS:
        v = np.asarray(getattr(nums, name))
        fields[name] = np.broadcast_to(v, (k,) + v.shape)
    return replace(nums, **fields)


def format_flips(scenario, key: str, lo: float, hi: float, mode: str = "repeated") -> list:
    """Flip points of the choice stage and of each actor's preference along ``key``, as dicts
    ``{"key", "value", "who", "from", "to"}`` (``who`` is ``"choice"`` or an actor)."""
    b = scenario.model.blocs
    actors = scenario.players + tuple(b.members) + (tuple(b.row.members) if b.row else ())
    out = []
    for x, a, b, col in flips(format_evaluator(scenario, key, mode), lo, hi):
        out.append({"key": key, "value": x, "who": "choice" if col == 0 else actors[col - 1],
                    "from": FORMATS[a], "to": FORMATS[b]})
    return out
