"""Strategies a scenario defines, ``[strategies.NAME]``, and the entrants of its
``[tournament]`` and ``[evolution]`` sections, checked when the scenario is loaded.

A definition is plain data, as :func:`sim.strategies.strategy_from_data` takes it: a memory-one
vector ``[p0, pCC, pCD, pDC, pDD]`` (Nowak & Sigmund 1990), a table with ``memory_one``,
``fsm`` (a finite-state machine), ``mealy`` or ``strategy`` (a library strategy with
parameters). Its name is the table's key; wherever the scenario's entrants are named — its
sections' ``players``, the ``--players`` of ``blocsim tournament`` and ``blocsim evolve``, the
``players`` of ``Scenario.tournament`` and ``Scenario.evolve`` — that name stands for it.
"""

from __future__ import annotations

from typing import Mapping

from .messages import _error
from .schema import ENTRANT_ALLOWED, STRATEGY_ALLOWED as ALLOWED


def definition(name: str, data):
    """The plain data of the scenario's strategy ``name``: ``data`` named ``name``."""
    if isinstance(data, Mapping):
        return {**data, "name": data.get("name", name)}
    return {"memory_one": list(data), "name": name}


def resolve(scenario, entrants) -> list:
    """``entrants`` with each name the scenario defines replaced by its definition (other
    entries unchanged: library names, vectors, tables)."""
    defined = scenario.model.strategies or {}
    return [definition(e, defined[e]) if isinstance(e, str) and e in defined else e
            for e in entrants]


def check_strategies(scenario, where: str) -> None:
    """Raise a one-line :class:`ScenarioError` on a definition that is no strategy, a name a
    library strategy already has, or a section entrant that cannot be built."""
    from ..strategies import lookup, strategy_from_data

    for name, data in (scenario.model.strategies or {}).items():
        key = f"strategies.{name}"
        try:
            lookup(name)
        except (KeyError, ValueError):
            pass
        else:
            raise _error(where, key, f"{name!r} is the name of a library strategy",
                         "a name no library strategy has (see 'blocsim tournament --help')")
        try:
            strategy_from_data(definition(name, data), key)
        except ValueError as exc:
            raise _error(where, key, str(exc).removeprefix(f"{key}: "), ALLOWED, data) from None
    for section in ("tournament", "evolution"):
        own = getattr(scenario.model, section)
        players = len((own and own.players) or ())
        for i, entrant in enumerate(resolve(scenario, (own and own.entrants) or ())):
            key = (f"{section}.players[{i}]" if i < players
                   else f"{section}.strategies[{i - players}]")
            try:
                strategy_from_data(entrant, key)
            except ValueError as exc:
                raise _error(where, key, str(exc).removeprefix(f"{key}: "),
                             ENTRANT_ALLOWED) from None
