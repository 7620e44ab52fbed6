"""Axelrod-style round-robin tournaments (Axelrod 1980, 1984), exact or Monte Carlo.

**How pairs are played.** Every entrant meets every other (and, with ``self_play``, a copy of
itself). In a *symmetric* game (``B == A.T``) one match per pair is enough, as in the Axelrod
library (``roles="one"``). In an *asymmetric* game each ordered pair plays: strategy ``i`` in
the row role against ``j`` in the column role, and ``j`` as row against ``i`` as column
(``roles="both"``, the default whenever ``B != A.T``); each strategy uses the game as its own
role sees it (GTFT's generosity, a ZD strategy's vector). A strategy's payoff against ``j``
then pools both roles: its total payoff over both matches divided by their total turns.

**What is reported** (all per turn, pooled over repetitions as total payoff / total turns,
which for a continuation probability is the ratio estimator of the exact value):
``payoff_matrix[i, j]`` (``i``'s payoff against ``j``; the diagonal holds self-play, NaN
without it), ``cooperation[i, j]`` (how often ``i`` cooperates against ``j``), and per player
the *normalised score* ``mean_payoffs[i]``: the mean of row ``i`` over the **other** entrants
(as the Axelrod library: self-play fills the diagonal — evolutionary dynamics use it — but is
left out of scores, wins and cooperation rates). The ranking sorts the mean payoffs, best
first; its 95 % confidence intervals are Student-t intervals from the repetitions' normalised
scores (zero width when exact). Wins count matches in which a player's total payoff exceeds
its opponent's (exact: expected payoffs compared; ties win nothing).

**Exact or simulated.** ``method="auto"`` is exact (:func:`sim.play.outcome_frequencies`)
when every entrant is finite-state and Monte Carlo (:func:`sim.play.simulate`) otherwise;
``"exact"`` / ``"simulate"`` force either. Simulated match ``(pair p, repetition r)`` uses
random stream ``p * repetitions + r``, so results are identical for the same seed however the
work is chunked.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from sim.defaults import MAX_NOISE, TOURNAMENT_REPETITIONS, TOURNAMENT_TURNS
from sim.play import (RuleTable, outcome_frequencies, rules_for, shared_outcome_frequencies,
                      simulate)
from sim.results import Result
from sim.strategies import Automaton, Strategy, strategy_from_data

METHODS = ("auto", "exact", "simulate")
ROLES = ("auto", "one", "both")


class _Scores:
    """Scores against the other entrants, from ``payoff_matrix`` and ``cooperation`` (last two
    axes: player, opponent; one tournament or a stack of them)."""

    @staticmethod
    def _others(M) -> np.ndarray:
        n = M.shape[-1]
        return np.nanmean(np.where(np.eye(n, dtype=bool), np.nan, M), axis=-1)

    @property
    def mean_payoffs(self) -> np.ndarray:
        """Normalised score: mean per-turn payoff against the other entrants."""
        return self._others(self.payoff_matrix)

    @property
    def cooperation_rates(self) -> np.ndarray:
        """How often each player cooperates against the other entrants."""
        return self._others(self.cooperation)


@dataclass(frozen=True)
class TournamentResult(_Scores, Result):
    """Outcome of :func:`tournament` (see the module docstring for definitions)."""

    players: tuple[str, ...]
    payoff_matrix: np.ndarray
    cooperation: np.ndarray
    scores: np.ndarray
    wins: np.ndarray
    method: str
    settings: dict = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.players)

    @property
    def ranking(self) -> np.ndarray:
        """Player indices, best mean payoff first (ties keep entry order)."""
        return np.argsort(-self.mean_payoffs, kind="stable")

    @property
    def ci95(self) -> np.ndarray:
        """``(n, 2)`` Student-t 95 % interval of each mean payoff over repetitions (the
        t quantile is scipy's ``stdtrit``, the inverse of Student's t distribution)."""
        reps = self.scores.shape[1]
        m = self.mean_payoffs
        if self.method == "exact":
            return np.stack([m, m], 1)
        if reps < 2:
            return np.full((self.n, 2), np.nan)
        from scipy.special import stdtrit

        half = stdtrit(reps - 1, 0.975) * self.scores.std(1, ddof=1) / np.sqrt(reps)
        return np.stack([m - half, m + half], 1)

    def to_dict(self) -> dict:
        """JSON-serialisable summary. Keys:

        - ``players``: labels in entry order; ``ranking``: labels, best first;
        - ``mean_payoffs``: normalised score per player (entry order);
        - ``ci95``: ``[low, high]`` per player; ``wins``: mean wins per repetition;
        - ``cooperation_rates``: per player, against the other entrants;
        - ``payoff_matrix``, ``cooperation``: ``n x n`` (row ``i`` against column ``j``;
          ``null`` where not played);
        - ``normalised_scores``: per player, one value per repetition;
        - ``method``: ``"exact"`` or ``"simulate"``; ``settings``: the call's parameters.
        """
        return {"players": list(self.players),
                "ranking": [self.players[i] for i in self.ranking],
                "mean_payoffs": _plain(self.mean_payoffs),
                "ci95": _plain(self.ci95),
                "wins": _plain(self.wins.mean(1)),
                "cooperation_rates": _plain(self.cooperation_rates),
                "payoff_matrix": _plain(self.payoff_matrix),
                "cooperation": _plain(self.cooperation),
                "normalised_scores": _plain(self.scores),
                "method": self.method,
                "settings": self.settings}

    def _table(self):
        """The ranking: rank, strategy, mean payoff, 95% CI, cooperation rate, wins."""
        ci, rates, mean, wins = self.ci95, self.cooperation_rates, self.mean_payoffs, \
            self.wins.mean(1)
        rows = [[rank, self.players[i], float(mean[i]),
                 "exact" if self.method == "exact" else f"[{ci[i, 0]:.4g}, {ci[i, 1]:.4g}]",
                 float(rates[i]), float(wins[i])] for rank, i in enumerate(self.ranking, 1)]
        return ["rank", "strategy", "mean payoff", "95% CI", "cooperation", "wins"], rows

    def _caption(self) -> str:
        return f"Tournament ranking ({self.method})"

    def figures(self) -> dict:
        """``{"payoff_heatmap": figure, "ranking": figure}`` (:mod:`sim.plots.tournament`)."""
        from sim.plots.tournament import payoff_heatmap, ranking_chart

        return {"payoff_heatmap": payoff_heatmap(self), "ranking": ranking_chart(self)}

    def figure(self):
        """The ranking chart."""
        return self.figures()["ranking"]

    def to_csv(self, path, overwrite: bool = False) -> None:
        """Write the ranking table: rank, player, mean_payoff, ci95_low, ci95_high,
        cooperation_rate, wins (mean per repetition)."""
        lo_hi, coop, wins = self.ci95, self.cooperation_rates, self.wins.mean(1)
        with _open_new(path, overwrite) as f:
            w = csv.writer(f)
            w.writerow(["rank", "player", "mean_payoff", "ci95_low", "ci95_high",
                        "cooperation_rate", "wins"])
            for rank, i in enumerate(self.ranking, 1):
                w.writerow([rank, self.players[i], self.mean_payoffs[i], *lo_hi[i], coop[i],
                            wins[i]])

    def pairs_csv(self, path, overwrite: bool = False) -> None:
        """Write the long table: player, opponent, payoff, cooperation (one row per pair)."""
        with _open_new(path, overwrite) as f:
            w = csv.writer(f)
            w.writerow(["player", "opponent", "payoff", "cooperation"])
            for i, j in np.ndindex(self.n, self.n):
                if np.isfinite(self.payoff_matrix[i, j]):
                    w.writerow([self.players[i], self.players[j], self.payoff_matrix[i, j],
                                self.cooperation[i, j]])


def _plain(x):
    x = np.asarray(x, dtype=float)
    return np.where(np.isfinite(x), x, None).tolist()


def _open_new(path, overwrite: bool):
    if os.path.exists(path) and not overwrite:
        raise FileExistsError(f"{path} exists; pass overwrite=True to replace it")
    return open(path, "w", newline="")


def _labels(strategies: Sequence[Strategy]) -> tuple[str, ...]:
    labels, seen = [], {}
    for s in strategies:
        base = s.label
        seen[base] = seen.get(base, 0) + 1
        labels.append(base if seen[base] == 1 else f"{base} #{seen[base]}")
    return tuple(labels)


def round_robin_pairs(n: int, roles: str, self_play: bool) -> np.ndarray:
    """``(P, 2)`` (row, column) entrant indices of the matches of a round robin."""
    i, j = np.indices((n, n)).reshape(2, -1)
    keep = (i <= j) if roles == "one" else np.ones_like(i, bool)
    if not self_play:
        keep &= i != j
    return np.stack([i[keep], j[keep]], 1)


def tournament(strategies: Sequence, A, B=None, *, turns: int | None = TOURNAMENT_TURNS,
               continuation: float | None = None, noise: float = 0.0,
               repetitions: int = TOURNAMENT_REPETITIONS, seed: int = 0, method: str = "auto",
               self_play: bool = True, roles: str = "auto", progress: bool = False,
               chunk_turns: int = 5_000_000, budget=None) -> TournamentResult:
    """Round-robin tournament of ``strategies`` (names, plain data or :class:`Strategy`
    objects, see :func:`sim.strategies.strategy_from_data`) on the game ``(A, B)``.

    Length: ``turns`` fixed; or ``continuation`` probability ``w`` (geometric length, with
    ``turns`` as a cap, or ``turns=None`` for none); exact play also accepts neither (limit of
    means). ``noise`` is the execution-noise probability, in [0, 0.5] (:data:`sim.defaults.
MAX_NOISE`). ``repetitions`` and ``seed`` apply to
    simulation (exact results have one "repetition"). ``method``: ``"auto"``, ``"exact"`` or
    ``"simulate"``. ``roles``: ``"auto"`` (``"one"`` if ``B == A.T``, else ``"both"``),
    ``"one"`` or ``"both"`` (module docstring). ``progress`` shows a tqdm bar; simulation runs
    in chunks of about ``chunk_turns`` turns. Before playing, the memory and time are
    estimated and checked against ``budget`` (:mod:`sim.budget`; default: the memory this
    process may use). Raises ValueError on bad input (:class:`sim.budget.BudgetError` when
    too large).
    """
    from sim import budget as cost

    cost.limit("turns", turns)
    cost.limit("repetitions", repetitions)
    entrants = [strategy_from_data(s, f"strategies[{k}]") for k, s in enumerate(strategies)]
    if len(entrants) < 2:
        raise ValueError(f"a tournament needs at least 2 strategies, got {len(entrants)}")
    A = np.asarray(A, dtype=float)
    B = A.T.copy() if B is None else np.asarray(B, dtype=float)
    if A.shape != (2, 2) or B.shape != (2, 2):
        raise ValueError(f"A and B must be 2x2 payoff matrices, got {A.shape} and {B.shape}")
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    if roles not in ROLES:
        raise ValueError(f"roles must be one of {ROLES}, got {roles!r}")
    if not 0 <= noise <= MAX_NOISE:
        raise ValueError(f"noise must lie in [0, {MAX_NOISE}], got {noise}")
    if int(repetitions) != repetitions or repetitions < 1:
        raise ValueError(f"repetitions must be a positive integer, got {repetitions}")
    if roles == "auto":
        roles = "one" if np.array_equal(B, A.T) else "both"
    row_rules = rules_for(entrants, A, B, 0)
    rules = row_rules + (row_rules if np.array_equal(B, A.T) else rules_for(entrants, A, B, 1))
    finite = all(isinstance(r, Automaton) for r in rules)
    if method == "auto":
        method = "exact" if finite else "simulate"
    if method == "exact" and not finite:
        bad = [s.label for s in entrants if not isinstance(s.rule(np.eye(2)), Automaton)]
        raise ValueError(f"exact play needs finite-state strategies; not: {', '.join(bad)}")
    n = len(entrants)
    pairs = round_robin_pairs(n, roles, self_play)
    cost.check(cost.tournament(len(pairs), turns, continuation, repetitions,
                               method == "simulate"), budget)
    settings = {"strategies": [s.to_dict() for s in entrants], "A": A.tolist(),
                "B": B.tolist(), "turns": turns, "continuation": continuation,
                "noise": noise, "repetitions": repetitions if method == "simulate" else 1,
                "seed": seed, "method": method, "self_play": self_play, "roles": roles}
    if method == "exact":
        freq = _exact(rules, n, pairs, noise, continuation, turns, progress)[None]
        lengths = np.ones(freq.shape[:2])
    else:
        from sim._jit import announce

        announce("sim._kernel:play_matches")
        counts, lengths = _simulated(rules, n, pairs, repetitions, turns, continuation, noise,
                                     seed, progress, chunk_turns)
        freq = counts.astype(float)
    pay, coop, wins, length = _aggregate(freq, lengths, pairs, n, A, B)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_rep = pay / length
        matrix = pay.sum(0) / length.sum(0)
        cooperation = coop.sum(0) / length.sum(0)
        scores = np.nanmean(np.where(np.eye(n, dtype=bool), np.nan, per_rep), axis=2).T
    return TournamentResult(_labels(entrants), matrix, cooperation, scores, wins.T, method,
                            settings)


def _exact(rules, n, pairs, noise, discount, turns, progress):
    from tqdm.auto import tqdm

    states = [r.n_states for r in rules]
    size = max(states) ** 2
    per_chunk = max(1, 4_000_000 // (size * size))
    chunks = range(0, len(pairs), per_chunk)
    out = []
    for start in tqdm(chunks, disable=not progress, desc="exact matches", unit="chunk"):
        p = pairs[start:start + per_chunk]
        out.append(outcome_frequencies([rules[i] for i in p[:, 0]],
                                       [rules[n + j] for j in p[:, 1]], noise, discount, turns))
    return np.concatenate(out)


def _simulated(rules, n, pairs, repetitions, turns, continuation, noise, seed, progress,
               chunk_turns):
    from tqdm.auto import tqdm

    P = len(pairs)
    row = np.repeat(pairs[:, 0], repetitions)
    col = np.repeat(pairs[:, 1] + n, repetitions)
    ids = np.arange(P * repetitions)
    mean_len = turns if continuation is None else min(turns or np.inf, 1 / (1 - continuation))
    step = max(1, int(chunk_turns // mean_len))
    counts = np.empty((ids.size, 4), np.int64)
    lengths = np.empty(ids.size, np.int64)
    with tqdm(total=ids.size, disable=not progress, desc="matches", unit="match") as bar:
        for a in range(0, ids.size, step):
            sl = slice(a, a + step)
            counts[sl], lengths[sl] = simulate(rules, row[sl], col[sl], turns=turns,
                                               continuation=continuation, noise=noise,
                                               seed=seed, match_ids=ids[sl])
            bar.update(ids[sl].size)
    return (counts.reshape(P, repetitions, 4).swapaxes(0, 1),
            lengths.reshape(P, repetitions).T)


def _aggregate(freq, lengths, pairs, n, A, B):
    """Per repetition: total payoffs, cooperations and turns of each player against each
    opponent (both roles pooled), and wins. ``freq`` is ``(R, P, 4)`` outcome totals."""
    R = freq.shape[0]
    row_pay, col_pay = freq @ A.reshape(4), freq @ B.reshape(4)
    row_c, col_c = freq[..., 0] + freq[..., 1], freq[..., 0] + freq[..., 2]
    i, j = pairs[:, 0], pairs[:, 1]
    r = np.arange(R)[:, None] * n
    cell_ij, cell_ji = ((r + i) * n + j).ravel(), ((r + j) * n + i).ravel()
    cells = np.concatenate([cell_ij, cell_ji])

    def total(a, b):
        return np.bincount(cells, np.concatenate([np.ravel(a), np.ravel(b)]),
                           R * n * n).reshape(R, n, n)

    length = np.broadcast_to(lengths, row_pay.shape)
    tol = 1e-12 * np.maximum(1.0, np.abs(row_pay) + np.abs(col_pay))
    other = i != j
    wins = np.bincount(np.concatenate([(r + i).ravel(), (r + j).ravel()]),
                       np.concatenate([((row_pay > col_pay + tol) & other).ravel(),
                                       ((col_pay > row_pay + tol) & other).ravel()]),
                       R * n).reshape(R, n)
    return total(row_pay, col_pay), total(row_c, col_c), wins, total(length, length)


# --------------------------------------------------------------------------------------------
# Many tournaments at once (sweeps)
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TournamentBatch(_Scores, Result):
    """:func:`tournament_batch`'s result: per point ``q``, ``payoff_matrix[q]`` and
    ``cooperation[q]`` are exactly :func:`tournament`'s at that point (to the last bit)."""

    players: tuple[str, ...]
    payoff_matrix: np.ndarray        # (N, n, n)
    cooperation: np.ndarray          # (N, n, n)


def tournament_batch(strategies: Sequence, A, B, *, turns: int | None = None,
                     continuation=None, noise=0.0,
                     repetitions: int = TOURNAMENT_REPETITIONS, seeds=None,
                     method: str = "auto") -> TournamentBatch:
    """Round-robin tournaments at ``N`` points at once: point ``q`` is
    ``tournament(strategies, A[q], B[q], turns=turns, continuation=continuation[q],
    noise=noise[q], repetitions=repetitions, seed=seeds[q], method=method)`` (self-play on,
    roles ``"auto"``), and its payoff and cooperation matrices are that call's, bit for bit.

    ``A``, ``B``: ``(N, 2, 2)``; ``continuation`` (or ``None`` with ``turns``) and ``noise``
    broadcast to ``(N,)``; ``seeds``: ``N`` integers for simulated play, or a function giving
    the integers of an array of point positions (called only if some point is simulated). Work is shared: points
    whose strategies follow the same rules (the same game symmetry and, for payoff-dependent
    strategies, the same rules in their game) form a group; a group's exact matches are solved
    once per distinct (continuation, noise) in one batched Markov-chain call
    (:func:`sim.play.outcome_frequencies`), and its simulated matches are played by one
    compiled call per noise level, every point with its own seed and continuation
    (:func:`sim._kernel.play_point_matches`). Raises ValueError on bad input.
    """
    from sim.games import own_views

    entrants = [strategy_from_data(s, f"strategies[{k}]") for k, s in enumerate(strategies)]
    if len(entrants) < 2:
        raise ValueError(f"a tournament needs at least 2 strategies, got {len(entrants)}")
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    if A.ndim != 3 or A.shape[1:] != (2, 2) or B.shape != A.shape:
        raise ValueError(f"A and B must be (N, 2, 2) stacks of games, got {A.shape}, {B.shape}")
    N, n = len(A), len(entrants)
    cont = None if continuation is None else np.broadcast_to(
        np.asarray(continuation, float), (N,))
    eps = np.broadcast_to(np.asarray(noise, float), (N,))
    symmetric = (B == np.swapaxes(A, 1, 2)).all(axis=(1, 2))
    table = RuleTable()
    keys, point_group = table.groups(entrants, own_views(A, B), symmetric)
    matrix, cooperation = np.empty((N, n, n)), np.empty((N, n, n))
    for g, (row, col, sym) in enumerate(keys):
        members = np.flatnonzero(point_group == g)
        rules = [table.rules[i] for i in row + col]
        finite = all(isinstance(r, Automaton) for r in rules)
        how = ("exact" if finite else "simulate") if method == "auto" else method
        if how == "exact" and not finite:
            bad = [s.label for s, r in zip(entrants, rules) if not isinstance(r, Automaton)]
            raise ValueError(f"exact play needs finite-state strategies; not: {', '.join(bad)}")
        pairs = round_robin_pairs(n, "one" if sym else "both", True)
        c = None if cont is None else cont[members]
        if how == "exact":
            freq = _exact_batch(rules, n, pairs, eps[members], c, turns)[:, None]
            lengths = np.ones(freq.shape[:3])
        else:
            point_seeds = seeds(members) if callable(seeds) else np.asarray(seeds)[members]
            freq, lengths = _simulated_batch(rules, n, pairs, repetitions, turns, c,
                                             eps[members], point_seeds)
        matrix[members], cooperation[members] = _totals(freq, lengths, pairs, n, A[members],
                                                        B[members])
    return TournamentBatch(_labels(entrants), matrix, cooperation)


def _exact_batch(rules, n, pairs, noise, continuation, turns):
    """``(N, P, 4)`` exact outcome frequencies, as :func:`_exact` at each point, in
    :func:`_exact`'s slices of pairs (the padding to a slice's largest automaton is part of
    the arithmetic)."""
    states = [r.n_states for r in rules]
    per_chunk = max(1, 4_000_000 // (max(states) ** 4))
    out = np.empty((len(noise), len(pairs), 4))
    for start in range(0, len(pairs), per_chunk):
        p = pairs[start:start + per_chunk]
        out[:, start:start + per_chunk] = shared_outcome_frequencies(
            [rules[i] for i in p[:, 0]], [rules[n + j] for j in p[:, 1]], noise, continuation,
            turns)
    return out


def _simulated_batch(rules, n, pairs, repetitions, turns, continuation, noise, seeds):
    """Outcome counts ``(N, R, P, 4)`` (as floats, laid out as :func:`_simulated` lays out
    one point's) and lengths ``(N, R, P)``: one compiled call per distinct noise level."""
    from sim._kernel import play_point_matches
    from sim.play import _FULL, _compile

    if continuation is None and turns is None:
        raise ValueError("give turns or continuation: a simulation needs a finite length")
    N, P, R = len(noise), len(pairs), int(repetitions)
    row = np.repeat(pairs[:, 0], R)
    col = np.repeat(pairs[:, 1] + n, R)
    ids = np.arange(P * R, dtype=np.uint64)
    cap = np.iinfo(np.int64).max if turns is None else int(turns)
    conts = np.full(N, -1.0) if continuation is None else np.asarray(continuation, float)
    counts = np.empty((N, P * R, 4), np.int64)
    lengths = np.empty((N, P * R), np.int64)
    for eps in np.unique(noise):
        members = np.flatnonzero(noise == eps)
        thr, nxt, starts, kinds, params = _compile(rules, float(eps))
        m = members.size
        c, ln = np.zeros((m * P * R, 4), np.int64), np.zeros(m * P * R, np.int64)
        play_point_matches(thr, nxt, starts, kinds, params, np.tile(row, m), np.tile(col, m),
                           np.tile(ids, m), cap, np.ascontiguousarray(conts[members]),
                           np.array([int(s) % (1 << 64) for s in seeds[members]], np.uint64),
                           np.uint64(round(float(eps) * _FULL)), c, ln)
        counts[members], lengths[members] = c.reshape(m, P * R, 4), ln.reshape(m, P * R)
    return (counts.reshape(N, P, R, 4).swapaxes(1, 2).astype(float),
            lengths.reshape(N, P, R).swapaxes(1, 2))


def _totals(freq, lengths, pairs, n, A, B):
    """Payoff and cooperation matrices ``(N, n, n)`` of ``N`` points from outcome totals
    ``freq`` ``(N, R, P, 4)`` and ``lengths`` ``(N, R, P)``: :func:`_aggregate`'s totals and
    :func:`tournament`'s ratios with the same operations in the same order at every point
    (one ``bincount`` over all points, each point's weights in :func:`_aggregate`'s order)."""
    N, R = freq.shape[:2]
    row_pay = np.matmul(freq, A.reshape(N, 1, 4, 1))[..., 0]
    col_pay = np.matmul(freq, B.reshape(N, 1, 4, 1))[..., 0]
    row_c, col_c = freq[..., 0] + freq[..., 1], freq[..., 0] + freq[..., 2]
    i, j = pairs[:, 0], pairs[:, 1]
    r = np.arange(R)[:, None] * n
    cells = np.concatenate([((r + i) * n + j).ravel(), ((r + j) * n + i).ravel()])
    cells = (cells[None, :] + (np.arange(N) * (R * n * n))[:, None]).ravel()

    def total(a, b):
        w = np.concatenate([a.reshape(N, -1), b.reshape(N, -1)], axis=1).ravel()
        return np.bincount(cells, w, N * R * n * n).reshape(N, R, n, n)

    length = np.broadcast_to(lengths, row_pay.shape)
    pay, coop, turns = total(row_pay, col_pay), total(row_c, col_c), total(length, length)
    with np.errstate(invalid="ignore", divide="ignore"):
        return pay.sum(1) / turns.sum(1), coop.sum(1) / turns.sum(1)
