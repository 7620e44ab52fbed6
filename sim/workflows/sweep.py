"""A sweep over a scenario (``Scenario.sweep``, ``blocsim sweep``): the ``[sweep]`` section
and the caller's options resolved (given > section > default), then
:func:`sim.sweep.run.run_sweep` in memory or into a resumable result folder."""

from __future__ import annotations

from . import settings as _settings


def section(scenario):
    """``(scenario without its [sweep] table, the validated SweepSection or None)``, as
    :func:`sim.sweep.config.load` gives them for a file."""
    from .. import scenario as scenario_mod
    from ..sweep.config import check

    table = scenario.model.sweep
    if table is None:
        return scenario, None
    raw = {k: v for k, v in scenario.raw.items() if k != "sweep"}
    bare = scenario_mod.from_dict(raw, scenario.where, scenario.overrides)
    check(bare, table)
    return bare, table


def settings(scenario, sweep_section, given: dict) -> dict:
    """The sweep's settings: axes (``Axis`` objects or ``"KEY=SPEC"`` strings; the caller's
    replace all of the section's), measures, seed, executor, workers, chunk size."""
    from ..sweep.axes import parse_axis
    from ..sweep.config import make_axes, make_measures
    from ..sweep.measures import parse_measure

    s = _settings.resolve("sweep", None, given)
    if given.get("axes"):
        s["axes"] = [parse_axis(a) if isinstance(a, str) else a for a in given["axes"]]
    elif sweep_section is not None:
        s["axes"] = make_axes(sweep_section, scenario.where)
    if given.get("measures"):
        s["measures"] = [parse_measure(m, scenario) if isinstance(m, str) else m
                         for m in given["measures"]]
    elif sweep_section is not None and sweep_section.measures:
        s["measures"] = make_measures(sweep_section, scenario.where, scenario)
    else:
        s["measures"] = [parse_measure(m) for m in s["measures"]]
    for key in ("seed", "executor", "workers", "chunk_size"):
        if given.get(key) is None and sweep_section is not None:
            s[key] = _settings.first(getattr(sweep_section, key), s[key])
    return s


def sweep(scenario, *, out=None, scheduler=None, force: bool = False, resume: bool = False,
          progress: bool | None = False, budget=None, **given):
    """Run the sweep of ``scenario`` (see :func:`sim.scenario.Scenario.sweep`); returns a
    :class:`sim.sweep.result.SweepResult`."""
    bare, sweep_section = section(scenario)
    return run(bare, sweep_section, given, out=out, scheduler=scheduler, force=force,
               resume=resume, progress=progress, budget=budget)


def run(scenario, sweep_section, given: dict, **options):
    """Resolve the settings against ``sweep_section`` and run the sweep; ``options`` (out,
    scheduler, force, resume, progress) go to :func:`sim.sweep.run.run_sweep`."""
    from ..sweep.run import run_sweep

    s = settings(scenario, sweep_section, given)
    return run_sweep(scenario, s["axes"], s["measures"], seed=s["seed"],
                     executor=s["executor"], workers=s["workers"],
                     chunk_size=s["chunk_size"], **options)
