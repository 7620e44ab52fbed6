"""Maps of the format analysis over two scenario keys: the row player's preferred format and
the format the choice stage produces, on a grid evaluated in one vectorised call."""

from __future__ import annotations

import numpy as np

from ..errors import UserError
from .formats import analyse

SIZE = 201


def default_axes(scenario) -> tuple[str, str]:
    """The row player's relative-gain weight (x) and the control holder's — or the largest
    member's — share (y): the report's question of Russia's weight against NATO's realism."""
    b = scenario.model.blocs
    form = "grieco_k" if scenario.model.preferences.grieco_k is not None else \
        "relative_gain_weight"
    x = f"preferences.{form}.{scenario.players[0]}"
    if b is None or len(b.members) < 2:
        return x, "repeated.discount"
    big = b.control or max(b.members, key=lambda m: b.members[m].share)
    return x, f"blocs.members.{big}.share"


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


def check_axis(scenario, key: str, where: str) -> None:
    keys = scenario.numeric_keys()
    if key not in keys:
        raise UserError(f"{where}: unknown key; allowed: {', '.join(keys)}")


def format_map(scenario, x_key: str, y_key: str, size: int = SIZE) -> dict:
    """``{"x", "y", "preferred" (the row player's), "choice", ...}`` on a ``size`` x ``size``
    grid (rows: y, columns: x)."""
    from ..scenario.blocs import numbers

    x = np.linspace(*key_range(scenario, x_key), size)
    y = np.linspace(*key_range(scenario, y_key), size)
    res = analyse(numbers(scenario, {x_key: x[None, :], y_key: y[:, None]}))
    shape = (size, size)
    return {"x": x, "y": y, "x_key": x_key, "y_key": y_key,
            "x_label": scenario.describe_key(x_key), "y_label": scenario.describe_key(y_key),
            "preferred": np.broadcast_to(res.preferred()[..., 0], shape),
            "choice": np.broadcast_to(res.choice(), shape),
            "point": (_own(scenario, x_key), _own(scenario, y_key)),
            "players": scenario.players, "title": scenario.title}


def _own(scenario, key):
    node = scenario.raw
    for part in key.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return float(node) if isinstance(node, (int, float)) else scenario.value(key)
