"""Regime map speed: one vectorised call against a per-point nashpy loop, in one run.

Classifies a 2000 x 2000 grid of (relative-gain weight r, discount factor δ) points of the
NATO–CSTO baseline in one call of :func:`sim.equilibria.analyse_grid`, then classifies a
random subsample of the same grid point by point: the utility game built per point, its
equilibria found by nashpy's support enumeration, the repeated-game conditions checked in
plain Python with the exact subgame-perfect criterion (``tests/regime_reference.py``, which
the differential tests check too). Both must agree on every subsampled point. Prints points/s
for both and the ratio.

    python benchmarks/regimes.py [--size 2000] [--sample 400]
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from sim import scenario
from sim.equilibria import REGIMES, analyse_grid

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from regime_reference import nashpy_regime  # noqa: E402  (the tests' reference, shared)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--sample", type=int, default=400)
    args = parser.parse_args()
    sc = scenario.load("nato_csto_2007")
    A, B, *_ = sc.inputs()
    r = np.linspace(0, 1, args.size)
    d = np.linspace(0, 0.999, args.size)
    analyse_grid(A, B, r[:3, None], r[:3, None], d[None, :3])        # warm-up
    t0 = time.perf_counter()
    code, blocked = analyse_grid(A, B, r[:, None], r[:, None], d[None, :])
    ours = time.perf_counter() - t0
    rate = code.size / ours

    rng = np.random.default_rng(0)
    idx = rng.integers(0, args.size, (args.sample, 2))
    t0 = time.perf_counter()
    names = []
    for i, j in idx:
        U, V = A - r[i] * B, B - r[i] * A
        names.append(nashpy_regime(U, V, d[j]))
    peer = time.perf_counter() - t0
    peer_rate = args.sample / peer
    mismatch = sum(REGIMES[code[i, j]] != n for (i, j), n in zip(idx, names))
    assert mismatch == 0, f"{mismatch} of {args.sample} points disagree"
    print(f"blocsim: {code.size:,} points in {ours:.4f} s = {rate / 1e6:.1f} million points/s")
    print(f"nashpy loop: {args.sample} points in {peer:.3f} s = {peer_rate:,.0f} points/s; "
          f"all {args.sample} agree")
    print(f"throughput target: 20 million points/s; times below are per million points")
    print(f"regimes: blocsim {ours / code.size * 1e6:.6f} s, nashpy {1e6 / peer_rate:.1f} s, "
          f"ratio {rate / peer_rate:.0f}x (target 10000x)")


if __name__ == "__main__":
    main()
