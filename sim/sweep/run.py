"""Running a sweep: plan, open the result directory, evaluate missing chunks, write results."""

from __future__ import annotations

import sys
import time

import numpy as np

from ..errors import SweepError
from .axes import Axis, parse_axis
from .executors import default_workers, run_chunks
from .measures import MeasureCall, parse_measure
from .plan import build_plan
from .result import SweepResult
from .store import ResultDir

DEFAULT_MEASURES = ("regime", "blocked_by_relative_gains")
#: Finished chunks kept in memory for the final table, in bytes at most (the rest are read
#: back from their files): memory stays bounded however large the sweep.
KEEP_BYTES = 64 << 20


def axis_label(scenario, axis: Axis) -> str:
    """Readable label of an axis from :meth:`Scenario.describe_key` (linked keys joined)."""
    labels = ["execution noise ε" if key == "repeated.noise" else scenario.describe_key(key)
              for key in axis.keys]
    return " and ".join(labels)


def _versions(executor: str) -> dict:
    import pyarrow

    out = {"pyarrow": pyarrow.__version__}
    if executor == "dask":
        import dask
        import distributed

        out.update(dask=dask.__version__, distributed=distributed.__version__)
    return out


def metadata(plan, timing: dict) -> dict:
    """The ``sweep.json`` dict. Keys: ``sweep`` (``spec_hash``, ``table_sha256`` (added by the run), ``shape``, ``size``,
    ``chunk_size``, ``n_chunks``, ``seed``, ``table``, ``columns``, ``axes`` (``name``,
    ``keys``, ``spec``, ``kind``, ``values``, ``label``), ``measures`` (``name``, ``options``,
    ``kind``, ``dtype``, ``unit``, ``text``, and ``categories`` for a categorical measure),
    ``regimes``), ``timing`` (``seconds``,
    ``points_per_second``, ``chunks_computed``, ``chunks_reused``, ``executor``, ``workers``,
    ``scheduler``) and ``provenance`` (:func:`sim.analysis.provenance`: scenario, source,
    overrides, parameters, versions, time)."""
    from ..analysis import provenance
    from ..equilibria import REGIMES
    from .store import TABLE

    sc = plan.scenario
    return {
        "sweep": {
            "spec_hash": plan.spec_hash, "shape": list(plan.grid.shape), "size": plan.size,
            "chunk_size": plan.chunk_size, "n_chunks": plan.n_chunks,
            "seed": plan.seed if plan.simulated else None, "table": TABLE,
            "columns": [a.name for a in plan.axes] + [m.name for m in plan.measures],
            "axes": [{**a.to_dict(), "label": axis_label(sc, a)} for a in plan.axes],
            "measures": [{**m.to_dict(), "kind": m.measure.kind, "dtype": m.measure.dtype,
                          "unit": m.measure.unit, "text": m.measure.text,
                          **({"categories": m.categories} if m.categories else {})}
                         for m in plan.measures],
            "regimes": list(REGIMES),
        },
        "timing": timing,
        "provenance": provenance(sc, **_versions(timing["executor"])),
    }


def run_sweep(scenario, axes, measures=DEFAULT_MEASURES, *, out=None, seed: int = 0,
              executor: str | None = None, workers: int | None = None,
              scheduler: str | None = None, chunk_size: int | None = None,
              force: bool = False, resume: bool = False, progress: bool | None = None,
              dashboard: bool = False, budget=None) -> SweepResult:
    """Run (or resume) a sweep and write its results to ``out``, or keep them in memory
    (``out=None``: nothing is written, nothing to resume).

    ``scenario`` is a :class:`Scenario` or a name/path; ``axes`` are :class:`Axis` objects or
    ``"KEY=SPEC"`` strings; ``measures`` are :class:`MeasureCall` objects or ``"NAME[:OPT=V]"``
    strings. ``executor`` defaults to ``"processes"`` when a measure is simulated, else
    ``"inprocess"``; ``workers`` to all cores. ``progress`` (a tqdm bar on stderr) defaults
    to on when stderr is a terminal; ``dashboard`` opens Dask's dashboard (``executor="dask"``
    only; its address is printed on stderr). Raises :class:`~sim.errors.SweepError` on user
    mistakes (one line), and :class:`sim.budget.BudgetError` before any work if the sweep
    would exceed ``budget`` (:mod:`sim.budget`; default: the memory this process may use).
    """
    t0 = time.perf_counter()
    if force and resume:
        raise SweepError("--resume --force: allowed: one of them (--resume keeps the finished "
                         "chunks, --force deletes them)")
    if out is not None and not str(out).strip():
        raise SweepError(f"--out {str(out)!r}: empty path; allowed: a directory path")
    if not hasattr(scenario, "inputs"):
        from .. import scenario as scenario_mod

        scenario = scenario_mod.load(scenario)
    axes = [a if isinstance(a, Axis) else parse_axis(a) for a in axes]
    measures = [m if isinstance(m, MeasureCall) else parse_measure(m, scenario)
                for m in measures]
    workers = workers or default_workers()
    if out is None:
        return _sweep(None, scenario, axes, measures, seed, executor, workers, scheduler,
                      chunk_size, force, resume, progress, t0, dashboard, budget)
    store = ResultDir(out)
    with store.lock():                  # before anything is read or written; held to the end
        return _sweep(store, scenario, axes, measures, seed, executor, workers, scheduler,
                      chunk_size, force, resume, progress, t0, dashboard, budget)


def _sweep(store, scenario, axes, measures, seed, executor, workers, scheduler, chunk_size,
           force, resume, progress, t0, dashboard, budget=None) -> SweepResult:
    manifest = store.read_manifest() if resume and store is not None else None
    if chunk_size is None and manifest is not None:
        chunk_size = manifest["chunk_size"]
    plan = build_plan(scenario, axes, measures, seed, chunk_size, workers, budget)
    if executor is None:
        executor = "processes" if plan.simulated else "inprocess"
    if store is None:
        return _in_memory(plan, executor, workers, scheduler, t0, dashboard)
    if resume and store.is_complete(plan):
        return SweepResult.open(store.path)
    axes_text = [f"{a.name}={a.spec}" for a in axes]
    done = store.open(plan, force=force, resume=resume, axes_text=axes_text)
    finished = set(done)
    todo = [i for i in range(plan.n_chunks) if i not in finished]
    in_memory, held = {}, 0
    from tqdm import tqdm

    show = sys.stderr.isatty() if progress is None else progress
    done_points = sum(np.subtract(*plan.chunk_range(i)[::-1]) for i in done)
    with tqdm(total=plan.size, initial=int(done_points), unit="pt", unit_scale=True,
              desc="sweep", file=sys.stderr, disable=not show, smoothing=0.1) as bar:
        for index, columns in run_chunks(plan, todo, executor, workers, scheduler,
                                         dashboard):
            store.write_chunk(plan, index, columns)
            size = sum(v.nbytes for v in columns.values())
            if held + size <= KEEP_BYTES:       # else the final table reads it back from disk
                in_memory[index], held = columns, held + size
            start, stop = plan.chunk_range(index)
            bar.update(stop - start)
    digest, chunk_digests = store.write_table(plan, in_memory)
    meta = metadata(plan, _timing(plan, todo, len(done), executor, workers, scheduler, t0))
    meta["sweep"]["table_sha256"] = digest
    store.finish(plan, meta, chunk_digests, axes_text)
    return SweepResult(meta, None, store.path)


def _timing(plan, computed, reused: int, executor, workers, scheduler, t0) -> dict:
    seconds = time.perf_counter() - t0
    return {"seconds": round(seconds, 4),
            "points_per_second": round(float(sum(np.subtract(*plan.chunk_range(i)[::-1])
                                                 for i in computed)) / seconds, 1),
            "chunks_computed": len(computed), "chunks_reused": reused,
            "executor": executor, "workers": workers if executor != "inprocess" else 1,
            "scheduler": scheduler}


def _in_memory(plan, executor, workers, scheduler, t0, dashboard=False) -> SweepResult:
    """Evaluate every chunk and keep the columns (axes, then measures) in memory."""
    indices = range(plan.n_chunks)
    chunks = dict(run_chunks(plan, indices, executor, workers, scheduler, dashboard))
    columns = {k: np.asarray(v) for k, v in plan.grid.columns(0, plan.size).items()}
    for m in plan.measures:
        columns[m.name] = np.concatenate([chunks[i][m.name] for i in indices])
    meta = metadata(plan, _timing(plan, indices, 0, executor, workers, scheduler, t0))
    return SweepResult(meta, columns)
