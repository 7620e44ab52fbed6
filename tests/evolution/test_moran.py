"""Moran process: closed form = Markov chain; simulation within CIs; agreement with axelrod."""

import json
from itertools import combinations

import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st
from scipy.stats import chi2

from sim.evolution import (fixation_probability, fixation_times, moran_simulation,
                           moran_two_types, one_third_rule, stationary_distribution)

#: The linear fitness map of Nowak et al. (2004), which these tests check (the library
#: default is exponential: sim.defaults.MORAN_FITNESS).
LINEAR = {"fitness": "linear"}


def fitness(payoff, w, mapping):
    return 1 - w + w * payoff if mapping == "linear" else np.exp(w * payoff)


def compositions(N, k):
    """All count vectors of k types summing to N."""
    for bars in combinations(range(N + k - 1), k - 1):
        edges = (-1,) + bars + (N + k - 1,)
        yield tuple(b - a - 1 for a, b in zip(edges[:-1], edges[1:]))


def exact_fixation(M, counts, w=1.0, mapping="linear"):
    """Absorption probabilities of the k-type birth-death chain (:func:`exact_chain`)."""
    return exact_chain(M, counts, w, mapping)[0]


def exact_chain(M, counts, w=1.0, mapping="linear"):
    """Absorption probabilities and mean absorption time of the k-type birth-death chain, by
    solving its linear system densely (transient states Q, absorbing monomorphic states R:
    (I - Q) X = R, (I - Q) t = 1)."""
    M = np.asarray(M, float)
    k, N = len(counts), int(sum(counts))
    states = list(compositions(N, k))
    transient = [s for s in states if max(s) < N]
    index = {s: i for i, s in enumerate(transient)}
    Q = np.zeros((len(transient), len(transient)))
    R = np.zeros((len(transient), k))
    for s in transient:
        n = np.array(s)
        pay = (M @ n - np.diag(M)) / (N - 1)
        f = np.where(n > 0, fitness(pay, w, mapping), 0.0)
        birth = n * f / (n * f).sum()
        for p in range(k):
            for d in range(k):
                prob = birth[p] * n[d] / N
                if prob == 0:
                    continue
                new = n.copy()
                new[p] += 1
                new[d] -= 1
                if new.max() == N:
                    R[index[s], int(np.argmax(new))] += prob
                else:
                    Q[index[s], index[tuple(new)]] += prob
    X = np.linalg.solve(np.eye(len(transient)) - Q, R)
    t = np.linalg.solve(np.eye(len(transient)) - Q, np.ones(len(transient)))
    return X[index[tuple(counts)]], t[index[tuple(counts)]]


payoff_2x2 = st.lists(st.floats(0.0, 5.0), min_size=4, max_size=4).map(
    lambda v: np.array(v).reshape(2, 2))


@settings(max_examples=40, deadline=None)
@given(payoff_2x2, st.integers(2, 25), st.floats(0.0, 1.0),
       st.sampled_from(["linear", "exponential"]), st.data())
def test_closed_form_equals_markov_chain(M, N, w, mapping, data):
    assume(mapping == "exponential" or (1 - w + w * M.min()) > 1e-3)
    i0 = data.draw(st.integers(1, N - 1))
    exact = exact_fixation(M, [i0, N - i0], w, mapping)
    assert fixation_probability(M, N, w, mapping, initial=i0) == pytest.approx(exact[0],
                                                                               rel=1e-9, abs=1e-14)
    times = fixation_times(M, N, w, mapping)
    assert times["probability_A"][i0] == pytest.approx(exact[0], rel=1e-9, abs=1e-14)


def test_neutral_drift_and_broadcasting():
    M = np.array([[3.0, 0.0], [5.0, 1.0]])
    np.testing.assert_allclose(fixation_probability(M, 10, 0.0, initial=np.arange(1, 11), **LINEAR),
                               np.arange(1, 11) / 10)
    Ns = np.array([2, 3, 10, 50, 200])
    ws = np.array([[0.01], [0.3]])
    grid = fixation_probability(M, Ns, ws, fitness="linear")
    for a, w in enumerate(ws[:, 0]):
        for b, N in enumerate(Ns):
            assert grid[a, b] == pytest.approx(float(fixation_probability(M, N, w, **LINEAR)),
                                               rel=1e-12)
    many = np.stack([M, M.T, M + 1])
    np.testing.assert_allclose(fixation_probability(many, 12, 0.2, fitness="linear"),
                               [float(fixation_probability(m, 12, 0.2, **LINEAR)) for m in many])


def test_strong_selection_large_population_is_finite():
    M = np.array([[3.0, 0.0], [5.0, 1.0]])
    rho = fixation_probability(M, 5000, 5.0, "exponential")
    assert 0.0 <= rho < 1e-300
    rho_d = fixation_probability(M[::-1, ::-1], 5000, 5.0, "exponential")
    assert 0.99 < rho_d <= 1.0


def test_zero_fitness_cannot_reproduce():
    M = np.array([[3.0, 0.0], [5.0, 1.0]])   # one cooperator among defectors earns 0
    assert fixation_probability(M, 10, 1.0, fitness="linear") < 1e-300
    with pytest.raises(ValueError, match="non-negative"):
        fixation_probability(M - 1, 10, 1.0, fitness="linear")


@settings(max_examples=40, deadline=None)
@given(st.floats(-3, 3), st.floats(-3, 3), st.floats(0.1, 3), st.floats(0.1, 3),
       st.integers(4, 60))
def test_one_third_rule_under_weak_selection(b, c, gap_a, gap_d, N):
    a, d = c + gap_a, b + gap_d          # a coordination game: a > c, d > b
    margin = a * (N - 2) + b * (2 * N - 1) - c * (N + 1) - d * (2 * N - 4)
    assume(abs(margin) > 0.5)
    M = np.array([[a, b], [c, d]])
    rule = one_third_rule(M, N)
    assert rule["coordination"]
    w = 1e-4 / (abs(M).max() + 1)
    assert bool(rule["favoured_finite_n"]) == bool(fixation_probability(M, N, w, **LINEAR) > 1 / N)


def test_one_third_rule_large_n_limit():
    M = np.array([[4.0, 0.0], [3.0, 2.0]])    # x* = (2-0)/(4-0-3+2) = 2/3 > 1/3
    rule = one_third_rule(M, 10 ** 6)
    assert rule["x_star"] == pytest.approx(2 / 3)
    assert not rule["favoured_large_n"] and not rule["favoured_finite_n"]
    assert fixation_probability(M, 1000, 1e-7, fitness="linear") < 1 / 1000


def test_simulation_within_confidence_intervals_two_types():
    M = np.array([[3.0, 0.5], [4.0, 1.0]])
    sim = moran_simulation(M, [2, 8], runs=20000, intensity=0.4, seed=11, fitness="linear")
    est, low, high = sim.fixation_probabilities(confidence=0.999)
    exact = float(fixation_probability(M, 10, 0.4, initial=2, fitness="linear"))
    assert low[0] <= exact <= high[0]
    times = fixation_times(M, 10, 0.4, fitness="linear")
    mean, lo, hi = sim.fixation_time()
    assert lo <= times["absorption"][2] <= hi


def test_simulation_within_confidence_intervals_three_types():
    rng = np.random.default_rng(5)
    M = rng.uniform(0, 3, size=(3, 3))
    counts = [2, 3, 2]
    sim = moran_simulation(M, counts, runs=20000, intensity=0.7, fitness="exponential", seed=3)
    exact = exact_fixation(M, counts, 0.7, "exponential")
    est, low, high = sim.fixation_probabilities(confidence=0.999)
    assert np.all((low <= exact) & (exact <= high))
    assert sim.to_dict()["unfixed_runs"] == 0


def test_conditional_fixation_times_match_simulation():
    M = np.array([[2.0, 1.0], [1.5, 1.2]])
    sim = moran_simulation(M, [1, 11], runs=30000, intensity=0.5, seed=4, fitness="linear")
    times = fixation_times(M, 12, 0.5, fitness="linear")
    t = sim.steps[sim.winner == 0]
    half = 2.6 * t.std() / np.sqrt(t.size)
    assert abs(t.mean() - times["fixation_A"][1]) < half


def test_seeds_are_reproducible_and_runs_prefix_stable():
    M = np.array([[3.0, 0.5], [4.0, 1.0]])
    a = moran_simulation(M, [3, 7], runs=500, seed=9, fitness="linear")
    b = moran_simulation(M, [3, 7], runs=200, seed=9, fitness="linear")
    c = moran_simulation(M, [3, 7], runs=500, seed=10, fitness="linear")
    np.testing.assert_array_equal(a.winner[:200], b.winner)
    np.testing.assert_array_equal(a.steps[:200], b.steps)
    assert not np.array_equal(a.steps, c.steps)


def test_mutation_matches_stationary_distribution():
    M = np.array([[3.0, 0.5], [4.0, 1.0]])
    N, mu = 8, 0.05
    sim = moran_simulation(M, [4, 4], runs=4000, intensity=0.3, mutation=mu, max_steps=400,
                           record_every=100, seed=2, fitness="linear")
    p = stationary_distribution(M, N, 0.3, mutation=mu, fitness="linear")
    counts = np.bincount(sim.final[:, 0], minlength=N + 1)
    expected = p * sim.runs
    stat = ((counts - expected) ** 2 / expected).sum()
    assert stat < chi2.ppf(0.999, N)
    np.testing.assert_allclose(sim.history.sum(1), N)
    np.testing.assert_array_equal(sim.record_times, [0, 100, 200, 300, 400])
    np.testing.assert_allclose(sim.history[-1, 0], sim.final[:, 0].mean())
    mean, sd = p @ np.arange(N + 1), np.sqrt(p @ np.arange(N + 1) ** 2 - (p @ np.arange(N + 1)) ** 2)
    assert abs(sim.history[-1, 0] - mean) < 4 * sd / np.sqrt(sim.runs)


def test_moran_two_types_summary():
    M = np.array([[3.0, 1.0], [2.0, 2.0]])
    res = moran_two_types(M, 20, 0.01, strategies=["TFT", "AllD"], fitness="linear")
    d = json.loads(json.dumps(res.to_dict()))
    assert d["fixation_probability"]["TFT"] == pytest.approx(
        float(fixation_probability(M, 20, 0.01, **LINEAR)))
    assert d["fixation_probability"]["AllD"] == pytest.approx(
        float(fixation_probability(M[::-1, ::-1], 20, 0.01, fitness="linear")))
    # Taylor, Iwasa & Nowak (2006): a single mutant's conditional fixation time is the same for both.
    assert d["fixation_time"]["A"] == pytest.approx(d["fixation_time"]["B"], rel=1e-9)
    assert d["final_shares"]["population"]["TFT"] == pytest.approx(d["fixation_probability"]["TFT"])


def test_agrees_with_axelrod_in_distribution(axl):
    players = [axl.Cooperator(), axl.Defector(), axl.TitForTat(), axl.Alternator()]
    names = [str(p) for p in players]
    turns = 5
    M = np.zeros((4, 4))
    for i, p in enumerate(players):
        for j, q in enumerate(players):
            match = axl.Match((p.clone(), q.clone()), turns=turns)
            match.play()
            M[i, j] = match.final_score_per_turn()[0]
    exact = exact_fixation(M, [1, 1, 1, 1])
    cache = axl.DeterministicCache()
    runs = 400
    wins = np.zeros(4)
    for seed in range(runs):
        mp = axl.MoranProcess([p.clone() for p in players], turns=turns, seed=seed,
                              deterministic_cache=cache)
        mp.play()
        wins[names.index(mp.winning_strategy_name)] += 1
    ours = moran_simulation(M, [1, 1, 1, 1], runs=100000, seed=1, **LINEAR).fixation_probabilities()
    np.testing.assert_allclose(ours[0], exact, atol=0.006)
    stat = ((wins - runs * exact) ** 2 / (runs * exact)).sum()
    assert stat < chi2.ppf(0.999, 3)
