"""Strategies from plain data, as a scenario file gives them: a name, a memory-one vector,
or a table (a registered strategy with parameters, a vector, a machine)."""

from __future__ import annotations

from typing import Mapping

from .base import Strategy, lookup
from .machines import FiniteStateMachine, MealyMachine
from .memory_one import MemoryOneVector


def strategy_from_data(data, where: str = "strategy") -> Strategy:
    """Build a strategy from plain data (as a scenario file gives it). Accepted forms:

    - a :class:`Strategy` (returned as is) or a registered name: ``"TFT"``, ``"Pavlov"``, ...
    - ``[p0, pCC, pCD, pDC, pDD]``: a memory-one vector;
    - ``{"strategy": "GTFT", "generosity": 0.2}``: a registered strategy with parameters;
    - ``{"memory_one": [p0, pCC, pCD, pDC, pDD], "name": "mine"}``;
    - ``{"fsm": {"start": "s", "states": {"s": {"play": "C", "C": "s", "D": "t"}, ...}},
      "name": "mine"}`` (see :class:`FiniteStateMachine`);
    - ``{"mealy": {"transitions": [[state, "C", next, "D"], ...], "initial_state": 1,
      "initial_action": "C"}}`` (Axelrod-library machines).

    Bad data raises ``ValueError`` with a one-line message naming ``where``.
    """
    try:
        return _from_data(data)
    except ValueError as e:
        raise ValueError(f"{where}: {e}") from None


def _from_data(data) -> Strategy:
    if isinstance(data, Strategy):
        return data
    if isinstance(data, str):
        return lookup(data)()
    if isinstance(data, (list, tuple)):
        return MemoryOneVector(tuple(data))
    if not isinstance(data, Mapping):
        raise ValueError(f"expected a name, a memory-one vector or a table, got {data!r}")
    data = dict(data)
    title = str(data.pop("name", ""))
    forms = [k for k in ("strategy", "memory_one", "fsm", "mealy") if k in data]
    if len(forms) != 1:
        raise ValueError("give exactly one of 'strategy', 'memory_one', 'fsm', 'mealy'; "
                         f"got keys {sorted(data) + (['name'] if title else [])}")
    form = forms[0]
    body = data.pop(form)
    if form == "strategy":
        cls = lookup(body)
        allowed = set(cls.parameter_names())
        bad = set(data) - allowed
        if bad:
            raise ValueError(f"strategy {cls.name!r} takes parameters {sorted(allowed)}, "
                             f"got {sorted(bad)}")
        if title:
            data["title"] = title
        try:
            return cls(**data)
        except TypeError as e:
            raise ValueError(f"strategy {cls.name!r}: {e}") from None
    if data:
        raise ValueError(f"unexpected keys {sorted(data)} next to {form!r}")
    if form == "memory_one":
        return MemoryOneVector(tuple(body) if isinstance(body, (list, tuple)) else body,
                               title=title)
    if form == "fsm":
        if not isinstance(body, Mapping) or "states" not in body:
            raise ValueError(f"fsm must be a table with 'states' (and optional 'start'), "
                             f"got {body!r}")
        extra = set(body) - {"states", "start"}
        if extra:
            raise ValueError(f"fsm takes keys 'states' and 'start', got {sorted(extra)}")
        return FiniteStateMachine(body["states"], body.get("start"), title=title)
    return MealyMachine.from_table(body, title)
