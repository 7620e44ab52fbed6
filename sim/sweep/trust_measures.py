"""Trust measures: the trust threshold, the reassurance range, the outcome of costly
reassurance and the spiral probability, each one broadcasting call of :mod:`sim.trust` on a
box of the grid (sources there: Kydd 2005; Cho & Kreps 1987; Jervis 1976).

A sweep may vary the truster's prior (``beliefs.<player>.<type>``), a type's relative-gain
weight (``types.<player>.<type>.relative_gain_weight``), the gesture's cost
(``trust.signal_cost``, ``trust.cost_ratio``) and every key of the scenario.
"""

from __future__ import annotations

import numpy as np

from .measures import NOISE, Option, check_noise, register


def _model(batch):
    from ..trust.model import TrustModel

    return TrustModel(batch.scenario)


def _arrays(batch):
    model = _model(batch)
    A, B, p = model.trust_arrays(batch.values)
    return model, A, B, p


@register("trust_threshold", "analytic", "least belief that the other is the cooperative type "
          "at which a cooperative equilibrium of the stage game exists (nan: none)",
          unit="probability")
def trust_threshold(batch):
    from ..trust.threshold import trust_threshold as p_star

    _, A, B, _ = _arrays(batch)
    return batch.full(p_star(A, B))


@register("trust_threshold_repeated", "analytic", "the trust threshold of the repeated game at "
          "δ (grim trigger against always-defect; nan: none)", unit="probability")
def trust_threshold_repeated(batch):
    from ..trust.threshold import repeated_trust_threshold

    _, A, B, _ = _arrays(batch)
    return batch.full(repeated_trust_threshold(A, B, batch.inputs[4]))


def _range(batch):
    from ..trust.signalling import reassurance_range
    from ..trust.threshold import engagement_gains

    model, A, B, _ = _arrays(batch)
    g, h, _ = engagement_gains(A, B)
    c, cu = model.costs(batch.values)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(c > 0, cu / np.where(c > 0, c, 1), model.section.cost_ratio)
    return reassurance_range(g[..., 0], g[..., 1], h[..., 0], h[..., 1], ratio)


@register("reassurance_low", "analytic", "least cost of a gesture (to the cooperative type) "
          "that separates the types with engagement after it (nan: none does)",
          unit="payoff units")
def reassurance_low(batch):
    return batch.full(_range(batch)[0])


@register("reassurance_high", "analytic", "largest cost of a gesture that the cooperative type "
          "still makes in a separating equilibrium (nan: none)", unit="payoff units")
def reassurance_high(batch):
    return batch.full(_range(batch)[1])


def _outcomes(options):
    from ..trust.summary import OUTCOMES

    return list(OUTCOMES)


@register("reassurance_outcome", "analytic", "what is left of costly reassurance after the "
          "intuitive criterion at the prior and cost: separating, semi-separating, trusted "
          "without a gesture, or no engagement", dtype="category", categories=_outcomes)
def reassurance_outcome(batch):
    from ..trust.signalling import classify
    from ..trust.summary import outcome_code
    from ..trust.threshold import engagement_gains, trust_interval

    model, A, B, p = _arrays(batch)
    g, h, _ = engagement_gains(A, B)
    c, cu = model.costs(batch.values)
    p_in = np.clip(p, 1e-12, 1 - 1e-12)
    _, survives = classify(p_in, g[..., 0], g[..., 1], h[..., 0], h[..., 1], c, cu)
    return batch.full(outcome_code(survives, p, trust_interval(A, B)[0]))


def _check_spiral(options, scenario=None):
    return check_noise(options) or (None if options.get("reading", "naive") in
                                    ("naive", "bayesian") else
                                    "reading: allowed: naive, bayesian")


@register("spiral_probability", "analytic", "probability that two cooperative types are in "
          "mutual defection by the horizon (exact, under noise; thresholds of the repeated "
          "game at δ)", unit="probability",
          options={"horizon": Option(int, None, "rounds (default: the scenario's "
                                                "trust.horizon)"),
                   "noise": NOISE,
                   "reading": Option(str, None, "naive (Jervis 1976) or bayesian (Kydd 2005) "
                                                "reading of defections (default: the "
                                                "scenario's trust.reading)",
                                     choices=("naive", "bayesian"))},
          check=_check_spiral)
def spiral_probability(batch, horizon=None, noise=None, reading=None):
    from ..trust.learning import spiral_probability as spiral
    from ..trust.threshold import repeated_trust_threshold

    model, A, B, p = _arrays(batch)
    A2, B2, q = model.trust_arrays(batch.values, truster=model.trustee)
    delta = batch.inputs[4]
    p_star = repeated_trust_threshold(A, B, delta)
    q_star = repeated_trust_threshold(A2, B2, delta)
    eps = batch.full(batch.noise if noise is None else noise)
    T = int(horizon or model.section.horizon)
    full = [batch.full(x) for x in (p, q, p_star, q_star)]
    return spiral(*full, eps, T, reading=reading or model.section.reading)[..., -1]
