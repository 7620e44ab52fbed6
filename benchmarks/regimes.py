"""Regime map speed: one vectorised call against a per-point nashpy loop, in one run.

Classifies a 2000 x 2000 grid of (relative-gain weight r, discount factor δ) points of the
NATO–CSTO baseline in one call of :func:`sim.equilibria.analyse_grid`, then classifies a
random subsample of the same grid point by point: the utility game built per point, its
equilibria found by nashpy's support enumeration, the repeated-game conditions checked in
plain Python with the exact subgame-perfect criterion. Both must agree on every subsampled point. Prints points/s for both and the ratio.

    python benchmarks/regimes.py [--size 2000] [--sample 400]
"""

import argparse
import time
import warnings

import nashpy
import numpy as np

from sim import scenario
from sim.equilibria import REGIMES, analyse_grid
from sim.spe import forever_thresholds


def reference_regime(U, V, delta):
    """The regime of one utility game, found the slow way: nashpy plus per-point checks.

    (C,C) forever is subgame perfect when each player i with T_i > R_i is deterred by the
    harsher of two punishments: the stage equilibrium worst for it among nashpy's (Friedman
    1971), or its pure minmax where a pure stage equilibrium pays it that (Abreu 1988); where
    none does, its worst pure SPE payoff comes from the SPE set (sim.spe, Abreu & Sannikov).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        eqs = list(nashpy.Game(U, V).support_enumeration())
    pure = {(int(np.argmax(s)), int(np.argmax(t))) for s, t in eqs
            if np.isclose(s.max(), 1) and np.isclose(t.max(), 1)}
    games = (U, V)
    own = [U, V.T]
    letters = [dict(T=M[1, 0], R=M[0, 0], P=M[1, 1], S=M[0, 1]) for M in own]
    spe_thresholds = None
    sustained = True
    for p, (x, M) in enumerate(zip(letters, own)):
        tol = 1e-9 * np.ptp(M)
        if x["T"] <= x["R"] + tol:
            continue
        worst_ne = min(float(s @ games[p] @ t) for s, t in eqs)
        minmax = M.max(axis=0).min()
        at_minmax = any(abs(games[p][a] - minmax) <= tol for a in pure)
        ok = x["R"] >= (1 - delta) * x["T"] + delta * min(worst_ne, x["R"]) - tol
        if at_minmax:
            ok |= x["R"] >= (1 - delta) * x["T"] + delta * min(minmax, x["R"]) - tol
        elif x["R"] > minmax + tol:
            if spe_thresholds is None:
                spe_thresholds = forever_thresholds(U, V)
            ok |= bool(delta >= spe_thresholds[p] - 1e-9)
        sustained &= bool(ok)
    prefer = sum(x["R"] > x["P"] + 1e-9 * np.ptp(M) for x, M in zip(letters, own))
    cc, dd, cd, dc = ((0, 0) in pure), ((1, 1) in pure), ((0, 1) in pure), ((1, 0) in pure)
    if cc and dd:
        return "coordination"
    if cc:
        return "harmony"
    if sustained:
        return "reciprocity"
    if dd:
        return ["deadlock", "one-sided", "short-horizon"][prefer]
    if cd and dc:
        return "anti-coordination"
    return "unilateral" if cd or dc else "cycling"


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
        names.append(reference_regime(U, V, d[j]))
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
