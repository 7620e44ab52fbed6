"""Import time: ``import sim`` under 0.3 s and ``blocsim --help`` under 0.5 s, against
``import nashpy`` (the peer a notebook imports for the same stage games), in one run.

Each is timed in fresh interpreters (best of ``--repeats``), less the time of an empty
interpreter, so the numbers are what a user waits for. The time is the process's CPU time
(user + system, from ``getrusage``), as in ``benchmarks/first_call.py``: on a machine shared
with other work, wall times of a few tens of milliseconds are mostly waiting for a core.
Exits 1 if a limit is exceeded.

    python benchmarks/import_time.py [--repeats 7]
"""

import argparse
import resource
import subprocess
import sys

LIMITS = {"import sim": 0.3, "blocsim --help": 0.5}


def best(argv, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return min(times)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args(argv)
    py = [sys.executable]
    empty = best(py + ["-c", "pass"], args.repeats)
    ours = {"import sim": best(py + ["-c", "import sim"], args.repeats) - empty,
            "blocsim --help": best(py + ["-m", "sim.cli", "--help"], args.repeats) - empty}
    peer = best(py + ["-c", "import nashpy"], args.repeats) - empty
    failed = False
    for what, seconds in ours.items():
        ok = seconds < LIMITS[what]
        failed |= not ok
        print(f"{what}: {seconds:.3f} s (limit {LIMITS[what]} s){'' if ok else ' FAILED'}")
    print(f"import_time: blocsim {ours['import sim']:.3f} s, nashpy {peer:.3f} s, "
          f"ratio {peer / max(ours['import sim'], 1e-4):.1f}x (target 1x)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
