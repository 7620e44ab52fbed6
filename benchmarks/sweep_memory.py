"""Peak memory of a very large analytic sweep: it streams through chunks to Parquet.

Runs ``regime`` and ``blocked_by_relative_gains`` over NATO's relative-gain weight x discount
factor, ``--side`` x ``--side`` points (default 10,000 x 10,000 = 10^8), in a child process,
and reports its peak resident memory (``ru_maxrss``) with the time end to end; then, in
another child, reads one column back (:func:`sim.sweep.store.load` with ``columns``) and
reports that process's peak. The bound: chunks of 2^20 points (about 100 MB of temporaries while one is
evaluated) plus at most 64 MB of finished chunks kept for the final table
(``sim.sweep.run.KEEP_BYTES``), whatever the size of the sweep.

    python benchmarks/sweep_memory.py [--side 10000]
"""

import argparse
import json
import subprocess
import sys
import tempfile

CHILD = """
import json, resource, sys, time
from sim.sweep.run import run_sweep
side, out = int(sys.argv[1]), sys.argv[2]
t0 = time.perf_counter()
res = run_sweep("nato_csto_2007", [f"preferences.relative_gain_weight.NATO=0:1:{side}",
                                   f"repeated.discount=0:0.99:{side}"],
                ["regime", "blocked_by_relative_gains"], out=out, progress=False)
seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds, "points": res.metadata["sweep"]["size"],
                  "chunks": res.metadata["sweep"]["n_chunks"],
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

READ = """
import json, resource, sys
from sim.sweep.store import load
meta, cols = load(sys.argv[1], columns=["regime"])
print(json.dumps({"read_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "regime_mb": cols["regime"].nbytes / 2 ** 20}))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run([sys.executable, "-c", CHILD, str(args.side), tmp + "/s"],
                              capture_output=True, text=True, check=True)
        r = json.loads(done.stdout)
        done = subprocess.run([sys.executable, "-c", READ, tmp + "/s"], capture_output=True,
                              text=True, check=True)
        r.update(json.loads(done.stdout))
    print(f"sweep_memory: {r['points']:,} points ({r['chunks']} chunks) in {r['seconds']:.1f} s, "
          f"peak memory {r['peak_mb']:.0f} MB while sweeping; reading back one column "
          f"({r['regime_mb']:.0f} MB) peaks at {r['read_peak_mb']:.0f} MB")


if __name__ == "__main__":
    main()
