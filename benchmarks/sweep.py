"""Sweep speed and scaling, in one run.

1. An analytic regime sweep of 2000 x 2000 (NATO's relative-gain weight x discount factor) of
   the NATO–CSTO baseline, end to end: planning, evaluation, chunk files, the final Parquet
   table and metadata (target: under 2 s on a 2-core machine).
2. A point-wise sweep of 50 x 50 points (both players' relative-gain weight x discount
   factor), a 6-strategy round-robin tournament at each point (``tournament_winner``: TFT,
   Grim, WSLS, AllC, AllD, Random; exact by default, ``--method simulate`` for Monte Carlo
   with ``--repetitions``), on 1 worker process, on 2 worker processes and on a local Dask
   cluster of 2 workers; all three tables must be identical. Pool and cluster start-up are
   included in each time.

The last line compares the 2-process run (blocsim) with the 1-process run (the peer): the
ratio is the 2-process scaling, t(1 process) / t(2 processes); the target is 1.8x on 2 cores.

    python benchmarks/sweep.py [--size 2000] [--sim 50] [--method exact] [--repetitions 20]

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
    parser.add_argument("--sim", type=int, default=50)
    parser.add_argument("--method", choices=("exact", "simulate"), default="exact")
    parser.add_argument("--repetitions", type=int, default=20)
    args = parser.parse_args()
    import pyarrow.parquet as pq

    from sim import scenario
    from sim.sweep.run import run_sweep

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
        both = "preferences.relative_gain_weight.NATO+preferences.relative_gain_weight.CSTO"
        options = f"method={args.method},noise=0.01" + (
            f",repetitions={args.repetitions}" if args.method == "simulate" else "")
        spec = dict(scenario=sc, axes=[f"{both}=0:1:{m}", f"repeated.discount=0:0.99:{m}"],
                    measures=[f"tournament_winner:{options}"], seed=1)
        times, tables = {}, {}
        for label, kw in (("1 process", dict(executor="processes", workers=1)),
                          ("2 processes", dict(executor="processes", workers=2)),
                          ("dask, 2 workers", dict(executor="dask", workers=2))):
            times[label], res = timed(out=tmp / label.replace(" ", "_").replace(",", ""),
                                      **spec, **kw)
            tables[label] = pq.read_table(res.path / "results.parquet")
            print(f"tournaments ({args.method}), {label}: {m * m} points in {times[label]:.2f} s "
                  f"({m * m / times[label]:,.0f} points/s; "
                  f"{res.metadata['sweep']['n_chunks']} chunks)")
        # Dask again, on a cluster that is already running (as a user's would be): the
        # cluster's start-up (about a second here) is then not part of the sweep.
        from distributed import LocalCluster

        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                          dashboard_address=None, host="127.0.0.1") as cluster:
            address = cluster.scheduler_address
            run_sweep(progress=False, out=tmp / "dask_warm", executor="dask",
                      scheduler=address, **{**spec, "axes": [f"{both}=0:1:2",
                                                             "repeated.discount=0:0.9:2"]})
            label = "dask, running cluster"
            times[label], res = timed(out=tmp / "dask_running", executor="dask",
                                      scheduler=address, **spec)
            tables[label] = pq.read_table(res.path / "results.parquet")
            print(f"tournaments ({args.method}), {label}: {m * m} points in {times[label]:.2f} s "
                  f"({m * m / times[label]:,.0f} points/s)")
        first = tables["1 process"]
        assert all(t.equals(first) for t in tables.values()), "executors disagree"
        print(f"all {len(tables)} tables identical")
        ratio = times["1 process"] / times["2 processes"]
        print(f"dask scaling: {times['1 process'] / times['dask, 2 workers']:.2f}x with the cluster's "
              f"start-up, {times['1 process'] / times['dask, running cluster']:.2f}x on a running "
              "cluster")
        print(f"sweep: blocsim {times['2 processes']:.2f} s, 1-process {times['1 process']:.2f} s, "
              f"ratio {ratio:.2f}x (target 1.8x)")


if __name__ == "__main__":
    main()
