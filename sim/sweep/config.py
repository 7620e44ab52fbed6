"""The ``[sweep]`` section of a scenario file.

Example::

    [sweep]
    axes = [
      { key = "preferences.relative_gain_weight.NATO", values = "0:1:101" },
      { key = ["preferences.relative_gain_weight.NATO",
               "preferences.relative_gain_weight.CSTO"], values = [0.0, 0.5, 1.0] },
    ]
    measures = ["regime", "blocked_by_relative_gains", "simulated_cooperation"]
    seed = 7
    executor = "processes"          # inprocess | processes | dask
    workers = 2
    [sweep.options.simulated_cooperation]
    noise = 0.05
    [sweep.options.tournament_winner]
    players = ["TFT", "Grim", "WSLS", "AllD"]

Command-line options replace the section's values (``--axis`` replaces all its axes).
:class:`SweepSection` is part of the scenario schema (:mod:`sim.scenario.schema`), so its
mistakes read like every other scenario mistake; :func:`load` then checks the axes and
measures against the sweep layer. Every command loads its scenario through :func:`load`.
"""

from __future__ import annotations

from ..errors import SweepError
from ..scenario.schema import AxisSection, SweepSection
from .axes import make_axis
from .measures import measure_call

__all__ = ["AxisSection", "SweepSection", "check", "load", "make_axes", "make_measures"]


def make_axes(section: SweepSection, where: str):
    """The section's axes (:class:`~sim.sweep.axes.Axis`), each error naming the file."""
    return [make_axis([a.key] if isinstance(a.key, str) else a.key, a.values,
                      f"{where}: sweep.axes[{i}]") for i, a in enumerate(section.axes)]


def make_measures(section: SweepSection, where: str, scenario=None):
    """The section's measures with their ``options``, each error naming the file (strategy
    names may be the ``[strategies]`` of ``scenario``)."""
    for name in section.options:
        if name not in section.measures:
            raise SweepError(f"{where}: sweep.options.{name}: not among sweep.measures; "
                             f"allowed: {', '.join(section.measures) or 'none (no measures)'}")
    return [measure_call(n, section.options.get(n), f"{where}: sweep.measures {n}", scenario)
            for n in section.measures]


def check(scenario, section: SweepSection | None) -> None:
    """Everything ``blocsim sweep`` would check of the section before it starts: its axes
    against the scenario's keys and ranges, its measures and their options."""
    if section is None:
        return
    from ..budget import Budget
    from .measures import parse_measure
    from .plan import build_plan
    from .run import DEFAULT_MEASURES

    axes = make_axes(section, scenario.where)
    measures = make_measures(section, scenario.where, scenario) or \
        [parse_measure(n) for n in DEFAULT_MEASURES]
    if axes:
        build_plan(scenario, axes, measures, section.seed, section.chunk_size,
                   budget=Budget(memory=float("inf")))


def load(name_or_path: str | None, overrides=()):
    """``(scenario, SweepSection or None)``: the one validation of a scenario that every
    command uses. The file is validated whole, every section included (``[sweep]`` down to
    its axes and measures, :func:`check`); the scenario returned leaves ``[sweep]`` out, so
    that a sweep's identity does not depend on defaults the command line replaced."""
    from .. import scenario as scenario_mod

    where, raw = scenario_mod.read(name_or_path)
    pairs = scenario_mod.parse_overrides(overrides)
    whole = scenario_mod.from_dict(raw, where, pairs)
    section = whole.model.sweep
    if section is None:
        return whole, None
    bare = scenario_mod.from_dict({k: v for k, v in raw.items() if k != "sweep"}, where, pairs)
    check(bare, section)
    return bare, section
