"""Repeated play with learning under execution noise: belief paths and spirals of suspicion
(Jervis 1976, *Perception and Misperception in International Politics*, ch. 3; Kydd 2005,
ch. 7).

Each side holds a belief that the other is the cooperative type. The cooperative type of
side ``i`` intends C while its belief is at least its trust threshold ``θ_i`` (e.g.
:func:`~sim.trust.threshold.trust_threshold`, or the repeated game's at δ); the other type
always intends D. Each intended action is flipped with probability ``ε`` (execution noise),
so a defection may be an accident or a type. Priors, thresholds and ε are common knowledge,
so each side knows what the other's cooperative type intends; an observed action is
informative only while that type intends C, and then shifts the log-odds by
``± L = ± log((1 − ε)/ε)`` (Bayes' rule, :mod:`sim.trust.beliefs`). A belief is therefore
``logit μ = logit μ₀ + k·L`` for an integer count ``k``, and a side trusts iff
``k >= K = ⌈(logit θ − logit μ₀) / L⌉``.

Two readings of the other's defection (``reading``):

* ``"bayesian"`` — the other's beliefs are common knowledge, so a defection by a side that
  no longer trusts is read as mistrust, not as type: it carries no information (Kydd 2005,
  ch. 7). A spiral then needs both sides to slip at once.
* ``"naive"`` — Jervis's (1976, ch. 3) misperception: each side reads every observed action
  as if the other's cooperative type always intended C, so a defensive defection looks like
  hostility and answers it in kind.

A **spiral**: both cooperative types intend D. Then, with the bayesian reading, nothing
either does is informative and neither belief moves again; with the naive reading both
sides' defections confirm each other's fears (only the rare accidental C can lift a belief).
:func:`spiral_probability` counts the first time both intend D. :func:`spiral_probability` computes the probability of a spiral by round ``T``
exactly by dynamic programming over the lattice of counts; :func:`simulate` draws belief
paths with a compiled lockstep kernel (seeded, counter-based streams), and the tests check
one against the other.

This is a learning heuristic on top of the stage game's equilibrium thresholds (each round's
choice is the one-shot best reply to the current belief), as in Kydd's (2005, ch. 7) spiral
model, not a perfect Bayesian equilibrium of the repeated game.
"""

from __future__ import annotations

import math

import numpy as np

#: Counts are clipped to ±(horizon + 2): beyond that, the horizon cannot reach zero.
_MARGIN = 2


def _logit(p):
    with np.errstate(divide="ignore"):
        return np.log(p) - np.log1p(-p)


def start_offset(prior, threshold, noise, horizon):
    """``s₀ = −K``: how many net informative observations a side starts above the count at
    which it trusts (clipped to ±(horizon + 2); see module). ``threshold`` ``nan``: the
    cooperative type never trusts."""
    prior, threshold, eps = np.broadcast_arrays(*(np.asarray(x, dtype=float)
                                                  for x in (prior, threshold, noise)))
    big = horizon + _MARGIN
    trusts_now = prior >= threshold - 1e-12
    with np.errstate(divide="ignore", invalid="ignore"):
        L = np.log1p(-eps) - np.log(eps)                  # inf at ε = 0, 0 at ε = 1/2
        need = (_logit(threshold) - _logit(prior)) / L
        K = np.ceil(need - 1e-9)
    K = np.where(np.isfinite(K), K, np.where(trusts_now, 0.0, 1.0))
    K = np.where(eps == 0, np.where(trusts_now, 0.0, 1.0), K)
    # beliefs that cannot move: certainty, or uninformative actions
    stuck = (prior <= 0) | (prior >= 1) | (eps >= 0.5)
    K = np.where(stuck, np.where(trusts_now, -big, big), K)
    K = np.where(np.isnan(threshold), big, np.where(threshold <= 0, -big, K))
    return (-np.clip(K, -big, big)).astype(np.int64)


def belief(prior, count, noise):
    """The belief after a net ``count`` of informative observations (see module)."""
    prior, count, eps = np.broadcast_arrays(*(np.asarray(x, dtype=float)
                                              for x in (prior, count, noise)))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        L = np.log1p(-eps) - np.log(eps)
        z = _logit(prior) + np.where(count == 0, 0.0, count * L)
        return np.where(np.isnan(z), prior, 1.0 / (1.0 + np.exp(-z)))


READINGS = ("naive", "bayesian")


def _inputs(prior_row, prior_column, threshold_row, threshold_column, noise, horizon,
            cooperative, reading="naive"):
    if not (isinstance(horizon, (int, np.integer)) and 1 <= horizon <= 10_000):
        raise ValueError(f"horizon must be a whole number of rounds in [1, 10000], got "
                         f"{horizon!r}")
    eps = np.asarray(noise, dtype=float)
    if np.any((eps < 0) | (eps > 0.5)) or np.any(np.isnan(eps)):
        raise ValueError("noise must be in [0, 0.5]")
    shape = np.broadcast_shapes(*(np.shape(x) for x in (prior_row, prior_column, threshold_row,
                                                         threshold_column, noise)))
    s_row = np.broadcast_to(start_offset(prior_row, threshold_row, noise, horizon), shape)
    s_col = np.broadcast_to(start_offset(prior_column, threshold_column, noise, horizon), shape)
    coop = [np.broadcast_to(np.asarray(c, dtype=bool), shape) for c in cooperative]
    eps = np.broadcast_to(eps, shape)
    if reading not in READINGS:
        raise ValueError(f"reading must be one of {', '.join(READINGS)}, got {reading!r}")
    naive = np.full(shape, reading == "naive")
    return shape, s_row, s_col, coop, eps, naive


def spiral_probability(prior_row, prior_column, threshold_row, threshold_column, noise,
                       horizon: int, cooperative=(True, True), *, reading="naive",
                       cooperation=False):
    """P(spiral at or before round ``t``) for ``t = 0 .. horizon``, exactly (dynamic
    programming; see module). ``prior_row`` is the row side's belief that the column side is
    cooperative, ``threshold_row`` its trust threshold; ``cooperative`` gives the true types;
    ``reading`` is ``"naive"`` or ``"bayesian"`` (see module).
    Arguments broadcast; returns shape ``broadcast + (horizon + 1,)``; with ``cooperation``
    also each side's probability of playing C in rounds ``1 .. horizon``, shape
    ``broadcast + (horizon, 2)``."""
    from ._learning_kernel import spiral_dp

    shape, s_row, s_col, coop, eps, naive = _inputs(prior_row, prior_column, threshold_row,
                                                    threshold_column, noise, horizon,
                                                    cooperative, reading)
    n = int(np.prod(shape))
    out = np.zeros((n, horizon + 1))
    played = np.zeros((n, horizon, 2))
    spiral_dp(np.ascontiguousarray(s_row.ravel()), np.ascontiguousarray(s_col.ravel()),
              np.ascontiguousarray(coop[0].ravel()), np.ascontiguousarray(coop[1].ravel()),
              np.ascontiguousarray(eps.ravel()), np.ascontiguousarray(naive.ravel()), horizon,
              out, played)
    spiral = out.reshape(shape + (horizon + 1,))
    return (spiral, played.reshape(shape + (horizon, 2))) if cooperation else spiral


def simulate(prior_row, prior_column, threshold_row, threshold_column, noise, horizon: int,
             paths: int = 1000, seed: int = 0, cooperative=(True, True), reading="naive"):
    """Belief paths by Monte Carlo for one point: ``(spiral round per path (−1: none),
    beliefs of shape (paths, horizon + 1, 2))`` — column 0 the row side's belief about the
    column side, 1 the reverse; seeded, reproducible, independent of batching."""
    from ._learning_kernel import spiral_paths

    shape, s_row, s_col, coop, eps, naive = _inputs(prior_row, prior_column, threshold_row,
                                                    threshold_column, noise, horizon,
                                                    cooperative, reading)
    if shape != ():
        raise ValueError("simulate takes one point; use spiral_probability for grids")
    if not (isinstance(paths, (int, np.integer)) and 1 <= paths <= 10**8):
        raise ValueError(f"paths must be a whole number in [1, 1e8], got {paths!r}")
    n = int(paths)
    thr = np.full(n, min(int(math.floor(float(eps) * 2**32)), 2**32), dtype=np.uint64)
    first = np.empty(n, dtype=np.int64)
    counts = np.zeros((n, horizon, 2), dtype=np.int64)
    spiral_paths(np.full(n, int(s_row)), np.full(n, int(s_col)), np.full(n, bool(coop[0])),
                 np.full(n, bool(coop[1])), thr, np.full(n, bool(naive)), horizon,
                 np.uint64(seed),
                 np.arange(n, dtype=np.uint64), first, counts)
    k = np.concatenate([np.zeros((n, 1, 2), dtype=np.int64), counts], axis=1)
    beliefs = np.stack([belief(prior_row, k[..., 0], noise),
                        belief(prior_column, k[..., 1], noise)], -1)
    return first, beliefs


def spiral_by(first, horizon: int) -> np.ndarray:
    """Share of simulated paths in a spiral at or before each round ``0 .. horizon``."""
    first = np.asarray(first)
    hit = first[first >= 0]
    counts = np.bincount(hit, minlength=horizon + 1)[:horizon + 1]
    return np.cumsum(counts) / first.size
