"""What a new process imports: each command loads only the heavy libraries it needs (each
costs a fraction of a second of every call; ``benchmarks/first_call.py`` times them). Checked
through ``sys.modules`` in a subprocess, not by timing."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("numpy", "pydantic", "matplotlib", "scipy", "numba", "llvmlite", "pandas", "xarray",
         "nashpy", "dask", "axelrod", "quantecon")

#: In one process, in this order: the libraries loaded so far after each step.
SCRIPT = """
import contextlib, io, json, sys
HEAVY = %r
seen = {}
def note(step):
    seen[step] = sorted({m.split(".")[0] for m in sys.modules} & set(HEAVY))
import sim
note("import sim")
import sim.cli
note("import sim.cli")
with contextlib.redirect_stdout(io.StringIO()):
    assert sim.cli.main([]) == 0                # prints the help
    note("blocsim --help")
    assert sim.cli.main(["validate", "nato_csto_2007"]) == 0
    note("blocsim validate")
    for command in ("run", "tournament", "evolve", "folk"):
        assert sim.cli.main([command, "--out", %r + "/" + command]) == 0
        note("blocsim " + command)
print(json.dumps(seen))
"""


def test_commands_import_only_what_they_use(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg",
           "NUMBA_CACHE_DIR": str(tmp_path / "numba")}
    done = subprocess.run([sys.executable, "-c", SCRIPT % (HEAVY, str(tmp_path))], env=env,
                          capture_output=True, text=True, timeout=600, check=True)
    seen = json.loads(done.stdout.splitlines()[-1])
    for step in ("import sim", "import sim.cli", "blocsim --help"):
        assert seen[step] == [], (step, seen[step])
    # validation needs the schema (pydantic) and the games (numpy), nothing that draws
    assert seen["blocsim validate"] == ["numpy", "pydantic"]
    # the four commands on the default scenario, one after another in this process: figures
    # (matplotlib), no scipy (regime labels, sim.plots.regions.deepest_point), no numba (a
    # 2x2 folk run is small work, sim._jit.plain), no pandas, xarray or nashpy
    assert seen["blocsim folk"] == ["matplotlib", "numpy", "pydantic"]
