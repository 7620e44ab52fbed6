"""A result directory under faults, with real processes: two sweeps started in the same
instant, a resume or a forced restart beside a live sweep, ``kill -9`` (stale lock, orphan
processes), and file modes."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import psutil
import pyarrow.parquet as pq

from sim.cli import main
from sim.sweep.run import run_sweep

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
ANALYTIC = ["--axis", "preferences.relative_gain_weight.NATO=0:1:100",
            "--axis", "repeated.discount=0:0.99:100", "--measure", "regime",
            "--measure", "blocked_by_relative_gains", "--no-plot", "--quiet"]

RACER = """
import json, sys, time, io, contextlib
from sim.cli import main
base, rounds, t0, period = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
args = json.loads(sys.argv[5])
out = []
for r in range(rounds):
    time.sleep(max(0.0, t0 + r * period - time.time()))     # every racer starts together
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["sweep", *args, "--out", f"{base}/{r}"])
    out.append([code, err.getvalue()])
print(json.dumps(out))
"""


def _table(path):
    return pq.read_table(Path(path) / "results.parquet")


def test_sweeps_started_in_the_same_instant_one_wins(tmp_path):
    rounds, racers = 4, 3
    t0 = time.time() + 4.0                    # after every racer has imported blocsim
    procs = [subprocess.Popen([sys.executable, "-c", RACER, str(tmp_path), str(rounds),
                               str(t0), "0.5", json.dumps(ANALYTIC)], cwd=ROOT, env=ENV,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(racers)]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        results.append(json.loads(out))
    reference = _table(run_sweep("nato_csto_2007", [a for a in ANALYTIC[1:8:2]][:2],
                                 ["regime", "blocked_by_relative_gains"], out=tmp_path / "ref",
                                 progress=False).path)
    for r in range(rounds):
        codes = sorted(res[r][0] for res in results)
        assert codes == [0] + [2] * (racers - 1), (r, [res[r] for res in results])
        for code, err in (res[r] for res in results):
            if code == 2:                         # one line, naming the reason
                assert err.count("\n") == 1 and err.startswith("blocsim: error: --out ")
                assert "another sweep is writing here" in err or "holds a sweep" in err
        assert _table(tmp_path / str(r)).equals(reference)


def _slow_sweep(out, *extra, seed="9"):
    return [sys.executable, "-m", "sim.cli", "sweep", "--axis", "repeated.discount=0:0.95:60",
            "--measure", "regime", "--measure",
            "simulated_cooperation:noise=0.05,repetitions=100000", "--executor", "processes",
            "--workers", "2", "--chunk-size", "1", "--seed", seed, "--no-plot", "--quiet",
            "--out", str(out), *extra]


def _started(proc, out):
    deadline = time.monotonic() + 60
    while not any((out / "chunks").glob("chunk-*.parquet")):
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline
        time.sleep(0.01)


def _cli(capsys, args):
    code = main(args[3:])                      # in this process: the same command line
    return code, capsys.readouterr().err


def test_live_sweep_refuses_others_and_kill_9_leaves_nothing_behind(tmp_path, capsys):
    out = tmp_path / "live"
    proc = subprocess.Popen(_slow_sweep(out), cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    try:
        _started(proc, out)
        proc.send_signal(signal.SIGSTOP)       # live, holding its lock, but it cannot finish
        for extra, seed in (((), "9"), (("--resume",), "9"), (("--force",), "4"),
                            (("--resume",), "4")):
            code, err = _cli(capsys, _slow_sweep(out, *extra, seed=seed))
            assert code == 2 and err.count("\n") == 1, err
            assert "another sweep is writing here (pid" in err, err
        manifest = json.loads((out / "manifest.json").read_text())
        assert manifest["spec"]["seed"] == 9                     # nothing of seed 4 written
        family = psutil.Process(proc.pid).children(recursive=True)
        assert len(family) >= 2                                  # pool workers and helpers
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stderr.close()
    gone, alive = psutil.wait_procs(family, timeout=5)
    assert not alive, [p.cmdline() for p in alive]               # no orphan process
    assert not (out / "results.parquet").exists()
    assert f"pid {proc.pid}" in (out / ".lock").read_text()      # the dead sweep's lock
    code, err = _cli(capsys, _slow_sweep(out, "--resume", seed="4"))
    assert code == 2 and "holds a different sweep (seed: stored 9, given 4)" in err, err
    code, err = _cli(capsys, _slow_sweep(out, "--resume"))        # takes over the stale lock
    assert code == 0, err
    reference = run_sweep("nato_csto_2007", ["repeated.discount=0:0.95:60"],
                          ["regime", "simulated_cooperation:noise=0.05,repetitions=100000"],
                          out=tmp_path / "whole", seed=9, executor="inprocess", progress=False)
    assert _table(out).equals(_table(reference.path))
    code, err = _cli(capsys, _slow_sweep(out, "--resume", seed="4"))
    assert code == 2 and "different sweep" in err                 # finished: not replaced
    assert _table(out).equals(_table(reference.path))


def test_every_output_has_the_umask_mode(tmp_path):
    umask = 0o027                   # neither 0600 (mkstemp) nor 0644 (the usual default)
    out = tmp_path / "m"
    code = subprocess.run([sys.executable, "-c", f"import os, sys; os.umask({umask}); "
                           "from sim.cli import main; sys.exit(main(sys.argv[1:]))", "sweep",
                           "--axis", "repeated.discount=0:0.9:5", "--out", str(out),
                           "--quiet"], cwd=ROOT, env=ENV, capture_output=True, text=True)
    assert code.returncode == 0, code.stderr
    files = [p for p in out.rglob("*") if p.is_file()]
    assert {p.suffix for p in files} >= {".json", ".parquet", ".png"}
    modes = {p.relative_to(out).as_posix(): oct(p.stat().st_mode & 0o777) for p in files}
    assert set(modes.values()) == {oct(0o666 & ~umask)}, modes


def _flips(data: bytes, offsets=None):
    for offset in range(len(data)) if offsets is None else offsets:
        yield offset, data[:offset] + bytes([data[offset] ^ 0x01]) + data[offset + 1:]


def test_a_flipped_byte_anywhere_in_a_chunk_is_named_and_recomputed(tmp_path, capsys):
    from sim import scenario
    from sim.sweep.axes import parse_axis
    from sim.sweep.measures import parse_measure
    from sim.sweep.plan import build_plan
    from sim.sweep.store import CHUNKS, ResultDir

    plan = build_plan(scenario.load("nato_csto_2007"), [parse_axis("repeated.discount=0:0.9:4")],
                      [parse_measure(m) for m in ("simulated_cooperation:repetitions=20",
                                                  "tournament_winner")], seed=1, chunk_size=2)
    store = ResultDir(tmp_path / "c")
    store.open(plan)
    store.write_chunk(plan, 1, plan.evaluate(1))
    chunk = tmp_path / "c" / CHUNKS / "chunk-000001.parquet"
    good = chunk.read_bytes()
    capsys.readouterr()
    silent = []
    for offset, bad in _flips(good):
        chunk.write_bytes(bad)
        done = store.open(plan, resume=True)          # never a traceback, never accepted
        err = capsys.readouterr().err
        if done != [] or chunk.exists() or "chunk-000001.parquet: damaged" not in err:
            silent.append(offset)
        chunk.write_bytes(good)
    assert not silent and len(good) > 500
    assert store.open(plan, resume=True) == [1]       # the intact chunk is kept


def test_a_flipped_byte_in_the_results_is_never_read_as_a_result(tmp_path, capsys):
    from sim.sweep.axes import SweepError
    from sim.sweep.store import load

    out = tmp_path / "r"
    run_sweep("nato_csto_2007", ["repeated.discount=0:0.9:3"], ["regime", "threshold_grim"],
              out=out, progress=False)
    meta, columns = load(out)
    rng = np.random.default_rng(0)
    for name in ("results.parquet", "sweep.json"):
        f = out / name
        good = f.read_bytes()
        offsets = sorted(set(range(64)) | set(rng.integers(0, len(good), 300).tolist()))
        changed = []
        for offset, bad in _flips(good, offsets):
            f.write_bytes(bad)
            try:
                m, c = load(out)
            except SweepError:
                continue
            if m != meta or any(not np.array_equal(c[k], columns[k], equal_nan=True)
                                for k in columns):
                changed.append(offset)
        f.write_bytes(good)
        assert not changed, name
    f = out / "results.parquet"
    f.write_bytes(f.read_bytes()[:30] + b"\x00" + f.read_bytes()[31:])
    assert main(["plot", str(out), "--force"]) == 2
    assert "results.parquet: damaged" in capsys.readouterr().err
    code = main(["sweep", "--axis", "repeated.discount=0:0.9:3", "--measure", "regime",
                 "--measure", "threshold_grim", "--out", str(out), "--resume", "--quiet",
                 "--no-plot"])
    assert code == 0 and "results.parquet: damaged" in capsys.readouterr().err
    m, c = load(out)
    assert all(np.array_equal(c[k], columns[k], equal_nan=True) for k in columns)


def test_a_damaged_table_keeps_its_intact_chunks_and_recomputes_only_the_others(tmp_path,
                                                                                 capsys):
    """``--resume`` of a sweep whose ``results.parquet`` is damaged keeps each row group
    whose measure values match the chunk digest in the manifest and recomputes the rest:
    a flipped byte inside one chunk's data costs that chunk only, and a flip anywhere else
    (footer, other pages) never leaves a changed value in the finished table."""
    from sim.sweep.store import load

    axes, measures = ["repeated.discount=0:0.9:12"], ["regime", "threshold_grim",
                                                      "blocked_by_relative_gains"]
    out = tmp_path / "r"
    run_sweep("nato_csto_2007", axes, measures, out=out, chunk_size=3, progress=False)
    meta, columns = load(out)
    f = out / "results.parquet"
    good = f.read_bytes()
    group = pq.ParquetFile(f).metadata.row_group(2)
    inside = group.column(group.num_columns - 1).data_page_offset + 8   # chunk 2's values

    def resume(data):
        f.write_bytes(data)
        run_sweep("nato_csto_2007", axes, measures, out=out, resume=True, progress=False)
        m, c = load(out)
        assert all(np.array_equal(c[k], columns[k], equal_nan=True) for k in columns)
        return m["timing"], capsys.readouterr().err

    timing, err = resume(_flips(good, [inside]).__next__()[1])
    assert "results.parquet: damaged" in err and "kept 3 intact chunks, computing the other " \
        "1 of its 4 chunks again" in err, err
    assert (timing["chunks_computed"], timing["chunks_reused"]) == (1, 3)
    rng = np.random.default_rng(1)
    offsets = sorted(set(rng.integers(0, len(good), 40).tolist()) | {len(good) - 20})
    reused = []
    for offset, bad in _flips(f.read_bytes(), offsets):
        timing, _ = resume(bad)
        reused.append(timing["chunks_reused"])
    assert 0 in reused, reused                       # a footer flip costs the whole table
