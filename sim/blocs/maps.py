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
    if key == "blocs.quota":
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


def format_codes(nums, shape) -> tuple[np.ndarray, np.ndarray]:
    """``(preferred, choice)`` codes on a 2-D grid of ``shape`` (the row player's preferred
    format and the choice stage's), by the compiled kernel :mod:`sim.blocs.kernel`; the same
    numbers as :func:`sim.blocs.formats.analyse` (repeated game), without grid-sized arrays per
    member and outcome."""
    from .kernel import CONSENSUS, LEADER, QUOTA, format_codes_kernel

    n = len(nums.members)

    def grid(x, tail=()):
        return np.broadcast_to(np.asarray(x, dtype=float), shape + tail)

    kind = {"consensus": CONSENSUS, "quota": QUOTA, "leader": LEADER}[nums.rule.kind]
    pref = np.empty(shape, dtype=np.int8)
    choice = np.empty(shape, dtype=np.int8)
    format_codes_kernel(grid(nums.A, (2, 2)), grid(nums.P, (n, 2, 2)),
                        grid(nums.A_bil, (n, 2, 2)), grid(nums.P_bil, (n, 2, 2)),
                        grid(nums.loss, (n,)), grid(nums.shares, (n,)), grid(nums.r_row),
                        grid(nums.r_row_nominal), grid(nums.r_column), grid(nums.r_members, (n,)),
                        grid(nums.compare, (n, n + 1)), grid(nums.discount),
                        grid(nums.rule.quota), kind, nums.rule.leader,
                        -1 if nums.holder is None else nums.holder, pref, choice)
    return pref, choice


def _own(scenario, key):
    if key == "blocs.quota" and scenario.model.blocs.rule != "quota":
        return 1.0 if scenario.model.blocs.rule == "consensus" else np.nan
    node = scenario.raw
    for part in key.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return float(node) if isinstance(node, (int, float)) else scenario.value(key)
