"""A simulated measure: Monte Carlo cooperation of grim-trigger players with execution noise.

``simulated_cooperation`` is the share of rounds with mutual cooperation, (C,C), when the two
players meet in repeated matches of random length:

* each player plays **grim trigger** (cooperate until the other is seen to defect, then defect
  for ever; Friedman 1971) if its own grim-trigger condition holds on the utility game at this
  δ (see :func:`sim.equilibria.threshold_interval`), and **always defect** otherwise;
* each intended action is flipped with probability ε (execution noise: the scenario's
  ``repeated.noise``, an axis ``repeated.noise``, or the option ``noise``);
* after every round the match continues with probability δ (Axelrod 1984's w), so a match
  lasts ``L ~ Geometric(1 − δ)`` rounds;
* the value is ``Σ (C,C) rounds / Σ rounds`` over ``repetitions`` independent matches.

The ratio estimates the normalised discounted frequency of (C,C),
``(1 − δ) Σ_t δ^t P(CC at t)``, which the tests compute exactly from the four-state Markov
chain of who has been triggered. It asks what noise does to the equilibrium that the analytic
``threshold_grim`` describes; the tournament and evolution measures
(:mod:`.tournament_measures`, :mod:`.evolution_measures`) ask which strategies do well. Each
point draws from its own seed (:func:`sim.sweep.measures.point_seeds`).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..equilibria import TOL, threshold_interval
from .measures import Option, register


@njit(cache=True)
def grim_matches(lengths, uniforms, noise, grim_row, grim_column):
    """Number of (C,C) rounds in matches of the given lengths (uniforms: one row per round,
    one column per player; ``u < noise`` flips that player's intended action)."""
    cc = 0
    k = 0
    for m in range(lengths.size):
        row_triggered = not grim_row            # always-defect behaves as triggered from the start
        col_triggered = not grim_column
        for _ in range(lengths[m]):
            row_d = row_triggered
            col_d = col_triggered
            if uniforms[k, 0] < noise:
                row_d = not row_d
            if uniforms[k, 1] < noise:
                col_d = not col_d
            k += 1
            if not row_d and not col_d:
                cc += 1
            if col_d:
                row_triggered = True
            if row_d:
                col_triggered = True
    return cc


@njit(cache=True)
def grim_points(lengths, uniforms, match_ends, round_ends, noise, grim_row, grim_column):
    """:func:`grim_matches` for many points in one call: point ``q`` owns matches
    ``match_ends[q-1]:match_ends[q]`` and uniform rows ``round_ends[q-1]:round_ends[q]``
    (ends cumulative), with its own noise and players; returns its (C,C) counts."""
    out = np.zeros(match_ends.size, np.int64)
    m0, r0 = 0, 0
    for q in range(match_ends.size):
        out[q] = grim_matches(lengths[m0:match_ends[q]], uniforms[r0:round_ends[q]], noise[q],
                              grim_row[q], grim_column[q])
        m0, r0 = match_ends[q], round_ends[q]
    return out


def _cost(options) -> float:
    """Seconds per point: about 2 random numbers and a kernel step per round, ~5 rounds per
    match on a δ axis spread over [0, 1)."""
    return 3e-5 + options.get("repetitions", 1000) * 1.2e-7


@register("simulated_cooperation", "simulated",
          "share of rounds with mutual cooperation when players who find grim trigger "
          "individually rational play it (the others always defect), with execution noise ε, "
          "in matches continued with probability δ (Monte Carlo)", unit="share of rounds",
          options={"noise": Option(float, None, "execution noise ε (default: the scenario's "
                                                "repeated.noise or its axis)"),
                   "repetitions": Option(int, 1000, "matches per point")},
          cost=_cost)
def simulated_cooperation(batch, seeds, noise=None, repetitions=1000):
    U, V, delta, eps = batch.points(noise)
    n = len(seeds)
    lo, hi = threshold_interval(U, V, "grim")
    plays_grim = (delta >= lo[:2] - TOL) & (delta <= hi[:2] + TOL)
    lengths, uniforms = [], []
    for i, ss in enumerate(seeds):               # each point's own stream, drawn in order
        rng = np.random.Generator(np.random.PCG64(ss))
        lengths.append(rng.geometric(1.0 - delta[i], size=repetitions))
        uniforms.append(rng.random((int(lengths[-1].sum()), 2), dtype=np.float32))
    if n == 0:
        return np.empty(0)
    rounds = np.array([x.sum() for x in lengths])
    cc = grim_points(np.concatenate(lengths), np.concatenate(uniforms),
                     np.cumsum([x.size for x in lengths]), np.cumsum(rounds),
                     np.ascontiguousarray(eps, dtype=float),
                     np.ascontiguousarray(plays_grim[0]), np.ascontiguousarray(plays_grim[1]))
    return cc / rounds
