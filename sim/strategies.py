"""Strategies for the repeated 2x2 game: representations, the named library and a registry.

Every strategy compiles, for a given own-view stage game ``M`` (``M[own, other]``, see
:func:`sim.games.own_views`), to a **rule** that the play engines run:

- :class:`Automaton` — a finite-state (Moore) machine: in state ``s`` cooperate with
  probability ``coop[s]``; after the turn move to ``next[s, own, other]`` where ``own`` and
  ``other`` are the actions *actually played* (after execution noise). It starts in state 0.
  Memory-one vectors, finite-state machines and all the classics are automata, so they can be
  played exactly (:mod:`sim.play`) as well as simulated.
- :class:`MajorityRule` — an infinite-memory counting rule (Go By Majority); it can only be
  simulated.

Named strategies are small frozen dataclasses with a docstring giving the rule and its source
and a ``classifier`` dict (``memory_depth``, ``stochastic``, ``nice``, ``forgiving``,
``finite_state``), modelled on the Axelrod library (Knight et al. 2016). Subclassing
:class:`Strategy` registers the class (no hand-kept list): :func:`registry` lists them and
:func:`strategy_from_data` builds any strategy from plain data (a name, a memory-one vector, a
finite-state-machine table), as a scenario file gives it.

Classifiers of game-dependent strategies (GTFT, ZD) refer to the standard Prisoner's Dilemma
``T, R, P, S = 5, 3, 1, 0`` (Axelrod 1984).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar, Mapping, Sequence

import numpy as np

from sim.games import matrix_from_trps, trps

C, D = 0, 1
#: Own-view matrix of the standard Prisoner's Dilemma (Axelrod 1984), used for classifiers.
STANDARD_PD = matrix_from_trps(5.0, 3.0, 1.0, 0.0)
CLASSIFIER_KEYS = ("memory_depth", "stochastic", "nice", "forgiving", "finite_state")


# --------------------------------------------------------------------------------------------
# Rules: what the play engines run
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Automaton:
    """Finite-state strategy: cooperate with probability ``coop[s]`` in state ``s``; then move
    to ``next[s, own action, other's action]``. State 0 is the start (Moore 1956 machine; the
    memory-one form is Nowak & Sigmund 1990)."""

    coop: np.ndarray
    next: np.ndarray

    def __post_init__(self):
        coop = np.asarray(self.coop, dtype=float)
        nxt = np.asarray(self.next)
        if coop.ndim != 1 or coop.size == 0:
            raise ValueError(f"automaton needs a non-empty 1-d coop vector, got shape {coop.shape}")
        if nxt.shape != (coop.size, 2, 2):
            raise ValueError(f"automaton next table must have shape {(coop.size, 2, 2)}, "
                             f"got {nxt.shape}")
        if not (coop.min() >= 0 and coop.max() <= 1):
            raise ValueError(f"cooperation probabilities must lie in [0, 1], got {coop.tolist()}")
        if (nxt.dtype.kind not in "iu" and not np.array_equal(nxt, np.round(nxt))) or \
                not (nxt.min() >= 0 and nxt.max() < coop.size):
            raise ValueError(f"next states must be integers in 0..{coop.size - 1}")
        object.__setattr__(self, "coop", coop)
        object.__setattr__(self, "next", nxt.astype(np.int64))

    @property
    def n_states(self) -> int:
        return self.coop.size

    def padded(self, n: int) -> "Automaton":
        """The same machine with unreachable extra states up to ``n`` (for batching)."""
        extra = n - self.n_states
        if extra < 0:
            raise ValueError(f"cannot pad {self.n_states} states down to {n}")
        ids = np.arange(self.n_states, n)
        return Automaton(np.concatenate([self.coop, np.ones(extra)]),
                         np.concatenate([self.next, np.broadcast_to(ids[:, None, None],
                                                                    (extra, 2, 2))]))

    def reachable(self) -> np.ndarray:
        """Boolean mask of the states reachable from the start under any play."""
        seen = np.zeros(self.n_states, bool)
        stack = [0]
        while stack:
            s = stack.pop()
            if not seen[s]:
                seen[s] = True
                stack.extend(int(t) for t in self.next[s].ravel() if not seen[t])
        return seen

    def __eq__(self, other):
        return (isinstance(other, Automaton) and np.array_equal(self.coop, other.coop)
                and np.array_equal(self.next, other.next))

    __hash__ = None


@dataclass(frozen=True)
class MajorityRule:
    """Cooperate iff (other's cooperations − other's defections so far) ≥ ``threshold``
    (Axelrod 1984, "Go By Majority"). Infinite memory: simulated only."""

    threshold: int = 0


def memory_one_automaton(p) -> Automaton:
    """Automaton of a memory-one vector ``p = (p0, pCC, pCD, pDC, pDD)`` (Nowak & Sigmund
    1990): state 0 is the start, states 1..4 remember the last outcome (own, other)."""
    p = _probabilities(p, 5, "memory-one vector (p0, pCC, pCD, pDC, pDD)")
    return Automaton(p, _MEMORY_ONE_NEXT)


#: next[s, own, other] = 1 + 2 * own + other: remember the last outcome.
_MEMORY_ONE_NEXT = np.array([[[1, 2], [3, 4]]] * 5)


def _probabilities(p, n: int, what: str) -> np.ndarray:
    try:
        arr = np.asarray(p, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be {n} numbers in [0, 1], got {p!r}") from None
    if arr.shape != (n,):
        raise ValueError(f"{what} must be {n} numbers in [0, 1], got {p!r}")
    if not (arr.min() >= 0 and arr.max() <= 1):
        raise ValueError(f"{what} must lie in [0, 1], got {arr.tolist()}")
    return arr


# --------------------------------------------------------------------------------------------
# Properties computed from an automaton
# --------------------------------------------------------------------------------------------

def _closure(aut: Automaton, start, step) -> set:
    seen, stack = set(), list(start)
    while stack:
        s = stack.pop()
        if s not in seen:
            seen.add(s)
            stack.extend(step(s))
    return seen


def is_nice(aut: Automaton) -> bool:
    """Never the first to defect: cooperates for sure while both have only cooperated
    (Axelrod 1984)."""
    return all(aut.coop[s] == 1 for s in _closure(aut, [0], lambda s: [int(aut.next[s, C, C])]))


def is_forgiving(aut: Automaton) -> bool:
    """After any history, if the other cooperates from then on, it cooperates again with
    positive probability (it holds no grudge forever; Axelrod 1984's forgiveness)."""
    def step(s):
        return [int(aut.next[s, a, C]) for a in (C, D) if (aut.coop[s] if a == C else
                                                             1 - aut.coop[s]) > 0]
    reach = np.flatnonzero(aut.reachable())
    return all(any(aut.coop[t] > 0 for t in _closure(aut, [int(s)], step)) for s in reach)


def is_stochastic(aut: Automaton) -> bool:
    """Some reachable state randomises between C and D."""
    q = aut.coop[aut.reachable()]
    return bool(np.any((q > 0) & (q < 1)))


def automaton_classifier(aut: Automaton, memory_depth: float) -> dict:
    """The classifier dict of an automaton (``memory_depth`` is given, the rest computed)."""
    return {"memory_depth": memory_depth, "stochastic": is_stochastic(aut),
            "nice": is_nice(aut), "forgiving": is_forgiving(aut), "finite_state": True}


# --------------------------------------------------------------------------------------------
# Base class and registry
# --------------------------------------------------------------------------------------------

_REGISTRY: dict[str, type["Strategy"]] = {}


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(name).lower())


@dataclass(frozen=True)
class Strategy:
    """Base class. Subclasses set ``name``, ``classifier`` (or compute it), ``aliases`` and
    implement :meth:`rule`; defining a subclass registers it under its name and aliases."""

    name: ClassVar[str] = ""
    aliases: ClassVar[tuple[str, ...]] = ()
    classifier: ClassVar[dict[str, Any]] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("name"):
            for k in {_key(cls.name), _key(cls.__name__),
                      *map(_key, cls.__dict__.get("aliases", ()))}:
                if k in _REGISTRY and _REGISTRY[k] is not cls:
                    raise ValueError(f"strategy name {k!r} registered twice")
                _REGISTRY[k] = cls

    def rule(self, M) -> Automaton | MajorityRule:
        """The rule this strategy follows in a game whose own view is ``M``."""
        raise NotImplementedError

    def automaton(self, M=STANDARD_PD) -> Automaton | None:
        """The finite-state rule, or ``None`` if the strategy has infinite memory."""
        r = self.rule(M)
        return r if isinstance(r, Automaton) else None

    @property
    def label(self) -> str:
        """Display name with parameters, e.g. ``"Random(p=0.3)"``."""
        params = {k: v for k, v in self.parameters().items() if v is not None}
        if not params:
            return self.name
        return f"{self.name}(" + ", ".join(f"{k}={_fmt(v)}" for k, v in params.items()) + ")"

    @classmethod
    def parameter_names(cls) -> tuple[str, ...]:
        """Names of the parameters :func:`strategy_from_data` accepts for this class."""
        return tuple(f.name for f in fields(cls) if f.name != "title")

    def parameters(self) -> dict:
        return {k: getattr(self, k) for k in self.parameter_names()}

    def to_dict(self) -> dict:
        """Plain data that :func:`strategy_from_data` turns back into this strategy."""
        title = getattr(self, "title", "")
        return {"strategy": self.name, **({"name": title} if title else {}),
                **{k: _plain(v) for k, v in self.parameters().items()}}


def _fmt(v) -> str:
    return f"{v:.4g}" if isinstance(v, float) else str(v)


def _plain(v):
    if isinstance(v, np.ndarray):
        return v.tolist()
    if isinstance(v, tuple):
        return [_plain(x) for x in v]
    return v


def registry() -> dict[str, type[Strategy]]:
    """Registered strategy classes by name (one entry per class)."""
    return {cls.name: cls for cls in dict.fromkeys(_REGISTRY.values())}


def lookup(name: str) -> type[Strategy]:
    """The strategy class registered under ``name`` (case, spaces and punctuation ignored)."""
    try:
        return _REGISTRY[_key(name)]
    except KeyError:
        raise ValueError(f"unknown strategy {name!r}; known: "
                         f"{', '.join(sorted(registry()))}") from None


class MemoryOne(Strategy):
    """Base of the strategies given by a memory-one vector (Nowak & Sigmund 1990)."""

    def vector(self, M) -> tuple[float, float, float, float, float]:
        raise NotImplementedError

    def rule(self, M) -> Automaton:
        return memory_one_automaton(self.vector(M))


# --------------------------------------------------------------------------------------------
# The named library
# --------------------------------------------------------------------------------------------

def _cls(depth, stochastic, nice, forgiving, finite=True):
    return dict(zip(CLASSIFIER_KEYS, (depth, stochastic, nice, forgiving, finite)))


@dataclass(frozen=True)
class AllC(MemoryOne):
    """Always cooperate. Source: Axelrod (1984), "Cooperator"; p = (1, 1, 1, 1, 1)."""

    name = "AllC"
    aliases = ("Cooperator", "ALLC", "Always Cooperate")
    classifier = _cls(0, False, True, True)

    def vector(self, M):
        return (1, 1, 1, 1, 1)


@dataclass(frozen=True)
class AllD(MemoryOne):
    """Always defect. Source: Axelrod (1984), "Defector"; p = (0, 0, 0, 0, 0)."""

    name = "AllD"
    aliases = ("Defector", "ALLD", "Always Defect")
    classifier = _cls(0, False, False, False)

    def vector(self, M):
        return (0, 0, 0, 0, 0)


@dataclass(frozen=True)
class TFT(MemoryOne):
    """Tit For Tat: cooperate first, then copy the other's last action. Source: Rapoport's
    entry in Axelrod (1980); p = (1, 1, 0, 1, 0)."""

    name = "TFT"
    aliases = ("Tit For Tat", "TitForTat")
    classifier = _cls(1, False, True, True)

    def vector(self, M):
        return (1, 1, 0, 1, 0)


@dataclass(frozen=True)
class SuspiciousTFT(MemoryOne):
    """Suspicious Tit For Tat: defect first, then copy the other's last action. Source:
    Beaufils et al. (1997) "Mistrust"; Hilbe et al. (2013); p = (0, 1, 0, 1, 0)."""

    name = "Suspicious TFT"
    aliases = ("STFT", "SuspiciousTitForTat", "Suspicious Tit For Tat")
    classifier = _cls(1, False, False, True)

    def vector(self, M):
        return (0, 1, 0, 1, 0)


@dataclass(frozen=True)
class WSLS(MemoryOne):
    """Win-Stay Lose-Shift (Pavlov): cooperate first; cooperate after CC or DD, defect after
    CD or DC. Source: Kraines & Kraines (1989); Nowak & Sigmund (1993); p = (1, 1, 0, 0, 1).
    Not *forgiving* in the sense of :func:`is_forgiving`: after it exploits a cooperator (DC)
    it keeps defecting against an unconditional cooperator."""

    name = "WSLS"
    aliases = ("Pavlov", "Win-Stay Lose-Shift", "WinStayLoseShift")
    classifier = _cls(1, False, True, False)

    def vector(self, M):
        return (1, 1, 0, 0, 1)


@dataclass(frozen=True)
class Alternator(MemoryOne):
    """Alternate C, D, C, D, ... (switch from the action actually played last). Source:
    Axelrod (1984); p = (1, 0, 0, 1, 1)."""

    name = "Alternator"
    classifier = _cls(1, False, False, True)

    def vector(self, M):
        return (1, 0, 0, 1, 1)


def nowak_sigmund_generosity(M) -> float:
    """Optimal generosity of GTFT, ``min(1 − (T−R)/(R−S), (R−P)/(T−P))`` (Nowak & Sigmund
    1992), from an own-view matrix ``M`` (broadcasts)."""
    T, R, P, S = trps(M)
    return np.minimum(1 - (T - R) / (R - S), (R - P) / (T - P))


@dataclass(frozen=True)
class GTFT(MemoryOne):
    """Generous Tit For Tat: like TFT, but after the other's defection cooperate with
    probability ``generosity``; by default Nowak & Sigmund's (1992) value
    ``min(1 − (T−R)/(R−S), (R−P)/(T−P))`` from the game (1/3 in the standard PD). p = (1, 1,
    g, 1, g). Same default as the Axelrod library's ``GTFT``."""

    name = "GTFT"
    aliases = ("Generous TFT", "Generous Tit For Tat")
    classifier = _cls(1, True, True, True)
    generosity: float | None = None

    def __post_init__(self):
        if self.generosity is not None:
            _probabilities([self.generosity], 1, "GTFT generosity")

    def vector(self, M):
        g = self.generosity
        if g is None:
            g = float(nowak_sigmund_generosity(M))
            if not 0 <= g <= 1:
                raise ValueError(f"GTFT's default generosity {g:.4g} from this game is outside "
                                 "[0, 1] (the game is no Prisoner's Dilemma); give generosity")
        return (1, 1, g, 1, g)


@dataclass(frozen=True)
class Joss(MemoryOne):
    """Joss: cooperate first; after the other's C cooperate with probability ``p`` (0.9),
    after its D always defect. Source: Joss's entry in Axelrod (1980); p = (1, p, 0, p, 0),
    as the Axelrod library's ``FirstByJoss``."""

    name = "Joss"
    aliases = ("FirstByJoss", "Hard Joss")
    classifier = _cls(1, True, False, True)
    p: float = 0.9

    def __post_init__(self):
        _probabilities([self.p], 1, "Joss probability p")

    def vector(self, M):
        return (1, self.p, 0, self.p, 0)


@dataclass(frozen=True)
class Random(MemoryOne):
    """Cooperate with probability ``p`` every turn, independently. Source: Axelrod (1980),
    "Random"; p = (p, p, p, p, p)."""

    name = "Random"
    aliases = ("Lunatic",)
    p: float = 0.5

    def __post_init__(self):
        _probabilities([self.p], 1, "Random probability p")
        object.__setattr__(self, "classifier", _cls(0, 0 < self.p < 1, self.p == 1,
                                                    self.p > 0))

    def vector(self, M):
        return (self.p,) * 5


@dataclass(frozen=True)
class MemoryOneVector(MemoryOne):
    """Any memory-one strategy ``p = (p0, pCC, pCD, pDC, pDD)``: ``p0`` is the probability to
    cooperate first, ``pXY`` after own action X and the other's Y (Nowak & Sigmund 1990)."""

    name = "Memory-one"
    aliases = ("MemoryOne", "memory_one")
    p: tuple = (1.0, 1.0, 0.0, 1.0, 0.0)
    title: str = field(default="", compare=False)

    def __post_init__(self):
        p = tuple(float(x) for x in _probabilities(self.p, 5,
                                                   "memory-one vector (p0, pCC, pCD, pDC, pDD)"))
        object.__setattr__(self, "p", p)
        depth = 0 if len(set(p[1:])) == 1 else 1
        object.__setattr__(self, "classifier", automaton_classifier(self.rule(None), depth))

    @property
    def label(self):
        return self.title or f"Memory-one{self.p}"

    def vector(self, M):
        return self.p


@dataclass(frozen=True)
class ZeroDeterminant(MemoryOne):
    """Zero-determinant strategy enforcing ``π_other − l = s (π_own − l)`` against any
    opponent in the long run (Press & Dyson 2012), in Hilbe et al.'s (2013, eq. 14)
    parametrisation: pCC = 1 − φ(1−s)(R−l), pCD = 1 − φ(s(l−S) + (T−l)),
    pDC = φ((l−S) + s(T−l)), pDD = φ(1−s)(l−P); first move C (``p0``). ``l`` defaults to
    ``P`` (extortion, χ = 1/s). Raises ValueError if the vector leaves [0, 1]."""

    name = "ZD"
    aliases = ("Zero Determinant", "ZeroDeterminant", "LinearRelation")
    classifier = _cls(1, True, False, True)
    phi: float = 1 / 9
    s: float = 0.5
    l: float | None = None
    p0: float = 1.0

    def vector(self, M):
        T, R, P, S = (float(x) for x in trps(M))
        l = P if self.l is None else self.l
        phi, s = self.phi, self.s
        p = (self.p0, 1 - phi * (1 - s) * (R - l), 1 - phi * (s * (l - S) + (T - l)),
             phi * ((l - S) + s * (T - l)), phi * (1 - s) * (l - P))
        if not all(-1e-12 <= x <= 1 + 1e-12 for x in p):
            raise ValueError(f"zero-determinant parameters phi={phi}, s={s}, l={l} give "
                             f"probabilities {[round(x, 4) for x in p]} outside [0, 1] in this game")
        return tuple(min(max(x, 0.0), 1.0) for x in p)


@dataclass(frozen=True)
class Extort2(ZeroDeterminant):
    """Extort-2: the zero-determinant extortioner with χ = 2 (s = 1/2, l = P, φ = 1/9);
    (8/9, 1/2, 1/3, 0) in the standard PD. Source: Press & Dyson (2012); Stewart & Plotkin
    (2012); as the Axelrod library's ``ZDExtort2``."""

    name = "Extort-2"
    aliases = ("ZDExtort2", "ZD-Extort-2", "Extort2")


# ---- finite-state machines -----------------------------------------------------------------

@dataclass(frozen=True)
class FiniteStateMachine(Strategy):
    """A finite-state machine from a table (Moore 1956; Rubinstein 1986; Miller 1996).

    ``states`` maps each state name to ``{"play": "C" | "D" | probability of C, ...}`` plus
    its transitions, either on the other's last action (keys ``"C"``, ``"D"``) or on the last
    outcome, own action first (keys ``"CC"``, ``"CD"``, ``"DC"``, ``"DD"``). ``start`` names
    the first state (default: the first listed).
    """

    name = "FSM"
    aliases = ("Finite State Machine", "FiniteStateMachine")
    states: Any = None
    start: str | None = None
    title: str = field(default="", compare=False)

    def __post_init__(self):
        object.__setattr__(self, "_automaton", fsm_automaton(self.states, self.start))
        object.__setattr__(self, "classifier",
                           automaton_classifier(self._automaton, math.inf))

    @property
    def label(self):
        return self.title or "FSM"

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
    classifier = _cls(math.inf, False, True, False)
    states: Any = field(default_factory=lambda: {
        "trust": {"play": "C", "C": "trust", "D": "grudge"},
        "grudge": {"play": "D", "C": "grudge", "D": "grudge"}})

    def __post_init__(self):
        object.__setattr__(self, "_automaton", fsm_automaton(self.states, self.start))

    @property
    def label(self):
        return self.name

    @classmethod
    def parameter_names(cls):
        return ()


@dataclass(frozen=True)
class TF2T(Grim):
    """Tit For Two Tats: defect only after two consecutive defections by the other. Source:
    Maynard Smith's entry in Axelrod (1984), the Axelrod library's ``TitFor2Tats``."""

    name = "TF2T"
    aliases = ("Tit For 2 Tats", "TitFor2Tats", "Tit For Two Tats")
    classifier = _cls(2, False, True, True)
    states: Any = field(default_factory=lambda: {
        "calm": {"play": "C", "C": "calm", "D": "wary"},
        "wary": {"play": "C", "C": "calm", "D": "punish"},
        "punish": {"play": "D", "C": "calm", "D": "punish"}})


@dataclass(frozen=True)
class Prober(Grim):
    """Prober: play D, C, C; if the other cooperated on turns 2 and 3, defect for ever,
    otherwise play Tit For Tat. Source: Li (2011); the Axelrod library's ``Prober``."""

    name = "Prober"
    aliases = ()
    classifier = _cls(math.inf, False, False, False)
    states: Any = field(default_factory=lambda: {
        "t1": {"play": "D", "C": "t2", "D": "t2"},
        "t2": {"play": "C", "C": "t3c", "D": "t3d"},
        "t3c": {"play": "C", "C": "exploit", "D": "tft_d"},
        "t3d": {"play": "C", "C": "tft_c", "D": "tft_d"},
        "exploit": {"play": "D", "C": "exploit", "D": "exploit"},
        "tft_c": {"play": "C", "C": "tft_c", "D": "tft_d"},
        "tft_d": {"play": "D", "C": "tft_c", "D": "tft_d"}})


# ---- infinite memory ------------------------------------------------------------------------

@dataclass(frozen=True)
class SoftMajority(Strategy):
    """Go By Majority (soft): cooperate unless the other has defected more often than it has
    cooperated so far (ties: cooperate). Source: Axelrod (1984); the Axelrod library's
    ``GoByMajority``. Infinite memory: Monte Carlo only."""

    name = "Soft Majority"
    aliases = ("GoByMajority", "Go By Majority")
    classifier = _cls(math.inf, False, True, True, False)

    def rule(self, M):
        return MajorityRule(0)


@dataclass(frozen=True)
class HardMajority(Strategy):
    """Hard Go By Majority: defect unless the other has cooperated more often than it has
    defected so far (ties, including the first move: defect). Source: Mittal & Deb (2009);
    the Axelrod library's ``HardGoByMajority``. Monte Carlo only."""

    name = "Hard Majority"
    aliases = ("HardGoByMajority", "Hard Go By Majority")
    classifier = _cls(math.inf, False, False, True, False)

    def rule(self, M):
        return MajorityRule(1)


# --------------------------------------------------------------------------------------------
# Plain data -> strategy
# --------------------------------------------------------------------------------------------

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
        if title and "title" in {f.name for f in fields(cls)}:
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


@dataclass(frozen=True)
class MealyMachine(FiniteStateMachine):
    """A machine in the Axelrod library's form: rows (state, other's last action, next state,
    action), a first state and a first action (Ashlock & Kim 2008; Knight et al. 2016)."""

    name = "Mealy FSM"
    aliases = ("Mealy", "FSMPlayer")
    transitions: tuple = ()
    initial_state: Any = 1
    initial_action: str = "C"

    def __post_init__(self):
        aut = mealy_automaton(self.transitions, self.initial_state, self.initial_action)
        object.__setattr__(self, "_automaton", aut)
        object.__setattr__(self, "classifier", automaton_classifier(aut, math.inf))

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
