"""The full specification of one sweep, its chunks, and the evaluation of a chunk.

A :class:`SweepPlan` is small and picklable: it is what an executor ships to a worker, and
its :meth:`~SweepPlan.spec` (hashed) is what a resumed sweep must match.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..errors import SweepError
from .axes import MAX_AXES, Axis, Grid
from .measures import EXTRA_KEYS, Batch, MeasureCall, check_call, point_seeds

#: Points per chunk of an analytic-only sweep (memory bound: ~100 MB of temporaries).
ANALYTIC_CHUNK = 1 << 20
#: A simulated chunk should take at least this long (Dask costs ~2 ms per task) ...
MIN_TASK_SECONDS = 0.1
#: ... and at most this long when there are enough points to keep every worker busy.
MAX_TASK_SECONDS = 0.5
#: Chunks per worker at least, for load balance, when tasks would otherwise be longer.
CHUNKS_PER_WORKER = 4

DTYPES = {"regime": np.int8, "category": np.int16, "bool": np.bool_, "float": np.float64}


@dataclass(frozen=True, eq=False)
class SweepPlan:
    """Scenario, axes, measures, seed and chunk size of a sweep."""

    scenario: object                 # sim.scenario.Scenario
    axes: tuple[Axis, ...]
    measures: tuple[MeasureCall, ...]
    seed: int
    chunk_size: int

    @cached_property
    def grid(self) -> Grid:
        return Grid(self.axes)

    @property
    def size(self) -> int:
        return self.grid.size

    @property
    def n_chunks(self) -> int:
        return math.ceil(self.size / self.chunk_size)

    def chunk_range(self, index: int) -> tuple[int, int]:
        start = index * self.chunk_size
        return start, min(self.size, start + self.chunk_size)

    @property
    def simulated(self) -> bool:
        return any(m.measure.kind == "simulated" for m in self.measures)

    def spec(self) -> dict:
        """What determines the results: scenario, axes, measures, seed (if any measure is
        simulated) and blocsim's version. JSON-serialisable."""
        from .. import __version__

        return {"scenario": self.scenario.raw,
                "axes": [{k: v for k, v in a.to_dict().items() if k != "spec"}
                         for a in self.axes],
                "measures": [m.to_dict() for m in self.measures],
                "seed": self.seed if self.simulated else None,
                "blocsim": __version__}

    @cached_property
    def spec_hash(self) -> str:
        text = json.dumps(self.spec(), sort_keys=True, allow_nan=False)
        return hashlib.sha256(text.encode()).hexdigest()

    def evaluate(self, index: int) -> dict[str, np.ndarray]:
        """Every measure at the points of chunk ``index``: ``{measure name: 1-D array}``."""
        start, stop = self.chunk_range(index)
        out = {}
        analytic = [m for m in self.measures if m.measure.kind == "analytic"]
        simulated = [m for m in self.measures if m.measure.kind == "simulated"]
        if analytic:
            parts = {m.name: [] for m in analytic}
            for box in self.grid.boxes(start, stop):
                values, shape = self.grid.box_values(box)
                batch = Batch(self.scenario, values, shape)
                for m in analytic:
                    parts[m.name].append(batch.full(m.measure.func(batch, **dict(m.options)))
                                         .ravel())
            out.update({name: np.concatenate(p) for name, p in parts.items()})
        if simulated:
            batch = Batch(self.scenario, self.grid.flat_values(start, stop), (stop - start,))
            for m in simulated:
                seeds = point_seeds(self.seed, range(start, stop), m.name)
                out[m.name] = m.measure.func(batch, seeds, **dict(m.options))
        return {m.name: np.asarray(out[m.name], dtype=DTYPES[m.measure.dtype])
                for m in self.measures}


def point_cost(call, varying=()) -> float:
    """Seconds per point of a measure call by its cost model: ``cost(options)``, or
    ``cost(options, varying)`` for a model that also takes the keys the sweep's axes vary
    (work shared between points that differ only in other keys is then counted once)."""
    import inspect

    cost = call.measure.cost
    if len(inspect.signature(cost).parameters) >= 2:
        return cost(dict(call.options), frozenset(varying))
    return cost(dict(call.options))


def default_chunk_size(size: int, measures, workers: int, varying=()) -> int:
    """Points per chunk: analytic-only sweeps in chunks of ``ANALYTIC_CHUNK``; with simulated
    measures, tasks of ``MIN_TASK_SECONDS`` .. ``MAX_TASK_SECONDS`` by the measures' cost
    estimates, shorter only down to the minimum when that gives each worker
    ``CHUNKS_PER_WORKER`` chunks; then evened out so that the number of chunks is a multiple
    of the number of workers (every worker gets as many equal chunks: none idles at the end
    while another finishes a last chunk alone)."""
    cost = sum(point_cost(m, varying) for m in measures if m.measure.kind == "simulated")
    if cost == 0:
        return max(1, min(size, ANALYTIC_CHUNK))
    workers = max(1, workers)
    balanced = math.ceil(size / (CHUNKS_PER_WORKER * workers))
    chunk = max(math.ceil(MIN_TASK_SECONDS / cost),
                min(math.ceil(MAX_TASK_SECONDS / cost), balanced))
    chunk = max(1, min(chunk, size, ANALYTIC_CHUNK))
    rounds = math.ceil(math.ceil(size / chunk) / workers)
    return max(1, math.ceil(size / (rounds * workers)))


def sweepable_keys(scenario) -> list[str]:
    """Keys an axis may set: the scenario's numeric keys plus ``EXTRA_KEYS``."""
    return scenario.numeric_keys() + list(EXTRA_KEYS)


def _check_axis(scenario, axis: Axis) -> None:
    """Unknown keys and values the scenario does not allow (checked at the axis's ends by the
    scenario's own validation) become one-line errors."""
    from .. import scenario as scenario_mod

    where = axis.where or f"--axis {axis.name}={axis.spec}"
    allowed = sweepable_keys(scenario)
    for key in axis.keys:
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise SweepError(f"{where}: unknown key '{key}'{hint}; allowed: {', '.join(allowed)}")
        whole = key.startswith("preferences.actors.")
        fractional = axis.values[axis.values != np.round(axis.values)]
        if whole and fractional.size:
            raise SweepError(f"{where}: {key} = {fractional[0]:g}: allowed: a whole number >= 2")
        for v in (axis.values.min(), axis.values.max()):
            value = int(v) if whole else float(v)
            try:
                scenario_mod.from_dict(scenario.raw, scenario.where, [(key, value)])
            except scenario_mod.ScenarioError as exc:    # blame the axis, not a --set
                problem = str(exc).removeprefix(f"--set {key}={scenario_mod.show(value)}: ")
                raise SweepError(f"{where}: {problem}") from None


def estimate(axes, measures, workers: int = 1):
    """The sweep's :class:`sim.budget.Estimate`: its table and analytic work from the number
    of points, its simulated work from the measures' own cost and memory per point (each of
    ``workers`` holds one point at a time)."""
    from .. import budget

    size = math.prod(len(a) for a in axes)
    simulated = [m for m in measures if m.measure.kind == "simulated"]
    seconds = sum(m.measure.cost(dict(m.options)) for m in simulated) / max(1, workers)
    held = max([m.measure.memory(dict(m.options)) for m in simulated if m.measure.memory],
               default=0.0)
    return budget.sweep(size, sum(len(a) for a in axes), len(axes) + len(measures), seconds,
                        held * max(1, workers))


def build_plan(scenario, axes, measures, seed: int = 0, chunk_size: int | None = None,
               workers: int = 1, budget=None) -> SweepPlan:
    """A checked plan; :class:`SweepError` for any user mistake (one line), and
    :class:`sim.budget.BudgetError` if the sweep's :func:`estimate` exceeds ``budget``."""
    axes, measures = tuple(axes), tuple(measures)
    if not axes:
        raise SweepError("no axis: give --axis KEY=SPEC (or axes in the scenario's [sweep])")
    if len(axes) > MAX_AXES:
        raise SweepError(f"{len(axes)} axes: allowed: 1 to {MAX_AXES} (three as small multiples)")
    keys = [k for a in axes for k in a.keys]
    dup = next((k for k in keys if keys.count(k) > 1), None)
    if dup:
        raise SweepError(f"--axis {dup}: the key is on two axes; allowed: each key once")
    for axis in axes:
        _check_axis(scenario, axis)
    if not measures:
        raise SweepError("no measure: give --measure NAME")
    names = [m.name for m in measures]
    dup = next((n for n in names if names.count(n) > 1), None)
    if dup:
        raise SweepError(f"--measure {dup}: given twice; allowed: each measure once")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise SweepError(f"--seed {seed!r}: allowed: a whole number >= 0")
    for m in measures:                  # options that name the scenario's own strategies
        check_call(m, scenario)
    from .. import budget as cost

    cost.check(estimate(axes, measures, workers), budget)
    size = math.prod(len(a) for a in axes)
    if chunk_size is None:
        chunk_size = default_chunk_size(size, measures, workers, keys)
    elif isinstance(chunk_size, bool) or not isinstance(chunk_size, (int, np.integer)) \
            or chunk_size < 1:
        raise SweepError(f"--chunk-size {chunk_size!r}: allowed: a whole number >= 1")
    return SweepPlan(scenario, axes, measures, int(seed), int(chunk_size))
