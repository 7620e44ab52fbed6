"""Relative-gain preferences: Snidal's weight, Grieco's k, n actors."""

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sim.equilibria import nash_equilibria, regime
from sim.games import Game, ordering_code, own_views
from sim.preferences import (comparison_utility, effective_weight, grieco_from_weight,
                             utility_game, weight_from_grieco)

payoffs = arrays(float, (2, 2), elements=st.integers(-4, 4).map(float))


def test_utility_transform():
    g = Game.symmetric(5, 3, 1, 0)
    U, V = utility_game(g.A, g.B, 1.0, 0.0)
    np.testing.assert_allclose(U, g.A - g.B)          # pure relative gains: zero-sum for row
    np.testing.assert_allclose(V, g.B)


# weights far from the comparison tolerance (1e-9 relative), where ties are decided
grieco = st.one_of(st.just(0.0), st.floats(1e-3, 20))


@settings(max_examples=200, deadline=None)
@given(A=payoffs, B=payoffs, k1=grieco, k2=grieco,
       delta=st.sampled_from([0.3, 0.9]))
# found by hypothesis: T = P up to rounding (-0.2 vs -0.19999999999999996) must stay a tie
@example(A=np.array([[0.0, 0.0], [0.0, -1.0]]), B=np.array([[0.0, 0.0], [1.0, -4.0]]),
         k1=0.25, k2=0.0, delta=0.3)
def test_grieco_k_orders_outcomes_like_r(A, B, k1, k2, delta):
    """u = V − k(W − V) = (1 + k)(V − rW) with r = k/(1+k) (Grieco 1988; Snidal 1991)."""
    r1, r2 = weight_from_grieco(k1), weight_from_grieco(k2)
    Ug, Vg = A - k1 * (B - A), B - k2 * (A - B)
    U, V = utility_game(A, B, r1, r2)
    np.testing.assert_allclose(Ug, (1 + k1) * U, atol=1e-9)
    np.testing.assert_allclose(Vg, (1 + k2) * V, atol=1e-9)
    assert (ordering_code(own_views(Ug, Vg)) == ordering_code(own_views(U, V))).all()
    assert regime(Ug, Vg, delta) == regime(U, V, delta)
    assert len(nash_equilibria(Ug, Vg)) == len(nash_equilibria(U, V))


def test_k_and_r_round_trip():
    r = np.linspace(0, 0.99, 50)
    np.testing.assert_allclose(weight_from_grieco(grieco_from_weight(r)), r)
    assert grieco_from_weight(1.0) == np.inf


def test_effective_weight_for_n_actors():
    assert effective_weight(0.6, 2) == pytest.approx(0.6)
    assert effective_weight(0.6, 7) == pytest.approx(0.1)
    np.testing.assert_allclose(effective_weight(np.array([0.3, 0.6]), 4), [0.1, 0.2])
    with pytest.raises(ValueError):
        effective_weight(0.5, 1)


def test_comparison_with_average_of_others_is_diluted():
    """A bilateral deal among n actors changes one partner's payoff only (Snidal 1991)."""
    n = 5
    s = (np.ones((n, n)) - np.eye(n)) / (n - 1)
    pi = np.zeros(n)
    pi[0], pi[1] = 2.0, 3.0                       # a deal between actors 0 and 1
    u = comparison_utility(pi, 0.8, s)
    assert u[0] == pytest.approx(2.0 - effective_weight(0.8, n) * 3.0)
    two = comparison_utility(np.array([2.0, 3.0]), 0.8, [[0, 1], [1, 0]])
    np.testing.assert_allclose(two, [2 - 0.8 * 3, 3 - 0.8 * 2])
