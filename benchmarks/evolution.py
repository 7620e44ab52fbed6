"""Benchmark: evolutionary dynamics against axelrod's MoranProcess and nashpy's replicator.

Work, on one 10-strategy payoff matrix (10 deterministic axelrod players, 200 turns, the
per-turn scores of ``axl.Match`` for every ordered pair — computed here by axelrod itself):

1. Moran process to fixation, one individual of each of the 10 players (N = 10), selection
   proportional to total score. axelrod's ``MoranProcess`` replays every match each step
   (with its deterministic cache); ``sim.evolution.moran_simulation`` (``w = 1``, linear
   fitness) uses the precomputed matrix, which is exact for deterministic players without
   noise. Check: axelrod's first-step scores equal the row sums of the matrix, and the
   mean steps to fixation agree. Time per run to fixation, as a ratio (target >= 500x).
2. Replicator dynamics from 1,000 random starts on the same matrix, to convergence
   (``max |dx/dt| < 1e-8``) or t = 100. nashpy's ``Game.replicator_dynamics`` (odeint) runs
   one start at a time over ``[0, t_stop]`` with each start's own stop time; it is timed on
   the first 200 starts and scaled to 1,000. Check: same final states (1e-5). Target: our
   1,000 integrations in under 0.2 s.

Usage: PYTHONPATH=. python benchmarks/evolution.py [axelrod_runs]
"""

from __future__ import annotations

import os
import sys
import time

import numpy as np


def players(axl):
    return [axl.Cooperator(), axl.Defector(), axl.TitForTat(), axl.Grudger(),
            axl.TitFor2Tats(), axl.WinStayLoseShift(), axl.Alternator(),
            axl.SuspiciousTitForTat(), axl.Prober(), axl.CyclerCCD()]


def payoff_matrix(axl, group, turns):
    k = len(group)
    M = np.zeros((k, k))
    for i, p in enumerate(group):
        for j, q in enumerate(group):
            match = axl.Match((p.clone(), q.clone()), turns=turns)
            match.play()
            M[i, j] = match.final_score_per_turn()[0]
    return M


def main(axelrod_runs: int = 3) -> None:
    import axelrod as axl
    import nashpy as nash

    from sim.evolution import moran_simulation, replicator

    turns = 200
    group = players(axl)
    k = len(group)
    t0 = time.perf_counter()
    M = payoff_matrix(axl, group, turns)
    print(f"payoff matrix from axl.Match ({k}x{k}, {turns} turns): "
          f"{time.perf_counter() - t0:.2f} s (setup, untimed)")

    # ---- Moran process ---------------------------------------------------------------
    t0 = time.perf_counter()
    moran_simulation(M, np.ones(k), runs=1, seed=0, fitness="linear")
    print(f"numba compile (first call, cached afterwards): {time.perf_counter() - t0:.2f} s")
    runs = 20000
    t0 = time.perf_counter()
    ours = moran_simulation(M, np.ones(k), runs=runs, seed=1, fitness="linear")
    ours_time = time.perf_counter() - t0
    ax_times, ax_steps = [], []
    for seed in range(axelrod_runs):
        mp = axl.MoranProcess([p.clone() for p in group], turns=turns, seed=seed)
        t0 = time.perf_counter()
        mp.play()
        ax_times.append(time.perf_counter() - t0)
        ax_steps.append(len(mp) - 1)
        first = np.array(mp.score_history[0])
        assert np.allclose(first, M.sum(1) - np.diag(M)), "axelrod's scores differ from M"
    ours_per_run = ours_time / runs
    ax_per_run = float(np.mean(ax_times))
    mean_steps = ours.steps.mean()
    sd = ours.steps.std() / np.sqrt(axelrod_runs)
    print(f"steps to fixation: blocsim mean {mean_steps:.1f} over {runs} runs; axelrod "
          f"{np.mean(ax_steps):.1f} over {axelrod_runs} runs (sd of such a mean {sd:.1f})")
    assert abs(np.mean(ax_steps) - mean_steps) < 4 * sd, "fixation times disagree"
    est, low, high = ours.fixation_probabilities()
    print("blocsim fixation probabilities: "
          + ", ".join(f"{p}: {e:.3f}" for p, e in zip(map(str, group), est)))

    # ---- Replicator dynamics ---------------------------------------------------------
    starts = np.random.default_rng(0).dirichlet(np.ones(k), size=1000)
    replicator(M, starts[:10], t_max=100.0, tol=1e-8)           # warm-up
    t0, c0 = time.perf_counter(), time.process_time()
    res = replicator(M, starts, t_max=100.0, tol=1e-8)
    rep_time, rep_cpu = time.perf_counter() - t0, time.process_time() - c0
    subset = 200
    game = nash.Game(M)
    t0 = time.perf_counter()
    theirs = np.array([game.replicator_dynamics(y0=x0, timepoints=np.array([0.0, t]))[-1]
                       for x0, t in zip(starts[:subset], res.time[:subset])])
    nash_time = (time.perf_counter() - t0) * len(starts) / subset
    err = np.abs(theirs - res.final[0][:subset]).max()
    assert err < 1e-5, f"replicator final states differ by {err}"
    print(f"replicator: {len(starts)} integrations of a {k}-strategy population, "
          f"{res.converged.mean():.0%} converged before t = 100, max difference to nashpy "
          f"{err:.1e}; {rep_cpu:.3f} s of CPU in {rep_time:.3f} s (load average "
          f"{os.getloadavg()[0]:.1f}: on a busy machine the wall time is the larger)")
    print(f"replicator: blocsim {rep_time:.3f} s, nashpy {nash_time:.3f} s (scaled from "
          f"{subset}), ratio {nash_time / rep_time:.0f}x (target: blocsim under 0.2 s)")
    print(f"moran: blocsim {ours_per_run:.2e} s, axelrod {ax_per_run:.2f} s, ratio "
          f"{ax_per_run / ours_per_run:.0f}x (target 500x)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
