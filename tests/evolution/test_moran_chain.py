"""The k-type Moran chain (sim.evolution.moran_chain) against a dense brute-force solve and the
two-type closed forms; how long simulated runs last (run_length) before they run."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from sim.defaults import MORAN_MAX_STEPS
from sim.evolution import fixation_probability, fixation_times, moran_simulation
from sim.evolution.moran_chain import absorption, chain_states, solvable
from sim.evolution.moran_simulation import run_length
from test_moran import exact_chain

payoff = st.floats(0.0, 5.0, allow_nan=False).map(lambda x: round(x, 3))


@st.composite
def games(draw, k):
    M = np.array(draw(st.lists(payoff, min_size=k * k, max_size=k * k)), float).reshape(k, k)
    counts = draw(st.lists(st.integers(0, 4), min_size=k, max_size=k).filter(
        lambda c: sum(c) >= 2 and sum(x > 0 for x in c) >= 2))
    mapping = draw(st.sampled_from(["linear", "exponential"]))
    w = draw(st.floats(0.05, 0.5 if mapping == "linear" else 2.0)) # linear: 1 - w + w π > 0
    return M, counts, w, mapping


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 4).flatmap(games))
def test_chain_equals_the_dense_brute_force_solve(case):
    M, counts, w, mapping = case
    X, t = exact_chain(M, counts, w, mapping)
    got = absorption(M, counts, w, mapping)
    np.testing.assert_allclose(got.fixation, X, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(got.steps, t, rtol=1e-9)


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 40), st.floats(0.0, 1.0), st.floats(0.0, 3.0),
       st.sampled_from(["linear", "exponential"]), st.data())
def test_two_types_reduce_to_the_closed_forms(N, frac, w, mapping, data):
    # Nowak et al. (2004), Antal & Scheuring (2006): sim.evolution.moran
    M = np.array(data.draw(st.lists(payoff, min_size=4, max_size=4)), float).reshape(2, 2)
    w = min(w, 0.9) if mapping == "linear" else w
    i = 1 + round(frac * (N - 2))
    got = absorption(M, [i, N - i], w, mapping)
    rho = fixation_probability(M, N, w, mapping, initial=i)
    assert got.fixation[0] == pytest.approx(rho, rel=1e-8, abs=1e-12)     # LU: absolute
    assert got.steps == pytest.approx(fixation_times(M, N, w, mapping)["absorption"][i],
                                      rel=1e-6)


@settings(max_examples=20, deadline=None)
@given(games(2), st.integers(1, 3))
def test_a_type_split_in_two_identical_copies_changes_nothing(case, split):
    # A third type identical to the second (same payoffs against everyone, and everyone the
    # same against it) is the same process for the union of the two (not the same absorption
    # time: the union still has to resolve between its copies).
    M, counts, w, mapping = case
    a, b = counts
    if b < 2:
        return
    M3 = M[np.ix_([0, 1, 1], [0, 1, 1])]
    cut = min(split, b - 1)
    two, three = absorption(M, counts, w, mapping), absorption(M3, [a, b - cut, cut], w, mapping)
    assert three.fixation[0] == pytest.approx(two.fixation[0], abs=1e-10)
    assert three.fixation[1:].sum() == pytest.approx(two.fixation[1], abs=1e-10)
    assert three.steps >= two.steps * (1 - 1e-12)


def test_coexistence_lasts_exponentially_long():
    # Chicken among AllC, AllD, TFT at δ = 0.9 (the payoffs `blocsim evolve chicken` plays):
    # AllC and AllD coexist, so a population of 60 stays mixed for ~2.4e7 steps, a run of
    # 600 for longer than a float holds; N²/2 (the old estimate) says 1,800 steps.
    M = np.array([[3.0, 1.0, 3.0], [4.0, 0.0, 0.4], [3.0, 0.1, 3.0]])
    steps = [absorption(M, [n // 3] * 3).steps for n in (12, 30, 60)]
    assert steps[0] < steps[1] < steps[2] and steps[2] > 1e7
    Ns = np.array([12, 30, 60])
    assert (np.diff(np.log(steps)) / np.diff(Ns)).min() > 0.2          # like exp(N / 5)
    assert (np.diff(np.log(steps)) > 2 * 2 * np.diff(np.log(Ns))).all()  # faster than N⁴
    assert not solvable(1000, 3) and not solvable(60, 5) and solvable(60, 3)
    assert chain_states(60, 3) == 1891


def test_a_chain_too_large_is_refused():
    with pytest.raises(ValueError, match="too large"):
        absorption(np.eye(5), [200] * 5)


def test_run_length_is_the_chain_time_capped_or_the_longest_with_mutation():
    M = np.array([[3.0, 1.0, 3.0], [4.0, 0.0, 0.4], [3.0, 0.1, 3.0]])
    assert run_length(M, [4, 4, 4]) == pytest.approx(absorption(M, [4, 4, 4]).steps)
    assert run_length(M, [20, 20, 20]) == MORAN_MAX_STEPS
    assert run_length(M, [4, 4, 4], mutation=0.01, max_steps=500) == 500


def test_run_length_of_a_large_chain_is_measured_by_pilot_runs():
    # 5 types among 60: 635,376 states, too many to solve; the pilot is the first 16 runs
    M = np.array([[3.0, 0, 3, 0, 3], [5, 1, 1, 1, 1], [3, 0.9, 3, 0.9, 3], [5, 1, 1, 1, 1],
                  [3, 0, 3, 0, 3]])
    counts = [12] * 5
    assert not solvable(60, 5)
    sim = moran_simulation(M, counts, runs=16, seed=4)
    assert (sim.winner >= 0).all()
    assert run_length(M, counts, seed=4) == pytest.approx(sim.steps.mean())


@settings(max_examples=15, deadline=None)
@given(games(3), st.integers(1, 5), st.integers(1, 40))
def test_history_of_runs_that_stop_early_is_their_counts_then(case, every, max_steps):
    # Record j of the history is the mean over runs of the counts after j * every steps
    # (the final counts for a run that fixed before): the same as the final counts of runs cut
    # at that many steps (run r draws the same numbers whatever max_steps is).
    M, counts, w, mapping = case
    sim = moran_simulation(M, counts, runs=7, intensity=w, fitness=mapping, seed=3,
                           max_steps=max_steps, record_every=every)
    for j, t in enumerate(sim.record_times):
        cut = moran_simulation(M, counts, runs=7, intensity=w, fitness=mapping, seed=3,
                               max_steps=int(t))
        np.testing.assert_allclose(sim.history[j], cut.final.mean(0))


def test_a_chain_that_never_absorbs_takes_forever():
    # Anti-coordination under selection so strong that the other type's fitness underflows to
    # 0: with 2 A's only B reproduces, with 1 A only A does, so 2 A's and 1 B alternate forever
    # (I − Q is exactly singular); the closed form says the same (absorption time inf).
    M = np.array([[-1.0, 1.0], [1.0, -1.0]])
    got = absorption(M, [2, 1], 1000.0, "exponential")
    assert got.steps == np.inf and np.isnan(got.fixation).all()
    assert fixation_times(M, 3, 1000.0, "exponential")["absorption"][2] == np.inf
    assert run_length(M, [2, 1], intensity=1000.0, max_steps=50) == 50
