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

from ..scenario.schema import EXECUTORS

RETRIES = 2
#: Seconds a named scheduler has to answer (connect and handshake), and to come back after
#: dropping its connection mid-sweep.
SCHEDULER_TIMEOUT = 10.0
#: The most a Dask handshake message may plausibly be (bytes); anything else is not Dask.
_HANDSHAKE_MAX = 1 << 20


class SweepFailure(RuntimeError):
    """A chunk failed on every attempt, or a worker died; finished chunks stay saved."""


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:                                  # not on Linux
        return os.cpu_count() or 1


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
    pool = ProcessPoolExecutor(max_workers=min(workers, len(indices)), mp_context=context)
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
        from distributed import Client, LocalCluster
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
            probe_scheduler(scheduler, SCHEDULER_TIMEOUT)
            try:
                client = Client(scheduler, timeout=f"{SCHEDULER_TIMEOUT:g}s")
            except Exception as exc:
                raise SweepError(f"--scheduler {scheduler}: cannot connect "
                                 f"({_reason(exc)})") from None
    except BaseException:
        if cluster is not None:
            cluster.close()
        raise
    try:
        remote_plan = client.scatter(plan, broadcast=True)
        futures = {client.submit(evaluate_chunk, remote_plan, i, retries=RETRIES, pure=False): i
                   for i in indices}
        for fut in _finished(client, futures, scheduler):
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


def _finished(client, futures, scheduler):
    """Futures as they finish; :class:`SweepFailure` (one line) if the scheduler's connection
    is lost for longer than ``SCHEDULER_TIMEOUT`` or the client closes."""
    import time

    from distributed import wait

    pending, lost = set(futures), None
    while pending:
        try:
            done, pending = wait(pending, timeout=0.5, return_when="FIRST_COMPLETED")
        except TimeoutError:                     # nothing finished in this half second
            done = ()
        yield from done
        status = client.status
        if status == "running":
            lost = None
            continue
        lost = lost or time.monotonic()
        if status in ("closed", "closing", "failed") or \
                time.monotonic() - lost > SCHEDULER_TIMEOUT:
            where = scheduler or "the local Dask cluster"
            raise SweepFailure(f"{where}: the scheduler's connection was lost mid-sweep "
                               f"(client {status}); finished chunks are saved: rerun with "
                               "--resume")


def _reason(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def probe_scheduler(address: str, timeout: float = SCHEDULER_TIMEOUT) -> None:
    """Check, before ``distributed`` is given ``address``, that a Dask scheduler answers
    there: a TCP connection within ``timeout`` seconds, and within as long again the first
    bytes of a Dask handshake (a Dask server speaks first: an 8-byte little-endian frame length,
    then that many bytes). :class:`SweepError` (one line) otherwise: nothing listening, no
    answer (e.g. a plain HTTP server, which waits for a request), or an answer that is not
    Dask's."""
    import socket
    import struct
    from urllib.parse import urlsplit

    where = f"--scheduler {address}"
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        host = port = None
    if parts.scheme not in ("tcp", "tls") or not host or port is None:
        raise SweepError(f"{where}: allowed: an address tcp://HOST:PORT (e.g. "
                         "tcp://127.0.0.1:8786)")
    if parts.scheme == "tls":
        return                       # the TLS handshake comes first; distributed checks it
    try:
        sock = socket.create_connection((host, port), timeout=timeout)
    except OSError as exc:
        problem = "no answer" if isinstance(exc, TimeoutError) else _reason(exc)
        raise SweepError(f"{where}: cannot connect within {timeout:g} s ({problem})") from None
    try:
        sock.settimeout(timeout)
        head = b""
        while len(head) < 8:
            part = sock.recv(8 - len(head))
            if not part:
                break
            head += part
    except OSError:
        head = None
    finally:
        sock.close()
    if head is None:
        raise SweepError(f"{where}: accepts connections but sends no Dask handshake within "
                         f"{timeout:g} s; allowed: the address of a running Dask scheduler")
    if len(head) < 8 or not 0 < struct.unpack("<Q", head)[0] <= _HANDSHAKE_MAX:
        raise SweepError(f"{where}: answers, but not as a Dask scheduler (it sent "
                         f"{head[:16]!r}); allowed: the address of a running Dask scheduler")
