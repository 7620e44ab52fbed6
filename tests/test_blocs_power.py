"""Voting power: published values, brute force over orderings with exact fractions, and the
properties that hold (efficiency, symmetry, local monotonicity; not monotonicity under
redistribution — Fischer & Schotter 1978)."""

from fractions import Fraction
from itertools import permutations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.blocs.power import banzhaf, shapley_shubik, weighted_winning
from sim.blocs.rules import Rule


def brute_shapley(weights, quota):
    """Shapley & Shubik (1954) by their definition: the share of orderings each member pivots."""
    n = len(weights)
    count = [0] * n
    orders = list(permutations(range(n)))
    for order in orders:
        total = 0
        for i in order:
            total += weights[i]
            if total >= quota:
                count[i] += 1
                break
    return [Fraction(c, len(orders)) for c in count]


def brute_banzhaf(weights, quota):
    """Swing counts by enumerating coalitions in plain Python (Banzhaf 1965)."""
    n = len(weights)
    eta = [0] * n
    for c in range(2 ** n):
        w = sum(weights[j] for j in range(n) if c >> j & 1)
        for i in range(n):
            if not c >> i & 1 and w < quota <= w + weights[i]:
                eta[i] += 1
    return eta


def test_eec_council_1958():
    # Felsenthal & Machover (1998), the EEC Council of Ministers 1958: [12; 4, 4, 4, 2, 2, 1]
    win = weighted_winning([4, 4, 4, 2, 2, 1], 12)
    np.testing.assert_allclose(shapley_shubik(win), [7 / 30] * 3 + [3 / 20] * 2 + [0], atol=1e-15)
    np.testing.assert_allclose(banzhaf(win), [5 / 21] * 3 + [3 / 21] * 2 + [0], atol=1e-15)
    np.testing.assert_allclose(banzhaf(win, normalised=False), [10 / 32] * 3 + [6 / 32] * 2 + [0])


def test_un_security_council():
    # [39; 7 x 5 permanent, 1 x 10]: Shapley-Shubik 421/2145 and 4/2145 (Shapley & Shubik 1954;
    # Felsenthal & Machover 1998); Banzhaf normalised 0.1669 and 0.0165.
    win = weighted_winning([7] * 5 + [1] * 10, 39)
    ss = shapley_shubik(win)
    np.testing.assert_allclose(ss[:5], 421 / 2145, atol=1e-12)
    np.testing.assert_allclose(ss[5:], 4 / 2145, atol=1e-12)
    bz = banzhaf(win)
    np.testing.assert_allclose(bz[:5], 0.1669, atol=5e-5)
    np.testing.assert_allclose(bz[5:], 0.0165, atol=5e-5)


def test_small_weighted_game():
    win = weighted_winning([2, 1, 1], 3)
    np.testing.assert_allclose(shapley_shubik(win), [2 / 3, 1 / 6, 1 / 6])
    np.testing.assert_allclose(banzhaf(win), [3 / 5, 1 / 5, 1 / 5])


@pytest.mark.parametrize("n", [1, 2, 5, 7])
def test_consensus_and_leader(n):
    shares = np.full(n, 1 / n)
    ss = shapley_shubik(Rule("consensus").winning(shares))
    np.testing.assert_allclose(ss, 1 / n)                     # every member a veto player
    np.testing.assert_allclose(banzhaf(Rule("consensus").winning(shares), False),
                               1 / 2 ** (n - 1))
    lead = shapley_shubik(Rule("leader", leader=n - 1).winning(shares))
    np.testing.assert_allclose(lead, np.eye(n)[n - 1])


weights = st.lists(st.integers(0, 9), min_size=1, max_size=6)


@settings(max_examples=60, deadline=None)
@given(weights, st.floats(0.05, 1.0))
def test_against_brute_force(w, q):
    total = sum(w)
    if total == 0:
        return
    quota = Fraction(q).limit_denominator(50) * total
    win = weighted_winning(np.array(w, float), float(quota))
    exact = brute_shapley(w, quota)
    np.testing.assert_allclose(shapley_shubik(win), [float(x) for x in exact], atol=1e-12)
    eta = brute_banzhaf(w, quota)
    np.testing.assert_allclose(banzhaf(win, normalised=False),
                               [e / 2 ** (len(w) - 1) for e in eta], atol=1e-15)
    assert sum(exact) in (0, 1) and np.isclose(shapley_shubik(win).sum(), float(sum(exact)))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0.0, 1.0), min_size=2, max_size=7), st.floats(0.01, 1.0),
       st.randoms(use_true_random=False))
def test_properties(raw, q, rnd):
    shares = np.array(raw) / max(sum(raw), 1e-9)
    if shares.sum() == 0:
        return
    win = weighted_winning(shares, q)
    ss, bz = shapley_shubik(win), banzhaf(win)
    if win[..., -1]:                                   # the grand coalition wins: efficiency
        assert np.isclose(ss.sum(), 1)
    order = np.argsort(shares, kind="stable")
    # local monotonicity: a larger share never has less power in the same game
    for a, b in zip(order[:-1], order[1:]):
        if shares[b] > shares[a]:
            assert ss[b] >= ss[a] - 1e-12 and bz[b] >= bz[a] - 1e-12
    perm = list(range(len(shares)))
    rnd.shuffle(perm)
    win_p = weighted_winning(shares[perm], q)
    np.testing.assert_allclose(shapley_shubik(win_p), ss[perm], atol=1e-12)
    np.testing.assert_allclose(banzhaf(win_p), bz[perm], atol=1e-12)


def test_vectorised_over_quotas_and_shares():
    quotas = np.linspace(0.1, 1, 7)[:, None]
    russia = np.linspace(0.1, 0.9, 5)[None, :]
    shares = np.concatenate([russia[..., None], np.repeat((1 - russia[..., None]) / 5, 5, -1)],
                            -1)
    shares = np.broadcast_to(shares, (7, 5, 6))
    batch = shapley_shubik(weighted_winning(shares, quotas))
    for i, q in enumerate(quotas[:, 0]):
        for j in range(5):
            np.testing.assert_allclose(batch[i, j],
                                       shapley_shubik(weighted_winning(shares[i, j], q)))
