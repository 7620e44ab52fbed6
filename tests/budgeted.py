"""Running ``blocsim`` the way a careless user would, under a budget: each call in its own
process with a wall-clock limit and an address-space cap (``resource.setrlimit``). A call
over either budget is a failure of blocsim, not of the user."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Address space a command may use (numpy, numba and matplotlib map ~1 GiB at start-up).
MEMORY_CAP = 3 << 30


@dataclass
class Outcome:
    code: int | None            # None: killed at the time limit
    stdout: str
    stderr: str
    seconds: float

    @property
    def lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]


def _cap(memory: int, cpu: int | None):
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        if cpu is not None:
            resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    return limit


def run_blocsim(args, timeout: float = 60, memory: int = MEMORY_CAP, cwd=None,
                cpu: int | None = None) -> Outcome:
    """``python -m sim.cli ARGS`` in a new process, killed after ``timeout`` seconds (of wall
    clock: for waits, e.g. on a socket). With ``cpu``, a process past ``cpu`` seconds of CPU
    time is killed too (for work: unlike the wall clock, CPU time does not grow on a loaded
    machine; the caller then gives a generous ``timeout``)."""
    import time

    env = {**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"}
    start = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-m", "sim.cli", *map(str, args)],
                              capture_output=True, text=True, timeout=timeout, env=env,
                              cwd=cwd, preexec_fn=_cap(memory, cpu))
        return Outcome(done.returncode, done.stdout, done.stderr, time.perf_counter() - start)
    except subprocess.TimeoutExpired as exc:
        return Outcome(None, exc.stdout or "", exc.stderr or "", time.perf_counter() - start)


def _bounded(outcome: Outcome) -> None:
    assert outcome.code is not None, f"hung: killed after {outcome.seconds:.0f} s"
    assert outcome.code not in (-signal.SIGXCPU, -signal.SIGKILL), \
        f"over its CPU time: killed after {outcome.seconds:.0f} s"


def assert_refused(outcome: Outcome, *words: str) -> str:
    """Exit 2 with one line ``blocsim: error: ...`` containing ``words``; returns the line."""
    _bounded(outcome)
    assert "Traceback" not in outcome.stderr, outcome.stderr[-2000:]
    assert outcome.code == 2, (outcome.code, outcome.stderr[-2000:])
    assert len(outcome.lines) == 1, outcome.stderr[-2000:]
    line = outcome.lines[0]
    assert line.startswith("blocsim: error: "), line
    for word in words:
        assert word in line, (word, line)
    return line


def assert_ran(outcome: Outcome) -> None:
    """Exit 0 within the time limit, no traceback."""
    _bounded(outcome)
    assert outcome.code == 0, (outcome.code, outcome.stderr[-2000:])
    assert "Traceback" not in outcome.stderr
