"""A real Dask cluster: ``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1
(random free ports, no dashboard), started and stopped by a fixture. A sweep on it gives the
in-process table; it survives a worker killed mid-sweep; a lost scheduler is one line and
exit 2, and ``--resume`` on another executor finishes identically; nothing listens beyond
the loopback interface."""

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pyarrow.parquet as pq
import pytest

from sim.cli import main
from sim.sweep.run import run_sweep

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
AXES = ["preferences.relative_gain_weight.NATO=0:0.6:4", "repeated.discount=0.2:0.95:6"]
MEASURES = ["regime", "simulated_cooperation:noise=0.05,repetitions=30000",
            "tournament_winner:noise=0.02", "tournament_cooperation:method=simulate"]


class Cluster:
    """A scheduler and workers as separate processes of the ``distributed`` package."""

    def __init__(self, folder: Path, workers: int = 2):
        self.folder, self.file = folder, folder / "scheduler.json"
        self.scheduler = self._start("scheduler", "--host", "127.0.0.1", "--port", "0",
                                     "--no-dashboard", "--dashboard-address", "127.0.0.1:0",
                                     "--scheduler-file", str(self.file))
        deadline = time.monotonic() + 60
        while not self.file.exists():
            assert self.scheduler.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        self.address = json.loads(self.file.read_text())["address"]
        self.workers = [self.worker() for _ in range(workers)]
        self.wait_for(workers)

    def worker(self):
        return self._start("worker", self.address, "--host", "127.0.0.1", "--no-nanny",
                           "--nthreads", "1", "--no-dashboard", "--dashboard-address",
                           "127.0.0.1:0")

    def _start(self, role, *args):
        log = open(self.folder / f"{role}-{time.monotonic_ns()}.log", "w")
        return subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_" + role, *args],
                                cwd=self.folder, env=ENV, stdout=log, stderr=log,
                                start_new_session=True)

    def wait_for(self, n):
        from distributed import Client

        with Client(self.address, timeout="30s") as client:
            client.wait_for_workers(n, timeout=60)

    @property
    def processes(self):
        return [self.scheduler, *self.workers]

    def listening(self):
        out = []
        for p in self.processes:
            if p.poll() is None:
                out += [(p.pid, c.laddr) for c in psutil.Process(p.pid).net_connections("inet")
                        if c.status == psutil.CONN_LISTEN]
        return out

    def stop(self):
        for p in self.processes:
            if p.poll() is None:
                p.send_signal(signal.SIGKILL)
            p.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    c = Cluster(tmp_path_factory.mktemp("cluster"))
    yield c
    c.stop()


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    out = tmp_path_factory.mktemp("ref") / "inprocess"
    return pq.read_table(run_sweep("nato_csto_2007", AXES, MEASURES, out=out, seed=3,
                                   executor="inprocess", progress=False).path /
                         "results.parquet")


def _command(out, *extra):
    return ["sweep", *(a for ax in AXES for a in ("--axis", ax)),
            *(a for m in MEASURES for a in ("--measure", m)), "--seed", "3", "--chunk-size",
            "1", "--no-plot", "--quiet", "--out", str(out), *extra]


def test_only_loopback_and_no_dashboard(cluster):
    ports = cluster.listening()
    assert len(ports) >= 3
    assert all(addr.ip == "127.0.0.1" for _, addr in ports), ports
    import urllib.request

    for _, addr in ports:                              # nothing answers as a dashboard
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{addr.port}/status", timeout=2) as r:
                assert r.status != 200, addr
        except (OSError, http.client.HTTPException):
            pass


def test_a_real_cluster_gives_the_in_process_table(cluster, reference, tmp_path, capsys):
    result = run_sweep("nato_csto_2007", AXES, MEASURES, out=tmp_path / "d", seed=3,
                       chunk_size=1, executor="dask", scheduler=cluster.address, progress=True)
    assert pq.read_table(result.path / "results.parquet").equals(reference)
    bar = capsys.readouterr().err.split("\r")[-1]          # the progress bar's last state
    assert "sweep: 100%" in bar and "24.0/24.0" in bar and "<00:00" in bar, bar   # ETA


def test_a_worker_killed_mid_sweep_loses_nothing(cluster, reference, tmp_path):
    out = tmp_path / "k"
    victim = cluster.workers[0]

    def kill_when_started():
        while not any((out / "chunks").glob("chunk-*.parquet")):
            time.sleep(0.01)
        victim.send_signal(signal.SIGKILL)

    killer = threading.Thread(target=kill_when_started, daemon=True)
    killer.start()
    assert main(_command(out, "--executor", "dask", "--scheduler", cluster.address)) == 0
    killer.join(5)
    assert victim.poll() is not None                     # the worker did die mid-sweep
    meta = json.loads((out / "sweep.json").read_text())
    assert meta["timing"]["chunks_computed"] == meta["sweep"]["n_chunks"] == 24
    assert pq.read_table(out / "results.parquet").equals(reference)
    cluster.workers[0] = cluster.worker()
    cluster.wait_for(2)


def test_a_lost_scheduler_is_one_line_and_resume_finishes(cluster, reference, tmp_path,
                                                          capsys):
    out = tmp_path / "s"

    def kill_when_started():
        while not any((out / "chunks").glob("chunk-*.parquet")):
            time.sleep(0.01)
        cluster.scheduler.send_signal(signal.SIGKILL)

    killer = threading.Thread(target=kill_when_started, daemon=True)
    killer.start()
    code = main(_command(out, "--executor", "dask", "--scheduler", cluster.address))
    err = capsys.readouterr().err
    killer.join(5)
    assert code == 2, err
    assert err.count("\n") == 1 and "lost the connection to the Dask scheduler" in err, err
    assert not (out / "results.parquet").exists()
    assert main(_command(out, "--resume", "--executor", "processes", "--workers", "2")) == 0
    assert pq.read_table(out / "results.parquet").equals(reference)


@pytest.mark.parametrize("dashboard", [False, True])
def test_the_local_cluster_listens_on_loopback_only(dashboard):
    import urllib.request

    from distributed import Client

    from sim.sweep.executors import local_cluster

    with local_cluster(2, dashboard) as lc, Client(lc) as client:
        me = psutil.Process()
        ports = [c.laddr for p in [me, *me.children(recursive=True)]
                 for c in p.net_connections("inet") if c.status == psutil.CONN_LISTEN]
        assert ports and all(a.ip == "127.0.0.1" for a in ports), ports
        assert all(a.port != 8787 for a in ports)
        status = []
        for a in ports:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{a.port}/status", timeout=2) as r:
                    status.append(r.status)
            except (OSError, http.client.HTTPException):
                pass
        assert (200 in status) == dashboard
        assert client.dashboard_link
