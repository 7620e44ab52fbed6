"""Critical-weight speed: the exact breakpoint method against a dense scan of the regime.

Computes NATO's, the CSTO's and the common critical weight (:func:`sim.critical.
critical_weight`) on a grid of (common threat, discount factor δ) points of the NATO–CSTO
baseline, every point its own game (one flat batch, as a sweep sees it), then the same
weights the brute-force way on a subsample: the regime (:func:`sim.equilibria.regime`) at
``--scan + 1`` equally spaced weights per point, the first failure read off (accurate only to
``1/scan``). Both must agree to ``1/scan`` on every subsampled point. Prints the time per
point of each and the ratio.

    python benchmarks/critical_weight.py [--side 300] [--sample 2000] [--scan 256]
"""

import argparse
import time

import numpy as np

from sim import scenario
from sim.critical import critical_weight
from sim.equilibria import is_cooperative, regime
from sim.preferences import utility_game
from sim.sweep.axes import Grid, parse_axis
from sim.sweep.measures import Batch


def scanned(A, B, r_row, r_col, delta, scan):
    """Brute force: the last weight on a grid of ``scan + 1`` before the regime first fails."""
    r = np.linspace(0, 1, scan + 1)
    out = []
    for who in (0, 1, 2):
        rr = r[:, None] if who in (0, 2) else np.broadcast_to(r_row, delta.shape)[None]
        rc = r[:, None] if who in (1, 2) else np.broadcast_to(r_col, delta.shape)[None]
        coop = is_cooperative(regime(*utility_game(A[None], B[None], rr, rc), delta[None]))
        first = np.argmin(coop, axis=0)                       # first failing weight
        never = coop.all(axis=0)
        out.append(np.where(~coop[0], np.nan, np.where(never, 1.0, r[first - 1])))
    return np.stack(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", type=int, default=300)
    parser.add_argument("--sample", type=int, default=2000)
    parser.add_argument("--scan", type=int, default=256)
    args = parser.parse_args()
    sc = scenario.load("nato_csto_2007")
    axes = [f"parameters.threat=0:4:{args.side}", f"repeated.discount=0:0.99:{args.side}"]
    grid = Grid(tuple(parse_axis(a) for a in axes))
    A, B, r_row, r_col, delta = Batch(sc, grid.flat_values(0, grid.size), (grid.size,)).inputs
    critical_weight(A[:3], B[:3], r_row, r_col, delta[:3])             # warm-up
    t0 = time.perf_counter()
    crit = critical_weight(A, B, r_row, r_col, delta)
    ours = time.perf_counter() - t0

    pick = np.linspace(0, grid.size - 1, min(args.sample, grid.size)).round().astype(int)
    t0 = time.perf_counter()
    ref = scanned(A[pick], B[pick], r_row, r_col, delta[pick], args.scan)
    peer = time.perf_counter() - t0
    mine = crit[:, pick]
    same_nan = np.isnan(mine) == np.isnan(ref)
    close = np.isnan(mine) | (np.abs(np.nan_to_num(mine) - np.nan_to_num(ref)) <= 1 / args.scan)
    assert same_nan.all() and close.all(), f"{(~(same_nan & close)).sum()} values disagree"
    per_ours, per_peer = ours / grid.size, peer / pick.size
    print(f"blocsim: {grid.size:,} points (3 weights each) in {ours:.3f} s")
    print(f"scan of {args.scan + 1} weights: {pick.size:,} points in {peer:.3f} s; all agree "
          f"to 1/{args.scan}")
    print(f"critical_weight: blocsim {per_ours * 1e6:.2f} s, scan {per_peer * 1e6:.2f} s "
          f"(per million points), ratio {per_peer / per_ours:.0f}x (target 10x)")


if __name__ == "__main__":
    main()
