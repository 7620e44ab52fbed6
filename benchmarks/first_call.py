"""First-call latency of the commands: each of ``run``, ``tournament``, ``evolve`` and
``folk`` in a new process with an empty numba cache and no matplotlib font cache (as after
``pip install`` on a new machine), then again in a new process (the caches persist), then
once more.

    PYTHONPATH=. python benchmarks/first_call.py

Times are the process's CPU time (user + system, from ``getrusage``), so that a machine shared
with other work does not inflate them; the wall time and the load average are printed beside.
Targets: a first call under 3 s, or one line saying that kernels are compiling; every later
call under 1 s.

As ``pip install`` does, blocsim's modules are byte-compiled first (``compileall``): with
``PYTHONDONTWRITEBYTECODE`` set, as on the development machine, every process would otherwise
compile them from source again, which no installed copy does.

The floors of a later call are printed too, each the best of three new processes:
``import`` — what a command that validates a scenario and writes figures imports whatever it
computes (numpy, matplotlib with its Agg canvas, pydantic and blocsim's scenario schema);
``draw`` — that, plus one line drawn and saved as PNG and as SVG (matplotlib's own cost of
writing a figure in both formats); ``numba`` — numba's start-up in a new process (its import
and the first call of one trivial cached kernel, less numpy's import), which a command that
runs a compiled kernel pays on top.
"""

from __future__ import annotations

import compileall
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


#: What a command that writes figures imports whatever it computes (the floor of a call).
FLOOR = ("import numpy, matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot, "
         "sim.scenario.schema")
#: :data:`FLOOR`, and one line saved as PNG and SVG: matplotlib's least cost of a figure.
DRAW = (FLOOR + "; import sys, matplotlib.pyplot as plt; fig, ax = plt.subplots(); "
        "ax.plot([0, 1]); fig.savefig(sys.argv[1] + '/floor.png'); "
        "fig.savefig(sys.argv[1] + '/floor.svg')")
#: Numba's start-up: its import and the first call of a trivial kernel cached on disk.
NUMBA = ("import sys; sys.path.insert(0, sys.argv[1]); import floor_kernel; "
         "floor_kernel.one(1.0)")
KERNEL = "from numba import njit\n\n\n@njit(cache=True)\ndef one(x):\n    return x + 1.0\n"


def floor(code, env, where) -> float:
    """CPU seconds of a new process running ``code`` (best of three)."""
    times = []
    for _ in range(3):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([sys.executable, "-c", code, where], env=env, check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return min(times)


def floors(env, tmp) -> dict:
    """The three floors of the module docstring, CPU seconds."""
    Path(tmp, "floor_kernel.py").write_text(KERNEL)
    subprocess.run([sys.executable, "-c", NUMBA, tmp], env=env, check=True)   # cache it
    numpy = floor("import numpy", env, tmp)
    return {"import": floor(FLOOR, env, tmp), "draw": floor(DRAW, env, tmp),
            "numba": floor(NUMBA, env, tmp) - numpy}


def main() -> None:
    worst_warm, worst_first = 0.0, 0.0
    compileall.compile_dir(ROOT / "sim", quiet=1)          # as pip install does
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "NUMBA_CACHE_DIR": f"{tmp}/numba",
               "MPLCONFIGDIR": f"{tmp}/matplotlib", "MPLBACKEND": "Agg"}
        print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        print(f"{'command':<12} {'first (CPU / wall)':>22} {'second':>18} {'third':>18}  notice")
        for name, extra in COMMANDS.items():
            out = [f"{tmp}/{name}", "--force"]
            runs = [timed([name, *extra, "--out", *out], env) for _ in range(3)]
            notices = [line for line in runs[0][2].splitlines() if "compil" in line]
            notice = f"{len(notices)} line: {notices[0][:50]}" if notices else ""
            cells = [f"{cpu:6.2f} s / {wall:5.1f} s" for cpu, wall, _ in runs]
            print(f"{name:<12} {cells[0]:>22} {cells[1]:>18} {cells[2]:>18}  {notice}")
            worst_warm = max(worst_warm, runs[1][0], runs[2][0])
            if not notices:
                worst_first = max(worst_first, runs[0][0])
        base = floors(env, tmp)
        print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"(floors, CPU of a new process: importing numpy, matplotlib, pydantic and the "
          f"scenario schema {base['import']:.2f} s; that and one line saved as PNG and SVG "
          f"{base['draw']:.2f} s; numba's start-up, on top, {base['numba']:.2f} s)")
    print(f"first_call: first calls without a compile notice at most {worst_first:.2f} s CPU "
          f"(target 3 s); later calls at most {worst_warm:.2f} s CPU, floor "
          f"{base['draw']:.2f} s with figures (target 1 s)")


if __name__ == "__main__":
    main()
