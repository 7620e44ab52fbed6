"""Robustness speed: a million draws of the baseline's ranges in one vectorised evaluation, and
SALib's sampling plus our model against a per-draw Python loop over ``summarize``, in one run.

1. ``--draws`` (default 1,000,000) scrambled Sobol draws of every ``[uncertainty]`` range of
   ``nato_csto_2007``, regime and ``blocked`` for each, sampled and evaluated block by block
   (:func:`sim.robust.verdicts.sample_verdicts`: per block the Sobol points, their quantiles,
   one call of ``Scenario.inputs`` and of the compiled criterion
   :func:`sim.equilibria_kernel.analyse`); prints draws/s, sampling included (target >= 2 M/s),
   and checks a random subsample of the draws against ``analyse_grid``, the numpy criterion.
2. SALib's Saltelli sample (``SALib.sample.sobol``) of about as many draws, evaluated by our
   vectorised model, against the same draws through a per-draw loop over
   :func:`sim.analysis.summarize` (a scenario loaded with the draw as overrides, then
   analysed). The loop is timed on a random subsample of ``--sample`` draws and extrapolated
   to all of them; both must agree on every subsampled draw.

    python benchmarks/robust.py [--draws 1000000] [--sample 200]
"""

import argparse
import os
import time

import numpy as np

from sim import scenario
from sim.analysis import summarize
from sim.equilibria import REGIMES, analyse_grid
from sim.robust import unit_sample
from sim.robust.sampling import values_at
from sim.robust.verdicts import evaluate_unit, sample_verdicts
from sim.robust.sensitivity import saltelli_unit

TARGET_RATE = 2e6
TARGET_RATIO = 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=200)
    args = parser.parse_args()
    sc = scenario.load("nato_csto_2007")
    dists = list(sc.uncertainty().values())
    d = len(dists)
    sample_verdicts(sc, dists, 64)                                        # warm-up

    t0, c0 = time.perf_counter(), time.process_time()
    code, blocked = (x[0] for x in sample_verdicts(sc, dists, args.draws, seed=0))
    took, cpu = time.perf_counter() - t0, time.process_time() - c0
    rate = args.draws / took
    print(f"{d} uncertain keys; {args.draws:,} scrambled Sobol draws, sampled and evaluated "
          f"(regime and blocked) in {took:.3f} s = {rate / 1e6:.2f} million draws/s "
          f"(target {TARGET_RATE / 1e6:g} M/s{'' if rate >= TARGET_RATE else ', MISSED'}); "
          f"{cpu:.3f} s of CPU (load average {os.getloadavg()[0]:.1f}: on a busy machine the "
          "wall time is the larger)")
    print(f"  one-sided {np.mean(code == REGIMES.index('one-sided')):.4f}, "
          f"blocked {blocked.mean():.4f}")
    pick = np.random.default_rng(1).choice(args.draws, min(args.draws, 20_000), replace=False)
    unit = unit_sample(args.draws, d, seed=0)[0][pick]
    ref = analyse_grid(*sc.inputs(values_at(dists, unit)))
    assert (ref[0] == code[pick]).all() and (ref[1] == blocked[pick]).all()
    print(f"  {len(pick):,} random draws checked against analyse_grid (numpy): all agree")

    base = 1 << int(round(np.log2(args.draws / (d + 2))))
    t0 = time.perf_counter()
    salt = saltelli_unit(d, base, seed=0)
    t1 = time.perf_counter()
    s_code, s_blocked = evaluate_unit(sc, dists, salt)
    ours = time.perf_counter() - t0
    print(f"SALib Saltelli sample, base {base}: {len(salt):,} draws: sampling {t1 - t0:.2f} s, "
          f"our model {ours - (t1 - t0):.2f} s, together {ours:.2f} s")

    rng = np.random.default_rng(0)
    pick = rng.choice(len(salt), args.sample, replace=False)
    values = values_at(dists, salt[pick])
    t0 = time.perf_counter()
    slow = []
    for j in range(args.sample):
        draw = scenario.from_dict(sc.raw, sc.where, [(k, float(v[j])) for k, v in values.items()])
        s = summarize(draw)
        slow.append((s["regime"], s["blocked_by_relative_gains"]))
    loop = time.perf_counter() - t0
    peer = loop / args.sample * len(salt)
    mismatch = sum((REGIMES[s_code[i]], bool(s_blocked[i])) != x for i, x in zip(pick, slow))
    assert mismatch == 0, f"{mismatch} of {args.sample} draws disagree"
    print(f"per-draw loop over summarize: {args.sample} draws in {loop:.2f} s "
          f"({loop / args.sample * 1e3:.1f} ms/draw), extrapolated to {len(salt):,} draws: "
          f"{peer:.0f} s; all {args.sample} subsampled draws agree")
    print(f"robust: blocsim {ours:.3f} s, summarize loop {peer:.1f} s, ratio "
          f"{peer / ours:.0f}x (target {TARGET_RATIO}x)")


if __name__ == "__main__":
    main()
