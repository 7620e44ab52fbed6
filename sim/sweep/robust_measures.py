"""Robustness measures: at each point, the share of draws from the scenario's uncertainty
ranges (:mod:`sim.scenario.uncertainty`) that are cooperative or blocked by relative gains.

The keys on an axis are held at the axis's values; the scenario's other uncertain keys are
drawn by scrambled Sobol sampling (Owen 1998; :func:`sim.robust.verdicts.shares_at`). The
draws are the same at every point (common random numbers) and fixed by the ``seed`` option,
so the measure is deterministic and analytic in the registry's sense.
"""

from __future__ import annotations

from .measures import Option, register

_OPTIONS = {"draws": Option(int, 256, "scrambled Sobol draws per point (default 256)"),
            "seed": Option(int, 0, "seed of the scrambling (default 0)")}


def _check(options, scenario=None):
    draws = options.get("draws", 256)
    return None if draws <= 1 << 16 else f"draws = {draws}: allowed: at most {1 << 16}"


@register("cooperative_share", "analytic", "share of draws from the scenario's [uncertainty] "
          "ranges (keys not on an axis) whose regime is cooperative (harmony, coordination, "
          "reciprocity)", unit="share of draws", options=_OPTIONS, check=_check)
def cooperative_share(batch, draws=256, seed=0):
    from ..robust.verdicts import shares_at

    return shares_at(batch.scenario, batch.values, batch.shape, draws, seed)[0]


@register("blocked_share", "analytic", "share of draws from the scenario's [uncertainty] "
          "ranges (keys not on an axis) that are blocked by relative gains",
          unit="share of draws", options=_OPTIONS, check=_check)
def blocked_share(batch, draws=256, seed=0):
    from ..robust.verdicts import shares_at

    return shares_at(batch.scenario, batch.values, batch.shape, draws, seed)[1]
