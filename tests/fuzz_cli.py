"""A fuzz harness for every ``blocsim`` subcommand: hypothesis generates command lines
(options with edge values) and scenario files; each case runs in a process of its own under
a CPU-time limit, an address-space cap and a generous wall-clock cap.

Cases run in parallel, one worker per core (``BLOCSIM_FUZZ_WORKERS``). A worker imports
blocsim once and forks a child per case; the child sets its limits (``resource.RLIMIT_CPU``,
``RLIMIT_AS``), sends its stdout and stderr to files, runs :func:`sim.cli.main` in the case's
own folder and exits, as ``python -m sim.cli`` would but without paying the imports again. A
CPU-time limit, unlike a wall-clock one, does not fail spuriously on a loaded machine; the
wall-clock cap (:data:`WALL_SECONDS`) only catches a case that waits without computing.

A case fails when it prints a traceback (an exception escapes ``main``), exits with a code
other than 0 or 2 (1 only for ``sweep failed``), prints an error of more than one line,
prints a warning on success, or exceeds its budget (:data:`CPU_SECONDS` of CPU time: the
command's default time budget plus start-up and figures; a hang). The test
(``tests/test_fuzz_cli.py``) runs a small derandomized share; a release run takes
``BLOCSIM_FUZZ_CASES`` cases (``BLOCSIM_FUZZ_REPORT=FILE`` keeps the counts and failures so
far in FILE)::

    BLOCSIM_FUZZ_CASES=10000 PYTHONPATH=. python tests/fuzz_cli.py

Every case builds its figures; rendering and writing them is most of a successful case's
time, so one case in ``RENDER_EVERY`` renders and writes them, the others only fit their
texts (:func:`sim.plots.text.fit_figure`) and write empty files. (``tests/test_figures.py``
renders every figure of every built-in scenario.)
"""

from __future__ import annotations

import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
#: CPU time a case may take (the commands' default time budget, plus figures and start-up).
CPU_SECONDS = 90
#: Wall-clock time a case may take, however loaded the machine: a case past it waits on
#: something (a socket, a lock) rather than computing.
WALL_SECONDS = 600.0
#: Address space of a case.
MEMORY_CAP = 3 << 30
RENDER_EVERY = 10
#: Environment of the workers: one thread per numerical library (the cases run in parallel).
THREADS = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                  "MKL_NUM_THREADS", "NUMBA_NUM_THREADS")}

# --- generated values ---------------------------------------------------------------------------

EDGE_INTS = ["0", "1", "-1", "2", "3", "2147483648", "9223372036854775808", "1000000000000",
             "1e3", "abc", "", " 5", "٣"]
EDGE_FLOATS = ["0", "1", "0.5", "-0.0", "1e-300", "1e300", "nan", "inf", "-inf", "0x10",
               "0.999999999", "0.5.5", "", "-1"]
NAMES = ["TFT", "AllD", "AllC", "Grim", "WSLS", "Random", "GTFT", "Joss", "TF2T", "Prober",
         "Alternator", "SoftMajority", "Nope", "tft", "", "x" * 300, "[1, 0, 1, 0, 1]",
         "\x1b[31m", "ZD"]
KEYS = ["repeated.discount", "repeated.noise", "preferences.relative_gain_weight.NATO",
        "preferences.relative_gain_weight.CSTO", "preferences.actors.NATO", "payoffs.T",
        "parameters.threat", "players.row", "scenario.extends", "factors.0.CC.0", "nope",
        "repeated", "", "a..b", "preferences.grieco_k.CSTO"]
MEASURES = ["regime", "blocked_by_relative_gains", "threshold_grim", "critical_weight",
            "simulated_cooperation", "tournament_winner", "tournament_cooperation",
            "evolved_cooperation", "fixation_probability", "regme", ""]
MEASURE_OPTIONS = ["repetitions", "noise", "players", "population", "intensity", "turns",
                   "method", "mutant", "resident", "time", "x"]


def small_int():
    return st.one_of(st.integers(1, 12).map(str), st.sampled_from(EDGE_INTS))


def small_float():
    return st.one_of(st.floats(0, 1, allow_nan=False).map(lambda x: f"{x:.3g}"),
                     st.sampled_from(EDGE_FLOATS))


def text_value():
    return st.one_of(st.sampled_from(EDGE_FLOATS + EDGE_INTS + NAMES),
                     st.text(max_size=12))


def axis_spec():
    num = st.one_of(st.integers(1, 6).map(str), st.sampled_from(["0", "-3", "2.5",
                                                                 "100000000000", "x"]))
    lo_hi = st.one_of(small_float(), st.sampled_from(["-1", "2", "1e9"]))
    return st.one_of(
        st.tuples(lo_hi, lo_hi, num).map(":".join),
        st.tuples(st.just("log"), lo_hi, lo_hi, num).map(":".join),
        st.lists(small_float(), min_size=1, max_size=4).map(",".join),
        st.text(max_size=10))


def measure_text():
    opt = st.tuples(st.sampled_from(MEASURE_OPTIONS), st.one_of(
        small_int(), small_float(), st.sampled_from(["TFT+AllD", "exact", "simulate",
                                                     "AllD", "TFT+Nope"])))
    return st.tuples(st.sampled_from(MEASURES), st.lists(opt, max_size=2)).map(
        lambda t: t[0] + (":" + ",".join(f"{k}={v}" for k, v in t[1]) if t[1] else ""))


# --- generated scenario files --------------------------------------------------------------------

def toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return "nan" if math.isnan(v) else ("inf" if v == math.inf else
                                            "-inf" if v == -math.inf else repr(v))
    if isinstance(v, (int,)):
        return str(v)
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(x)}" for k, x in v.items()) + "}"
    raise TypeError(v)


def toml_text(doc: dict) -> str:
    lines = []
    for table, body in doc.items():
        if isinstance(body, dict):
            lines.append(f"[{table}]")
            lines += [f"{json.dumps(k)} = {toml_value(v)}" for k, v in body.items()]
        else:
            lines.append(f"{table} = {toml_value(body)}")
    return "\n".join(lines) + "\n"


def edge_number():
    return st.one_of(st.sampled_from([0, 1, -1, 2, 10**6, 10**9, 10**12, 2**63, 0.5, 0.999,
                                      1.0, -0.5, 1e-300, 1e300, math.nan, math.inf]),
                     st.floats(-10, 10, allow_nan=False), st.integers(0, 100))


def scenario_doc():
    players = st.fixed_dictionaries({"row": st.sampled_from(["A", "NATO", "", "x.y"]),
                                     "column": st.sampled_from(["B", "CSTO", "B"])})
    trps = st.fixed_dictionaries({k: edge_number() for k in "TRPS"})
    section = {
        "tournament": st.dictionaries(st.sampled_from(
            ["turns", "continuation", "noise", "repetitions", "seed", "method", "players",
             "payoffs", "self_play", "bogus"]), st.one_of(edge_number(), st.sampled_from(
                 ["exact", "utility", "auto", ["TFT", "AllD"], ["Nope"], True])), max_size=3),
        "evolution": st.dictionaries(st.sampled_from(
            ["dynamics", "population", "intensity", "fitness", "mutation", "runs",
             "generations", "replace", "seed", "players"]), st.one_of(
                 edge_number(), st.sampled_from(["moran", "generational", "replicator",
                                                 "linear", ["TFT", "AllD", "AllC"]])),
            max_size=3),
        "folk": st.dictionaries(st.sampled_from(["discount", "weights", "payoffs"]),
                                st.one_of(st.lists(edge_number(), max_size=3),
                                          st.sampled_from(["material", 0.5])), max_size=2),
        "sweep": st.dictionaries(st.sampled_from(["axes", "measures", "seed", "executor",
                                                  "options"]), st.one_of(
            st.just([{"key": "repeated.discount", "values": "0:0.9:3"}]),
            st.just([{"key": "repeated.nope", "values": [0.1]}]),
            st.just(["regime"]), st.just(["regme"]), edge_number(),
            st.just("inprocess"), st.just({"regime": {"x": 1}})), max_size=2),
        "repeated": st.dictionaries(st.sampled_from(["discount", "noise"]), edge_number(),
                                    max_size=2),
    }
    return st.fixed_dictionaries(
        {"players": players, "payoffs": trps},
        optional=section)


def scenario_arg(folder_var="{dir}"):
    builtin = st.sampled_from(["nato_csto_2007", "prisoners_dilemma", "stag_hunt", "chicken",
                               "harmony", "deadlock", "common_threat", "bilateral_pfp"])
    generated = scenario_doc().map(lambda d: ("file", toml_text(d)))
    garbage = st.one_of(st.text(max_size=40), st.binary(max_size=40).map(
        lambda b: b.decode("latin-1"))).map(lambda t: ("file", t))
    missing = st.sampled_from(["nope", "missing.toml", "/", "a/b.toml"])
    return st.one_of(builtin, builtin, generated, generated, garbage, missing)


# --- command lines -------------------------------------------------------------------------------

def common():
    return st.lists(st.one_of(
        st.tuples(st.just("--set"), st.tuples(st.sampled_from(KEYS), text_value()).map(
            lambda kv: f"{kv[0]}={kv[1]}")),
        st.tuples(st.just("--max-memory"), st.sampled_from(["1M", "4G", "0", "x", "1e400"])),
        st.just(("--yes",)), st.just(("--json",)), st.just(("--force",)),
        st.tuples(st.just("--out"), st.sampled_from(["", "out", "out/sub", "file.txt"]))),
        max_size=3)


OPTIONS = {
    "tournament": lambda: st.lists(st.one_of(
        st.tuples(st.just("--players"), st.lists(st.sampled_from(NAMES), min_size=1,
                                                 max_size=4)),
        st.tuples(st.just("--turns"), small_int()),
        st.tuples(st.just("--continuation"), small_float()),
        st.tuples(st.just("--noise"), small_float()),
        st.tuples(st.just("--repetitions"), small_int()),
        st.tuples(st.just("--seed"), small_int()),
        st.just(("--exact",)), st.just(("--simulate",)), st.just(("--quiet",)),
        st.tuples(st.just("--payoffs"), st.sampled_from(["utility", "material", "x"]))),
        max_size=5),
    "evolve": lambda: st.lists(st.one_of(
        st.tuples(st.just("--dynamics"), st.sampled_from(["replicator", "moran",
                                                          "generational", "x"])),
        st.tuples(st.just("--players"), st.lists(st.sampled_from(NAMES[:6]), min_size=1,
                                                 max_size=4)),
        st.tuples(st.just("--population"), small_int()),
        st.tuples(st.just("--intensity"), small_float()),
        st.tuples(st.just("--fitness"), st.sampled_from(["linear", "exponential"])),
        st.tuples(st.just("--mutation"), small_float()),
        st.tuples(st.just("--runs"), small_int()),
        st.tuples(st.just("--generations"), small_int()),
        st.tuples(st.just("--replace"), small_int()),
        st.tuples(st.just("--seed"), small_int())), max_size=5),
    "folk": lambda: st.lists(st.one_of(
        st.tuples(st.just("--discount"), st.lists(small_float(), min_size=1, max_size=3)),
        st.tuples(st.just("--weights"), st.lists(small_float(), min_size=1, max_size=2)),
        st.tuples(st.just("--payoffs"), st.sampled_from(["utility", "material"])),
        st.tuples(st.just("--bounds"), st.sampled_from(["2", "8", "5000", "x"]))), max_size=3),
    "sweep": lambda: st.lists(st.one_of(
        st.tuples(st.just("--axis"), st.tuples(st.sampled_from(KEYS), axis_spec()).map(
            lambda kv: f"{kv[0]}={kv[1]}")),
        st.tuples(st.just("--measure"), measure_text()),
        st.tuples(st.just("--seed"), small_int()),
        st.tuples(st.just("--chunk-size"), small_int()),
        st.tuples(st.just("--executor"), st.sampled_from(["inprocess", "gpu"])),
        st.just(("--resume",)), st.just(("--no-plot",)), st.just(("--quiet",))), max_size=5),
    "run": lambda: st.just([]),
    "validate": lambda: st.just([]),
    "list": lambda: st.just([]),
    "plot": lambda: st.lists(st.one_of(
        st.tuples(st.just("--measure"), st.sampled_from(MEASURES)),
        st.tuples(st.just("--format"), st.sampled_from(["png", "svg", "jpg"]))), max_size=2),
}


@st.composite
def case(draw):
    """One generated case: ``{"argv": [...], "files": {name: text}}`` (``{dir}`` in argv is
    the case's own folder)."""
    command = draw(st.sampled_from(sorted(OPTIONS)))
    argv, files = [command], {}
    if command in ("plot",):
        argv.append(draw(st.sampled_from(["{dir}", "{dir}/none", "{dir}/s.toml"])))
        files["s.toml"] = "x = 1\n"
    elif command != "list":
        source = draw(scenario_arg())
        if isinstance(source, tuple):
            files["s.toml"] = source[1]
            argv.append("{dir}/s.toml")
        else:
            argv.append(source)
    for option in draw(OPTIONS[command]()):
        argv.append(option[0])
        for value in option[1:]:
            argv += value if isinstance(value, list) else [value]
    if command not in ("validate", "list"):
        for option in draw(common()):
            argv += list(option)
        if command == "sweep" and "--axis" not in argv and draw(st.booleans()):
            argv += ["--axis", "repeated.discount=0:0.9:3"]
    return {"argv": argv, "files": files}


# --- the worker ----------------------------------------------------------------------------------

def run_case(c: dict, folder: Path) -> dict:
    """Run one case in this process, in ``folder``: its exit code and traceback (if any)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sim.cli import main

    for name, text in c["files"].items():
        (folder / name).write_text(text, encoding="utf-8", errors="surrogatepass")
    argv = [a.replace("{dir}", str(folder)) for a in c["argv"]]
    traceback_text = None
    os.chdir(folder)
    try:
        try:
            code = main(argv)
        except SystemExit as exc:                 # --help, --version
            code = exc.code if isinstance(exc.code, int) else 0
    except BaseException:                         # noqa: BLE001 - a traceback is the finding
        import traceback

        code, traceback_text = None, traceback.format_exc()
    finally:
        plt.close("all")
    return {"argv": argv, "code": code, "traceback": traceback_text}


def _sketch_figures() -> None:
    """Save figures without rendering them (see the module docstring)."""
    from sim import outputs
    from sim.plots.text import fit_figure

    def save_figure(fig, *paths):
        fit_figure(fig)
        for path in paths:
            Path(path).write_bytes(b"")

    outputs.save_figure = save_figure


def _child(c: dict, folder: Path, render: bool, pipe: int) -> None:
    """The forked child of one case: limits, output to files, the case, its result."""
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS + 5))
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))
    for fd, name in ((1, "stdout"), (2, "stderr")):
        out = os.open(folder / f".{name}", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(out, fd)
        os.close(out)
    if not render:
        _sketch_figures()
    result = run_case(c, folder)
    sys.stdout.flush()
    sys.stderr.flush()
    os.write(pipe, json.dumps(result).encode())
    os._exit(0)


def _wait(pid: int, pipe: int) -> tuple[bytes, int | None, float]:
    """The child's result bytes, its wait status (``None``: killed at the wall-clock cap)
    and its CPU seconds."""
    import select

    chunks, deadline = [], time.monotonic() + WALL_SECONDS
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([pipe], [], [], left)[0]:
            os.kill(pid, 9)
            _, _, usage = os.wait4(pid, 0)
            return b"".join(chunks), None, usage.ru_utime + usage.ru_stime
        chunk = os.read(pipe, 1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
    _, status, usage = os.wait4(pid, 0)
    return b"".join(chunks), status, usage.ru_utime + usage.ru_stime


def run_forked(c: dict, root: Path, index: int, render: bool) -> dict:
    """Run one case in a forked child under the limits; the outcome as a dict."""
    import shutil
    import signal

    folder = root / f"case{index}"
    folder.mkdir()
    read, write = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:                                  # the child never returns
        try:
            os.close(read)
            _child(c, folder, render, write)
        finally:
            os._exit(70)
    os.close(write)
    try:
        data, status, cpu = _wait(pid, read)
    finally:
        os.close(read)
    seconds = time.perf_counter() - start
    err = (folder / ".stderr").read_text(errors="replace") if (folder / ".stderr").exists() \
        else ""
    try:
        result = json.loads(data)
    except ValueError:
        result = {"argv": c["argv"], "code": None, "traceback": None}
    result.update(index=index, stderr=err[-3000:], seconds=seconds, cpu=cpu)
    if status is None:
        result["killed"] = f"over {WALL_SECONDS:.0f} s wall-clock"
    elif os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        result["killed"] = (f"over {CPU_SECONDS} s CPU" if sig in (signal.SIGXCPU,
                                                                  signal.SIGKILL)
                            else f"signal {signal.Signals(sig).name}")
    elif not data:
        result["killed"] = f"exit status {os.WEXITSTATUS(status)} without a result"
    shutil.rmtree(folder, ignore_errors=True)
    return result


def worker() -> None:
    """Read cases (one JSON line each: ``{"index", "case", "render"}``) from stdin and write
    one result line each to stdout, every case in a forked child."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot  # noqa: F401  - imported once, inherited by every child

    import sim.cli  # noqa: F401

    with tempfile.TemporaryDirectory() as tmp:
        for line in sys.stdin:
            job = json.loads(line)
            result = run_forked(job["case"], Path(tmp), job["index"], job["render"])
            print(json.dumps(result), flush=True)


def problems(result: dict) -> list[str]:
    """What is wrong with one case's outcome (empty: nothing)."""
    if result.get("killed"):
        return [f"hang ({result['killed']})" if "over" in result["killed"]
                else f"crash ({result['killed']})"]
    found = []
    err = result["stderr"]
    lines = [ln for ln in err.splitlines() if ln.strip()]
    if result["traceback"] or "Traceback" in err:
        found.append("traceback")
    elif result["code"] not in (0, 1, 2):
        found.append(f"exit code {result['code']}")
    elif result["code"] == 2 and (len(lines) != 1 or not lines[0].startswith("blocsim: error:")):
        found.append("multi-line error")
    elif result["code"] == 1 and not (len(lines) == 1 and "sweep failed" in lines[0]):
        found.append("exit code 1 without a one-line sweep failure")
    elif result["code"] == 0 and any("Warning" in ln for ln in lines):
        found.append("a warning on stderr")
    return found


class Pool:
    """``workers`` worker processes (:func:`worker`), each fed by a thread of its own."""

    def __init__(self, workers: int):
        self.env = {**os.environ, **THREADS, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"}
        self.workers = workers

    def _start(self):
        return subprocess.Popen([sys.executable, __file__, "--worker"], env=self.env,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                bufsize=1)

    def run(self, cases: list[dict], done) -> None:
        """Run ``cases``; ``done(index, result)`` is called (under a lock) for each."""
        import queue
        import threading

        jobs: queue.Queue = queue.Queue()
        for i, c in enumerate(cases):
            jobs.put(i)
        lock = threading.Lock()

        def feed():
            proc = self._start()
            try:
                while True:
                    try:
                        i = jobs.get_nowait()
                    except queue.Empty:
                        return
                    proc.stdin.write(json.dumps({"index": i, "case": cases[i],
                                                 "render": i % RENDER_EVERY == 0}) + "\n")
                    line = proc.stdout.readline()
                    if not line:                  # the worker itself died: report, restart
                        result = {"index": i, "argv": cases[i]["argv"], "code": None,
                                  "traceback": None, "stderr": "", "seconds": math.inf,
                                  "cpu": math.inf, "killed": "worker died"}
                        proc.kill()
                        proc = self._start()
                    else:
                        result = json.loads(line)
                    result["problems"] = problems(result)
                    with lock:
                        done(i, result)
            finally:
                proc.stdin.close()
                proc.wait()

        threads = [threading.Thread(target=feed, daemon=True) for _ in range(self.workers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()


def generate(cases: int, derandomize: bool = False) -> list[dict]:
    """``cases`` generated cases (hypothesis draws them; they run afterwards, in parallel)."""
    out: list[dict] = []

    @settings(max_examples=cases, deadline=None, derandomize=derandomize,
              suppress_health_check=list(HealthCheck), database=None)
    @given(case())
    def collect(c):
        out.append(c)

    collect()
    return out[:cases]


def run(cases: int, derandomize: bool = False, report: str | None = None,
        workers: int | None = None) -> tuple[Counter, list[dict]]:
    """Generate and run ``cases`` cases: counts of outcomes and problems, and the failed
    cases. With ``report``, both so far are written there as JSON every 50 cases."""
    workers = workers or int(os.environ.get("BLOCSIM_FUZZ_WORKERS", os.cpu_count() or 1))
    counts: Counter = Counter()
    failures: list[dict] = []
    generated = generate(cases, derandomize)

    def done(i, r):
        counts["cases"] += 1
        counts[f"exit {r['code']}"] += 1
        counts["cpu seconds"] += round(r["cpu"], 2) if math.isfinite(r["cpu"]) else 0
        for p in r["problems"]:
            counts[p] += 1
            if " (" in p:                         # "hang (over 90 s CPU)": also "hang"
                counts[p.split(" (")[0]] += 1
        if r["problems"]:
            failures.append(r)
        if report and (counts["cases"] % 50 == 0 or counts["cases"] == len(generated)):
            Path(report).write_text(json.dumps({"counts": counts, "failures": failures},
                                               indent=1, default=str))

    Pool(workers).run(generated, done)
    return counts, failures


def fuzz(cases: int, derandomize: bool = False, report: str | None = None,
         workers: int | None = None) -> Counter:
    """:func:`run`, raising AssertionError with the failing command lines when any case has
    a problem; the counts."""
    counts, failures = run(cases, derandomize, report, workers)
    if failures:
        raise AssertionError(f"{len(failures)} of {counts['cases']} cases failed:\n"
                             f"{shown(failures)}")
    return counts


def shown(failures: list[dict], most: int = 5) -> str:
    return "\n".join(f"{f['problems']}: blocsim {' '.join(map(repr, f['argv']))}\n"
                     f"{(f['traceback'] or f['stderr'])[-1500:]}" for f in failures[:most])


if __name__ == "__main__":
    if sys.argv[1:2] == ["--worker"]:
        worker()
    else:
        total = int(os.environ.get("BLOCSIM_FUZZ_CASES", "10000"))
        t0 = time.perf_counter()
        result, failed = run(total, report=os.environ.get("BLOCSIM_FUZZ_REPORT"))
        print(json.dumps(dict(result), indent=1))
        if failed:
            print(shown(failed, 20))
        print(f"fuzz: {result['cases']} cases in {time.perf_counter() - t0:.0f} s "
              f"({result['cpu seconds'] / max(result['cases'], 1):.2f} s CPU each), "
              f"{result['traceback']} tracebacks, {result['hang']} hangs, "
              f"{result['multi-line error']} multi-line errors, "
              f"{len(failed)} failed cases in all")
        sys.exit(1 if failed else 0)
