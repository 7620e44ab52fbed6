"""Trust speed: trust-threshold maps and the classification of costly reassurance, one
vectorised call each, against a per-point loop over nashpy on the ex-ante strategic form.

1. A 1000 x 1000 map over (NATO's prior that the CSTO is a partner, δ) of the trust scenario:
   does a cooperative equilibrium of the repeated game (grim trigger against always-defect,
   per CSTO type) exist? blocsim: :func:`sim.trust.threshold.repeated_trust_threshold`
   broadcast over the whole grid. Peer: per point, the ex-ante strategic form of the Bayesian
   meta-game (Harsanyi 1967-68: NATO's 2 actions x the CSTO's 4 type-contingent plans), all
   its equilibria by nashpy's support enumeration, and the check for one with NATO and the
   partner on grim trigger.
2. A 500 x 500 grid over (prior, cost of the gesture) classified into PBE classes. blocsim:
   :func:`sim.trust.signalling.classify`. Peer: per point, the ex-ante strategic form of the
   signalling game (the sender's 4 message plans x the receiver's 4 response plans), its
   equilibria by nashpy's support enumeration, and the pure sender patterns among them —
   which here are exactly the pure PBE classes, since every response is a best reply to some
   belief (g_c > 0 > g_u).

The peer runs on a random subsample of each grid (its time is extrapolated to the whole grid,
as printed); both must agree on every subsampled point away from ties.

    python benchmarks/trust.py [--size 1000] [--pbe-size 500] [--sample 300]
"""

import argparse
import time
import warnings
from itertools import product

import nashpy
import numpy as np

from sim import scenario
from sim.trust.model import TrustModel
from sim.trust.signalling import CLASSES, classify
from sim.trust.threshold import engagement_gains, meta_game, repeated_trust_threshold


def _equilibria(M, N):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return list(nashpy.Game(M, N).support_enumeration())


def peer_cooperative(A, B, p, delta) -> bool:
    """Per point: the ex-ante form of the Bayesian meta-game and nashpy's equilibria."""
    MA, MB = meta_game(A, B, delta)                 # (type, NATO action, CSTO action)
    plans = list(product((0, 1), repeat=2))         # CSTO's action per type
    prior = (p, 1 - p)
    M = np.array([[sum(prior[t] * MA[t, a, s[t]] for t in (0, 1)) for s in plans]
                  for a in (0, 1)])
    N = np.array([[sum(0.5 * MB[t, a, s[t]] for t in (0, 1)) for s in plans] for a in (0, 1)])
    for x, y in _equilibria(M, N):
        partner_c = sum(y[k] for k, s in enumerate(plans) if s[0] == 0)
        if x[0] > 1 - 1e-9 and partner_c > 1 - 1e-9:
            return True
    return False


def peer_classes(p, g, h, c) -> int:
    """Per point: pure sender patterns among nashpy's equilibria of the ex-ante form."""
    senders = list(product((0, 1), repeat=2))       # message per type: 0 gesture, 1 none
    receivers = list(product((0, 1), repeat=2))     # engage (1) or not after (gesture, none)
    prior = (p, 1 - p)
    M = np.array([[sum(prior[t] * (r[s[t]] * h[t] - c[t] * (s[t] == 0)) for t in (0, 1))
                   for r in receivers] for s in senders])
    N = np.array([[sum(prior[t] * r[s[t]] * g[t] for t in (0, 1)) for r in receivers]
                  for s in senders])
    names = {(0, 1): "separating", (1, 0): "reverse-separating", (0, 0): "pooling-gesture",
             (1, 1): "pooling-silence"}
    bits = 0
    for x, y in _equilibria(M, N):
        if x.max() > 1 - 1e-9:
            bits |= 1 << CLASSES.index(names[senders[int(np.argmax(x))]])
    return bits


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--pbe-size", type=int, default=500)
    parser.add_argument("--sample", type=int, default=300)
    args = parser.parse_args()
    model = TrustModel(scenario.load("nato_csto_trust"))
    A, B, _ = model.trust_arrays()
    rng = np.random.default_rng(0)

    # 1. trust-threshold map over (prior, δ)
    n = args.size
    priors = np.linspace(0.0005, 0.9995, n)
    deltas = np.linspace(0, 0.999, n)
    repeated_trust_threshold(A, B, deltas[:3])                     # warm-up
    t0 = time.perf_counter()
    p_star = repeated_trust_threshold(A, B, deltas[:, None] + 0 * priors[None, :])
    coop = priors[None, :] >= p_star - 1e-12
    ours1 = time.perf_counter() - t0
    idx = rng.integers(0, n, (args.sample, 2))
    t0 = time.perf_counter()
    peer_vals = [peer_cooperative(A, B, priors[j], deltas[i]) for i, j in idx]
    peer1 = (time.perf_counter() - t0) * n * n / args.sample
    near = np.abs(priors[idx[:, 1]] - p_star[idx[:, 0], idx[:, 1]]) < 1e-6
    bad = sum(bool(coop[i, j]) != v for (i, j), v, k in zip(idx, peer_vals, near) if not k)
    assert bad == 0, f"trust map: {bad} of {args.sample} points disagree"
    print(f"trust-threshold map {n}x{n}: blocsim {ours1:.3f} s = {n * n / ours1:,.0f} "
          f"points/s; nashpy {peer1:.0f} s extrapolated from {args.sample} points = "
          f"{n * n / peer1:,.0f} points/s; ratio {peer1 / ours1:,.0f}x")

    # 2. PBE classification over (prior, cost)
    m = args.pbe_size
    g, h, _ = engagement_gains(A, B)
    ratio = model.section.cost_ratio
    P = np.linspace(0.001, 0.999, m)[None, :]
    C = np.linspace(0, 10, m)[:, None]
    classify(P[:, :3], g[0], g[1], h[0], h[1], C[:3], C[:3] * ratio)     # warm-up
    t0 = time.perf_counter()
    exists, _ = classify(P, g[0], g[1], h[0], h[1], C, C * ratio)
    ours2 = time.perf_counter() - t0
    idx = rng.integers(0, m, (args.sample, 2))
    t0 = time.perf_counter()
    peer_bits = [peer_classes(P[0, j], g, h, (C[i, 0], C[i, 0] * ratio)) for i, j in idx]
    peer2 = (time.perf_counter() - t0) * m * m / args.sample
    p_star0 = -g[1] / (g[0] - g[1])
    pure = 0b1111
    bad = 0
    for (i, j), bits in zip(idx, peer_bits):
        c = C[i, 0]
        ties = [abs(P[0, j] - p_star0), abs(c - h[0]), abs(c * ratio - h[1]), c]
        if min(ties) < 1e-6:
            continue
        bad += (int(exists[i, j]) & pure) != bits
    assert bad == 0, f"PBE classes: {bad} of {args.sample} points disagree"
    print(f"PBE classification {m}x{m}: blocsim {ours2:.3f} s = {m * m / ours2:,.0f} "
          f"points/s; nashpy {peer2:.0f} s extrapolated from {args.sample} points = "
          f"{m * m / peer2:,.0f} points/s; ratio {peer2 / ours2:,.0f}x")
    total, peer_total = ours1 + ours2, peer1 + peer2
    print(f"(nashpy's time is extrapolated from {args.sample} points of each grid)")
    print(f"trust: blocsim {total:.3f} s, nashpy {peer_total:.0f} s, ratio "
          f"{peer_total / total:.0f}x (target 1000x)")


if __name__ == "__main__":
    main()
