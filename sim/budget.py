"""Estimates before work: the memory and time a command will take, from its inputs, checked
against the machine and a budget before anything is computed.

Every constant below was measured on one core of the development machine (a 2-core x86-64
VM, numpy 2, numba 0.6x); ``benchmarks/budget_model.py`` remeasures them and compares the
estimates with what the commands take. The model is documented in ``docs/limits.md``. Estimates are upper-side: a refusal should never be needed twice, and a run
the model lets through should fit.

* memory: what the command holds at its peak (result arrays, the simulation's per-match
  arrays, a sweep's table), compared with the memory this process may still use
  (:func:`available_memory`: the machine's available memory, or what is left under an
  address-space limit) or with ``--max-memory``;
* time: compared with :data:`DEFAULT_SECONDS` for commands (``--yes`` lifts it); library
  calls check memory only unless given a :class:`Budget` with ``seconds``.

A refusal is one line (:class:`BudgetError`, exit code 2)::

    tournament: would need 902 GiB of memory (~3.1 h), available 21.6 GiB; use --max-memory,
    --yes or fewer repetitions or turns

Sizes that are absurd whatever the machine (a population of a billion, 10¹² points) are
refused by hard limits (:data:`LIMITS`) with the allowed range.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .defaults import MORAN_MAX_STEPS
from .errors import UserError

#: Default time budget of a command in seconds (``--yes`` lifts it).
DEFAULT_SECONDS = 60.0
#: Share of the available memory a command may plan to use.
MEMORY_SHARE = 0.8

#: Hard limits: the largest value each size may take, whatever the budget.
LIMITS = {
    "turns": 10**9,               # turns of a match
    "repetitions": 10**9,         # repetitions of a match
    "population": 10**6,          # individuals of a Moran or generational population
    "runs": 10**9,                # independent runs
    "generations": 10**9,         # generations of generational play
    "axis_points": 10**7,         # values on one sweep axis
    "discounts": 64,              # discount factors of the folk theorem (one set each)
    "weights": 16,                # relative-gain panels of the folk figure
}
#: The smallest value of a size, where it is not 1.
LEAST = {"population": 2}

# --- measured cost model (seconds and bytes; see docs/limits.md) -------------------------------
#: Python and library start-up, paid once per command.
BASE_SECONDS = 0.5
#: Simulated repeated play: per turn of one match, and per match (set-up, scores).
TURN_SECONDS = 1.2e-8
MATCH_SECONDS = 6e-7
#: Bytes held per simulated match (counts, lengths, pair indices, stream ids, scores).
MATCH_BYTES = 120
#: Generational play: per individual and generation (ranking with a seeded tie-break).
INDIVIDUAL_GENERATION_SECONDS = 1.3e-7
#: Moran process: per birth-death step. How many steps a run lasts is no function of N alone
#: (a coexistence game stays mixed for a time exponential in N): the caller says, from
#: :func:`sim.evolution.moran_simulation.run_length`. Memory: 64 bytes per run, and 16 per
#: strategy and generation recorded (the mean history and its running sum).
MORAN_STEP_SECONDS = 8e-8
#: Exact fixation probabilities and their figure: per individual (30 population sizes).
FIXATION_INDIVIDUAL_SECONDS = 5e-6
FIXATION_INDIVIDUAL_BYTES = 200
#: Analytic sweep: per point (regime classification) and bytes per point at the peak
#: (axis columns, chunk temporaries, the table in memory and in Arrow while it is written).
SWEEP_POINT_SECONDS = 6e-6
SWEEP_POINT_BYTES = 240
SWEEP_COLUMN_BYTES = 24


class BudgetError(UserError):
    """A command that would need more memory or time than it may use, or an absurd size."""


@dataclass(frozen=True)
class Estimate:
    """What a piece of work will need: ``memory`` in bytes, ``seconds``, and how to need
    less (``fewer``: e.g. ``"fewer repetitions or turns"``)."""

    what: str
    memory: float
    seconds: float
    fewer: str

    def __add__(self, other: "Estimate") -> "Estimate":
        return Estimate(self.what, self.memory + other.memory, self.seconds + other.seconds,
                        self.fewer)


@dataclass(frozen=True)
class Budget:
    """What a command may use: ``memory`` in bytes (``None``: :func:`available_memory`) and
    ``seconds`` (``None``: no time limit)."""

    memory: float | None = None
    seconds: float | None = None

    @classmethod
    def command(cls, max_memory: str | None = None, yes: bool = False) -> "Budget":
        """The budget of a command from its ``--max-memory`` and ``--yes`` options."""
        memory = None if max_memory is None else parse_size(max_memory, "--max-memory")
        return cls(memory, None if yes else DEFAULT_SECONDS)


def parse_size(text, where: str = "--max-memory") -> int:
    """Bytes of a size such as ``512M``, ``4G``, ``1.5GiB`` or ``1000000`` (bytes)."""
    m = re.fullmatch(r"\s*([0-9]*\.?[0-9]+(?:e[0-9]+)?)\s*([kmgt]?)(?:i?b)?\s*", str(text),
                     re.I)
    value = float(m[1]) * 1024 ** " kmgt".index(m[2].lower() or " ") if m else 0.0
    if not 1 <= value < 2 ** 63:
        raise BudgetError(f"{where} {text}: allowed: a size such as 512M, 4G or 2.5GiB")
    return int(value)


def available_memory() -> int:
    """Bytes this process may still allocate: the machine's available memory
    (``MemAvailable``), less under an address-space limit (``RLIMIT_AS``) or a cgroup limit."""
    avail = _proc("/proc/meminfo", "MemAvailable") or _physical()
    try:
        import resource

        soft = resource.getrlimit(resource.RLIMIT_AS)[0]
        if soft != resource.RLIM_INFINITY:
            avail = min(avail, max(0, soft - _proc("/proc/self/status", "VmSize")))
    except (ImportError, OSError, ValueError):
        pass
    for path in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            limit = int(Path(path).read_text().strip())
            used = int(Path(path.replace("max", "current").replace(
                "limit_in_bytes", "usage_in_bytes")).read_text().strip())
            avail = min(avail, max(0, limit - used))
        except (OSError, ValueError):
            continue
    return int(avail)


def _proc(path: str, key: str) -> int:
    """Bytes of a ``KEY: N kB`` line of a ``/proc`` file (0 where there is none)."""
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _physical() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 8 << 30


def size_text(n: float) -> str:
    """``1536`` -> ``1.5 KiB``."""
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if abs(n) < 1024 or unit == "PiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.3g} {unit}"
        n /= 1024
    return f"{n:.3g} EiB"


def time_text(seconds: float) -> str:
    """``5400`` -> ``1.5 h``."""
    if seconds < 60:
        return f"{seconds:.2g} s"
    if seconds < 3600:
        return f"{seconds / 60:.2g} min"
    if seconds < 86400 * 365:
        return f"{seconds / 3600:.3g} h"
    return f"{seconds / (86400 * 365):.3g} years"


def check(estimate: Estimate, budget: Budget | None = None) -> Estimate:
    """Raise :class:`BudgetError` (one line) if ``estimate`` exceeds ``budget``; returns it."""
    budget = budget or Budget()
    memory = budget.memory if budget.memory is not None else MEMORY_SHARE * available_memory()
    need = f"{size_text(estimate.memory)} of memory and ~{time_text(estimate.seconds)}"
    if estimate.memory > memory:
        source = "--max-memory" if budget.memory is not None else "available"
        raise BudgetError(f"{estimate.what} would need {need}, {source} {size_text(memory)}; "
                          f"use --max-memory (if the machine has it) or {estimate.fewer}")
    if budget.seconds is not None and estimate.seconds > budget.seconds:
        raise BudgetError(f"{estimate.what} would need {need}, budget "
                          f"{time_text(budget.seconds)}; use --yes to run it anyway, or "
                          f"{estimate.fewer}")
    return estimate


def limit(name: str, value, label: str | None = None) -> None:
    """Raise :class:`BudgetError` if ``value`` lies outside ``LEAST .. LIMITS[name]``; the
    message shows it as ``label value`` (e.g. ``--turns 0``; default ``name = value``)."""
    least = LEAST.get(name, 1)
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not \
            least <= value <= LIMITS[name]:
        raise BudgetError(f"{label or name + ' ='} {value!r}: allowed: a whole number from "
                          f"{least} to {LIMITS[name]:_}")


def add_options(parser) -> None:
    """``--max-memory`` and ``--yes`` on a command's parser (see :meth:`Budget.command`)."""
    parser.add_argument("--max-memory", default=None, metavar="SIZE",
                        help="memory the command may plan to use, e.g. 8G (default: "
                             f"{MEMORY_SHARE * 100:.0f}%% of the available memory)")
    parser.add_argument("--yes", action="store_true",
                        help=f"run even if the estimate exceeds the time budget "
                             f"({DEFAULT_SECONDS:g} s)")


def from_args(args) -> Budget:
    """The budget of a parsed command line (:func:`add_options`)."""
    return Budget.command(getattr(args, "max_memory", None), getattr(args, "yes", False))


# --- estimates per command ---------------------------------------------------------------------

def simulated_play(what: str, matches: int, turns: float) -> Estimate:
    """``matches`` simulated matches of ``turns`` turns on average (Monte Carlo play)."""
    return Estimate(what, matches * MATCH_BYTES,
                    matches * (MATCH_SECONDS + turns * TURN_SECONDS), "fewer repetitions or turns")


def tournament(pairs: int, turns, continuation, repetitions: int, simulated: bool) -> Estimate:
    """A round robin of ``pairs`` matches: exact play is a Markov-chain solve per pair
    (``turns`` by repeated squaring), simulated play ``pairs × repetitions`` matches."""
    if not simulated:
        log_turns = math.log2(turns) + 1 if turns else 1
        return Estimate(f"an exact tournament of {pairs:,} pairs", pairs * 64 * 64 * 8 * 4,
                        pairs * log_turns * 2e-5, "fewer players")
    length = turns if continuation is None else min(turns or math.inf, 1 / (1 - continuation))
    return simulated_play(f"a tournament of {pairs:,} pairs x {repetitions:,} repetitions of "
                          f"{length:,.4g} turns", pairs * repetitions, length)


def evolve(dynamics: str, n_types: int, population: int, runs: int, generations: int,
           steps: float = MORAN_MAX_STEPS, mutation: float = 0.0) -> Estimate:
    """Evolutionary dynamics among ``n_types`` strategies (see the constants' comments);
    ``steps``: the mean length of a simulated Moran run (default: the longest, 10⁷ steps).
    The Moran process of two strategies without mutation is exact, any other simulated."""
    if dynamics == "replicator":
        return Estimate(f"replicator dynamics of {n_types} strategies", 1 << 20, 0.5,
                        "fewer strategies")
    if dynamics == "moran" and n_types == 2 and mutation == 0:
        return Estimate(f"exact Moran fixation at N = {population:,}",
                        population * FIXATION_INDIVIDUAL_BYTES,
                        population * FIXATION_INDIVIDUAL_SECONDS, "a smaller population")
    if dynamics == "moran":
        why = ("with mutation no strategy fixes for good" if mutation else
               "no strategy fixes sooner on average")
        length = (f"{steps:,.0f} steps each on average" if steps < MORAN_MAX_STEPS else
                  f"{MORAN_MAX_STEPS:,} steps each, the most a run takes: {why}")
        return Estimate(f"{runs:,} Moran runs at N = {population:,} ({length})",
                        runs * 64 + (MORAN_MAX_STEPS // population + 1) * n_types * 16,
                        runs * steps * MORAN_STEP_SECONDS,
                        "fewer runs" if mutation else "fewer runs or a smaller population")
    return Estimate(f"{runs:,} runs of {generations:,} generations at N = {population:,}",
                    runs * (generations + 1) * n_types * 8 + population * 24,
                    runs * generations * population * INDIVIDUAL_GENERATION_SECONDS,
                    "fewer runs or generations, or a smaller population")


def sweep(points: int, axes_values: int, columns: int, point_seconds: float,
          point_bytes: float = 0.0) -> Estimate:
    """A sweep of ``points`` points: the axes' values, the table (``columns`` columns), the
    analytic classification and each point's simulated cost ``point_seconds`` (the measures'
    own estimates), with ``point_bytes`` of simulation held at once per point."""
    memory = axes_values * 8 + points * (SWEEP_POINT_BYTES + columns * SWEEP_COLUMN_BYTES)
    return Estimate(f"a sweep of {points:,} points", memory + point_bytes,
                    points * (SWEEP_POINT_SECONDS + point_seconds),
                    "fewer points (or smaller measure options: repetitions, population, players)")
