"""One-at-a-time break-even values: how far one key must move, the others held at their
values, before the verdict (the regime, or the ``blocked by relative gains`` flag) changes.

Every condition behind a regime is a linear inequality in each factor value, parameter, weight
and δ (Snidal 1991's ``u_i = π_i − r_i π_j`` is linear in ``π`` and ``r``; the repeated-game
conditions are ``a + b·δ >= 0``), so along one key the verdict is piecewise constant with
finitely many break points. They are found on the vectorised model itself — a grid scan
outward from the scenario's value on each side, then bisection of the first bracket where the
verdict changes, all keys and both sides in one call per step — so the result follows
:func:`sim.equilibria.regime` whatever its criterion, to the last bit of the bracket.
"""

from __future__ import annotations

import numpy as np

from ..equilibria import REGIMES
from ..scenario.uncertainty import domain
from .verdicts import evaluate

#: Widths of the key's range searched on each side of its value (within what the key allows).
REACH = 10.0
#: Grid points per side of the scan; bisection steps on each bracket.
GRID, STEPS = 512, 64


def _search_end(scenario, dist, side):
    lo, hi = dist.bounds
    d_lo, d_hi, _ = domain(dist.key, scenario.model.preferences.grieco_k is not None)
    if dist.key == "repeated.discount":
        d_hi = float(np.nextafter(1.0, 0.0))
    v0 = scenario.value(dist.key)
    reach = REACH * (hi - lo)
    return max(d_lo, v0 - reach) if side < 0 else min(d_hi, v0 + reach)


def _evaluate_rows(scenario, keys, nominal, row_key, row_value):
    """Verdicts of points where key ``keys[row_key[i]]`` is ``row_value[i]`` and every other
    key keeps its value (one vectorised call)."""
    values = {}
    for j, key in enumerate(keys):
        values[key] = np.where(row_key == j, row_value, nominal[j])
    return evaluate(scenario, values)


def break_even(scenario, distributions: dict | None = None) -> list[dict]:
    """For each key with a range: the nearest values below and above its own at which the
    regime changes and at which the blocked flag changes.

    Returns one dict per key: ``key``, ``value``, ``range``, and for ``"regime"`` and
    ``"blocked"`` a dict per side (``"below"``, ``"above"``) with ``value`` (the first value
    with the other verdict), ``inside`` (the last with the scenario's verdict; the two are a
    bisection bracket, adjacent floating-point numbers unless the verdict jumps at a tie),
    ``distance`` (``value`` minus the key's value), ``in_range`` (whether it lies in the
    key's range) and ``to`` (the verdict beyond); ``None`` where the verdict holds over the
    whole search (``REACH`` range widths, within what the key allows).
    """
    dists = list((scenario.uncertainty() if distributions is None else distributions).values())
    if not dists:
        return []
    keys = [d.key for d in dists]
    v0 = np.array([scenario.value(k) for k in keys])
    code0, blocked0 = (x[0] for x in evaluate(scenario, {}))
    t = np.linspace(0.0, 1.0, GRID + 1)
    ends = np.array([[_search_end(scenario, d, s) for s in (-1, 1)] for d in dists])  # (K, 2)
    grid = v0[:, None, None] + (ends - v0[:, None])[:, :, None] * t[None, None, :]   # (K,2,G+1)
    K = len(keys)
    row_key = np.repeat(np.arange(K), 2 * (GRID + 1))
    code, blocked = _evaluate_rows(scenario, keys, v0, row_key, grid.ravel())
    verdicts = {"regime": (code.reshape(K, 2, -1), code0),
                "blocked": (blocked.reshape(K, 2, -1), blocked0)}
    found = {}
    for name, (v, nominal) in verdicts.items():
        changed = v != nominal
        first = np.where(changed.any(-1), changed.argmax(-1), -1)              # (K, 2)
        for k, s in zip(*np.nonzero(first > 0)):
            found[(name, k, s)] = [grid[k, s, first[k, s] - 1], grid[k, s, first[k, s]]]
    if found:
        items = list(found)
        inside = np.array([found[i][0] for i in items])
        outside = np.array([found[i][1] for i in items])
        which = np.array([k for _, k, _ in items])
        is_regime = np.array([name == "regime" for name, _, _ in items])
        for _ in range(STEPS):
            mid = 0.5 * (inside + outside)
            c, b = _evaluate_rows(scenario, keys, v0, which, mid)
            moved = np.where(is_regime, c != code0, b != blocked0)
            outside = np.where(moved, mid, outside)
            inside = np.where(moved, inside, mid)
        c, b = _evaluate_rows(scenario, keys, v0, which, outside)
        for i, item in enumerate(items):
            found[item] = (float(inside[i]), float(outside[i]),
                           str(REGIMES[int(c[i])]) if item[0] == "regime" else bool(b[i]))
    out = []
    for k, d in enumerate(dists):
        lo, hi = d.bounds
        entry = {"key": d.key, "label": scenario.describe_key(d.key), "value": float(v0[k]),
                 "range": [lo, hi], "distribution": d.to_dict()}
        for name in verdicts:
            sides = {}
            for s, side in enumerate(("below", "above")):
                hit = found.get((name, k, s))
                sides[side] = None if hit is None else {
                    "value": hit[1], "inside": hit[0], "distance": hit[1] - float(v0[k]),
                    "in_range": bool(lo <= hit[1] <= hi), "to": hit[2]}
            entry[name] = sides
        out.append(entry)
    return out
