"""Every task's settings, resolved in one place: **given > scenario section > default**.

A task (``tournament``, ``evolve``, ``folk``, ``sweep``) takes options from three places, in
this order of precedence:

1. what the caller gives (a command-line option, or a keyword of a ``Scenario`` method);
   ``None`` means "not given";
2. the scenario's own section (``[tournament]``, ``[evolution]``, ``[folk]``, ``[sweep]``);
3. the library default in :data:`DEFAULTS` (the only place a default is written).

:func:`resolve` implements that order for every task; the task modules add the few settings
that depend on the scenario itself (its discount factor, its execution noise, the strategies it
defines under ``[strategies]``, which its entrants may name).
"""

from __future__ import annotations

from typing import Any, Mapping

from ..defaults import MORAN_FITNESS, TOURNAMENT_REPETITIONS, TOURNAMENT_TURNS

#: Entrants of a tournament when neither the caller nor the scenario names any: the classics
#: of Axelrod (1984) and Nowak & Sigmund (1993).
TOURNAMENT_PLAYERS = ("TFT", "Grim", "WSLS", "TF2T", "AllC", "AllD", "Random", "Joss",
                      "Prober", "Alternator", "SuspiciousTFT")
#: Entrants of evolution by default: the three of the classic simplex (Nowak & Sigmund 2004).
EVOLUTION_PLAYERS = ("AllC", "AllD", "TFT")
DYNAMICS = ("replicator", "moran", "generational")

#: The library defaults of each task. ``None`` means "decided from the scenario" (see the task).
DEFAULTS: dict[str, dict[str, Any]] = {
    "tournament": {"players": TOURNAMENT_PLAYERS, "turns": TOURNAMENT_TURNS,
                   "continuation": None, "noise": None, "repetitions": TOURNAMENT_REPETITIONS, "seed": 0, "method": "auto",
                   "payoffs": "utility", "self_play": True},
    "evolution": {"players": EVOLUTION_PLAYERS, "dynamics": "replicator", "population": 60,
                  "intensity": 1.0, "fitness": MORAN_FITNESS, "mutation": 0.0, "runs": None,
                  "generations": 50, "replace": 5, "seed": 0, "payoffs": "utility"},
    "folk": {"discount": None, "weights": [0.0, 0.25, 0.5, 0.75], "payoffs": "utility",
             "bounds": None},
    "sweep": {"axes": [], "measures": ("regime", "blocked_by_relative_gains"), "seed": 0,
              "executor": None, "workers": None, "chunk_size": None},
}
#: Independent runs by default: many for a simulated Moran process (fixation frequencies),
#: fewer for generational play (mean shares).
RUNS = {"moran": 1000, "generational": 20, "replicator": 20}
#: Folk theorem: discount factors shown besides the scenario's own.
FOLK_DISCOUNTS = (0.3, 0.6)
#: Directions of the certified Judd-Yeltekin-Conklin bounds when ``bounds`` is asked for
#: without a number.
BOUND_DIRECTIONS = 64


def first(*values):
    return next((v for v in values if v is not None), None)


def resolve(task: str, section, given: Mapping[str, Any]) -> dict:
    """The settings of ``task``: for each key of ``DEFAULTS[task]``, the given value, else the
    section's, else the default. A section's ``entrants`` (``players`` and ``[[strategies]]``)
    stand for ``players``. Unknown given keys are a ``TypeError``, as for any function."""
    defaults = DEFAULTS[task]
    unknown = [k for k in given if k not in defaults]
    if unknown:
        raise TypeError(f"{task}() got an unexpected keyword argument {unknown[0]!r}; "
                        f"allowed: {', '.join(defaults)}")
    out = {}
    for key, default in defaults.items():
        if key == "players":
            own = getattr(section, "entrants", None) if section is not None else None
        else:
            own = getattr(section, key, None) if section is not None else None
        value = first(given.get(key), own, default)
        out[key] = list(value) if isinstance(value, tuple) else value
    return out


def _entrants(scenario, players) -> list:
    """The entrants, each name the scenario defines under ``[strategies]`` replaced by its
    definition (:func:`sim.scenario.strategies.resolve`)."""
    from ..scenario.strategies import resolve

    return resolve(scenario, players)


def tournament(scenario, given: Mapping[str, Any]) -> dict:
    """Tournament settings; ``turns`` and ``continuation`` go together (the caller's pair, else
    the section's, else 200 turns); the noise defaults to the scenario's ``repeated.noise``."""
    section = scenario.model.tournament
    s = resolve("tournament", section, given)
    if given.get("turns") is not None or given.get("continuation") is not None:
        s["turns"], s["continuation"] = given.get("turns"), given.get("continuation")
    elif section is not None and (section.turns is not None or section.continuation is not None):
        s["turns"], s["continuation"] = section.turns, section.continuation
    s["noise"] = first(s["noise"], scenario.model.repeated.noise)
    s["players"] = _entrants(scenario, s["players"])
    return {k: s[k] for k in ("players", "turns", "continuation", "noise", "repetitions", "seed",
                              "method", "payoffs", "self_play")}


def evolution(scenario, given: Mapping[str, Any]) -> dict:
    """Evolution settings, with the scenario's discount factor and noise for the repeated
    game among the strategies."""
    s = resolve("evolution", scenario.model.evolution, given)
    s["runs"] = first(s["runs"], RUNS[s["dynamics"]])
    s["players"] = _entrants(scenario, s["players"])
    s["discount"], s["noise"] = scenario.discount, scenario.model.repeated.noise
    return s


def folk(scenario, given: Mapping[str, Any]) -> dict:
    """Folk-theorem settings; the discount factors default to 0.3, 0.6 and the scenario's."""
    s = resolve("folk", scenario.model.folk, given)
    if s["discount"] is None:
        s["discount"] = sorted({*FOLK_DISCOUNTS, scenario.discount})
    if s["bounds"] is True:
        s["bounds"] = BOUND_DIRECTIONS
    return {"discount": [float(d) for d in s["discount"]],
            "weights": [float(r) for r in s["weights"]], "payoffs": s["payoffs"],
            "bounds": s["bounds"]}
