"""Preferred-format map speed: the vectorised array path on a 1000 x 1000 grid against a per-point
loop of the array model, in one run.

Computes NATO's preferred format and the format of the choice stage on a grid of (common
threat, NATO's relative-gain weight) for ``nato_csto_members`` in one call of
:func:`sim.blocs.maps.format_codes` (first-call time reported separately), then a random sample of
the same points one at a time through :func:`sim.blocs.formats.analyse` (the array model, called
per point, as a per-point Python loop would); both must agree on every sampled point. Prints
points/s for both and the ratio.

    python benchmarks/formats.py [--size 1000] [--sample 200]
"""

import argparse
import time

import numpy as np

from sim import scenario
from sim.blocs.formats import analyse
from sim.blocs.maps import format_codes
from sim.scenario.blocs import numbers

X, Y = "parameters.threat", "preferences.relative_gain_weight.NATO"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=200)
    args = parser.parse_args()
    sc = scenario.load("nato_csto_members")
    x, y = np.linspace(0, 6, args.size), np.linspace(0, 1, args.size)
    shape = (args.size, args.size)
    t0 = time.perf_counter()
    format_codes(numbers(sc, {X: x[None, :2], Y: y[:2, None]}), (2, 2))
    compile_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    pref, choice = format_codes(numbers(sc, {X: x[None, :], Y: y[:, None]}), shape)
    ours = time.perf_counter() - t0
    rate = pref.size / ours
    rng = np.random.default_rng(0)
    idx = rng.integers(0, args.size, (args.sample, 2))
    t0 = time.perf_counter()
    ref = [analyse(numbers(sc, {X: x[j], Y: y[i]})) for i, j in idx]
    peer = time.perf_counter() - t0
    peer_rate = args.sample / peer
    bad = sum(int(r.preferred()[0]) != pref[i, j] or int(r.choice()) != choice[i, j]
              for r, (i, j) in zip(ref, idx))
    assert bad == 0, f"{bad} of {args.sample} points disagree"
    print(f"first call (imports, caches): {compile_s:.2f} s")
    print(f"blocsim: {pref.size:,} points in {ours:.3f} s = {rate / 1e6:.2f} million points/s "
          f"(target 5 million points/s)")
    print(f"per-point loop: {args.sample} points in {peer:.3f} s = {peer_rate:,.0f} points/s; "
          f"all {args.sample} agree")
    print(f"formats: blocsim {ours / pref.size * 1e6:.4f} s, per-point loop "
          f"{1e6 / peer_rate:.1f} s, ratio {rate / peer_rate:.0f}x (target 1000x); "
          f"times per million points, {rate / 1e6:.2f} M points/s (target 5 M points/s)")


if __name__ == "__main__":
    main()
