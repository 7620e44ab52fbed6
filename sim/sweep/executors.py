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

from ..scenario.schema import EXECUTORS
from .axes import SweepError

RETRIES = 2
#: Seconds a named scheduler has to answer (connect, and send its handshake).
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
               scheduler: str | None = None, dashboard: bool = False):
    """Yield ``(index, {measure: array})`` for each chunk in ``indices`` as it finishes
    (``dashboard``: Dask's dashboard on a local cluster, its address printed on stderr)."""
    indices = list(indices)
    if executor not in EXECUTORS:
        raise SweepError(f"--executor {executor}: allowed: {', '.join(EXECUTORS)}")
    if scheduler is not None and executor != "dask":
        raise SweepError(f"--scheduler {scheduler}: only with --executor dask")
    if dashboard and executor != "dask":
        raise SweepError("--dashboard: only with --executor dask")
    workers = workers or default_workers()
    if not indices:
        return
    if executor == "inprocess":
        for i in indices:
            yield i, evaluate_chunk(plan, i)
    elif executor == "processes":
        yield from _processes(plan, indices, workers)
    else:
        yield from _dask(plan, indices, workers, scheduler, dashboard)


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


def local_cluster(workers: int, dashboard: bool = False):
    """A ``distributed.LocalCluster`` of ``workers`` single-threaded worker processes that
    listens on the loopback interface only, every port chosen free; the scheduler's HTTP
    server (which distributed always starts) serves nothing unless the dashboard is asked
    for."""
    import logging

    import dask
    from distributed import LocalCluster

    routes = {} if dashboard else {"distributed.scheduler.http.routes": []}
    with dask.config.set(routes):
        return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                            host="127.0.0.1", scheduler_port=0,
                            dashboard_address="127.0.0.1:0",
                            scheduler_kwargs={"dashboard": dashboard},
                            silence_logs=logging.ERROR)


def _dask(plan, indices, workers, scheduler, dashboard=False):
    import sys

    try:
        from distributed import Client
    except ImportError:
        raise SweepError("--executor dask needs the 'distributed' package: pip install "
                         "distributed") from None
    cluster = None
    try:
        if scheduler is None:
            cluster = local_cluster(min(workers, len(indices)), dashboard)
            client = Client(cluster)
        else:
            probe_scheduler(scheduler, SCHEDULER_TIMEOUT)
            try:
                client = Client(scheduler, timeout=f"{SCHEDULER_TIMEOUT:g}s")
            except Exception as exc:
                raise SweepError(f"--scheduler {scheduler}: cannot connect "
                                 f"({_reason(exc)})") from None
        if dashboard:
            print(f"blocsim: Dask dashboard at {client.dashboard_link}", file=sys.stderr)
    except BaseException:
        if cluster is not None:
            cluster.close()
        raise
    try:
        yield from _dask_chunks(client, plan, indices, scheduler or cluster.scheduler_address)
    finally:
        try:
            client.close(timeout=5)
        except Exception:                                # a scheduler already gone
            pass
        if cluster is not None:
            cluster.close()


def _dask_chunks(client, plan, indices, address):
    """Submit every chunk, yield each as it finishes; a lost scheduler is a
    :class:`SweepError` (finished chunks stay saved)."""
    from distributed import as_completed
    from distributed.comm.core import CommClosedError

    lost = (f"--scheduler {address}: lost the connection to the Dask scheduler; the finished "
            "chunks are saved: rerun with --resume (on any executor) to finish the sweep")
    try:
        remote_plan = client.scatter(plan, broadcast=True)
        futures = {client.submit(evaluate_chunk, remote_plan, i, retries=RETRIES, pure=False): i
                   for i in indices}
        pending = as_completed(futures, timeout=None)
    except OSError:
        raise SweepError(lost) from None
    for fut in pending:
        i = futures[fut]
        if fut.status == "cancelled" or client.status not in ("running", "connecting"):
            raise SweepError(lost)
        try:
            result = fut.result()
        except SweepError:
            raise
        except CommClosedError:          # the scheduler went away before the client noticed
            raise SweepError(lost) from None
        except (OSError, TimeoutError) as exc:
            if client.status != "running":
                raise SweepError(lost) from None
            raise SweepFailure(f"chunk {i}: {type(exc).__name__}: {exc}") from exc
        except Exception as exc:
            if fut.status == "cancelled" or client.status != "running":
                raise SweepError(lost) from None
            raise SweepFailure(f"chunk {i} failed {RETRIES + 1} times: "
                               f"{type(exc).__name__}: {exc}") from exc
        fut.release()
        yield i, result


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
