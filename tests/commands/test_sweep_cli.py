"""``blocsim sweep`` / ``blocsim plot``: executors agree, kill -9 and resume, one-line errors."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from sim.cli import main
from sim.sweep.run import run_sweep

ROOT = Path(__file__).resolve().parents[2]
SIM_AXES = ["preferences.relative_gain_weight.NATO=0:0.3:4", "repeated.discount=0.2:0.95:5"]
SIM_MEASURES = ["regime", "simulated_cooperation:noise=0.05,repetitions=200",
                "tournament_winner:noise=0.02", "tournament_cooperation:method=simulate",
                "evolved_cooperation:time=100", "fixation_probability"]


def _table(path):
    return pq.read_table(Path(path) / "results.parquet")


def test_executors_give_identical_tables(tmp_path):
    runs = {}
    for executor in ("inprocess", "processes", "dask"):
        runs[executor] = run_sweep("nato_csto_2007", SIM_AXES, SIM_MEASURES,
                                   out=tmp_path / executor, seed=5, executor=executor,
                                   workers=2, chunk_size=3, progress=False)
    tables = {k: _table(r.path) for k, r in runs.items()}
    assert tables["inprocess"].num_rows == 20
    assert tables["processes"].equals(tables["inprocess"])
    assert tables["dask"].equals(tables["inprocess"])
    assert runs["dask"].metadata["provenance"]["distributed"]
    cols = runs["inprocess"].load()[1]
    assert len(np.unique(cols["simulated_cooperation"])) > 5       # genuinely varies
    assert len(np.unique(cols["tournament_winner"])) > 1
    assert len(np.unique(cols["evolved_cooperation"].round(6))) > 1


def _cli(*args, capsys=None):
    code = main(list(args))
    err = capsys.readouterr().err if capsys else ""
    return code, err


@pytest.mark.parametrize("args, words", [
    (["--axis", "repeated.discont=0:0.9:5"], "unknown key 'repeated.discont' (did you mean "
                                             "'repeated.discount'?)"),
    (["--axis", "repeated.discount=0:0.9:0"], "empty range"),
    (["--axis", "repeated.discount=abc"], "'abc' is not a number"),
    (["--axis", "repeated.discount=0:1:5"], "repeated.discount = 1.0"),
    (["--axis", "preferences.actors.NATO=2:3:3"], "whole number"),
    (["--axis", "repeated.discount"], "expected KEY=SPEC"),
    (["--axis", "repeated.discount=0:0.9:3", "--measure", "regim"], "did you mean 'regime'"),
    (["--axis", "repeated.discount=0:0.9:3", "--measure", "simulated_cooperation:noise=x"],
     "noise = 'x' is not a number"),
    (["--axis", "repeated.discount=0:0.9:3", "--measure", "simulated_cooperation:repetitions=0"],
     "whole number >= 1"),
    (["--axis", "repeated.discount=0:0.9:3", "--measure", "regime:noise=1"], "unknown option"),
    (["--axis", "repeated.discount=0:0.9:3", "--workers", "0"], "whole number >= 1"),
    (["--axis", "repeated.discount=0:0.9:3", "--seed", "x"], "not a whole number"),
    (["--axis", "a=1,2", "--axis", "b=1,2", "--axis", "c=1,2", "--axis", "d=1,2"], "4 axes"),
    (["--axis", "repeated.discount=0:0.9:3", "--axis", "repeated.discount=0.1,0.2"],
     "on two axes"),
    (["--axis", "repeated.discount=0:0.9:3", "--scheduler", "tcp://127.0.0.1:1"],
     "only with --executor dask"),
    ([], "no axis"),
])
def test_bad_input_is_one_line_exit_2(tmp_path, capsys, args, words):
    code, err = _cli("sweep", *args, "--out", str(tmp_path / "o"), "--quiet", capsys=capsys)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("blocsim: error: ")
    assert words in err


def test_sweep_section_plot_and_no_overwrite(tmp_path, capsys):
    toml = tmp_path / "s.toml"
    toml.write_text('[scenario]\nextends = "nato_csto_2007"\nname = "s"\n[sweep]\n'
                    'axes = [{ key = "parameters.threat", values = "log:0.5:8:9" },\n'
                    '        { key = ["preferences.relative_gain_weight.NATO",\n'
                    '                 "preferences.relative_gain_weight.CSTO"], '
                    'values = [0.0, 0.5, 1.0] }]\n'
                    'measures = ["regime", "blocked_by_relative_gains", "critical_weight"]\n')
    out = tmp_path / "out"
    code, _ = _cli("sweep", str(toml), "--out", str(out), "--quiet", capsys=capsys)
    assert code == 0
    assert (out / "figures" / "regime.png").exists()
    assert (out / "figures" / "critical_weight.png").exists()
    assert _table(out).column_names == ["parameters.threat", "preferences.relative_gain_weight."
                                        "NATO+preferences.relative_gain_weight.CSTO", "regime",
                                        "blocked_by_relative_gains", "critical_weight"]
    code, err = _cli("sweep", str(toml), "--out", str(out), capsys=capsys)
    assert code == 2 and "--force" in err
    code, err = _cli("plot", str(out), capsys=capsys)
    assert code == 2 and "regime.png" in err and "already exists" in err
    code, _ = _cli("plot", str(out), "--format", "svg", "--measure", "regime", capsys=capsys)
    assert code == 0 and (out / "figures" / "regime.svg").exists()
    code, err = _cli("plot", str(tmp_path), capsys=capsys)
    assert code == 2 and "no finished sweep" in err
    toml.write_text(toml.read_text().replace('"log:0.5:8:9"', '"log:0.5:8:9"', 1)
                    .replace("[sweep]\n", "[sweep]\nseed = -1\n"))
    code, err = _cli("sweep", str(toml), "--out", str(tmp_path / "x"), capsys=capsys)
    assert code == 2 and "sweep.seed = -1" in err


def test_one_and_three_axis_figures(tmp_path, capsys):
    code, _ = _cli("sweep", "--axis", "parameters.threat=0.5:6:40", "--measure", "regime",
                   "--measure", "blocked_by_relative_gains", "--measure", "threshold_grim",
                   "--out", str(tmp_path / "one"), "--quiet", capsys=capsys)
    assert code == 0 and (tmp_path / "one" / "figures" / "threshold_grim.png").exists()
    code, _ = _cli("sweep", "--axis", "parameters.threat=0.5:6:12", "--axis",
                   "preferences.relative_gain_weight.NATO=0:1:10", "--axis",
                   "repeated.discount=0.5,0.9,0.99", "--measure", "regime", "--measure",
                   "threshold_wsls", "--out", str(tmp_path / "three"), "--quiet", capsys=capsys)
    assert code == 0 and (tmp_path / "three" / "figures" / "threshold_wsls.png").exists()


def _sweep_command(out, *extra):
    return [sys.executable, "-m", "sim.cli", "sweep", "--axis", "repeated.discount=0:0.95:30",
            "--measure", "regime", "--measure",
            "simulated_cooperation:noise=0.05,repetitions=200000", "--executor", "inprocess",
            "--chunk-size", "1", "--seed", "9", "--no-plot", "--quiet", "--out", str(out),
            *extra]


def test_kill_9_and_resume_gives_the_identical_table(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = tmp_path / "killed"
    proc = subprocess.Popen(_sweep_command(out), cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    chunks = out / "chunks"
    deadline = time.monotonic() + 60
    while not (chunks.is_dir() and any(chunks.glob("chunk-*.parquet"))):
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    assert not (out / "results.parquet").exists()            # killed before the end
    before = {p.name: p.stat().st_mtime_ns for p in chunks.glob("chunk-*.parquet")}
    assert 1 <= len(before) < 30
    done = subprocess.run(_sweep_command(out, "--resume"), cwd=ROOT, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "chunks reused" in done.stdout
    reference = run_sweep("nato_csto_2007", ["repeated.discount=0:0.95:30"],
                          ["regime", "simulated_cooperation:noise=0.05,repetitions=200000"],
                          out=tmp_path / "whole", seed=9, executor="inprocess", progress=False)
    assert _table(out).equals(_table(reference.path))
    import json

    timing = json.loads((out / "sweep.json").read_text())["timing"]
    assert timing["chunks_reused"] >= len(before)
    assert timing["chunks_reused"] + timing["chunks_computed"] == 30


def test_sweep_json_prints_the_metadata(tmp_path, capsys):
    import json

    from sim.cli import main

    assert main(["sweep", "prisoners_dilemma", "--axis", "repeated.discount=0:0.9:4",
                 "--out", str(tmp_path / "s"), "--no-plot", "--json"]) == 0
    meta = json.loads(capsys.readouterr().out)
    assert meta["sweep"]["shape"] == [4] and "provenance" in meta
