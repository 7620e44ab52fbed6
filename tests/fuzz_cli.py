"""A fuzz harness for every ``blocsim`` subcommand: hypothesis generates command lines
(options with edge values) and scenario files; batches of cases run in a worker process under
an address-space cap and a time limit, each case in-process through :func:`sim.cli.main`.

A case fails when it prints a traceback (an exception escapes ``main``), exits with a code
other than 0 or 2 (1 only for ``sweep failed``), prints an error of more than one line, or
exceeds its time budget (:data:`CASE_SECONDS`; the worker is killed and the case that was
running is reported as a hang). The test (``tests/test_fuzz_cli.py``) runs a small
derandomized share; a release run takes ``BLOCSIM_FUZZ_CASES`` cases::

    BLOCSIM_FUZZ_CASES=10000 PYTHONPATH=. python tests/fuzz_cli.py

Every case builds its figures; rendering and writing them is 80 % of a successful case's
time, so one batch in ``RENDER_EVERY`` renders and writes them, the others only fit their
texts (:func:`sim.plots.text.fit_figure`) and write empty files. (``tests/test_figures.py``
renders every figure of every built-in scenario.)
"""

from __future__ import annotations

import io
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
#: A case may take this long (the commands' default time budget, plus figures and start-up).
CASE_SECONDS = 90.0
#: Address space of a worker process.
MEMORY_CAP = 3 << 30
BATCH = 25
RENDER_EVERY = 10

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

def run_case(c: dict, root: Path, index: int) -> dict:
    """Run one case in this process; the outcome as a dict."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sim.cli import main

    folder = root / f"case{index}"
    folder.mkdir()
    for name, text in c["files"].items():
        (folder / name).write_text(text, encoding="utf-8", errors="surrogatepass")
    argv = [a.replace("{dir}", str(folder)) for a in c["argv"]]
    out, err = io.StringIO(), io.StringIO()
    start, traceback_text = time.perf_counter(), None
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exc:             # --help, --version
                code = exc.code if isinstance(exc.code, int) else 0
    except BaseException:                         # noqa: BLE001 - a traceback is the finding
        import traceback

        code, traceback_text = None, traceback.format_exc()
    finally:
        os.chdir(cwd)
        plt.close("all")
    return {"index": index, "argv": argv, "code": code, "stderr": err.getvalue()[-3000:],
            "seconds": time.perf_counter() - start, "traceback": traceback_text}


def _sketch_figures() -> None:
    """Save figures without rendering them (see the module docstring)."""
    from sim import outputs
    from sim.plots.text import fit_figure

    def save_figure(fig, *paths):
        fit_figure(fig)
        for path in paths:
            Path(path).write_bytes(b"")

    outputs.save_figure = save_figure


def worker(cases_file: str, render: bool = True) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))
    if not render:
        _sketch_figures()
    cases = json.loads(Path(cases_file).read_text())
    with tempfile.TemporaryDirectory() as tmp:
        for i, c in enumerate(cases):
            print(json.dumps({"start": i}), flush=True)
            print(json.dumps(run_case(c, Path(tmp), i)), flush=True)


def problems(result: dict) -> list[str]:
    """What is wrong with one case's outcome (empty: nothing)."""
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
    if result["seconds"] > CASE_SECONDS:
        found.append("over time")
    return found


def run_batch(cases: list[dict], render: bool = True) -> list[dict]:
    """Run cases in one worker process under the caps; one result (with ``problems``) each."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(cases, f)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"}
    proc = subprocess.Popen([sys.executable, __file__, "--worker", f.name, str(int(render))],
                            env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    results, started = {}, None
    deadline = time.monotonic() + 30 + CASE_SECONDS * 1.5 * len(cases)
    try:
        out, err = proc.communicate(timeout=max(1.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    finally:
        os.unlink(f.name)
    for line in out.splitlines():
        try:
            item = json.loads(line)
        except ValueError:
            continue
        if "start" in item:
            started = item["start"]
        else:
            results[item["index"]] = item
    for i, c in enumerate(cases):
        if i not in results:
            reason = "hang (worker killed)" if i == started else "not run (worker died)" \
                if started is not None and i > started else f"worker died: {err[-500:]}"
            results[i] = {"index": i, "argv": c["argv"], "code": None, "stderr": err[-2000:],
                          "seconds": math.inf, "traceback": None, "problems": [reason]}
        else:
            results[i]["problems"] = problems(results[i])
    return [results[i] for i in range(len(cases))]


def fuzz(cases: int, batch: int = BATCH, derandomize: bool = False,
         report: str | None = None) -> Counter:
    """Generate and run ``cases`` cases in batches; counts of outcomes and problems (raises
    AssertionError, with the failing command lines, when any case has a problem). With
    ``report``, the counts so far and the failures are written there as JSON after each
    batch."""
    counts: Counter = Counter()
    failures: list[dict] = []

    @settings(max_examples=max(1, cases // batch), deadline=None, derandomize=derandomize,
              suppress_health_check=list(HealthCheck), database=None)
    @given(st.lists(case(), min_size=batch, max_size=batch))
    def one_batch(generated):
        counts["batches"] += 1
        for r in run_batch(generated, render=counts["batches"] % RENDER_EVERY == 0):
            counts["cases"] += 1
            counts[f"exit {r['code']}"] += 1
            for p in r["problems"]:
                counts[p] += 1
            if r["problems"]:
                failures.append(r)
        if report:
            Path(report).write_text(json.dumps({"counts": counts, "failures": failures},
                                               indent=1, default=str))

    one_batch()
    if failures:
        shown = "\n".join(f"{f['problems']}: blocsim {' '.join(map(repr, f['argv']))}\n"
                          f"{(f['traceback'] or f['stderr'])[-1500:]}" for f in failures[:5])
        raise AssertionError(f"{len(failures)} of {counts['cases']} cases failed:\n{shown}")
    return counts


if __name__ == "__main__":
    if sys.argv[1:2] == ["--worker"]:
        worker(sys.argv[2], sys.argv[3:4] != ["0"])
    else:
        total = int(os.environ.get("BLOCSIM_FUZZ_CASES", "10000"))
        t0 = time.perf_counter()
        result = fuzz(total, batch=50, report=os.environ.get("BLOCSIM_FUZZ_REPORT"))
        print(json.dumps(dict(result), indent=1))
        print(f"fuzz: {result['cases']} cases in {time.perf_counter() - t0:.0f} s, "
              f"{result['traceback']} tracebacks, {result['hang (worker killed)']} hangs, "
              f"{result['multi-line error']} multi-line errors")
