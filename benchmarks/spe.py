"""Benchmark: pure-strategy SPE payoff sets, blocsim (sim.spe) vs quantecon's
``RepeatedGame.equilibrium_payoffs`` (Abreu–Sannikov 2014), on the same games and discount
factors in one run.

Games: the Prisoner's Dilemma, NATO–CSTO-like asymmetric 2x2 games under the relative-gain
transform ``(A - r B, B - r A)`` for several r, and random 3x3 / 4x4 games (seeded). First
calls (quantecon's numba JIT compile; blocsim's numba cache load or compile) are timed
separately from the steady-state calls. Both answers must agree within 1e-6 (Hausdorff
distance); accuracy is also scored independently by the APS self-generation defect of each
answer (0 = the set provably consists of SPE payoffs).

Run:  PYTHONPATH=. python benchmarks/spe.py
"""

from __future__ import annotations

import time

import numpy as np

from sim.polygons import hausdorff
from sim.spe import self_generation_defect, spe_payoff_set

TARGET = 5.0
REPEATS = 5


def cases():
    pd = np.array([[3.0, 0.0], [5.0, 1.0]])
    out = [("PD", pd, pd.T, d) for d in (0.3, 0.5, 0.7, 0.9)]
    material = [
        (np.array([[3.0, 0.0], [5.0, 1.0]]), np.array([[4.0, 1.0], [0.0, 2.0]])),
        (np.array([[2.0, -1.0], [3.0, 0.0]]), np.array([[3.0, -2.0], [4.0, 1.0]])),
        (np.array([[4.0, 1.0], [3.0, 2.0]]), np.array([[3.0, 0.0], [5.0, 1.0]])),
    ]
    for k, (A, B) in enumerate(material):
        for r in (0.0, 0.2, 0.4):
            out.append((f"nato-csto{k} r={r}", A - r * B, B - r * A, 0.9))
    rng = np.random.default_rng(2024)
    while len(out) < 25:  # random m x n games whose SPE set at delta is two-dimensional
        m, n = rng.integers(2, 5, size=2)
        A = rng.integers(-3, 6, (m, n)).astype(float)
        B = rng.integers(-3, 6, (m, n)).astype(float)
        delta = float(rng.choice([0.7, 0.8, 0.9]))
        if len(spe_payoff_set(A, B, delta).vertices) >= 3:
            out.append((f"random {m}x{n}", A, B, delta))
    return out


def quantecon_solver():
    from quantecon.game_theory import NormalFormGame, Player, RepeatedGame

    def solve(A, B, delta):
        hull = RepeatedGame(NormalFormGame((Player(A), Player(B.T))),
                            delta).equilibrium_payoffs()
        return hull.points[hull.vertices]

    return solve


def main():
    pd = np.array([[3.0, 0.0], [5.0, 1.0]])
    t = time.perf_counter()
    spe_payoff_set(pd, pd.T, 0.8)
    ours_first = time.perf_counter() - t
    t = time.perf_counter()
    solve = quantecon_solver()
    solve(pd, pd.T, 0.8)
    theirs_first = time.perf_counter() - t
    print(f"first call (compile/cache load): blocsim {ours_first:.3f} s, "
          f"quantecon {theirs_first:.3f} s")

    work = cases()
    ours, theirs = {}, {}
    t = time.perf_counter()
    for _ in range(REPEATS):
        for i, (_, A, B, d) in enumerate(work):
            ours[i] = spe_payoff_set(A, B, d).vertices
    t_ours = time.perf_counter() - t
    t = time.perf_counter()
    for _ in range(REPEATS):
        for i, (_, A, B, d) in enumerate(work):
            theirs[i] = solve(A, B, d)
    t_theirs = time.perf_counter() - t

    gap = defect_ours = defect_theirs = 0.0
    for i, (name, A, B, d) in enumerate(work):
        h = hausdorff(ours[i], theirs[i])
        e_ours = self_generation_defect(A, B, d, ours[i])
        e_theirs = self_generation_defect(A, B, d, theirs[i])
        print(f"  {name:<22} delta={d:<4} vertices {len(ours[i]):2d}/{len(theirs[i]):2d}  "
              f"hausdorff {h:.1e}  APS defect {e_ours:.1e} / {e_theirs:.1e}")
        gap, defect_ours = max(gap, h), max(defect_ours, e_ours)
        defect_theirs = max(defect_theirs, e_theirs)
    assert gap <= 1e-6, f"blocsim and quantecon disagree: Hausdorff distance {gap:.2e}"
    print(f"{len(work)} games x {REPEATS} repeats; max Hausdorff distance {gap:.1e}; "
          f"max APS self-generation defect: blocsim {defect_ours:.1e}, "
          f"quantecon {defect_theirs:.1e}")
    print(f"spe: blocsim {t_ours:.4f} s, quantecon {t_theirs:.4f} s, "
          f"ratio {t_theirs / t_ours:.1f}x (target {TARGET:g}x)")


if __name__ == "__main__":
    main()
