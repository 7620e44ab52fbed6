"""Repeated play of two strategies: exact (Markov chain) and Monte Carlo (numba kernel).

Outcomes are indexed ``k = 2 * row action + column action``: ``CC, CD, DC, DD`` (row's action
first). Both engines report **outcome frequencies per turn**; payoffs and cooperation rates
follow linearly (:func:`payoffs_from_frequencies`), so one run serves any payoff matrices.

Execution noise ``ε`` flips each intended action independently with probability ``ε``
(Bendor 1993; Axelrod library's ``noise``); strategies see the actions actually played.

**Exact play** (finite-state strategies, :class:`sim.strategies.Automaton`). The joint states
``(s_row, s_col)`` form a Markov chain with transition matrix ``M`` and outcome law ``O`` per
state (Nowak & Sigmund 1990; Press & Dyson 2012 for memory one). From the start ``e0``:

- ``turns=T`` (optionally ``discount=w``): ``Σ_{t<T} w^t e0 M^t O / Σ_{t<T} w^t``;
- ``discount=δ`` alone: ``(1−δ) e0 (I − δM)^{-1} O`` — the normalised discounted payoff, and
  equally the expected payoff per turn of a match that continues with probability ``δ``
  after each turn (ratio of expected total payoff to expected length; Axelrod 1984);
- neither: the limit of means ``lim (1/T) Σ_{t<T} e0 M^t O`` (Cesàro limit). For reducible
  chains (e.g. ``ε = 0``) it is ``Σ_c b_c π_c``: ``b_c`` the probability to be absorbed in
  closed class ``c`` from the start, from the fundamental matrix ``(I − Q)^{-1}``, and ``π_c``
  the stationary law of that class (Kemeny & Snell 1960).

**Monte Carlo** runs every strategy in one compiled loop over matches (numba, no Python loop
per match). Match ``m`` draws its uniforms from a counter-based stream,
``splitmix64(key(seed, match id) + (turn + 1) · γ)`` (Steele, Lea & Flood 2014): results do not
depend on how matches are split into batches, threads or processes. The cooperation
probability of a state already includes noise, ``q = p(1−ε) + (1−p)ε``, so one 32-bit uniform
decides each player's realised action; deterministic turns draw nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from sim.games import own_views
from sim.results import Result
from sim.strategies import Automaton, MajorityRule, Strategy

OUTCOMES = ("CC", "CD", "DC", "DD")


# --------------------------------------------------------------------------------------------
# Rules for a game
# --------------------------------------------------------------------------------------------

def rules_for(strategies: Sequence[Strategy], A, B=None, role: int = 0) -> list:
    """Each strategy's rule when it plays ``role`` (0 row, 1 column) in the game ``(A, B)``."""
    view = own_views(A, np.swapaxes(A, -1, -2) if B is None else B)[role]
    return [s.rule(view) for s in strategies]


def effective_cooperation(p, noise):
    """Probability that an intended cooperation probability ``p`` is realised as C under
    execution noise ``ε``: ``p(1−ε) + (1−p)ε`` (broadcasts)."""
    return p * (1 - noise) + (1 - p) * noise


# --------------------------------------------------------------------------------------------
# Exact play
# --------------------------------------------------------------------------------------------

def _stack(automata: Sequence[Automaton]) -> tuple[np.ndarray, np.ndarray]:
    n = max(a.n_states for a in automata)
    padded = [a.padded(n) for a in automata]
    return np.stack([a.coop for a in padded]), np.stack([a.next for a in padded])


def joint_chain(row: Sequence[Automaton], col: Sequence[Automaton], noise=0.0):
    """Transition matrices ``M`` (shape ``noise.shape + (P, S, S)``) and outcome laws ``O``
    (``... (P, S, 4)``) of ``P`` pairs; joint state ``s_row * S_col + s_col``, start 0."""
    c1, n1 = _stack(row)
    c2, n2 = _stack(col)
    eps = np.asarray(noise, dtype=float)[..., None, None]
    q1, q2 = effective_cooperation(c1, eps), effective_cooperation(c2, eps)
    P, S1 = c1.shape
    S2 = c2.shape[1]
    a1 = np.stack([q1, 1 - q1], -1)[..., :, None, :, None]
    a2 = np.stack([q2, 1 - q2], -1)[..., None, :, None, :]
    O = (a1 * a2).reshape(eps.shape[:-2] + (P, S1 * S2, 4))
    target = (n1[:, :, None, :, :] * S2 + np.swapaxes(n2, -1, -2)[:, None, :, :, :])
    target = target.reshape(P, S1 * S2, 4)
    M = np.zeros(O.shape[:-1] + (S1 * S2,))
    pi, si = np.arange(P)[:, None], np.arange(S1 * S2)[None, :]
    for k in range(4):
        M[..., pi, si, target[:, :, k]] += O[..., k]
    return M, O


def _cesaro_start(M: np.ndarray) -> np.ndarray:
    """Long-run average distribution from state 0 of one (possibly reducible) chain."""
    from scipy.sparse.csgraph import breadth_first_order, connected_components

    adj = M > 0
    reach = np.sort(breadth_first_order(adj, 0, return_predecessors=False))
    R = M[np.ix_(reach, reach)]
    _, label = connected_components(R > 0, directed=True, connection="strong")
    v = np.zeros(len(reach))
    closed = [c for c in np.unique(label)
              if np.allclose(R[np.ix_(label == c, label == c)].sum(1), 1.0, atol=1e-12)]
    transient = ~np.isin(label, closed)
    start = 0  # reach is sorted and contains 0 first
    if transient[start]:
        Q = R[np.ix_(transient, transient)]
        N_row = np.linalg.solve((np.eye(Q.shape[0]) - Q).T,
                                (np.arange(len(reach))[transient] == start).astype(float))
    for c in closed:
        members = label == c
        if transient[start]:
            b = N_row @ R[np.ix_(transient, members)].sum(1)
        else:
            b = float(label[start] == c)
        if b <= 0:
            continue
        Pc = R[np.ix_(members, members)]
        n = Pc.shape[0]
        lhs = np.vstack([Pc.T - np.eye(n), np.ones(n)])
        pi = np.linalg.lstsq(lhs, np.r_[np.zeros(n), 1.0], rcond=None)[0]
        v[members] += b * pi
    out = np.zeros(M.shape[0])
    out[reach] = v
    return out


def _check_horizon(discount, turns):
    if discount is not None and not np.all((np.asarray(discount) >= 0) &
                                           (np.asarray(discount) < 1 if turns is None
                                            else np.asarray(discount) <= 1)):
        raise ValueError(f"discount must lie in [0, 1), got {discount}")
    if turns is not None and (int(turns) != turns or turns < 1):
        raise ValueError(f"turns must be a positive integer, got {turns}")


def outcome_frequencies(row: Sequence[Automaton], col: Sequence[Automaton], noise=0.0,
                        discount=None, turns=None) -> np.ndarray:
    """Exact expected outcome frequencies per turn ``(CC, CD, DC, DD)`` of the pairs
    ``(row[p], col[p])``; shape ``broadcast(noise, discount) + (P, 4)``. Horizon: ``turns``,
    ``discount`` (or continuation probability), both (discounted finite match), or neither
    (limit of means); formulas in the module docstring."""
    _check_horizon(discount, turns)
    noise = np.asarray(noise, dtype=float)
    if not np.all((noise >= 0) & (noise <= 1)):
        raise ValueError(f"noise must lie in [0, 1], got {noise}")
    shape = np.broadcast_shapes(noise.shape, np.shape(discount) if discount is not None else ())
    M, O = joint_chain(row, col, np.broadcast_to(noise, shape))
    S = M.shape[-1]
    if turns is not None:
        w = np.ones(shape) if discount is None else np.broadcast_to(
            np.asarray(discount, float), shape)
        w = w[..., None, None]
        v = np.zeros(M.shape[:-1])
        v[..., 0] = 1.0
        acc, weight, total = np.zeros_like(v), np.ones_like(w), np.zeros_like(w)
        for _ in range(int(turns)):
            acc += weight * v
            total += weight
            v = np.einsum("...s,...st->...t", v, M)
            weight = weight * w
        x = acc / total
    elif discount is not None:
        d = np.broadcast_to(np.asarray(discount, float), shape)[..., None, None, None]
        e0 = np.zeros(M.shape[:-1])
        e0[..., 0] = 1.0
        lhs = np.eye(S) - d * np.swapaxes(M, -1, -2)
        x = np.linalg.solve(lhs, ((1 - d[..., 0]) * e0)[..., None])[..., 0]
    else:
        flat = M.reshape(-1, S, S)
        x = np.stack([_cesaro_start(m) for m in flat]).reshape(M.shape[:-1])
    return np.einsum("...s,...sk->...k", x, O)


def unique_rows(X) -> tuple[np.ndarray, np.ndarray]:
    """``(distinct rows of X, index of each row's distinct row)`` (as ``np.unique(X, axis=0,
    return_inverse=True)``, rows compared by value), fast when all rows are equal."""
    X = np.asarray(X)
    if len(X) == 0 or (X == X[0]).all():
        return X[:1], np.zeros(len(X), np.int64)
    order = np.lexsort(X.T[::-1])
    Xs = X[order]
    new = np.concatenate([[True], (Xs[1:] != Xs[:-1]).any(axis=1)])
    index = np.empty(len(X), np.int64)
    index[order] = np.cumsum(new) - 1
    return Xs[new], index


#: Distinct (discount, noise) values per batched Markov-chain call of
#: :func:`shared_outcome_frequencies` (memory: about 0.2 MB each for 36 pairs of memory-one
#: strategies).
SHARED_SLICE = 64


def shared_outcome_frequencies(row, col, noise, discount=None, turns=None) -> np.ndarray:
    """:func:`outcome_frequencies` of the same pairs at ``N`` points, shape ``(N, P, 4)``
    (``noise``, ``discount``: ``(N,)``; ``discount`` may be ``None``), each distinct
    ``(discount, noise)`` solved once, in slices of ``SHARED_SLICE``: every point's value is
    the value of the call at that point alone, to the last bit (the batched solve treats each
    matrix on its own)."""
    noise = np.asarray(noise, dtype=float)
    disc = np.zeros(noise.shape) if discount is None else np.broadcast_to(
        np.asarray(discount, dtype=float), noise.shape)
    combos, index = unique_rows(np.stack([disc, noise], 1))
    out = np.empty((len(combos), len(row), 4))
    for a in range(0, len(combos), SHARED_SLICE):
        part = combos[a:a + SHARED_SLICE]
        out[a:a + SHARED_SLICE] = outcome_frequencies(
            row, col, part[:, 1], None if discount is None else part[:, 0], turns)
    return out[index.ravel()]


def ignores_game(method) -> bool:
    """Whether a strategy's ``rule(M)`` or ``vector(M)`` never reads its game ``M``: its code
    never loads the argument (nor hands it to a closure), so its value is the same in every
    game. A static check of the function's bytecode (``dis``)."""
    import dis

    code = getattr(method, "__code__", None)
    if code is None or code.co_argcount < 2:
        return False
    arg = code.co_varnames[1]
    if arg in code.co_cellvars:
        return False
    for ins in dis.get_instructions(code):
        if "FAST" in ins.opname and arg in (ins.argval if isinstance(ins.argval, tuple)
                                            else (ins.argval,)):
            return False
    return True


class RuleTable:
    """Distinct rules, numbered by content: points whose strategies follow the same rules
    share their exact matches. A strategy whose rule ignores the game (:func:`ignores_game`)
    gets it once; a memory-one strategy's rule (:func:`~sim.strategies.memory_one_automaton`
    of its ``vector``) is built once per distinct vector."""

    def __init__(self):
        self.rules, self._ids, self._vectors, self._objects = [], {}, {}, {}

    def rule_ids(self, strategy, views) -> np.ndarray:
        """Number of ``strategy``'s rule in each game whose own view is ``views[g]``."""
        from sim.strategies import MemoryOne

        cls = type(strategy)
        if issubclass(cls, MemoryOne) and cls.rule is MemoryOne.rule:
            if ignores_game(cls.vector):
                return np.full(len(views), self._vector_id(strategy, views[0]))
            return np.array([self._vector_id(strategy, v) for v in views], dtype=np.int64)
        if ignores_game(cls.rule):
            return np.full(len(views), self._id(strategy.rule(views[0])))
        return np.array([self._id(strategy.rule(v)) for v in views], dtype=np.int64)

    def _vector_id(self, strategy, view) -> int:
        vec = tuple(float(x) for x in strategy.vector(view))
        if vec not in self._vectors:
            self._vectors[vec] = self._id(strategy.rule(view))
        return self._vectors[vec]

    def _id(self, rule) -> int:
        key = (rule.coop.tobytes(), rule.next.tobytes()) if isinstance(rule, Automaton) \
            else (type(rule).__name__, repr(rule))
        if key not in self._ids:
            self._ids[key] = len(self.rules)
            self.rules.append(rule)
        return self._ids[key]

    def groups(self, strategies, views, symmetric=None) -> tuple[list, np.ndarray]:
        """Group the games of ``views`` (``(2, G, 2, 2)``, :func:`sim.games.own_views`) by the
        rules of all ``strategies`` in both roles: ``(keys, group of each game)``, a key
        being ``(row rule ids, column rule ids, symmetric)``. With ``symmetric`` (a ``(G,)``
        mask), a symmetric game's column rules are its row rules (as :func:`tournament`
        takes them)."""
        G = views.shape[1]
        sym = np.zeros(G, bool) if symmetric is None else np.asarray(symmetric, bool)
        row = np.stack([self.rule_ids(s, views[0]) for s in strategies], 1)
        col = np.stack([self.rule_ids(s, views[1]) for s in strategies], 1)
        col = np.where(sym[:, None], row, col)
        keys, group = unique_rows(np.concatenate([row, col, sym[:, None]], 1))
        k = len(strategies)
        return ([(tuple(int(x) for x in key[:k]), tuple(int(x) for x in key[k:2 * k]),
                  bool(key[-1])) for key in keys], group)


def payoffs_from_frequencies(freq, A, B=None):
    """Per-turn payoffs ``(row, column)`` and cooperation rates ``(row, column)`` from outcome
    frequencies ``(..., 4)`` ordered ``CC, CD, DC, DD``."""
    A = np.asarray(A, dtype=float)
    B = np.swapaxes(A, -1, -2) if B is None else np.asarray(B, dtype=float)
    freq = np.asarray(freq, dtype=float)
    pay = np.stack([freq @ A.reshape(4), freq @ B.reshape(4)], -1)
    coop = np.stack([freq[..., 0] + freq[..., 1], freq[..., 0] + freq[..., 2]], -1)
    return pay, coop


@dataclass(frozen=True)
class MatchValue(Result):
    """Per-turn payoffs and cooperation rates of a match; last axis ``(row, column)``."""

    payoffs: np.ndarray
    cooperation: np.ndarray
    frequencies: np.ndarray


def exact_match(row: Strategy, col: Strategy, A, B=None, noise=0.0, discount=None,
                turns=None) -> MatchValue:
    """Exact expected per-turn payoffs of ``row`` (row role) against ``col`` in ``(A, B)``
    (``B`` defaults to ``A.T``). ``noise`` and ``discount`` broadcast. Raises ValueError if a
    strategy has no finite-state form."""
    rules = [rules_for([row], A, B, 0)[0], rules_for([col], A, B, 1)[0]]
    for s, r in zip((row, col), rules):
        if not isinstance(r, Automaton):
            raise ValueError(f"{s.label} has infinite memory: use simulate_match")
    freq = outcome_frequencies([rules[0]], [rules[1]], noise, discount, turns)[..., 0, :]
    pay, coop = payoffs_from_frequencies(freq, A, B)
    return MatchValue(pay, coop, freq)


# --------------------------------------------------------------------------------------------
# Monte Carlo
# --------------------------------------------------------------------------------------------

_FULL = 1 << 32


def _compile(rules: Sequence, noise: float):
    """Flatten rules into kernel arrays: per state a realised-C threshold (out of 2^32) and
    absolute next states ``next[s, 2*own + other]``; per rule a kind, start and parameter."""
    starts, kinds, params, coop, nxt = [], [], [], [], []
    offset = 0
    for r in rules:
        if isinstance(r, Automaton):
            coop.append(r.coop)
            nxt.append(offset + r.next.reshape(-1, 4))
            starts.append(offset)
            kinds.append(0)
            params.append(0)
            offset += r.n_states
        elif isinstance(r, MajorityRule):
            starts.append(0)
            kinds.append(1)
            params.append(int(r.threshold))
        else:
            raise TypeError(f"cannot simulate rule {r!r}")
    q = effective_cooperation(np.concatenate(coop), noise) if coop else np.zeros(1)
    thr = np.round(q * _FULL).astype(np.uint64)
    nxt_all = np.concatenate(nxt).astype(np.int64) if nxt else np.zeros((1, 4), np.int64)
    return (thr, nxt_all, np.asarray(starts, np.int64), np.asarray(kinds, np.int64),
            np.asarray(params, np.int64))


def simulate(rules: Sequence, row, col, *, turns: int | None = 200,
             continuation: float | None = None, noise: float = 0.0, seed: int = 0,
             match_ids=None) -> tuple[np.ndarray, np.ndarray]:
    """Simulate matches ``rules[row[m]]`` (row role) against ``rules[col[m]]``.

    Length: ``turns`` fixed, or geometric with continuation probability ``continuation``
    (``P(length > t) = w^t``; ``turns`` then caps it, ``None`` for no cap). ``match_ids``
    (default ``0..M-1``) name each match's random stream: the same (seed, id) gives the same
    match whatever else is simulated. Returns outcome counts ``(M, 4)`` (``CC, CD, DC, DD``)
    and lengths ``(M,)``.
    """
    from sim._kernel import play_matches

    row = np.asarray(row, np.int64)
    col = np.asarray(col, np.int64)
    if row.shape != col.shape or row.ndim != 1:
        raise ValueError("row and col must be 1-d index arrays of equal length")
    if not 0 <= noise <= 1:
        raise ValueError(f"noise must lie in [0, 1], got {noise}")
    if continuation is None and turns is None:
        raise ValueError("give turns or continuation: a simulation needs a finite length")
    if continuation is not None and not 0 <= continuation < 1:
        raise ValueError(f"continuation must lie in [0, 1), got {continuation}")
    if turns is not None and (int(turns) != turns or turns < 1):
        raise ValueError(f"turns must be a positive integer, got {turns}")
    ids = np.arange(row.size, dtype=np.uint64) if match_ids is None else \
        np.asarray(match_ids).astype(np.uint64)
    thr, nxt, starts, kinds, params = _compile(rules, noise)
    cap = np.iinfo(np.int64).max if turns is None else int(turns)
    cont = -1.0 if continuation is None else float(continuation)
    counts = np.zeros((row.size, 4), np.int64)
    lengths = np.zeros(row.size, np.int64)
    play_matches(thr, nxt, starts, kinds, params, row, col, ids, cap, cont,
                 np.uint64(int(seed) % (1 << 64)), np.uint64(round(noise * _FULL)),
                 counts, lengths)
    return counts, lengths


def simulate_match(row: Strategy, col: Strategy, A, B=None, *, repetitions: int = 100,
                   turns: int | None = 200, continuation: float | None = None,
                   noise: float = 0.0, seed: int = 0) -> MatchValue:
    """Monte-Carlo per-turn payoffs of ``row`` against ``col``, one value per repetition
    (arrays of shape ``(repetitions, 2)``); works for every strategy."""
    rules = rules_for([row], A, B, 0) + rules_for([col], A, B, 1)
    zeros = np.zeros(repetitions, np.int64)
    counts, lengths = simulate(rules, zeros, zeros + 1, turns=turns, continuation=continuation,
                               noise=noise, seed=seed)
    freq = counts / lengths[:, None]
    pay, coop = payoffs_from_frequencies(freq, A, B)
    return MatchValue(pay, coop, freq)


def strategy_frequencies(strategies: Sequence[Strategy], A, B=None, *, noise=0.0,
                         discount=None, turns=None) -> np.ndarray:
    """Exact outcome frequencies ``(CC, CD, DC, DD)`` per turn of all ``k²`` matches among
    finite-memory ``strategies`` in ``(A, B)``, shape ``broadcast(noise, discount) + (k, k, 4)``:
    entry ``[..., i, j, :]`` is strategy ``i`` in the row role against ``j`` in the column
    role. One batched Markov-chain call (:func:`outcome_frequencies`); ``noise`` and
    ``discount`` broadcast, so one call serves many points of a sweep that share the game."""
    A = np.asarray(A, dtype=float)
    B = np.swapaxes(A, -1, -2) if B is None else np.asarray(B, dtype=float)
    rows, cols = rules_for(strategies, A, B, 0), rules_for(strategies, A, B, 1)
    if not all(isinstance(r, Automaton) for r in rows + cols):
        bad = [s.label for s, r in zip(strategies, rows) if not isinstance(r, Automaton)]
        raise ValueError(f"exact payoffs need finite-state strategies; not: {', '.join(bad)}")
    k = len(strategies)
    i, j = np.divmod(np.arange(k * k), k)
    freq = outcome_frequencies([rows[a] for a in i], [cols[b] for b in j], noise, discount,
                               turns)
    return freq.reshape(freq.shape[:-2] + (k, k, 4))


def strategy_payoffs(strategies: Sequence[Strategy], A, B=None, *, noise=0.0, discount=None,
                     turns=None):
    """Exact payoff and cooperation matrices among finite-memory ``strategies`` in ``(A, B)``.

    Returns ``(row_payoff, column_payoff, row_cooperation, column_cooperation)``, each
    ``broadcast(noise, discount) + (k, k)``: entry ``[..., i, j]`` is for the match with
    strategy ``i`` in the row role and ``j`` in the column role, from
    :func:`strategy_frequencies`. In a symmetric game ``row_payoff`` is the usual payoff
    matrix of evolutionary game theory (Maynard Smith 1982).
    """
    A = np.asarray(A, dtype=float)
    B = np.swapaxes(A, -1, -2) if B is None else np.asarray(B, dtype=float)
    freq = strategy_frequencies(strategies, A, B, noise=noise, discount=discount, turns=turns)
    pay, coop = payoffs_from_frequencies(freq, A, B)
    return pay[..., 0], pay[..., 1], coop[..., 0], coop[..., 1]


@dataclass(frozen=True)
class PopulationGame(Result):
    """The games evolution plays among strategies: :func:`population_game`'s result.

    ``row``, ``column``: ``(..., k, k)`` payoffs of the row- and column-role strategy in the
    match (row strategy ``i``, column strategy ``j``), for two-population dynamics;
    ``mutual``: the frequency of (C,C) in that match; ``symmetric``: whether ``B == A.T``.
    """

    labels: tuple[str, ...]
    row: np.ndarray
    column: np.ndarray
    mutual: np.ndarray
    symmetric: bool

    def _table(self):
        M = self.one_population
        if M.ndim != 2:
            return super()._table()
        return ["strategy", *self.labels], [[s, *map(float, M[i])]
                                            for i, s in enumerate(self.labels)]

    def _caption(self) -> str:
        return "Payoffs among strategies (one population: row against column)"

    @property
    def one_population(self) -> np.ndarray:
        """Payoff matrix for one population whose members play both roles equally often:
        ``row`` in a symmetric game, else the role average ``(row + columnᵀ) / 2``, the
        expected payoff when each match assigns the roles at random (Selten 1980)."""
        if self.symmetric:
            return self.row
        return (self.row + np.swapaxes(self.column, -1, -2)) / 2


def population_game(strategies: Sequence[Strategy], A, B=None, *, noise=0.0, discount=None,
                    turns=None) -> PopulationGame:
    """Exact payoff matrices among ``strategies`` in the repeated game ``(A, B)`` (execution
    noise ``noise``, continuation probability or discount factor ``discount``, or ``turns``;
    both broadcast) for evolutionary dynamics; see :class:`PopulationGame`."""
    A = np.asarray(A, dtype=float)
    B = np.swapaxes(A, -1, -2) if B is None else np.asarray(B, dtype=float)
    freq = strategy_frequencies(strategies, A, B, noise=noise, discount=discount, turns=turns)
    pay, _ = payoffs_from_frequencies(freq, A, B)
    return PopulationGame(tuple(s.label for s in strategies), pay[..., 0], pay[..., 1],
                          freq[..., 0], bool(np.allclose(B, np.swapaxes(A, -1, -2))))


def population_games(strategies: Sequence[Strategy], A, B, *, noise=0.0, discount=None,
                     turns=None):
    """:func:`population_game` at ``N`` points at once: ``A``, ``B`` ``(N, 2, 2)``;
    ``noise``, ``discount`` broadcast to ``(N,)``. Returns ``(row, column, mutual,
    one_population)``, each ``(N, k, k)``, point ``q``'s equal to
    ``population_game(strategies, A[q], B[q], noise=noise[q], discount=discount[q])``'s to the
    last bit. Points whose strategies follow the same rules (every game, for rules that do not
    depend on payoffs) share one solve per distinct (discount, noise)
    (:func:`shared_outcome_frequencies`)."""
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    N, k = len(A), len(strategies)
    eps = np.broadcast_to(np.asarray(noise, float), (N,))
    disc = None if discount is None else np.broadcast_to(np.asarray(discount, float), (N,))
    _check_horizon(disc, turns)
    views = own_views(A, B)
    table = RuleTable()
    keys, point_group = table.groups(strategies, views)
    freq = np.empty((N, k * k, 4))
    i, j = np.divmod(np.arange(k * k), k)
    for g, (row_ids, col_ids, _) in enumerate(keys):
        rules = [table.rules[r] for r in row_ids + col_ids]
        if not all(isinstance(r, Automaton) for r in rules):
            bad = [s.label for s, r in zip(strategies, rules) if not isinstance(r, Automaton)]
            raise ValueError(f"exact payoffs need finite-state strategies; not: "
                             f"{', '.join(bad)}")
        members = np.flatnonzero(point_group == g)
        freq[members] = shared_outcome_frequencies(
            [rules[a] for a in i], [rules[k + b] for b in j], eps[members],
            None if disc is None else disc[members], turns)
    freq = freq.reshape(N, k, k, 4)
    row = np.matmul(freq, A.reshape(N, 1, 4, 1))[..., 0]
    column = np.matmul(freq, B.reshape(N, 1, 4, 1))[..., 0]
    symmetric = np.isclose(B, np.swapaxes(A, -1, -2)).all(axis=(1, 2))
    one = np.where(symmetric[:, None, None], row, (row + np.swapaxes(column, -1, -2)) / 2)
    return row, column, freq[..., 0], one
