"""First-call latency of the commands: each of ``run``, ``tournament``, ``evolve`` and
``folk`` in a new process with an empty numba cache (as after ``pip install``), then again in
a new process (the cache persists), then once more.

    PYTHONPATH=. python benchmarks/first_call.py

Times are the process's CPU time (user + system, from ``getrusage``), so that a machine shared
with other work does not inflate them; the wall time is printed beside. Targets: a first call
under 3 s, or one line saying that kernels are compiling; every later call under 1 s of
compute beyond the import of numpy and matplotlib and the figures it writes.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = {"run": [], "tournament": [], "evolve": [], "folk": []}


def timed(args, env) -> tuple[float, float, str]:
    """``(CPU seconds, wall seconds, stderr)`` of ``python -m sim.cli ARGS`` in a new process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "sim.cli", *args], env=env, text=True,
                          capture_output=True, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, done.stderr


def main() -> None:
    worst_warm = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "NUMBA_CACHE_DIR": f"{tmp}/numba",
               "MPLBACKEND": "Agg"}
        print(f"{'command':<12} {'first (CPU / wall)':>22} {'second':>18} {'third':>18}  notice")
        for name, extra in COMMANDS.items():
            out = [f"{tmp}/{name}", "--force"]
            runs = [timed([name, *extra, "--out", *out], env) for _ in range(3)]
            notice = next((line for line in runs[0][2].splitlines() if "compil" in line), "")
            cells = [f"{cpu:6.2f} s / {wall:5.1f} s" for cpu, wall, _ in runs]
            print(f"{name:<12} {cells[0]:>22} {cells[1]:>18} {cells[2]:>18}  {notice[:60]}")
            worst_warm = max(worst_warm, runs[1][0], runs[2][0])
        base, _, _ = timed(["list"], env)
    print(f"(a new process that imports blocsim and lists the scenarios: {base:.2f} s CPU)")
    print(f"first_call: warm calls at most {worst_warm:.2f} s CPU, of which {base:.2f} s "
          f"start-up (target: < 1 s beyond start-up and figures)")


if __name__ == "__main__":
    main()
