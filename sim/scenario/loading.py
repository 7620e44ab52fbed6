"""Loading and validation: a scenario file or raw dict, checked on its own and then with its
``--set`` overrides, becomes a :class:`~sim.scenario.model.Scenario`."""

from __future__ import annotations

import copy
import re
from typing import Mapping

from pydantic import ValidationError

from .blocs import rebalance
from .files import read
from .messages import (ScenarioError, _check_keys, _error, _format_error, _player_names,
                       _type_name, show)
from .model import Scenario
from .overrides import _SET_EXAMPLE, _override_label, apply_override, parse_overrides
from .schema import ScenarioModel
from .uncertainty import drop_pinned


#: Short keyword names of :func:`load` besides the scenario's own parameters.
SHORT_KEYS = {"discount": "repeated.discount", "noise": "repeated.noise"}


def load(name_or_path: str | None = None, overrides=(), **params) -> "Scenario":
    """Load, override and validate a scenario; raise :class:`ScenarioError` on any mistake.

    Parameters
    ----------
    name_or_path : str or os.PathLike, optional
        A built-in scenario name (``blocsim list``) or a TOML file (default:
        ``nato_csto_2007``).
    overrides : dict or list, optional
        ``{"dotted.key": value}``, ``(key, value)`` pairs or ``"KEY=VALUE"`` strings (as
        ``--set`` on the command line).
    **params
        Short overrides: a name under the scenario's ``[parameters]`` (``threat=4``), or
        ``discount`` / ``noise`` (the repeated game's δ and ε). They apply after
        ``overrides``.

    Returns
    -------
    Scenario

    Examples
    --------
    >>> import sim
    >>> sc = sim.load("nato_csto_2007", threat=4)
    >>> sc.value("parameters.threat")
    4.0
    >>> sim.load("nato_csto_2007", overrides={"repeated.discount": 0.5}).discount
    0.5
    """
    if isinstance(overrides, Mapping):
        overrides = list(overrides.items())
    overrides = list(overrides or ())
    pairs = parse_overrides(overrides) if any(isinstance(o, str) for o in overrides) \
        else overrides
    where, raw = read(name_or_path)
    if params:
        pairs = pairs + _short_overrides(raw, where, params)
    return from_dict(raw, where, pairs)


def _short_overrides(raw, where: str, params: Mapping) -> list[tuple[str, object]]:
    """``(dotted key, value)`` of keyword overrides (see :func:`load`)."""
    defined = raw.get("parameters")
    defined = list(defined) if isinstance(defined, Mapping) else []
    pairs = []
    for name, value in params.items():
        if name in defined:
            pairs.append((f"parameters.{name}", value))
        elif name in SHORT_KEYS:
            pairs.append((SHORT_KEYS[name], value))
        else:
            raise _error(where, name, "unknown keyword",
                         ", ".join([*defined, *SHORT_KEYS]) + " (or overrides={dotted.key: "
                         "value})", value)
    return pairs


def from_dict(raw: Mapping, where: str = "<scenario>", overrides=()) -> "Scenario":
    """Validate a raw scenario (as parsed from TOML), then apply ``(key, value)`` overrides.

    The scenario must be valid on its own (errors name ``where``). The overrides are then
    applied together (so ``players.row=USA`` and ``preferences.relative_gain_weight.USA=0.2``
    can go together) and must leave a valid scenario; an error names the ``--set`` whose key
    it concerns (or, failing that, every ``--set``).
    """
    if not isinstance(raw, Mapping):
        raise _error(where, None, f"the scenario is {_type_name(raw)}, not a table",
                     "a table of tables ([scenario], [players], [payoffs], ...)")
    if _depth(raw) > 16:
        raise _error(where, None, "tables or arrays nested too deeply",
                     "the tables of the scenario schema (a few levels deep)")
    raw = copy.deepcopy(dict(raw))
    scenario = _validate(raw, where, where)
    overrides = list(overrides)
    if not overrides:
        return scenario
    for pair in overrides:
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise _error("--set", None, "an override is not a (key, value) pair", _SET_EXAMPLE,
                         pair)
        key, value = pair
        label = _override_label(key, value)
        if _depth(value) > 16:
            raise _error(label, show(key), "nested too deeply",
                         "a number, string, array or table")
        apply_override(raw, key, value, label)
        rebalance(raw, key)
    try:
        scenario = _validate(raw, where, "--set", overrides)
    except ScenarioError as exc:
        blamed = ScenarioError(_blame(overrides, exc.key) + str(exc).removeprefix("--set"))
        blamed.key = exc.key
        raise blamed from None
    scenario.overrides = overrides
    drop_pinned(scenario)                 # raw is the scenario as overridden, ranges included
    return scenario


def _blame(overrides, key: str | None) -> str:
    """The ``--set`` label for an error at dotted ``key``: the override(s) it concerns."""
    where = re.sub(r"\[(\d+)\]", r".\1", key or "")
    related = [(k, v) for k, v in overrides
               if where == k or where.startswith(k + ".") or k.startswith(where + ".")]
    chosen = related[-1:] or overrides
    return " ".join(_override_label(k, v) for k, v in chosen)


def _validate(raw: dict, where: str, blame: str, overrides=()) -> "Scenario":
    _check_keys(raw, ScenarioModel, (), blame, _player_names(raw))
    try:
        model = ScenarioModel.model_validate(raw)
    except ValidationError as err:
        raise _format_error(err, blame) from None
    scenario = Scenario(model=model, raw=raw, where=where, overrides=list(overrides))
    scenario.check(blame)
    return scenario


def _depth(value) -> int:
    """Nesting depth of tables and arrays (iterative: safe on any input)."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        node, d = stack.pop()
        deepest = max(deepest, d)
        if d > 64:
            break
        if isinstance(node, Mapping):
            stack.extend((v, d + 1) for v in node.values())
        elif isinstance(node, (list, tuple)):
            stack.extend((v, d + 1) for v in node)
    return deepest
