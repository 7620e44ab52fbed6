"""Format measures: which format an actor prefers, which one the choice stage produces, and an
actor's utility in a format — for scenarios with a ``[blocs]`` section.

Each is one broadcasting call of :func:`sim.blocs.formats.analyse` on a whole box of the grid
(shared by the three measures through the batch); the definitions and their sources are in
:mod:`sim.blocs.formats` (Snidal 1991 for the comparison weights; the report's sections for
the formats). Any key of ``[blocs]`` can be an axis (shares rescale the others, see
:mod:`sim.scenario.blocs`).
"""

from __future__ import annotations

import numpy as np

from .axes import SweepError
from .measures import Option, register

MODES = ("stage", "repeated", "deal")
FORMATS = ("status quo", "bilateral", "bloc")

ACTOR = Option(str, None, "the row player (default), the bloc as one actor, or a member")
MODE = Option(str, "repeated", "stage, repeated (at δ) or deal (cooperation realised)",
              choices=MODES)


def _analysis(batch):
    """The format analysis of a batch, computed once for all format measures."""
    if "_formats" not in batch.__dict__:
        if batch.scenario.model.blocs is None:
            raise SweepError(f"{batch.scenario.where}: blocs: missing; allowed: a scenario with "
                             "a [blocs] section for the format measures")
        from ..blocs.formats import analyse
        from ..scenario.blocs import numbers

        batch.__dict__["_formats"] = analyse(numbers(batch.scenario, batch.values))
    return batch.__dict__["_formats"]


def _actor_index(res, actor, where):
    actors = list(res.actors)
    if actor is None:
        return 0
    if actor not in actors:
        raise SweepError(f"--measure {where}: actor = {actor!r}: allowed: {', '.join(actors)}")
    return actors.index(actor)


@register("preferred_format", "analytic", "the format an actor prefers: status quo, bilateral "
          "or bloc (highest equilibrium utility)", dtype="category",
          options={"actor": ACTOR, "mode": MODE}, categories=lambda options: list(FORMATS))
def preferred_format(batch, actor=None, mode="repeated"):
    res = _analysis(batch)
    return res.preferred(mode)[..., _actor_index(res, actor, "preferred_format")]


@register("format_choice", "analytic", "the format the choice stage produces (the row player "
          "proposes, the bloc accepts by its rule)", dtype="category",
          options={"mode": MODE}, categories=lambda options: list(FORMATS))
def format_choice(batch, mode="repeated"):
    return _analysis(batch).choice(mode)


@register("format_utility", "analytic", "an actor's utility in a format", unit="utility",
          options={"actor": ACTOR, "format": Option(str, "bloc", "status quo, bilateral or "
                                                    "bloc", choices=FORMATS), "mode": MODE})
def format_utility(batch, actor=None, format="bloc", mode="repeated"):
    res = _analysis(batch)
    u = res.utility[mode][..., FORMATS.index(format), _actor_index(res, actor, "format_utility")]
    return np.asarray(u)
