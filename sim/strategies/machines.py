"""Finite-state machines (Moore 1956; Rubinstein 1986; Miller 1996): any table, the
Axelrod library's Mealy form, and the named machines (Grim, TF2T, Prober)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import numpy as np

from .base import Strategy
from .rules import Automaton


@dataclass(frozen=True)
class FiniteStateMachine(Strategy):
    """A finite-state machine from a table. Source: Moore (1956); Rubinstein (1986); Miller
    (1996).

    ``states`` maps each state name to ``{"play": "C" | "D" | probability of C, ...}`` plus
    its transitions, either on the other's last action (keys ``"C"``, ``"D"``) or on the last
    outcome, own action first (keys ``"CC"``, ``"CD"``, ``"DC"``, ``"DD"``). ``start`` names
    the first state (default: the first listed).
    """

    name = "FSM"
    aliases = ("Finite State Machine", "FiniteStateMachine")
    family = True
    states: Any = None
    start: str | None = None

    def __post_init__(self):
        object.__setattr__(self, "_automaton", fsm_automaton(self.states, self.start))

    @property
    def label(self):
        return self.title or ("FSM" if self.family else self.name)

    @classmethod
    def parameter_names(cls):
        """A machine built from a table takes it; a named machine takes nothing."""
        return super().parameter_names() if cls.__dict__.get("family") else ()

    def rule(self, M):
        return self._automaton


def _action(v, where: str) -> float:
    if isinstance(v, str) and v.upper() in ("C", "D"):
        return 1.0 if v.upper() == "C" else 0.0
    if isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 1:
        return float(v)
    raise ValueError(f"{where}: play must be 'C', 'D' or a probability of C in [0, 1], "
                     f"got {v!r}")


def fsm_automaton(states: Mapping, start: str | None = None) -> Automaton:
    """Automaton of a finite-state-machine table (format in :class:`FiniteStateMachine`)."""
    if not isinstance(states, Mapping) or not states:
        raise ValueError(f"fsm states must be a non-empty table of state name -> "
                         f"{{play, C, D}}, got {states!r}")
    names = [str(k) for k in states]
    index = {n: i for i, n in enumerate(names)}
    start = names[0] if start is None else str(start)
    if start not in index:
        raise ValueError(f"fsm start {start!r} is not a state; states: {names}")
    order = [start] + [n for n in names if n != start]
    index = {n: i for i, n in enumerate(order)}
    coop = np.empty(len(order))
    nxt = np.empty((len(order), 2, 2), np.int64)
    for i, n in enumerate(order):
        row = states[n]
        where = f"fsm state {n!r}"
        if not isinstance(row, Mapping) or "play" not in row:
            raise ValueError(f"{where} must be a table with 'play' and transitions, got {row!r}")
        coop[i] = _action(row["play"], where)
        keys = set(row) - {"play"}
        if keys == {"C", "D"}:
            targets = {(a, b): row["CD"[b]] for a in (0, 1) for b in (0, 1)}
        elif keys == {"CC", "CD", "DC", "DD"}:
            targets = {(a, b): row["CD"[a] + "CD"[b]] for a in (0, 1) for b in (0, 1)}
        else:
            raise ValueError(f"{where}: transitions must be keys C, D (the other's action) or "
                             f"CC, CD, DC, DD (own, other); got {sorted(keys)}")
        for (a, b), t in targets.items():
            if str(t) not in index:
                raise ValueError(f"{where}: next state {t!r} is not a state; states: {names}")
            nxt[i, a, b] = index[str(t)]
    return Automaton(coop, nxt)


def mealy_automaton(transitions: Sequence, initial_state, initial_action) -> Automaton:
    """Automaton of an Axelrod-library style machine: rows ``(state, other's last action,
    next state, action)``, plus the first state and action (Ashlock & Kim 2008; Knight et al.
    2016). Its Moore states are the reachable (state, action) pairs."""
    table = {}
    for row in transitions:
        if len(row) != 4:
            raise ValueError(f"mealy transition rows must be (state, C|D, next state, C|D), "
                             f"got {row!r}")
        s, b, t, a = row
        table[(s, _action(b, "mealy transition") == 1)] = (t, _action(a, "mealy transition"))
    first = (initial_state, _action(initial_action, "mealy initial_action"))
    moore, queue = {first: 0}, [first]
    rows = []
    while queue:
        s, a = queue.pop(0)
        succ = []
        for other_c in (True, False):
            if (s, other_c) not in table:
                raise ValueError(f"mealy machine has no transition from state {s!r} on "
                                 f"{'C' if other_c else 'D'}")
            t = table[(s, other_c)]
            if t not in moore:
                moore[t] = len(moore)
                queue.append(t)
            succ.append(moore[t])
        rows.append((a, succ))
    coop = np.array([a for a, _ in rows])
    nxt = np.array([[[c, d], [c, d]] for _, (c, d) in rows])
    return Automaton(coop, nxt)


@dataclass(frozen=True)
class Grim(FiniteStateMachine):
    """Grim trigger: cooperate until the other defects once, then defect for ever. Source:
    Friedman (1971); Axelrod (1980) "Friedman", the Axelrod library's ``Grudger``."""

    name = "Grim"
    aliases = ("Grudger", "Grim Trigger", "Friedman")
    family = False
    states: Any = field(default_factory=lambda: {
        "trust": {"play": "C", "C": "trust", "D": "grudge"},
        "grudge": {"play": "D", "C": "grudge", "D": "grudge"}})


@dataclass(frozen=True)
class TF2T(FiniteStateMachine):
    """Tit For Two Tats: defect only after two consecutive defections by the other. Source:
    Maynard Smith's entry in Axelrod (1984), the Axelrod library's ``TitFor2Tats``."""

    name = "TF2T"
    aliases = ("Tit For 2 Tats", "TitFor2Tats", "Tit For Two Tats")
    family = False
    states: Any = field(default_factory=lambda: {
        "calm": {"play": "C", "C": "calm", "D": "wary"},
        "wary": {"play": "C", "C": "calm", "D": "punish"},
        "punish": {"play": "D", "C": "calm", "D": "punish"}})


@dataclass(frozen=True)
class Prober(FiniteStateMachine):
    """Prober: play D, C, C; if the other cooperated on turns 2 and 3, defect for ever,
    otherwise play Tit For Tat. Source: Li (2011); the Axelrod library's ``Prober``."""

    name = "Prober"
    aliases = ()
    family = False
    states: Any = field(default_factory=lambda: {
        "t1": {"play": "D", "C": "t2", "D": "t2"},
        "t2": {"play": "C", "C": "t3c", "D": "t3d"},
        "t3c": {"play": "C", "C": "exploit", "D": "tft_d"},
        "t3d": {"play": "C", "C": "tft_c", "D": "tft_d"},
        "exploit": {"play": "D", "C": "exploit", "D": "exploit"},
        "tft_c": {"play": "C", "C": "tft_c", "D": "tft_d"},
        "tft_d": {"play": "D", "C": "tft_c", "D": "tft_d"}})


@dataclass(frozen=True)
class MealyMachine(FiniteStateMachine):
    """A machine in the Axelrod library's form: rows (state, other's last action, next state,
    action), a first state and a first action. Source: Ashlock & Kim (2008); Knight et al.
    (2016)."""

    name = "Mealy FSM"
    aliases = ("Mealy", "FSMPlayer")
    family = True
    transitions: tuple = ()
    initial_state: Any = 1
    initial_action: str = "C"

    def __post_init__(self):
        aut = mealy_automaton(self.transitions, self.initial_state, self.initial_action)
        object.__setattr__(self, "_automaton", aut)

    @classmethod
    def from_table(cls, body, title: str = "") -> "MealyMachine":
        if not isinstance(body, Mapping) or "transitions" not in body:
            raise ValueError(f"mealy must be a table with 'transitions', 'initial_state', "
                             f"'initial_action', got {body!r}")
        rows = tuple(tuple(r) for r in body["transitions"])
        return cls(transitions=rows, initial_state=body.get("initial_state", 1),
                   initial_action=body.get("initial_action", "C"), title=title)

    @classmethod
    def parameter_names(cls):
        return ("transitions", "initial_state", "initial_action")
