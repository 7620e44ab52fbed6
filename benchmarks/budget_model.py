"""The cost model of :mod:`sim.budget` against what the work takes: for each kind of work,
the estimate (seconds, bytes) next to the measured time and peak memory in a new process.

    PYTHONPATH=. python benchmarks/budget_model.py

The estimate should not be below the measurement (the model errs high); the last line gives
the smallest ratio estimate / measured over all cases (target: >= 1x; compile time, paid
once, is excluded by a warm-up call in each process).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

CASES = {
    "tournament, simulated": (
        "budget.tournament(66, 200, None, 2000, True)",
        "tournament(P, A, A.T, turns=200, repetitions=2000, method='simulate')",
        "tournament(P, A, A.T, turns=5, repetitions=2, method='simulate')"),
    "tournament, exact 10^9 turns": (
        "budget.tournament(66, 10**9, None, 1, False)",
        "tournament(P, A, A.T, turns=10**9, method='exact')",
        "tournament(P, A, A.T, turns=5, method='exact')"),
    "generational": (
        "budget.evolve('generational', 3, 3000, 20, 200)",
        "generational(M3, [1000] * 3, generations=200, runs=20)",
        "generational(M3, [5] * 3, generations=2, runs=1)"),
    "moran, 3 strategies": (
        "budget.evolve('moran', 3, 300, 100, 0, run_length(M3, [100] * 3))",
        "moran_simulation(M3, [100] * 3, runs=100, record_every=300)",
        "moran_simulation(M3, [2] * 3, runs=2, record_every=6)"),
    "moran, Chicken (exact chain)": (
        "budget.evolve('moran', 3, 36, 200, 0, run_length(MC, [12] * 3))",
        "moran_simulation(MC, [12] * 3, runs=200, record_every=36)",
        "moran_simulation(MC, [2] * 3, runs=2, record_every=6)"),
    "sweep, analytic": (
        "plan.estimate([parse_axis('repeated.discount=0:0.9:1000000')], "
        "[parse_measure('regime'), parse_measure('blocked_by_relative_gains')])",
        "run_sweep(sc, ['repeated.discount=0:0.9:1000000'], out=OUT, force=True, progress=False)",
        "run_sweep(sc, ['repeated.discount=0:0.9:10'], out=OUT, force=True, progress=False)"),
}

PRELUDE = """
import json, resource, sys, tempfile, time
import numpy as np
from sim import budget
from sim.tournament import tournament
from sim.workflows.settings import TOURNAMENT_PLAYERS as P
from sim.evolution import generational, moran_simulation
from sim.evolution.moran_simulation import run_length
from sim.scenario import load
from sim.sweep import plan
from sim.sweep.axes import parse_axis
from sim.sweep.measures import parse_measure
from sim.sweep.run import run_sweep
A = np.array([[3.0, 0.0], [5.0, 1.0]])
M3 = np.array([[3, 0, 3], [5, 1, 1.2], [3, 0.9, 3.0]])
MC = np.array([[3.0, 1.0, 3.0], [4.0, 0.0, 0.4], [3.0, 0.1, 3.0]])   # Chicken: AllC, AllD, TFT
sc = load(None)
OUT = tempfile.mkdtemp()
"""


def measure(estimate: str, work: str, warm: str) -> dict:
    code = PRELUDE + textwrap.dedent(f"""
        est = {estimate}
        {warm}
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        t = time.process_time()
        {work}
        seconds = time.process_time() - t
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - base
        print(json.dumps({{"est_s": est.seconds, "est_b": est.memory, "s": seconds,
                          "b": peak}}))
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout.splitlines()[-1])


def main() -> None:
    from sim.budget import size_text

    ratios = []
    print(f"{'work':<30} {'estimate':>10} {'CPU time':>10} {'est. memory':>12} {'peak rise':>10}")
    for name, case in CASES.items():
        r = measure(*case)
        print(f"{name:<30} {r['est_s']:>9.3g}s {r['s']:>9.3g}s {size_text(r['est_b']):>12} "
              f"{size_text(max(r['b'], 0)):>10}")
        if r["s"] > 0.05:
            ratios.append(r["est_s"] / r["s"])
    worst = min(ratios)
    print(f"budget_model: estimate/measured time, smallest ratio {worst:.2f}x (target >= 1x)")


if __name__ == "__main__":
    main()
