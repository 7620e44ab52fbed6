"""The live explorer's data: the model computed by the library on a grid, packed compactly.

The page's sliders move over the grid's axes (each player's relative-gain weight, δ and, where
the scenario has it, ``parameters.threat``) and snap to grid values, so every number the page
shows is the library's number at exactly the shown slider values; the JavaScript only looks
values up. One vectorised call of :meth:`sim.scenario.Scenario.inputs` and
:func:`sim.equilibria.analyse_grid` computes the whole grid.

Layout (all arrays C-ordered over the axes in :data:`AXES` order, the last varying fastest):

* ``regime``: uint8 regime codes (index into ``regimes``) over all axes, plus
  :data:`BLOCKED` where the point is blocked by relative gains;
* ``utility``: float32 utilities ``U[i][j], V[i][j]`` (8 per point) over the axes without δ
  (the stage game does not depend on δ);
* ``types``: uint8 ordering codes of both players over the same axes, named in ``type_table``;
* ``pure``: uint8 bit mask of pure equilibria (bit 0 CC, 1 CD, 2 DC, 3 DD) and ``mixed``:
  float32 ``(x, y)`` probabilities of C in the completely mixed equilibrium (NaN: none).
"""

from __future__ import annotations

import base64

import numpy as np

from ..equilibria import REGIME_TEXT, REGIMES, analyse_grid, mixed_equilibrium, pure_equilibria
from ..games import ordering_code, own_views, player_type
from ..preferences import utility_game

#: Grid steps: weights and the threat in steps of 0.05 resp. 0.25, δ in steps of 0.01.
WEIGHT_STEP, DISCOUNT_STEP, THREAT_STEP = 0.05, 0.01, 0.25
#: Highest δ on the grid (δ < 1).
DISCOUNT_MAX = 0.99
#: Added to a regime code where relative gains block cooperation (codes are below 16).
BLOCKED = 16


def _axis(lo: float, hi: float, step: float, value: float) -> np.ndarray:
    """Grid values from ``lo`` to ``hi`` in ``step``, with the scenario's own ``value`` added
    so that the page opens on the scenario's exact point."""
    n = int(round((hi - lo) / step)) + 1
    return np.round(np.union1d(np.linspace(lo, hi, n), [value]), 10)


def axes(scenario) -> list[dict]:
    """The explorer's axes: ``key``, ``label`` and ``values`` (the grid) per slider, in this
    order: the row player's weight, the column player's, δ (always third: the page's map is
    the first axis against it), then the threat where the scenario has one."""
    row, col = scenario.players
    form = ("grieco_k" if scenario.model.preferences.grieco_k is not None
            else "relative_gain_weight")
    out = [{"key": f"preferences.{form}.{name}",
            "label": f"{name}'s relative-gain weight r" if form == "relative_gain_weight"
            else f"{name}'s Grieco k",
            "values": _axis(0.0, 1.0, WEIGHT_STEP, scenario.value(f"preferences.{form}.{name}"))}
           for name in (row, col)]
    out.append({"key": "repeated.discount", "label": "discount factor δ (shadow of the future)",
                "values": _axis(0.0, DISCOUNT_MAX, DISCOUNT_STEP, scenario.discount)})
    if scenario.has_key("parameters.threat"):
        value = scenario.value("parameters.threat")
        out.append({"key": "parameters.threat", "label": "common threat (1 = the 2007 level)",
                    "values": _axis(0.0, max(5.0, 2 * value), THREAT_STEP, value)})
    return out


def _b64(array, dtype) -> str:
    return base64.b64encode(np.ascontiguousarray(array, dtype=dtype).tobytes()).decode()


def _shaped(ax: list[dict]) -> dict:
    """``{key: values}`` shaped to broadcast over the axes ``ax`` (one dimension each)."""
    n = len(ax)
    return {a["key"]: a["values"].reshape([-1 if i == k else 1 for i in range(n)])
            for k, a in enumerate(ax)}


def explorer_grid(scenario) -> dict:
    """The explorer's data for ``scenario`` as a JSON-ready dict (see the module docstring)."""
    ax = axes(scenario)
    full = tuple(len(a["values"]) for a in ax)
    A, B, r_row, r_col, delta = scenario.inputs(_shaped(ax))
    code, blocked = analyse_grid(A, B, r_row, r_col, delta)
    stage_axes = [a for a in ax if a["key"] != "repeated.discount"]
    stage_shape = tuple(len(a["values"]) for a in stage_axes)
    A, B, r_row, r_col, _ = scenario.inputs(_shaped(stage_axes))
    U, V = (np.broadcast_to(M, (*stage_shape, 2, 2)) for M in utility_game(A, B, r_row, r_col))
    types = np.moveaxis(ordering_code(own_views(U, V)), 0, -1)
    pure = pure_equilibria(U, V).reshape(*stage_shape, 4)
    x, y, exists = mixed_equilibrium(U, V)
    mixed = np.where(exists[..., None], np.stack([x, y], -1), np.nan)
    return {
        "players": list(scenario.players),
        "axes": [{"key": a["key"], "label": a["label"], "values": a["values"].tolist()}
                 for a in ax],
        "regimes": list(REGIMES),
        "regime_text": [REGIME_TEXT[r] for r in REGIMES],
        "regime": _b64(np.broadcast_to(code + BLOCKED * blocked, full), np.uint8),
        "utility": _b64(np.concatenate([U.reshape(*stage_shape, 4), V.reshape(*stage_shape, 4)],
                                       -1), np.float32),
        "types": _b64(types, np.uint8),
        "type_table": {int(c): {"name": t.name, "ordering": t.ordering,
                                "description": t.description}
                       for c in np.unique(types) for t in [player_type(int(c))]},
        "pure": _b64((pure * (1 << np.arange(4))).sum(-1), np.uint8),
        "mixed": _b64(mixed, np.float32),
    }
