"""Batched sweep measures equal the per-point functions bit for bit, on generated chunks.

A chunk of points is generated (games, some symmetric, some repeated; discount factors and
noise levels, some shared, zero noise for exact ties), evaluated once by the batched call and
once point by point with :func:`sim.tournament.tournament` (and the evolution functions); every
value must be identical, to the last bit, and so must the winner and its tie-break."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.sweep.tournament_measures import winner, winners
from sim.tournament import tournament, tournament_batch

FIELDS = [("TFT", "Grim", "WSLS", "AllC", "AllD", "Random"),      # the default field
          ("TFT", "Grim", "AllC"),                                 # TFT and Grim tie exactly
          ("GTFT", "TFT", "AllD", "Joss"),                         # rules depend on the game
          ("Soft Majority", "TFT", "AllD")]                        # infinite memory: simulated

small = st.sampled_from([0.0, 1.0, 2.0, 3.0, 5.0, -1.0, 0.5, 4.0])


@st.composite
def chunks(draw):
    n = draw(st.integers(1, 7))
    games = []
    for _ in range(n):
        if games and draw(st.booleans()):
            games.append(games[draw(st.integers(0, len(games) - 1))])    # a repeated game
            continue
        T, R, P, S = sorted(draw(st.lists(small, min_size=4, max_size=4, unique=True)))[::-1]
        A = np.array([[R, S], [T, P]])
        B = A.T.copy() if draw(st.booleans()) else np.array(
            [[draw(small), draw(small)], [draw(small), draw(small)]])
        games.append((A, B))
    A = np.stack([g[0] for g in games])
    B = np.stack([g[1] for g in games])
    delta = np.array([draw(st.sampled_from([0.0, 0.5, 0.9, 0.95])) for _ in range(n)])
    noise = np.array([draw(st.sampled_from([0.0, 0.0, 0.01, 0.1])) for _ in range(n)])
    return A, B, delta, noise


def _same(a, b) -> bool:
    return np.array_equal(np.asarray(a).view(np.uint64), np.asarray(b).view(np.uint64)) \
        or np.array_equal(a, b, equal_nan=True) and np.array_equal(np.signbit(a), np.signbit(b))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chunks(), st.sampled_from(FIELDS), st.sampled_from(["auto", "simulate"]),
       st.sampled_from([None, 6]))
def test_tournament_batch_is_the_per_point_tournament(chunk, field, method, turns):
    A, B, delta, noise = chunk
    if field[0] == "GTFT":
        try:                                   # GTFT's default needs a Prisoner's Dilemma
            [tournament(field, A[q], B[q], turns=3) for q in range(len(A))]
        except ValueError:
            return
    seeds = np.arange(len(A), dtype=np.uint64) * 7919 + 11
    cont = None if turns else delta
    batch = tournament_batch(field, A, B, turns=turns, continuation=cont, noise=noise,
                             repetitions=3, seeds=seeds, method=method)
    expected = []
    for q in range(len(A)):
        res = tournament(field, A[q], B[q], turns=turns,
                         continuation=None if turns else float(delta[q]), noise=float(noise[q]),
                         repetitions=3, seed=int(seeds[q]), method=method)
        assert _same(batch.payoff_matrix[q], res.payoff_matrix), q
        assert _same(batch.cooperation[q], res.cooperation), q
        assert _same(batch.mean_payoffs[q], res.mean_payoffs), q
        assert _same(batch.cooperation_rates[q].mean(), res.cooperation_rates.mean()), q
        expected.append(winner(res))
    assert winners(batch.mean_payoffs).tolist() == expected


def test_ties_go_to_the_first_player_in_the_batch_too():
    A = np.array([[[3.0, 0.0], [5.0, 1.0]]] * 2)
    batch = tournament_batch(("Grim", "TFT", "AllC"), A, np.swapaxes(A, 1, 2),
                             continuation=[0.9, 0.5])
    scores = batch.mean_payoffs
    assert scores[0, 0] == scores[0, 1]                  # an exact tie ...
    assert winners(scores).tolist()[0] == 0              # ... goes to the first listed
    near = np.array([[1.0, 1.0 + 1e-10, 0.0], [1.0, 1.0 + 1e-8, 0.0]])
    assert winners(near).tolist() == [0, 1]              # within 1e-9 ties; beyond, not


def test_winners_use_pythons_max_for_the_tolerance():
    scores = np.array([[-5.0, -5.0 + 4e-9, -7.0], [0.2, 0.2 + 5e-10, 0.1]])

    class R:
        def __init__(self, s):
            self.mean_payoffs = s
    assert winners(scores).tolist() == [winner(R(s)) for s in scores]


EVOLVED = [("AllC", "AllD", "TFT", "Grim", "WSLS"), ("GTFT", "AllD", "TFT")]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chunks(), st.sampled_from(EVOLVED))
def test_population_games_are_the_per_point_population_game(chunk, names):
    from sim.play import population_game, population_games
    from sim.strategies import strategy_from_data

    A, B, delta, noise = chunk
    strategies = [strategy_from_data(s) for s in names]
    try:
        expected = [population_game(strategies, A[q], B[q], noise=float(noise[q]),
                                    discount=float(delta[q])) for q in range(len(A))]
    except ValueError:                         # GTFT's default needs a Prisoner's Dilemma
        return
    row, column, mutual, one = population_games(strategies, A, B, noise=noise, discount=delta)
    for q, pg in enumerate(expected):
        for got, want in zip((row, column, mutual, one),
                             (pg.row, pg.column, pg.mutual, pg.one_population)):
            assert _same(got[q], want), q


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chunks())
def test_evolution_measures_are_the_per_point_computations(chunk):
    from sim.evolution import fixation_probability, replicator_two_populations
    from sim.evolution.replicator import payoff_scale
    from sim.play import population_game
    from sim.strategies import strategy_from_data
    from sim.sweep import evolution_measures as em

    A, B, delta, noise = chunk
    delta = np.minimum(delta, 0.9)

    class Points:                          # the part of a sweep Batch the measures read
        scenario = None                    # (no [strategies] of its own)

        def points(self, noise_option=None):
            return A, B, delta, noise

    got = em.evolved_cooperation(Points(), None, time=50.0)
    rho = em.fixation_probability(Points(), None, population=7)
    five = [strategy_from_data(s) for s in em.EVOLVED_PLAYERS]
    pair = [strategy_from_data(s) for s in ("TFT", "AllD")]
    for q in range(len(A)):
        pg = population_game(five, A[q], B[q], noise=float(noise[q]), discount=float(delta[q]))
        # one point alone, as a batch of one (the stacked field's arithmetic)
        final = replicator_two_populations(
            pg.row[None], pg.column[None],
            t_max=50.0 / payoff_scale(pg.row[None], pg.column[None])).final
        want = np.einsum("ni,nij,nj->n", final[0], pg.mutual[None], final[1])[0]
        assert _same(got[q], want), q
        M = population_game(pair, A[q], B[q], noise=float(noise[q]),
                            discount=float(delta[q])).one_population
        assert _same(rho[q], fixation_probability(M, 7, 1.0, "exponential")), q


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([0.0, 0.3, 0.9]), st.sampled_from([0.0, 0.05, 0.3]),
                          st.booleans(), st.booleans()), min_size=1, max_size=6),
       st.integers(0, 2 ** 32))
def test_simulated_cooperation_in_one_call_is_the_per_point_loop(points, seed):
    from sim.sweep.measures import point_seeds
    from sim.sweep.simulated import grim_matches, grim_points

    seeds = point_seeds(seed, range(len(points)), "simulated_cooperation")
    lengths, uniforms, want = [], [], []
    for (delta, eps, row, col), ss in zip(points, seeds):
        rng = np.random.Generator(np.random.PCG64(ss))
        lengths.append(rng.geometric(1.0 - delta, size=50))
        uniforms.append(rng.random((int(lengths[-1].sum()), 2), dtype=np.float32))
        want.append(grim_matches(lengths[-1], uniforms[-1], eps, row, col))
    got = grim_points(np.concatenate(lengths), np.concatenate(uniforms),
                      np.cumsum([x.size for x in lengths]), np.cumsum([x.sum() for x in lengths]),
                      np.array([p[1] for p in points]), np.array([p[2] for p in points]),
                      np.array([p[3] for p in points]))
    assert got.tolist() == want
