"""Classifiers computed from a strategy's automaton (Axelrod 1984; Knight et al. 2016):
memory depth, stochastic, nice, forgiving. A strategy's ``classifier`` dict is computed from
its automaton in the standard Prisoner's Dilemma wherever it has one."""

from __future__ import annotations

import math

import numpy as np

from .rules import C, D, Automaton

CLASSIFIER_KEYS = ("memory_depth", "stochastic", "nice", "forgiving", "finite_state")


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


def memory_depth(aut: Automaton) -> float:
    """The fewest past outcomes ``k`` that determine what the automaton plays from turn ``k``
    on (Axelrod's memory depth; ``inf`` if no ``k`` does, as for Grim).

    Two states the automaton can be in at the same turn, after any two histories, must play
    alike once both have seen the same last ``k`` outcomes. The pairs reachable at the same
    turn are found from ``(start, start)``; ``B_k`` (those pairs after ``k`` more common
    outcomes) shrinks with ``k`` and becomes stationary, so the smallest ``k`` whose pairs all
    play alike is found in at most ``n²`` steps, or never.
    """
    n, nxt = aut.n_states, aut.next.reshape(aut.n_states, 4)
    pairs = _closure(aut, [(0, 0)], lambda st: [(int(nxt[st[0], a]), int(nxt[st[1], b]))
                                                 for a in range(4) for b in range(4)])
    for k in range(n * n + 1):
        if all(aut.coop[s] == aut.coop[t] for s, t in pairs):
            return k
        after = {(int(nxt[s, a]), int(nxt[t, a])) for s, t in pairs for a in range(4)}
        if after == pairs:
            return math.inf
        pairs = after
    return math.inf


def automaton_classifier(aut: Automaton, depth: float | None = None) -> dict:
    """The classifier dict of an automaton: every entry computed (``depth`` overrides the
    computed memory depth)."""
    return {"memory_depth": memory_depth(aut) if depth is None else depth,
            "stochastic": is_stochastic(aut), "nice": is_nice(aut),
            "forgiving": is_forgiving(aut), "finite_state": True}
