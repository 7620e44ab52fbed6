"""What ``blocsim trust`` reports: the Bayesian equilibria, the trust threshold, reassurance,
spirals and the record, for one scenario — and the maps behind its figures. Each piece is one
call of the modules of :mod:`sim.trust` (sources there)."""

from __future__ import annotations

import numpy as np

from . import learning, record, signalling
from .model import TrustModel
from .threshold import engagement_gains, repeated_trust_threshold, trust_interval

#: Grid sizes of the figures' maps.
MAP_PRIORS = 199
MAP_COSTS = 161
MAP_DELTAS = 100
MAP_SPIRAL_PRIORS = 120

#: Which outcome a point of the (prior, cost) map shows, from the PBE classes that survive
#: the intuitive criterion, in this order of precedence.
OUTCOMES = ("reassurance (separating)", "partial reassurance (semi-separating)",
            "trusted without a gesture", "no engagement")


def outcome_code(survives, p, p_star):
    """Codes into ``OUTCOMES`` from :func:`signalling.classify`'s surviving classes."""
    bit = {k: 1 << signalling.CLASSES.index(k) for k in signalling.CLASSES}
    sep = (survives & bit["separating"]) > 0
    semi = (survives & bit["semi-separating"]) > 0
    trusted = ((survives & (bit["pooling-silence"] | bit["pooling-gesture"])) > 0) & \
        (np.asarray(p) >= np.asarray(p_star))
    return np.select([sep, semi, trusted], [0, 1, 2], 3)


def cost_map(model: TrustModel, priors, costs, values=None) -> dict:
    """PBE classes over a (prior, signal cost) grid: shape ``(len(costs), len(priors))``."""
    A, B, _ = model.trust_arrays(values)
    g, h, _ = engagement_gains(A, B)
    ratio = float(np.asarray(model.costs(values)[1]) / max(float(model.costs(values)[0]), 1e-300)) \
        if float(model.costs(values)[0]) > 0 else float(model.section.cost_ratio)
    p = np.asarray(priors, float)[None, :]
    c = np.asarray(costs, float)[:, None]
    exists, survives = signalling.classify(p, g[0], g[1], h[0], h[1], c, c * ratio)
    lo, _ = trust_interval(A, B)
    r_lo, r_hi = signalling.reassurance_range(g[0], g[1], h[0], h[1], ratio)
    return {"priors": np.asarray(priors, float), "costs": np.asarray(costs, float),
            "exists": exists, "survives": survives,
            "outcome": outcome_code(survives, p, lo), "threshold": float(lo),
            "reassurance": (float(r_lo), float(r_hi)), "cost_ratio": ratio}


def delta_map(model: TrustModel, priors, deltas, noise, horizon: int) -> dict:
    """Over (the truster's prior, δ): the repeated trust threshold, and the probability that
    both cooperative types spiral into mutual defection by ``horizon`` (the trustee's prior
    and both thresholds at δ as in the scenario)."""
    A, B, _ = model.trust_arrays()
    deltas = np.asarray(deltas, float)
    p_star = repeated_trust_threshold(A, B, deltas)
    A2, B2, q = model.trust_arrays(truster=model.trustee)
    q_star = repeated_trust_threshold(A2, B2, deltas)
    P = np.asarray(priors, float)[None, :]
    spiral = learning.spiral_probability(P, float(q), p_star[:, None], q_star[:, None], noise,
                                         horizon, reading=model.section.reading)[..., -1]
    return {"priors": np.asarray(priors, float), "deltas": deltas, "threshold": p_star,
            "threshold_other": q_star, "spiral": spiral, "noise": float(noise),
            "horizon": horizon, "reading": model.section.reading, "other_prior": float(q)}


def summarize(model: TrustModel) -> dict:
    """The numbers of ``blocsim trust`` (see module), ready for JSON."""
    sc = model.scenario
    game = model.bayesian_game()
    bne = game.equilibria()
    A, B, p = model.trust_arrays()
    g, h, coop_ok = engagement_gains(A, B)
    lo, hi = trust_interval(A, B)
    delta, eps, horizon = sc.discount, float(sc.model.repeated.noise), model.section.horizon
    c_c, c_u = (float(x) for x in model.costs())
    r_lo, r_hi = signalling.reassurance_range(g[0], g[1], h[0], h[1], model.section.cost_ratio)
    pbe = signalling.equilibria(_interior(float(p)), g, h, (c_c, c_u))
    A2, B2, q = model.trust_arrays(truster=model.trustee)
    thresholds = {model.truster: float(repeated_trust_threshold(A, B, delta)),
                  model.trustee: float(repeated_trust_threshold(A2, B2, delta))}
    spiral = learning.spiral_probability(float(p), float(q), thresholds[model.truster],
                                         thresholds[model.trustee], eps, horizon,
                                         reading=model.section.reading)
    first, paths = learning.simulate(float(p), float(q), thresholds[model.truster],
                                     thresholds[model.trustee], eps, horizon,
                                     paths=model.section.paths, seed=model.section.seed,
                                     reading=model.section.reading)
    quantiles = np.quantile(paths[..., 0], [0.1, 0.5, 0.9], axis=0)
    return {
        "players": list(sc.players), "types": {n: list(t) for n, t in zip(sc.players,
                                                                            model.types)},
        "truster": model.truster, "trustee": model.trustee,
        "cooperative": dict(zip((model.truster, model.trustee),
                                (model.cooperative_type(model.truster),
                                 model.trustee_types()[0]))),
        "priors": {n: sc.prior(n) for n in sc.players},
        "bayes_nash": [{**e.to_dict(), "text": e.describe(sc.players)} for e in bne],
        "threshold": {"stage": _num(lo), "upper": _num(hi), "repeated": _num(
            thresholds[model.truster]), "discount": delta,
            "gains": {"truster": [float(x) for x in g], "trustee": [float(x) for x in h]},
            "cooperative_replies": bool(coop_ok), "prior": float(p)},
        "reassurance": {"cost": c_c, "cost_other": c_u, "cost_ratio": model.section.cost_ratio,
                        "range": [_num(r_lo), _num(r_hi)],
                        "equilibria": [e.to_dict() for e in pbe]},
        "spiral": {"noise": eps, "horizon": horizon, "thresholds": thresholds,
                   "reading": model.section.reading,
                   "probability": float(spiral[-1]),
                   "by_round": [float(x) for x in spiral],
                   "simulated": {"paths": model.section.paths, "seed": model.section.seed,
                                 "probability": float(learning.spiral_by(first, horizon)[-1]),
                                 "belief_quantiles": {
                                     q_: [float(x) for x in row]
                                     for q_, row in zip(("10%", "50%", "90%"), quantiles)}}},
        "record": record.account(model),
    }


def _interior(p: float) -> float:
    """The prior for the signalling game, which needs one strictly inside (0, 1)."""
    return min(max(p, 1e-9), 1 - 1e-9)


def _num(x):
    x = float(x)
    return None if np.isnan(x) else x
