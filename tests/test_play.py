"""Exact (Markov) and Monte-Carlo play: agreement with each other, with closed forms and with
the Axelrod library."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import sim.strategies as S
from sim.games import matrix_from_trps
from sim.play import (exact_match, outcome_frequencies, payoffs_from_frequencies, rules_for,
                      simulate, simulate_match)

A = matrix_from_trps(5, 3, 1, 0)
FINITE = [S.AllC(), S.AllD(), S.TFT(), S.TF2T(), S.SuspiciousTFT(), S.Grim(), S.WSLS(),
          S.GTFT(), S.Random(0.3), S.Joss(), S.Prober(), S.Alternator(), S.Extort2(),
          S.MemoryOneVector((0.6, 0.9, 0.1, 0.7, 0.3))]
DETERMINISTIC = [0, 1, 2, 3, 4, 5, 6, 10, 11]
letters = st.floats(-5, 5, allow_nan=False)
probability = st.floats(0, 1)


@pytest.mark.parametrize("noise, continuation", [(0.0, 0.9), (0.05, 0.8), (0.2, 0.95),
                                                 (0.01, None)])
def test_exact_agrees_with_monte_carlo_for_every_pair(noise, continuation):
    """Every ordered pair of finite-memory strategies: E[total payoff − v · length] = 0."""
    rules = rules_for(FINITE, A)
    n, reps = len(rules), 2000
    i, j = np.indices((n, n)).reshape(2, -1)
    turns = None if continuation is not None else 60
    exact = outcome_frequencies([rules[k] for k in i], [rules[k] for k in j], noise,
                                continuation, turns)
    counts, lengths = simulate(rules, np.repeat(i, reps), np.repeat(j, reps), turns=turns,
                               continuation=continuation, noise=noise, seed=11)
    totals, _ = payoffs_from_frequencies(counts.reshape(n * n, reps, 4), A)
    v, _ = payoffs_from_frequencies(exact, A)
    x = totals - v[:, None, :] * lengths.reshape(n * n, reps)[..., None]
    se = x.std(1, ddof=1) / np.sqrt(reps)
    z = np.abs(x.mean(1)) / np.where(se > 0, se, np.inf)
    assert np.all(np.abs(x.mean(1))[se == 0] < 1e-9)
    assert z.max() < 5.0


def test_deterministic_pairs_are_exact_without_noise():
    rules = rules_for(FINITE, A)
    d = np.array(DETERMINISTIC)
    i, j = np.repeat(d, len(d)), np.tile(d, len(d))
    counts, lengths = simulate(rules, i, j, turns=37)
    exact = outcome_frequencies([rules[k] for k in i], [rules[k] for k in j], turns=37)
    assert np.allclose(counts / 37, exact, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(st.floats(1e-4, 0.999), letters, letters, letters, letters)
def test_tft_against_tft_averages_all_four_payoffs_under_noise(eps, T, R, P, S_):
    """TFT vs TFT under any noise 0 < ε < 1: long-run mean (R+S+T+P)/4 (Molander 1985)."""
    M = matrix_from_trps(T, R, P, S_)
    v = exact_match(S.TFT(), S.TFT(), M, noise=eps)
    assert v.payoffs == pytest.approx([(R + S_ + T + P) / 4] * 2, abs=1e-8)


@settings(max_examples=30, deadline=None)
@given(st.lists(probability, min_size=5, max_size=5), st.floats(0, 0.3), st.floats(0.05, 1))
def test_zd_enforces_its_linear_relation(q, noise_free_phi, s):
    """Press & Dyson (2012): π_other − l = s (π_ZD − l) against any memory-one opponent."""
    zd = S.ZeroDeterminant(phi=noise_free_phi * (1 - s) / 2 + 0.01, s=s, l=2.0)
    try:
        zd.vector(A)
    except ValueError:
        return
    v = exact_match(zd, S.MemoryOneVector(tuple(q)), A).payoffs
    assert v[1] - 2.0 == pytest.approx(s * (v[0] - 2.0), abs=1e-7)


def test_extort2_extorts_in_simulation():
    v = simulate_match(S.Extort2(), S.MemoryOneVector((1, 0.7, 0.4, 0.8, 0.5)), A,
                       repetitions=100, turns=2000, seed=2).payoffs
    diff = (v[:, 1] - 1) - 0.5 * (v[:, 0] - 1)
    assert abs(diff.mean()) < 4 * diff.std(ddof=1) / 10 + 2e-3


@pytest.mark.parametrize("row, col, expected", [
    (S.Grim(), S.Alternator(), (3.0, 0.5)),        # reducible: absorbed in Grim's grudge
    (S.Alternator(), S.Alternator(), (2.0, 2.0)),  # periodic closed class: CC, DD, CC, ...
    (S.TFT(), S.SuspiciousTFT(), (2.5, 2.5)),      # CD, DC alternate from the start
    (S.WSLS(), S.AllD(), (0.5, 3.0)),
    (S.Prober(), S.AllC(), (5.0, 0.0)),
])
def test_limit_of_means_of_reducible_chains(row, col, expected):
    assert exact_match(row, col, A).payoffs == pytest.approx(expected, abs=1e-12)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from([0.0, 1.0, 0.5]), min_size=10, max_size=10))
def test_limit_of_means_is_the_abel_limit(p):
    """Cesàro = Abel limit for finite chains: limit of means ≈ discounted value at δ → 1."""
    a, b = S.MemoryOneVector(tuple(p[:5])), S.MemoryOneVector(tuple(p[5:]))
    lim = exact_match(a, b, A).payoffs
    near = exact_match(a, b, A, discount=1 - 1e-9).payoffs
    assert lim == pytest.approx(near, abs=1e-6)


def test_exact_broadcasts_over_noise_and_discount():
    freq = outcome_frequencies([S.TFT().automaton()] * 2, [S.WSLS().automaton()] * 2,
                               noise=np.array([0.0, 0.1, 0.2]), discount=np.array([[0.5], [0.9]]))
    assert freq.shape == (2, 3, 2, 4)
    assert np.allclose(freq.sum(-1), 1)
    one = exact_match(S.TFT(), S.WSLS(), A, noise=0.1, discount=0.9).frequencies
    assert np.allclose(freq[1, 1, 0], one)


def test_discounted_equals_expected_per_turn_of_a_random_length_match():
    """(1−δ) Σ δ^t E[u_t] = E[total] / E[length] for continuation probability δ."""
    v = exact_match(S.WSLS(), S.Joss(), A, noise=0.05, discount=0.9).payoffs
    T = 400
    w = 0.9 ** np.arange(T)
    freq_t = [outcome_frequencies([S.WSLS().automaton()], [S.Joss().automaton()], 0.05,
                                  turns=t + 1)[0] * (t + 1) for t in range(T)]
    per_turn = np.diff(np.vstack([np.zeros(4), freq_t]), axis=0)
    assert np.allclose((w @ per_turn) @ A.reshape(4) / w.sum(), v[0], atol=1e-10)


def test_same_seed_same_result_and_split_invariance():
    rules = rules_for(FINITE, A)
    i, j = np.repeat(np.arange(14), 14), np.tile(np.arange(14), 14)
    a = simulate(rules, i, j, turns=None, continuation=0.95, noise=0.1, seed=5)
    b = simulate(rules, i, j, turns=None, continuation=0.95, noise=0.1, seed=5)
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    ids = np.arange(i.size)
    halves = [simulate(rules, i[s], j[s], turns=None, continuation=0.95, noise=0.1, seed=5,
                       match_ids=ids[s]) for s in (slice(None, 70), slice(70, None))]
    assert np.array_equal(np.concatenate([h[0] for h in halves]), a[0])
    c = simulate(rules, i, j, turns=None, continuation=0.95, noise=0.1, seed=6)
    assert not np.array_equal(a[0], c[0])


def test_geometric_lengths():
    rules = rules_for([S.AllC()], A)
    z = np.zeros(20000, int)
    _, lengths = simulate(rules, z, z, turns=None, continuation=0.9, seed=1)
    assert lengths.min() >= 1
    assert abs(lengths.mean() - 10) < 4 * np.sqrt(90 / 20000)
    assert abs(np.mean(lengths > 5) - 0.9 ** 5) < 0.02
    _, capped = simulate(rules, z, z, turns=7, continuation=0.9, seed=1)
    assert capped.max() == 7


def test_noisy_and_stochastic_means_agree_with_axelrod(axl):
    """Axelrod's mean per-match score within its sampling error of our exact value."""
    pairs = [(S.GTFT(), axl.GTFT, S.Joss(), axl.FirstByJoss),
             (S.TFT(), axl.TitForTat, S.WSLS(), axl.WinStayLoseShift),
             (S.Extort2(), axl.ZDExtort2, S.Random(0.5), axl.Random)]
    for ours_a, theirs_a, ours_b, theirs_b in pairs:
        v = exact_match(ours_a, ours_b, A, noise=0.05, turns=20).payoffs
        scores = []
        for seed in range(150):
            m = axl.Match((theirs_a(), theirs_b()), turns=20, noise=0.05, seed=seed)
            m.play()
            scores.append(np.array(m.final_score_per_turn()))
        scores = np.array(scores)
        se = scores.std(0, ddof=1) / np.sqrt(len(scores))
        assert np.all(np.abs(scores.mean(0) - v) < 4.5 * se), (ours_a.label, ours_b.label)


def test_every_deterministic_pair_matches_axelrod_per_match(axl):
    theirs = {0: axl.Cooperator, 1: axl.Defector, 2: axl.TitForTat, 3: axl.TitFor2Tats,
              4: axl.SuspiciousTitForTat, 5: axl.Grudger, 6: axl.WinStayLoseShift,
              10: axl.Prober, 11: axl.Alternator}
    rules = rules_for(FINITE, A)
    d = np.array(DETERMINISTIC)
    i, j = np.repeat(d, len(d)), np.tile(d, len(d))
    counts, _ = simulate(rules, i, j, turns=25)
    for k, (a, b) in enumerate(zip(i, j)):
        m = axl.Match((theirs[a](), theirs[b]()), turns=25)
        m.play()
        mine = payoffs_from_frequencies(counts[k], A)[0]
        assert tuple(mine) == tuple(m.final_score())


def test_bad_arguments_raise():
    rules = rules_for([S.TFT()], A)
    with pytest.raises(ValueError, match="noise"):
        simulate(rules, [0], [0], noise=1.5)
    with pytest.raises(ValueError, match="turns or continuation"):
        simulate(rules, [0], [0], turns=None)
    with pytest.raises(ValueError, match="infinite memory"):
        exact_match(S.SoftMajority(), S.TFT(), A)
    with pytest.raises(ValueError, match="discount"):
        exact_match(S.TFT(), S.TFT(), A, discount=1.0)
