"""Maps of the format analysis over two scenario keys: the row player's preferred format and
the format the choice stage produces, on a grid evaluated in one vectorised call."""

from __future__ import annotations

import numpy as np

from ..errors import UserError
from .formats import analyse

SIZE = 201


def default_axes(scenario) -> tuple[str, str]:
    """The common threat (x; else the row player's relative-gain weight) against the bloc's
    quota (y): the report's existential threat (4) against the CSTO's decision rule (2.1)."""
    if "threat" in scenario.model.parameters:
        return "parameters.threat", "blocs.quota"
    form = "grieco_k" if scenario.model.preferences.grieco_k is not None else \
        "relative_gain_weight"
    return f"preferences.{form}.{scenario.players[0]}", "blocs.quota"


def key_range(scenario, key: str) -> tuple[float, float]:
    """A range to map ``key`` over: weights [0, 1], shares [0.01, 0.99], quota [0.01, 1], δ
    [0, 0.99], anything else from 0 (or twice below its value) to four times its value."""
    if key.startswith("preferences.relative_gain_weight.") or ".compare." in key \
            or ".allocation." in key or key.startswith("blocs.bilateral."):
        return 0.0, 1.0
    if key.endswith(".share"):
        return 0.01, 0.99
    if key in ("blocs.quota", "blocs.row.quota"):
        return 0.01, 1.0
    if key == "repeated.discount":
        return 0.0, 0.99
    v = scenario.value(key) if not key.startswith("blocs.") else 1.0
    return (0.0, max(4 * v, 1.0)) if v >= 0 else (2 * v, -2 * v)


def map_keys(scenario) -> list[str]:
    """Keys a map may put on an axis: the numeric keys, and ``blocs.quota`` for any rule (a
    bloc whose rule is not a quota is then evaluated under the quota rule ``[q; shares]``;
    consensus is quota 1 when every share is positive)."""
    keys = scenario.numeric_keys()
    return keys + ([] if "blocs.quota" in keys else ["blocs.quota"])


def check_axis(scenario, key: str, where: str) -> None:
    keys = map_keys(scenario)
    if key not in keys:
        raise UserError(f"{where}: unknown key; allowed: {', '.join(keys)}")


def format_map(scenario, x_key: str, y_key: str, size: int = SIZE) -> dict:
    """``{"x", "y", "preferred" (the row player's), "choice", ...}`` on a ``size`` x ``size``
    grid (rows: y, columns: x)."""
    from ..scenario.blocs import numbers

    from dataclasses import replace

    from .rules import Rule

    x = np.linspace(*key_range(scenario, x_key), size)
    y = np.linspace(*key_range(scenario, y_key), size)
    values = {x_key: x[None, :], y_key: y[:, None]}
    quota = values.pop("blocs.quota") if "blocs.quota" not in scenario.numeric_keys() and \
        "blocs.quota" in values else None
    nums = numbers(scenario, values)
    if quota is not None:
        nums = replace(nums, rule=Rule("quota", quota))
    res = analyse(nums)
    shape = (size, size)
    return {"x": x, "y": y, "x_key": x_key, "y_key": y_key,
            "x_label": scenario.describe_key(x_key), "y_label": scenario.describe_key(y_key),
            "preferred": np.broadcast_to(res.preferred()[..., 0], shape),
            "preferred_bloc": np.broadcast_to(res.preferred()[..., 1], shape),
            "choice": np.broadcast_to(res.choice(), shape),
            "point": (_own(scenario, x_key), _own(scenario, y_key)),
            "players": scenario.players, "title": scenario.title}


#: Grid rows evaluated per call of the array model in :func:`format_codes` (bounds the
#: member-sized temporaries).
CHUNK_POINTS = 1 << 15


def format_codes(nums, shape, chunk_points=CHUNK_POINTS, method="kernel"
                 ) -> tuple[np.ndarray, np.ndarray]:
    """``(preferred, choice)`` codes (int8) on a 2-D grid of ``shape``: the row player's
    preferred format and the choice stage's, repeated game.

    ``method="kernel"`` (the default) evaluates the grid point by point in one call of the
    compiled kernel (:func:`sim.blocs.formats_kernel.evaluate`), which holds one point's games
    at a time; ``"numpy"`` calls :func:`sim.blocs.formats.analyse` with the array model on
    blocks of grid rows of about ``chunk_points`` points, so that a map never holds a
    grid-sized array per member and outcome (an input that does not vary along the grid's rows
    is passed whole, so what depends on one axis only is computed once per value). The two
    agree bit for bit."""
    if method == "kernel":
        from .formats_kernel import evaluate

        out = evaluate(nums, "repeated", utility=False, preferred=1, outcomes=False)
        return (np.broadcast_to(out["preferred"][..., 0], shape).astype(np.int8),
                np.broadcast_to(out["choice"], shape).astype(np.int8))
    if method != "numpy":
        raise ValueError(f"unknown method {method!r}; allowed: kernel, numpy")
    return _codes_in_blocks(nums, shape, chunk_points)


def _codes_in_blocks(nums, shape, chunk_points):
    """:func:`format_codes` with the array model, on blocks of grid rows."""
    from dataclasses import replace

    from ..scenario.blocs import ARRAY_TAILS

    fields = {k: np.asarray(getattr(nums, k), dtype=float) for k in ARRAY_TAILS}
    quotas = {"rule": np.asarray(nums.rule.quota, dtype=float),
              "row_rule": np.asarray(nums.row_rule.quota, dtype=float)}
    pref = np.empty(shape, dtype=np.int8)
    choice = np.empty(shape, dtype=np.int8)
    rows = max(1, chunk_points // max(1, shape[1]))
    for i in range(0, shape[0], rows):
        part = slice(i, i + rows)
        rules = {k: replace(getattr(nums, k), quota=_rows(q, 0, shape, part))
                 for k, q in quotas.items()}
        block = replace(nums, **rules,
                        **{k: _rows(v, ARRAY_TAILS[k], shape, part) for k, v in fields.items()})
        res = analyse(block, method="numpy")
        out = pref[part].shape
        pref[part] = np.broadcast_to(res.preferred(actor=0), out)
        choice[part] = np.broadcast_to(res.choice(), out)
    return pref, choice


def _rows(value, tail, shape, part):
    """``value`` (grid axes, then ``tail`` axes of its own) restricted to the grid rows
    ``part``: sliced where it varies along the rows, kept whole where it does not."""
    grid = value.ndim - tail
    if grid < len(shape) or value.shape[grid - len(shape)] == 1:
        return value
    index = (slice(None),) * (grid - len(shape)) + (part,)
    return value[index]


def _own(scenario, key):
    if key == "blocs.quota" and scenario.model.blocs.rule != "quota":
        return 1.0 if scenario.model.blocs.rule == "consensus" else np.nan
    node = scenario.raw
    for part in key.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return float(node) if isinstance(node, (int, float)) else scenario.value(key)
