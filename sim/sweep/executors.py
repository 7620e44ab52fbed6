"""Where chunks are evaluated: in this process, in a local process pool, or on Dask.

Every executor yields ``(chunk index, columns)`` as chunks finish, in any order; the caller
(the only writer of the result directory) stores them. A chunk is the unit of work and of
retry. Results never depend on the executor: each point's randomness comes from its own seed.

* ``inprocess`` — chunks one after another, vectorised (the default for analytic measures);
* ``processes`` — :class:`concurrent.futures.ProcessPoolExecutor` with an explicit
  ``forkserver`` (or ``spawn``) context object; the global start method is left alone;
* ``dask`` — a ``dask.distributed`` scheduler named by address, or a local cluster of worker
  processes listening on the loopback interface only, without a dashboard.
"""

from __future__ import annotations

import multiprocessing
import os

from .axes import SweepError

EXECUTORS = ("inprocess", "processes", "dask")
RETRIES = 2


class SweepFailure(RuntimeError):
    """A chunk failed on every attempt, or a worker died; finished chunks stay saved."""


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:                                  # not on Linux
        return os.cpu_count() or 1


#: Seconds between a worker's checks that the sweep that started it is still alive.
WATCH_SECONDS = 0.5


def die_with(parent: int) -> None:
    """Make this worker process end when the sweep process ``parent`` ends, however it ends
    (``kill -9`` included): on Linux the kernel sends SIGKILL when this process's parent
    exits (``PR_SET_PDEATHSIG``; the parent of a pool worker is its forkserver, which exits
    with the sweep), and a daemon thread checks every ``WATCH_SECONDS`` that ``parent`` is
    still alive and ends the worker (``os._exit``) once it is not."""
    import signal
    import threading
    import time

    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PDEATHSIG
    except (OSError, AttributeError):
        pass                                            # not Linux: the thread suffices

    def watch():
        while True:
            time.sleep(WATCH_SECONDS)
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:                     # alive, another user's (pid reused)
                pass

    threading.Thread(target=watch, name="blocsim-parent-watch", daemon=True).start()


def evaluate_chunk(plan, index: int):
    """Evaluate one chunk (a module-level function, so that workers can unpickle it)."""
    return plan.evaluate(index)


def run_chunks(plan, indices, executor: str = "inprocess", workers: int | None = None,
               scheduler: str | None = None):
    """Yield ``(index, {measure: array})`` for each chunk in ``indices`` as it finishes."""
    indices = list(indices)
    if executor not in EXECUTORS:
        raise SweepError(f"--executor {executor}: allowed: {', '.join(EXECUTORS)}")
    if scheduler is not None and executor != "dask":
        raise SweepError(f"--scheduler {scheduler}: only with --executor dask")
    workers = workers or default_workers()
    if not indices:
        return
    if executor == "inprocess":
        for i in indices:
            yield i, evaluate_chunk(plan, i)
    elif executor == "processes":
        yield from _processes(plan, indices, workers)
    else:
        yield from _dask(plan, indices, workers, scheduler)


def _processes(plan, indices, workers):
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    pool = ProcessPoolExecutor(max_workers=min(workers, len(indices)), mp_context=context,
                               initializer=die_with, initargs=(os.getpid(),))
    try:
        pending = {pool.submit(evaluate_chunk, plan, i): (i, 0) for i in indices}
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                i, attempt = pending.pop(fut)
                try:
                    result = fut.result()
                except BrokenProcessPool as exc:
                    raise SweepFailure(f"a worker process died ({exc}); finished chunks are "
                                       "saved: rerun with --resume") from None
                except SweepError:
                    raise
                except Exception as exc:
                    if attempt >= RETRIES:
                        raise SweepFailure(f"chunk {i} failed {attempt + 1} times: "
                                           f"{type(exc).__name__}: {exc}") from exc
                    pending[pool.submit(evaluate_chunk, plan, i)] = (i, attempt + 1)
                    continue
                yield i, result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _dask(plan, indices, workers, scheduler):
    import logging

    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise SweepError("--executor dask needs the 'distributed' package: pip install "
                         "distributed") from None
    cluster = None
    try:
        if scheduler is None:
            cluster = LocalCluster(n_workers=min(workers, len(indices)), threads_per_worker=1,
                                   processes=True, dashboard_address=None, host="127.0.0.1",
                                   silence_logs=logging.ERROR)
            client = Client(cluster)
        else:
            try:
                client = Client(scheduler, timeout="10s")
            except (OSError, TimeoutError, ValueError) as exc:
                raise SweepError(f"--scheduler {scheduler}: cannot connect ({exc})") from None
    except BaseException:
        if cluster is not None:
            cluster.close()
        raise
    try:
        remote_plan = client.scatter(plan, broadcast=True)
        futures = {client.submit(evaluate_chunk, remote_plan, i, retries=RETRIES, pure=False): i
                   for i in indices}
        for fut in as_completed(futures):
            i = futures[fut]
            try:
                result = fut.result()
            except SweepError:
                raise
            except Exception as exc:
                raise SweepFailure(f"chunk {i} failed {RETRIES + 1} times: "
                                   f"{type(exc).__name__}: {exc}") from exc
            fut.release()
            yield i, result
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
