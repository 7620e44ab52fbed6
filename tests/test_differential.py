"""Differential tests: blocsim against nashpy, exact ``fractions``, brute-force best replies
to finite automata, and QuantEcon's subgame-perfect payoff sets, on generated games.

Games are drawn by hypothesis (derandomized under CI): integer and tie-heavy games, real
games, and targeted families — Chicken-like (T > R > S > P for both), cycling orderings (one
player wants to match, the other to mismatch: no pure equilibrium) and a Prisoner's Dilemma
player facing a Chicken player (whose minmax profile is no stage equilibrium, so the optimal
penal code is not closed form).

References, all independent of :mod:`sim.equilibria`:

* stage equilibria: nashpy's support enumeration, and exact support enumeration in
  ``Fraction`` arithmetic;
* repeated-game thresholds and regime labels: the strategy profiles written as finite
  automata; values are exact discounted sums (the linear system ``V = (1−δ)u + δPV`` solved in
  ``Fraction``); subgame perfection is checked by one-shot deviations at every automaton
  state (Blackwell 1965; exact for finite automata in discounted games) and the Nash property
  by enumerating every stationary best reply to the automaton (a finite MDP);
* (C,C) played forever as a pure-strategy SPE outcome: QuantEcon's Abreu–Sannikov SPE payoff
  set, whose minimum per player is the optimal penal code's value (Abreu 1988).
"""

import itertools
import warnings
from fractions import Fraction as Fr

import nashpy
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sim.equilibria import (REGIMES, is_degenerate, nash_equilibria, pure_equilibria,
                            regime, sustained, threshold, worst_stage_nash)
from sim.games import Game
from sim.spe import critical_discount, forever_holds

from regime_reference import nashpy_regime, regime_label

# --------------------------------------------------------------------------------------------
# Generated games
# --------------------------------------------------------------------------------------------

ints = st.integers(-4, 4)
int_game = st.tuples(*(ints,) * 8).map(
    lambda x: (np.array(x[:4], float).reshape(2, 2), np.array(x[4:], float).reshape(2, 2)))
tie_game = st.tuples(*(st.sampled_from([0, 1, 2]),) * 8).map(
    lambda x: (np.array(x[:4], float).reshape(2, 2), np.array(x[4:], float).reshape(2, 2)))
gap = st.integers(1, 4)


def _letters(order):
    """Own-view ``(T, R, P, S)`` with the strict ordering ``order`` (best first), from gaps."""
    def build(x):
        base, gaps = x[0], x[1:]
        values = np.cumsum([base] + list(gaps))[::-1]      # descending
        return tuple(int(values[order.index(k)]) for k in "TRPS")
    return st.tuples(ints, gap, gap, gap).map(build)


chicken = _letters("TRSP")                                   # T > R > S > P
pd = _letters("TRPS")                                        # T > R > P > S
matcher = st.sampled_from(["RTPS", "RPTS", "PRST", "RPST", "PRTS", "PTRS"]).flatmap(_letters)
mismatcher = st.sampled_from(["TRSP", "TSRP", "STPR", "SPTR", "TSPR", "STRP"]).flatmap(_letters)


def _game(pair):
    g = Game.from_trps(*pair)
    return g.A, g.B


chicken_game = st.tuples(chicken, chicken).map(_game)
cycling_game = st.one_of(st.tuples(matcher, mismatcher), st.tuples(mismatcher, matcher)).map(_game)
pd_vs_chicken = st.one_of(st.tuples(pd, chicken), st.tuples(chicken, pd)).map(_game)
any_game = st.one_of(int_game, tie_game, chicken_game, cycling_game, pd_vs_chicken)

DELTAS = [Fr(1, 10), Fr(1, 4), Fr(1, 3), Fr(1, 2), Fr(3, 5), Fr(2, 3), Fr(3, 4), Fr(4, 5),
          Fr(9, 10), Fr(19, 20), Fr(99, 100)]


def exact(M):
    return [[Fr(int(x)) for x in row] for row in M]


# --------------------------------------------------------------------------------------------
# Exact stage equilibria (Fraction support enumeration)
# --------------------------------------------------------------------------------------------

def exact_equilibria(A, B):
    """Pure equilibria (row-major) then the completely mixed one, as probabilities of C."""
    A, B = exact(A), exact(B)
    out = []
    for i, j in itertools.product((0, 1), (0, 1)):
        if A[i][j] >= A[1 - i][j] and B[i][j] >= B[i][1 - j]:
            out.append((Fr(1 - i), Fr(1 - j)))
    den_y = A[0][0] - A[1][0] - A[0][1] + A[1][1]          # row indifferent: column's y
    den_x = B[0][0] - B[0][1] - B[1][0] + B[1][1]          # column indifferent: row's x
    if den_y != 0 and den_x != 0:
        y = (A[1][1] - A[0][1]) / den_y
        x = (B[1][1] - B[1][0]) / den_x
        if 0 < x < 1 and 0 < y < 1:
            out.append((x, y))
    return out


def exact_payoff(M, x, y):
    M = exact(M)
    return (x * y * M[0][0] + x * (1 - y) * M[0][1] + (1 - x) * y * M[1][0]
            + (1 - x) * (1 - y) * M[1][1])


def exact_degenerate(A, B):
    A, B = exact(A), exact(B)
    return any(A[0][j] == A[1][j] for j in (0, 1)) or any(B[i][0] == B[i][1] for i in (0, 1))


# --------------------------------------------------------------------------------------------
# Finite automata with exact discounted values
# --------------------------------------------------------------------------------------------

def solve(M, b):
    """Exact Gauss–Jordan solution of ``M x = b`` in Fractions."""
    n = len(b)
    M = [row[:] + [b[i]] for i, row in enumerate(M)]
    for c in range(n):
        p = next(r for r in range(c, n) if M[r][c] != 0)
        M[c], M[p] = M[p], M[c]
        for r in range(n):
            if r != c and M[r][c] != 0:
                f = M[r][c] / M[c][c]
                M[r] = [x - f * y for x, y in zip(M[r], M[c])]
    return [M[i][n] / M[i][i] for i in range(n)]


class Automaton:
    """A joint strategy profile: per state each player's probability of C, and the next state
    after realised actions ``(a, b)`` (0 = C)."""

    def __init__(self, probs, nxt, start=0):
        self.probs, self.nxt, self.start = probs, nxt, start

    def values(self, M, p, delta, policy=None):
        """Player ``p``'s exact normalised value at every state; ``policy`` (a tuple of own
        pure actions per state) replaces ``p``'s prescribed play."""
        n = len(self.probs)
        lhs = [[Fr(int(i == j)) for j in range(n)] for i in range(n)]
        rhs = [Fr(0)] * n
        for s, (x, y) in enumerate(self.probs):
            own = x if p == 0 else y
            other = y if p == 0 else x
            if policy is not None:
                own = Fr(1 - policy[s])
            for mine, theirs in itertools.product((0, 1), (0, 1)):
                pr = (own if mine == 0 else 1 - own) * (other if theirs == 0 else 1 - other)
                if pr == 0:
                    continue
                a, b = (mine, theirs) if p == 0 else (theirs, mine)
                rhs[s] += pr * (1 - delta) * M[a][b]
                lhs[s][self.nxt(s, a, b)] -= pr * delta
        return solve(lhs, rhs)

    def best_reply_gain(self, A, B, delta, states=None):
        """Largest gain any stationary best reply of either player achieves over conformity,
        from the given states (all by default): the brute-force best reply to a finite
        automaton is a stationary policy of the MDP on its states."""
        n = len(self.probs)
        states = range(n) if states is None else states
        worst = Fr(0)
        for p, M in ((0, exact(A)), (1, exact(B))):
            conform = self.values(M, p, delta)
            for policy in itertools.product((0, 1), repeat=n):
                v = self.values(M, p, delta, policy)
                worst = max(worst, max(v[s] - conform[s] for s in states))
        return worst

    def one_shot_gain(self, A, B, delta):
        """Largest gain from a one-shot deviation at any state (Blackwell 1965): 0 iff the
        automaton is subgame perfect."""
        worst = Fr(0)
        for p, M in ((0, exact(A)), (1, exact(B))):
            V = self.values(M, p, delta)
            for s, (x, y) in enumerate(self.probs):
                other = y if p == 0 else x
                for mine in (0, 1):
                    dev = Fr(0)
                    for theirs in (0, 1):
                        pr = other if theirs == 0 else 1 - other
                        a, b = (mine, theirs) if p == 0 else (theirs, mine)
                        dev += pr * ((1 - delta) * M[a][b] + delta * V[self.nxt(s, a, b)])
                    worst = max(worst, dev - V[s])
        return worst


def grim():
    return Automaton([(Fr(1), Fr(1)), (Fr(0), Fr(0))],
                     lambda s, a, b: 0 if s == 0 and a == b == 0 else 1)


def memory_one(rule):
    """States: last joint actions (CC, CD, DC, DD); ``rule(own, other)`` -> own next action."""
    states = [(a, b) for a in (0, 1) for b in (0, 1)]
    probs = [(Fr(1 - rule(a, b)), Fr(1 - rule(b, a))) for a, b in states]
    return Automaton(probs, lambda s, a, b: 2 * a + b)


def tft():
    return memory_one(lambda own, other: other)


def wsls():
    return memory_one(lambda own, other: 0 if own == other else 1)


def nash_reversion(row_punish, col_punish, ignored=(False, False)):
    """(C,C) until a deviation; then the stage equilibrium ``row_punish`` forever if row
    deviated (alone or with column), ``col_punish`` if column deviated alone. A player whose
    deviations are ``ignored`` is not punished: play stays at (C,C) after them (Friedman
    1971's profile needs no punishment for a player whose deviation gains nothing now, and
    punishing it would reward it where its worst stage equilibrium pays more than (C,C))."""
    def nxt(s, a, b):
        if s != 0:
            return s
        if a == 1 and not ignored[0]:
            return 1
        return 2 if b == 1 and not ignored[1] else 0
    return Automaton([(Fr(1), Fr(1)), row_punish, col_punish], nxt)


def nash_reversions(A, B):
    """Nash reversion to the worst stage equilibrium of each deviator, each player's
    deviations punished or ignored: (C,C) forever by Nash reversion is subgame perfect iff
    one of these four automata is."""
    worst = exact_worst_equilibria(A, B)
    return [nash_reversion(*worst, ignored)
            for ignored in itertools.product((False, True), repeat=2)]


#: A player whose deviation from (C,C) loses now (T < R) but whose worst stage equilibrium
#: pays more than (C,C) (w > R): punishing it would reward it, so its deviations are ignored
#: (an unseeded run found it against the punish-everyone automaton alone).
REWARDED_PUNISHMENT = dict(game=(np.array([[0.0, 0.0], [-1.0, 1.0]]),
                                 np.array([[2.0, 3.0], [0.0, 1.0]])), delta=Fr(3, 5))


def nash_reversion_sustains(A, B, delta) -> bool:
    return any(a.one_shot_gain(A, B, delta) == 0 for a in nash_reversions(A, B))


def exact_worst_equilibria(A, B):
    eqs = exact_equilibria(A, B)
    row = min(eqs, key=lambda e: exact_payoff(A, *e))
    col = min(eqs, key=lambda e: exact_payoff(B.T, e[1], e[0]))
    return row, col


# --------------------------------------------------------------------------------------------
# 1. Stage equilibria: nashpy and exact fractions
# --------------------------------------------------------------------------------------------

def nashpy_equilibria(A, B):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return list(nashpy.Game(A, B).support_enumeration())


@settings(max_examples=500, deadline=None)
@given(game=any_game)
def test_equilibria_agree_with_nashpy_and_exact_fractions(game):
    A, B = game
    ours = nash_equilibria(A, B)
    theirs = nashpy_equilibria(A, B)
    exact_eqs = exact_equilibria(A, B)
    assert len(ours) == len(theirs) == len(exact_eqs)
    for (s, t), (s2, t2), (x, y) in zip(ours, theirs, exact_eqs):
        np.testing.assert_allclose(s, s2, atol=1e-12)
        np.testing.assert_allclose(t, t2, atol=1e-12)
        assert abs(s[0] - x) <= 1e-12 and abs(t[0] - y) <= 1e-12
    assert bool(is_degenerate(A, B)) == exact_degenerate(A, B)


@settings(max_examples=300, deadline=None)
@given(game=any_game)
def test_worst_stage_equilibrium_payoff_is_exact(game):
    """Nondegenerate games: the minimum over the exact equilibria. Degenerate games (a
    continuum of equilibria): never above it, and never below the mixed minmax."""
    A, B = game
    ours = worst_stage_nash(A, B)
    eqs = exact_equilibria(A, B)
    row = min(exact_payoff(A, x, y) for x, y in eqs)
    col = min(exact_payoff(B.T, y, x) for x, y in eqs)
    if exact_degenerate(A, B):
        assert ours[0] <= float(row) + 1e-12 and ours[1] <= float(col) + 1e-12
    else:
        assert ours[0] == pytest.approx(float(row), abs=1e-12)
        assert ours[1] == pytest.approx(float(col), abs=1e-12)
    pure = worst_stage_nash(A, B, pure=True)
    for p, M in ((0, A), (1, B)):
        values = M[pure_equilibria(A, B)]
        assert pure[p] == (values.min() if values.size else np.inf)


# --------------------------------------------------------------------------------------------
# 2. Thresholds and regime labels: brute force on finite automata, exact sums
# --------------------------------------------------------------------------------------------

def _agrees(ours_threshold, delta, brute_ok):
    """For (C,C) forever, whose discount factors form ``[threshold, 1)``: our threshold says
    sustained at δ iff the brute force does (ties count as sustained, as weak inequalities;
    both sides are exact at a rational δ)."""
    t = float(ours_threshold)
    ours_ok = not np.isnan(t) and float(delta) >= t - 1e-12
    return ours_ok == brute_ok


@settings(max_examples=250, deadline=None)
@given(game=any_game, delta=st.sampled_from(DELTAS))
def test_named_profiles_against_exact_automata(game, delta):
    """Grim trigger and WSLS are subgame perfect, by one-shot deviations at every state.
    Their discount factors can form a bounded interval (e.g. where deviating to D pays only
    through the punishment), so compare ``sustained`` at δ."""
    A, B = game
    d = float(delta)
    assert bool(sustained(A, B, d, "grim")) == (grim().one_shot_gain(A, B, delta) == 0)
    assert bool(sustained(A, B, d, "wsls")) == (wsls().one_shot_gain(A, B, delta) == 0)


@settings(max_examples=100, deadline=None)
@given(game=any_game, delta=st.sampled_from(DELTAS))
def test_tft_is_nash_against_every_stationary_best_reply(game, delta):
    A, B = game
    brute = tft().best_reply_gain(A, B, delta, states=[0]) == 0
    assert bool(sustained(A, B, float(delta), "tft")) == brute


@settings(max_examples=500, deadline=None)
@given(game=any_game, delta=st.sampled_from(DELTAS))
@example(**REWARDED_PUNISHMENT)
def test_nash_reversion_against_exact_automata(game, delta):
    """Reverting to the stage equilibrium (pure or mixed, exact) worst for the deviator.
    In degenerate games a continuum of equilibria may hold a worse one: ours may then say
    sustained where the automaton on the listed equilibria does not, never the reverse."""
    A, B = game
    brute = nash_reversion_sustains(A, B, delta)
    t = threshold(A, B, "nash")[2]
    if exact_degenerate(A, B):
        assert not brute or _agrees(t, delta, True)
    else:
        assert _agrees(t, delta, brute)


def reference_regime(A, B, delta):
    """The regime label from exact fractions: pure equilibria, who prefers (C,C) to (D,D),
    and whether the Nash-reversion automaton is subgame perfect at δ (nondegenerate games)."""
    pure = {(round(float(1 - x)), round(float(1 - y))) for x, y in exact_equilibria(A, B)
            if x in (0, 1) and y in (0, 1)}
    sustained_ = nash_reversion_sustains(A, B, delta)
    prefer = int(A[0, 0] > A[1, 1]) + int(B[0, 0] > B[1, 1])
    return regime_label(pure, sustained_, prefer)


@settings(max_examples=400, deadline=None)
@given(game=any_game, delta=st.sampled_from(DELTAS))
@example(**REWARDED_PUNISHMENT)
def test_regime_labels_against_exact_automata(game, delta):
    A, B = game
    if exact_degenerate(A, B):
        return
    assert REGIMES[int(regime(A, B, float(delta), punishment="nash"))] == \
        reference_regime(A, B, delta)


@settings(max_examples=150, deadline=None)
@given(game=any_game, delta=st.sampled_from(DELTAS))
def test_regime_labels_against_nashpy_and_per_player_checks(game, delta):
    """The regime benchmark's reference (``benchmarks/regimes.py``): nashpy's equilibria and
    the exact subgame-perfect criterion checked player by player, on nondegenerate games."""
    A, B = game
    if exact_degenerate(A, B):
        return
    assert REGIMES[int(regime(A, B, float(delta)))] == nashpy_regime(A, B, float(delta))


@settings(max_examples=300, deadline=None)
@given(game=st.one_of(int_game, chicken_game, pd_vs_chicken), delta=st.sampled_from(DELTAS))
def test_exact_criterion_never_denies_a_subgame_perfect_automaton(game, delta):
    """Whatever the regime says is not cooperative, no automaton we can build plays (C,C)
    forever as a subgame-perfect equilibrium: grim trigger, WSLS, Nash reversion."""
    A, B = game
    if sustained(A, B, float(delta), "spe") or pure_equilibria(A, B)[0, 0]:
        return
    for automaton in (grim(), wsls(), *nash_reversions(A, B)):
        assert automaton.one_shot_gain(A, B, delta) > 0


# --------------------------------------------------------------------------------------------
# 3. (C,C) forever as a pure-strategy SPE outcome: QuantEcon's SPE payoff sets
# --------------------------------------------------------------------------------------------

real = st.integers(-400, 400).map(lambda k: k / 100)
real_game = st.tuples(*(real,) * 8).map(
    lambda x: (np.array(x[:4]).reshape(2, 2), np.array(x[4:]).reshape(2, 2)))
jitter = st.tuples(*(st.integers(-9, 9),) * 8).map(lambda x: np.array(x).reshape(2, 2, 2) / 97)
qe_game = st.one_of(real_game,
                    st.tuples(st.one_of(chicken_game, cycling_game, pd_vs_chicken), jitter).map(
                        lambda t: (t[0][0] + t[1][0], t[0][1] + t[1][1])))


def quantecon_worst(qe, A, B, delta):
    """Each player's worst pure SPE payoff per QuantEcon; ``None`` if its algorithm fails on a
    degenerate (flat) set, ``nan`` if it finds no pure SPE."""
    gt = qe.game_theory
    game = gt.NormalFormGame((gt.Player(A), gt.Player(B.T)))
    try:
        hull = gt.RepeatedGame(game, delta).equilibrium_payoffs()
    except ValueError:
        return np.full(2, np.nan)
    except Exception:                              # qhull on a flat set: no reference
        return None
    return hull.points[hull.vertices].min(0)


@settings(max_examples=160, deadline=None)
@given(game=qe_game, delta=st.sampled_from([0.4, 0.6, 0.75, 0.9]))
def test_cc_forever_against_quantecon(qe, game, delta):
    """(C,C) forever is a pure SPE outcome iff R_i >= (1−δ)T_i + δ·min(w_i, R_i) for both,
    w_i the worst payoff of QuantEcon's SPE set (Abreu 1988; APS 1990)."""
    A, B = game
    w = quantecon_worst(qe, A, B, delta)
    if w is None:
        return
    ours = np.asarray(threshold(A, B, "penal")[:2]) <= delta + 1e-12
    for p, M in ((0, A), (1, B.T)):
        R, T = M[0, 0], M[1, 0]
        scale = np.ptp(M)
        if T <= R:
            assert ours[p]
            continue
        if np.isnan(w[p]):                         # no pure SPE at all
            assert not ours[p]
            continue
        margin = R - ((1 - delta) * T + delta * min(w[p], R))
        if abs(margin) <= 1e-6 * scale:
            continue
        assert ours[p] == (margin > 0)
        assert forever_holds(A, B, delta)[p] == (margin > 0)


@settings(max_examples=40, deadline=None)
@given(game=st.one_of(chicken_game, pd_vs_chicken, real_game))
def test_critical_discount_against_quantecon(qe, game):
    """At the critical discount factor and above, (C,C) forever passes QuantEcon's test;
    clearly below it, it fails."""
    A, B = game
    crit = critical_discount(A, B, xtol=1e-9)
    if np.isnan(crit) or crit == 0:
        return
    for delta, expect in ((min(crit + 0.02, 0.999), True), (crit - 0.02, False)):
        if delta <= 0:
            continue
        w = quantecon_worst(qe, A, B, delta)
        if w is None or np.isnan(w).any():
            continue
        holds = [M[0, 0] >= (1 - delta) * M[1, 0] + delta * min(w[p], M[0, 0])
                 - 1e-9 * np.ptp(M) for p, M in ((0, A), (1, B.T))]
        assert all(holds) == expect


@settings(max_examples=120, deadline=None)
@given(game=st.one_of(int_game, chicken_game, cycling_game, pd_vs_chicken))
def test_penal_code_closed_form_against_blocsims_spe_sets(game):
    """The optimal-penal-code thresholds, closed form where a pure stage equilibrium pays the
    deviator its pure minmax (and never where R <= minmax), agree with the thresholds bisected
    on blocsim's own Abreu–Sannikov SPE sets."""
    from sim.spe import forever_thresholds

    A, B = game
    ours = np.nan_to_num(np.asarray(threshold(A, B, "penal")[:2], float), nan=np.inf)
    theirs = np.nan_to_num(forever_thresholds(A, B, xtol=1e-10), nan=np.inf)
    for p in (0, 1):
        if np.isinf(ours[p]) or np.isinf(theirs[p]):
            # never below 0.999 in one is never (or at most 0.999) in the other
            assert min(ours[p], theirs[p]) >= 0.999 - 1e-9 or ours[p] == theirs[p]
        else:
            assert ours[p] == pytest.approx(theirs[p], abs=1e-8)
