"""Flip points: the parameter values at which an actor's preferred format, or the format the
choice stage produces, changes.

Every format utility is piecewise linear in the threat, the shares and the weights, with pieces
cut where an outcome changes (a regime or an acceptance), so the preferred format is piecewise
constant. One vectorised call on a grid of ``POINTS`` points of the parameter's range brackets
every change (a change between two grid points closer together than a grid step can be
missed). Each bracket is then resolved in closed form where one exists (:func:`candidates`):

* **a utility crossing** — the outcomes are the same across the bracket and the utilities
  affine in the parameter (weights, the threat and shares enter linearly: Snidal 1991's
  ``u = π − r Σ s π``, factors scaled by the threat, allocations by the shares): the flip is the
  root of the affine difference of two formats' utilities, ``x* = a + (b − a) d(a) / (d(a) −
  d(b))``; likewise a stage-game or acceptance change is the root of a member's affine margin
  (``R − P``, ``R − T``, ``S − P`` of its own view). Affinity is checked at the bracket's midpoint.
* **the quota** — a rule ``[q; w]`` changes only where ``q`` passes a coalition's share
  ``Σ_{i∈S} w_i`` (von Neumann & Morgenstern 1944): the flip is one of the ``2^n`` sums.
* **the discount factor** — utilities do not depend on δ; outcomes change where δ passes a
  member's threshold for (C,C) forever (:func:`sim.equilibria.forever_threshold`: Friedman
  1971, Abreu 1988), so the flip is one of them.

Every closed-form candidate is confirmed by the model on both sides of it (``before`` just
below, ``after`` just above). **Bisection** (all brackets in one call per step, to ``1e-12`` of
the range) remains only where no candidate is confirmed: where an outcome of the repeated game
changes with the threat, a weight or a share because a member's SPE threshold crosses δ — the
worst stage-equilibrium payoff in that threshold may be a mixed equilibrium's, a ratio of
affine functions of the parameter — or where the utilities are not affine across the bracket.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..equilibria import TOL
from .formats import FORMATS, analyse
from .power import QUOTA_TOL, coalitions
from .rules import Rule

POINTS = 1025
STEPS = 42
#: Probes on either side of a closed-form flip, as a fraction of the range (beyond the tie
#: tolerance, TOL times the payoff scale, that the codes themselves use).
PROBE = 1e-6
#: A margin is affine across a bracket when its midpoint value is within this (relative) of
#: the mean of its end values.
AFFINE_TOL = 1e-9


def flips(evaluate, lo: float, hi: float, points: int = POINTS, steps: int = STEPS,
          candidates=None):
    """``[(x, before, after, column, method)]``: where ``evaluate(x)`` (codes ``(k, m)`` for
    ``k`` values) changes in column ``m`` between ``lo`` and ``hi``; ``method`` is ``"closed
    form"`` where one of ``candidates(a, b)`` (``(brackets, c)``, ``nan`` for none) is
    confirmed, else ``"bisection"``."""
    x = np.linspace(lo, hi, points)
    codes = np.asarray(evaluate(x)).reshape(len(x), -1)
    i, m = np.nonzero(codes[1:] != codes[:-1])
    a, b = x[i], x[i + 1]
    ca, cb = codes[i, m], codes[i + 1, m]
    value = np.full(len(a), np.nan)
    if candidates is not None and len(a):
        value = _confirmed(evaluate, np.asarray(candidates(a, b), float), a, b, m, ca, cb,
                           PROBE * (hi - lo))
    closed = np.isfinite(value)
    a, b = np.where(closed, value, a), np.where(closed, value, b)
    todo = np.flatnonzero(~closed)
    for _ in range(steps):
        if not len(todo):
            break
        mid = (a[todo] + b[todo]) / 2
        cm = np.asarray(evaluate(mid)).reshape(len(mid), -1)[np.arange(len(mid)), m[todo]]
        same = cm == ca[todo]
        a[todo], b[todo] = np.where(same, mid, a[todo]), np.where(same, b[todo], mid)
    after = cb.copy()
    if len(todo):
        after[todo] = np.asarray(evaluate(b[todo])).reshape(len(todo), -1)[
            np.arange(len(todo)), m[todo]]
    return [(float((p + q) / 2), int(c0), int(c1), int(col),
             "closed form" if c else "bisection")
            for p, q, c0, c1, col, c in zip(a, b, ca, after, m, closed)]


def _confirmed(evaluate, cand, a, b, m, before, after, eps):
    """Per bracket, the smallest candidate in ``[a, b]`` (to ``eps``) with code ``before`` just below it
    (at ``a`` itself for a candidate at ``a``: a tie there) and ``after`` just above it in
    column ``m`` (``nan`` where none), in one call."""
    inside = np.isfinite(cand) & (cand >= a[:, None] - eps) & (cand <= b[:, None] + eps)
    k, j = np.nonzero(inside)
    out = np.full(len(a), np.nan)
    if not len(k):
        return out
    x = np.clip(cand[k, j], a[k], b[k])                # a root rounded just outside the bracket
    left, right = np.maximum(x - eps, a[k]), np.minimum(x + eps, b[k])
    codes = np.asarray(evaluate(np.concatenate([left, right]))).reshape(2 * len(x), -1)
    col = m[k]
    ok = (codes[:len(x)][np.arange(len(x)), col] == before[k]) & \
        (codes[len(x):][np.arange(len(x)), col] == after[k])
    best = np.full(len(a), np.inf)
    np.minimum.at(best, k[ok], x[ok])
    return np.where(np.isfinite(best), best, np.nan)


def analysis_at(scenario, key: str):
    """``at(x)``: the format analysis with ``key`` set to each ``x`` (a flat batch).
    ``blocs.quota`` in a bloc whose rule is not a quota evaluates the bloc under the quota rule
    ``[x; shares]``."""
    from ..scenario.blocs import numbers

    quota_rule = key == "blocs.quota" and scenario.model.blocs.rule != "quota"

    def at(x):
        x = np.asarray(x, dtype=float)
        if quota_rule:
            return analyse(_expand(replace(numbers(scenario), rule=Rule("quota", x)), len(x)))
        return analyse(numbers(scenario, {key: x}))

    return at


def format_evaluator(scenario, key: str, mode: str = "repeated"):
    """``evaluate(x)``: codes ``(k, 1 + actors)`` — the choice stage's format, then each
    actor's preferred format — with ``key`` set to each ``x``."""
    at = analysis_at(scenario, key)

    def evaluate(x):
        x = np.asarray(x, dtype=float)
        return _codes(at(x), mode, x.shape)

    return evaluate


def _codes(res, mode, shape):
    choice = np.broadcast_to(res.choice(mode), shape)
    pref = np.broadcast_to(res.preferred(mode), shape + (len(res.actors),))
    return np.concatenate([choice[:, None], pref], -1)


def candidates(scenario, key: str, mode: str = "repeated"):
    """``candidates(a, b)``: closed-form flip candidates ``(brackets, c)`` in each bracket
    ``[a, b]`` (see the module docstring): roots of the affine utility differences and member
    margins, coalition shares along a quota, members' thresholds along δ."""
    at = analysis_at(scenario, key)

    def find(a, b):
        k = len(a)
        res = at(np.concatenate([a, (a + b) / 2, b]))
        M = _margins(res, mode).reshape(3, k, -1)
        ma, mm, mb = M
        scale = np.maximum(np.maximum(np.abs(ma), np.abs(mb)), 1.0)
        affine = np.abs(mm - (ma + mb) / 2) <= AFFINE_TOL * scale
        change = ma != mb                   # its root, if in the bracket (checked later)
        with np.errstate(divide="ignore", invalid="ignore"):
            root = a[:, None] + (b - a)[:, None] * ma / (ma - mb)
        out = [np.where(affine & change, root, np.nan)]
        if key in ("blocs.quota", "blocs.row.quota"):
            shares = res.nums.shares if key == "blocs.quota" else res.nums.row_shares
            shares = np.broadcast_to(shares, (3 * k,) + np.shape(shares)[-1:])[:k]
            sums = shares @ coalitions(shares.shape[-1]).T.astype(float)
            out.append(sums + QUOTA_TOL)
        if key == "repeated.discount":
            out.append(_thresholds(res, k) - TOL)
        return np.concatenate(out, -1)

    return find


def _margins(res, mode):
    """The affine quantities whose signs decide the codes, ``(points, K)``: every actor's
    utility difference between each pair of formats, and every member's stage margins
    ``R − P``, ``R − T``, ``S − P`` in the bloc game and the bilateral games."""
    u = res.utility[mode]
    k = u.shape[0]
    parts = [u[:, f] - u[:, g] for f, g in ((1, 0), (2, 0), (2, 1))]
    for game, own in ((res.game, 1), (res.bil, 2)):           # own axes: (members), (n, members)
        for side in (game.row, game.column):
            T, R, P, S = side.letters()
            parts += [_per_point(x, own, k) for x in (R - P, R - T, S - P)]
    return np.concatenate([p.reshape(k, -1) for p in parts], -1)


def _per_point(x, own, k):
    """``x`` with ``own`` axes of its own, over the ``k`` points of a flat batch (an input
    that does not vary along the batch has no point axis)."""
    x = np.asarray(x)
    return np.broadcast_to(x, (k,) + x.shape[x.ndim - own:]).reshape(k, -1)


def _thresholds(res, k):
    """Every member's threshold for (C,C) forever, in the bloc and the bilateral games,
    ``(k, c)`` (taken at the first ``k`` of the ``3 k`` points)."""
    parts = []
    for game, own in ((res.game, 1), (res.bil, 2)):
        parts += [_per_point(lo, own, 3 * k)[:k] for lo in game.forever_thresholds()]
    return np.concatenate(parts, -1)


def _expand(nums, k):
    """``nums`` with every array given a leading axis of length ``k`` (for a swept quota)."""
    from ..scenario.blocs import ARRAY_TAILS

    fields = {}
    for name in ARRAY_TAILS:
        v = np.asarray(getattr(nums, name))
        fields[name] = np.broadcast_to(v, (k,) + v.shape)
    return replace(nums, **fields)


def format_flips(scenario, key: str, lo: float, hi: float, mode: str = "repeated",
                 closed_form: bool = True) -> list:
    """Flip points of the choice stage and of each actor's preference along ``key``, as dicts
    ``{"key", "value", "who", "from", "to", "method"}`` (``who`` is ``"choice"`` or an actor;
    ``method`` ``"closed form"`` or ``"bisection"``; ``closed_form=False`` bisects all)."""
    b = scenario.model.blocs
    actors = scenario.players + tuple(b.members) + (tuple(b.row.members) if b.row else ())
    found = flips(format_evaluator(scenario, key, mode), lo, hi,
                  candidates=candidates(scenario, key, mode) if closed_form else None)
    return [{"key": key, "value": x, "who": "choice" if col == 0 else actors[col - 1],
             "from": FORMATS[a], "to": FORMATS[c], "method": method}
            for x, a, c, col, method in found]
