"""Preferred-format map speed: the compiled kernel on a 1000 x 1000 grid against a per-point
loop of the array model, in one run.

Computes NATO's preferred format and the format of the choice stage on a grid of (common
threat, NATO's relative-gain weight) for ``nato_csto_members`` in one call of
:func:`sim.blocs.maps.format_codes` (the compiled kernel, :mod:`sim.blocs.formats_kernel`,
after a warm-up call that compiles it or loads it from numba's cache, reported separately),
the best of ``--repeat`` timed calls. Then, as checks in the same run: the array model
(``method="numpy"``) on ``--rows`` grid rows, and a random sample of the grid's points one at a
time through :func:`sim.blocs.formats.analyse` with the array model (as a per-point Python loop
would); both must agree with the kernel on every point. Prints points/s for each and the ratio
of the kernel to the per-point loop.

    python benchmarks/formats.py [--size 1000] [--sample 200] [--rows 50] [--repeat 3]
"""

import argparse
import os
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
    parser.add_argument("--rows", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sc = scenario.load("nato_csto_members")
    x, y = np.linspace(0, 6, args.size), np.linspace(0, 1, args.size)
    shape = (args.size, args.size)
    t0 = time.perf_counter()
    format_codes(numbers(sc, {X: x[None, :2], Y: y[:2, None]}), (2, 2))
    compile_s = time.perf_counter() - t0
    nums = numbers(sc, {X: x[None, :], Y: y[:, None]})
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        pref, choice = format_codes(nums, shape)
        times.append(time.perf_counter() - t0)
    ours = min(times)
    rate = pref.size / ours
    rows = min(args.rows, args.size)
    t0 = time.perf_counter()
    block = numbers(sc, {X: x[None, :], Y: y[:rows, None]})
    np_pref, np_choice = format_codes(block, (rows, args.size), method="numpy")
    array_s = time.perf_counter() - t0
    assert (np_pref == pref[:rows]).all() and (np_choice == choice[:rows]).all(), \
        "the array model disagrees with the kernel"
    rng = np.random.default_rng(0)
    idx = rng.integers(0, args.size, (args.sample, 2))
    t0 = time.perf_counter()
    ref = [analyse(numbers(sc, {X: x[j], Y: y[i]}), method="numpy") for i, j in idx]
    peer = time.perf_counter() - t0
    peer_rate = args.sample / peer
    bad = sum(int(r.preferred()[0]) != pref[i, j] or int(r.choice()) != choice[i, j]
              for r, (i, j) in zip(ref, idx))
    assert bad == 0, f"{bad} of {args.sample} points disagree"
    print(f"load average {os.getloadavg()[0]:.2f} (1 min) on {os.cpu_count()} cores")
    print(f"first call (compile or load the kernel, imports): {compile_s:.2f} s")
    print(f"blocsim kernel: {pref.size:,} points in {ours:.3f} s (best of "
          f"{', '.join(f'{t:.3f}' for t in times)}) = {rate / 1e6:.2f} million points/s "
          f"(target 5 million points/s)")
    print(f"array model: {rows * args.size:,} points in {array_s:.3f} s = "
          f"{rows * args.size / array_s / 1e6:.2f} million points/s; equal to the kernel")
    print(f"per-point loop: {args.sample} points in {peer:.3f} s = {peer_rate:,.0f} points/s; "
          f"all {args.sample} agree")
    print(f"formats: blocsim {ours / pref.size * 1e6:.4f} s, per-point loop "
          f"{1e6 / peer_rate:.1f} s, ratio {rate / peer_rate:.0f}x (target 1000x); "
          f"times per million points, {rate / 1e6:.2f} M points/s (target 5 M points/s)")


if __name__ == "__main__":
    main()
