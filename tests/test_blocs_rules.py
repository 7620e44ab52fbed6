"""Decision rules and the bloc game: reduction to the two-player game, identical members,
hand-computed thresholds per rule, permutation invariance and monotonicity of the choice."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.blocs.game import BlocGame, Side
from sim.blocs.rules import Rule
from sim.equilibria import PROFILES, regime, threshold
from sim.games import matrix_from_trps, own_views

payoff = st.one_of(st.integers(-4, 4).map(float), st.floats(-5, 5, allow_nan=False))
game = st.lists(payoff, min_size=8, max_size=8)
delta = st.one_of(st.sampled_from([0.0, 0.3, 0.5, 0.9]), st.floats(0, 0.999))


def two_player(x):
    U = np.array(x[:4]).reshape(2, 2)
    V = np.array(x[4:]).reshape(2, 2)
    return U, V


@settings(max_examples=300, deadline=None)
@given(game, delta)
def test_one_member_bloc_is_the_player(x, d):
    U, V = two_player(x)
    v = own_views(U, V)
    g = BlocGame(Side.player(v[0]), Side.player(v[1]))
    assert g.regime(d) == regime(U, V, d)
    for p in PROFILES:
        np.testing.assert_array_equal(g.threshold(p), threshold(U, V, p))


@settings(max_examples=150, deadline=None)
@given(game, delta, st.integers(2, 5), st.sampled_from(["consensus", "quota", "leader"]),
       st.floats(0.05, 1.0))
def test_identical_members_are_one_player(x, d, k, kind, q):
    U, V = two_player(x)
    v = own_views(U, V)
    shares = np.full(k, 1 / k)
    bloc = Side(np.repeat(v[1][None], k, 0), shares, Rule(kind, q, k - 1))
    g, single = BlocGame(Side.player(v[0]), bloc), BlocGame(Side.player(v[0]),
                                                           Side.player(v[1]))
    assert g.regime(d) == single.regime(d)
    for p in PROFILES:
        np.testing.assert_array_equal(g.threshold(p), single.threshold(p))


def pd_member(T, R=3.0, P=1.0, S=0.0):
    """A member with a Prisoner's Dilemma own view: grim threshold (T − R) / (T − P)."""
    return matrix_from_trps(T, R, P, S)


def test_rules_by_hand():
    # thresholds (T − R) / (T − P) = 0.2, 0.5, 0.75 for T = 3.5, 5, 9
    views = np.stack([pd_member(3.5), pd_member(5.0), pd_member(9.0)])
    shares = np.array([0.5, 0.3, 0.2])
    nato = Side.player(pd_member(4.0))                    # threshold 1/3
    cases = {Rule("consensus"): 0.75, Rule("leader", leader=0): 0.2,
             Rule("leader", leader=2): 0.75, Rule("quota", 0.5): 0.2,
             Rule("quota", 0.6): 0.5, Rule("quota", 0.8): 0.5, Rule("quota", 0.81): 0.75}
    for rule, expected in cases.items():
        t = BlocGame(nato, Side(views, shares, rule)).threshold("grim")
        assert t[1] == pytest.approx(expected)
        assert t[2] == pytest.approx(max(expected, 1 / 3))
    # at δ = 0.6, consensus fails (0.75 > 0.6) but a quota of 0.8 carries (0.5 + 0.3)
    assert not BlocGame(nato, Side(views, shares, Rule("consensus"))).sustained("grim", 0.6)
    assert BlocGame(nato, Side(views, shares, Rule("quota", 0.8))).sustained("grim", 0.6)


def test_best_replies_by_hand():
    # member 0 strictly prefers C against C, member 1 strictly D
    views = np.stack([matrix_from_trps(1, 2, 0, -1), matrix_from_trps(3, 2, 0, -1)])
    shares = np.array([0.6, 0.4])
    for rule, c_ok in ((Rule("consensus"), False), (Rule("quota", 0.5), True),
                       (Rule("quota", 0.7), False), (Rule("leader", leader=0), True)):
        c_vs_c, d_vs_c, *_ = Side(views, shares, rule).best_replies()
        assert bool(c_vs_c) == c_ok and bool(d_vs_c) == (not c_ok)


@settings(max_examples=100, deadline=None)
@given(st.lists(game, min_size=2, max_size=5), delta, st.floats(0.05, 1.0),
       st.sampled_from(["consensus", "quota"]), st.randoms(use_true_random=False))
def test_member_permutation_invariance(games, d, q, kind, rnd):
    views = np.stack([own_views(*two_player(x))[1] for x in games])
    shares = np.linspace(1, 2, len(games))
    shares /= shares.sum()
    nato = Side.player(own_views(*two_player(games[0]))[0])
    perm = list(range(len(games)))
    rnd.shuffle(perm)
    a = BlocGame(nato, Side(views, shares, Rule(kind, q)))
    b = BlocGame(nato, Side(views[perm], shares[perm], Rule(kind, q)))
    assert a.regime(d) == b.regime(d)
    for p in PROFILES:
        np.testing.assert_array_equal(a.threshold(p), b.threshold(p))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(-3, 3), min_size=2, max_size=7), st.lists(st.floats(0, 1),
       min_size=7, max_size=7), st.floats(0.05, 1.0), st.floats(0, 1))
def test_choice_of_c_monotone_in_share_of_supporters(scores, raw, q, moved):
    n = len(scores)
    shares = np.array(raw[:n]) + 1e-3
    shares /= shares.sum()
    score = np.array(scores)
    rule = Rule("quota", q)
    before = Rule.carries(rule, score >= 0, shares)
    against, supporters = np.nonzero(score < 0)[0], np.nonzero(score >= 0)[0]
    if not len(against) or not len(supporters):
        return
    i, j = against[0], supporters[0]
    after_shares = shares.copy()
    step = moved * shares[i]
    after_shares[i] -= step
    after_shares[j] += step
    assert not before or rule.carries(score >= 0, after_shares)
