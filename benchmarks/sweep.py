"""Sweep speed and scaling, in one run.

1. An analytic regime sweep of 2000 x 2000 (NATO's relative-gain weight x discount factor) of
   the NATO–CSTO baseline, end to end: planning, evaluation, chunk files, the final Parquet
   table and metadata (target: under 2 s on a 2-core machine).
2. A point-wise sweep whose serial time is over 20 s: the winner of a 6-strategy exact
   round-robin tournament (``tournament_winner``: TFT, Grim, WSLS, AllC, AllD, Random, noise
   0.01 plus the axis) over discount factor x execution noise, 240 x 240 points, where every
   point has its own Markov chains (nothing is shared between points: about 0.7 ms a point on
   one core). Run on 1 worker process, on 2 worker processes, on a local Dask cluster of 2
   workers started by the sweep, and on a running two-worker Dask cluster; all four tables
   must be identical. Pool and cluster start-up are included in each time (except the running
   cluster's own start-up).

The last line compares the 2-process run (blocsim) with the 1-process run: the ratio is the
2-process scaling, t(1 process) / t(2 processes); the target is 1.8x on 2 cores (1.7x for
the running Dask cluster). Other work on the machine makes it lower: the load average is
printed first.

    python benchmarks/sweep.py [--size 2000] [--sim 240] [--method exact] [--repetitions 20]

Worker processes (forkserver or spawn) re-run this script's top-level imports before their
first chunk, so the heavy imports are inside the functions: what a worker imports is what
the chunks need (as with the ``blocsim`` command, whose imports are lazy).
"""

import argparse
import tempfile
import time
from pathlib import Path


def timed(**kwargs):
    from sim.sweep.run import run_sweep

    t0 = time.perf_counter()
    result = run_sweep(progress=False, **kwargs)
    return time.perf_counter() - t0, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--sim", type=int, default=240)
    parser.add_argument("--method", choices=("exact", "simulate"), default="exact")
    parser.add_argument("--repetitions", type=int, default=20)
    args = parser.parse_args()
    import pyarrow.parquet as pq

    from sim import scenario
    from sim.sweep.run import run_sweep

    import os

    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    sc = scenario.load("nato_csto_2007")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        run_sweep(sc, ["repeated.discount=0:0.99:3"], out=tmp / "warm", progress=False)
        n = args.size
        seconds, res = timed(scenario=sc, axes=[f"preferences.relative_gain_weight.NATO=0:1:{n}",
                                                f"repeated.discount=0:0.99:{n}"],
                             measures=["regime", "blocked_by_relative_gains"],
                             out=tmp / "analytic")
        rows = pq.read_metadata(res.path / "results.parquet").num_rows
        assert rows == n * n
        print(f"analytic: {rows:,} points, regime + blocked, in {seconds:.2f} s end to end "
              f"({rows / seconds / 1e6:.2f} million points/s; target under 2 s)")

        m = args.sim
        options = f"method={args.method}" + (
            f",repetitions={args.repetitions}" if args.method == "simulate" else "")
        spec = dict(scenario=sc, axes=[f"repeated.discount=0:0.99:{m}",
                                       f"repeated.noise=0.01:0.2:{m}"],
                    measures=[f"tournament_winner:{options}"], seed=1)
        times, tables = {}, {}

        def run(label, **kw):
            times[label], res = timed(out=tmp / label.replace(" ", "_").replace(",", ""),
                                      **spec, **kw)
            tables[label] = pq.read_table(res.path / "results.parquet")
            print(f"tournaments ({args.method}), {label}: {m * m} points in {times[label]:.2f} s "
                  f"({m * m / times[label]:,.0f} points/s; "
                  f"{res.metadata['sweep']['n_chunks']} chunks of "
                  f"{res.metadata['sweep']['chunk_size']})")

        run("1 process", executor="processes", workers=1)
        run("2 processes", executor="processes", workers=2)
        run("dask, 2 workers", executor="dask", workers=2)
        # Dask again, on a cluster that is already running (as a user's would be): the
        # cluster's start-up is then not part of the sweep.
        from sim.sweep.executors import local_cluster

        with local_cluster(2) as cluster:
            run_sweep(progress=False, out=tmp / "dask_warm", executor="dask",
                      scheduler=cluster.scheduler_address,
                      **{**spec, "axes": ["repeated.discount=0:0.9:2", "repeated.noise=0,0.1"]})
            run("dask, running cluster", executor="dask", scheduler=cluster.scheduler_address)
        first = tables["1 process"]
        assert all(t.equals(first) for t in tables.values()), "executors disagree"
        print(f"all {len(tables)} tables identical")
        serial = times["1 process"]
        print(f"dask: {serial / times['dask, 2 workers']:.2f}x with the cluster's start-up, "
              f"{serial / times['dask, running cluster']:.2f}x on a running two-worker "
              "cluster (target 1.7x)")
        print(f"sweep: blocsim {times['2 processes']:.2f} s (2 processes), 1-process "
              f"{serial:.2f} s, ratio {serial / times['2 processes']:.2f}x (target 1.8x)")


if __name__ == "__main__":
    main()
