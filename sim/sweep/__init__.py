"""Sweeps: vary scenario keys along one to three axes and evaluate measures at every point.

Data flow, one small module per job:

* :mod:`~sim.sweep.axes` — axis specifications (``0:1:101``, ``log:1e-3:1:50``, ``0.1,0.2``)
  and the grid they span, cut into contiguous chunks of points;
* :mod:`~sim.sweep.measures` — the measure registry (analytic, broadcast over boxes of the
  grid; or simulated, one value per point, a chunk in one batched call) and the shared,
  lazily computed numbers of a block of points;
* :mod:`~sim.sweep.analytic` and :mod:`~sim.sweep.simulated` — the built-in measures;
* :mod:`~sim.sweep.plan` — the full specification of one sweep and the evaluation of a chunk;
* :mod:`~sim.sweep.executors` — in-process, local process pool, or Dask;
* :mod:`~sim.sweep.store` — the result directory: its lock, manifest, chunk files and their
  SHA-256, resume, final table;
* :mod:`~sim.sweep.run` — :func:`~sim.sweep.run.run_sweep`, the orchestration;
* :mod:`~sim.sweep.config` — the ``[sweep]`` section of a scenario file;
* :mod:`~sim.sweep.result` — :class:`~sim.sweep.result.SweepResult`, a finished sweep as one
  object (table, labelled grid, figures); ``blocsim sweep`` and ``plot`` are in
  :mod:`sim.commands`.

Importing this package is light; numpy-heavy and pyarrow work happens on first use.
"""
