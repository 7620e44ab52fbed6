"""What the play engines run: a finite-state :class:`Automaton` (memory-one vectors,
machines and all the classics are automata) or an infinite-memory :class:`MajorityRule`."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

C, D = 0, 1


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
