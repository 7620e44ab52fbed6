"""The ``blocsim`` command: run, list, validate; results never silently overwritten; a light,
fast import."""

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim.cli import main
from sim.scenario import builtin_dir, builtin_names

OUTPUTS = ("summary.json", "region_map.png", "region_map.svg")
ROOT = Path(__file__).resolve().parents[2]


def call(argv):
    """``(exit code, stdout, stderr)`` of the CLI entry point, run in this process."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    """One ``blocsim run --json`` of the default scenario: (out dir, exit code, stdout, stderr)."""
    out = tmp_path_factory.mktemp("run") / "results"
    return (out, *call(["run", "--json", "--out", out]))


def snapshot(folder: Path) -> dict:
    return {p.name: (p.stat().st_mtime_ns, p.stat().st_ino, p.read_bytes())
            for p in sorted(folder.iterdir())}


def test_run_writes_the_three_outputs(baseline):
    out, code, _, err = baseline
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUTS)
    assert (out / "region_map.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in (out / "region_map.svg").read_bytes()[:2000]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["scenario"]["name"] == "nato_csto_2007"
    assert summary["provenance"]["outputs"] == [str(out / f) for f in OUTPUTS]


def test_run_json_prints_the_summary(baseline):
    out, code, stdout, err = baseline
    assert code == 0 and err == ""
    summary = json.loads(stdout)
    for key in ("players", "material", "utility", "types", "equilibria", "thresholds",
                "regime", "blocked_by_relative_gains", "provenance"):
        assert key in summary, key
    players = summary["players"]
    assert players == ["NATO", "CSTO"]
    assert set(summary["thresholds"]) == {"grim", "tft", "wsls", "nash", "penal", "spe"}
    for profile in summary["thresholds"].values():
        assert set(profile) == {*players, "both"}
        assert all(v is None or 0 <= v < 1 for v in profile.values())
    assert set(summary["types"]) == set(players)
    assert isinstance(summary["blocked_by_relative_gains"], bool)
    assert summary["provenance"]["scenario"] == "nato_csto_2007"
    assert summary == json.loads((out / "summary.json").read_text(encoding="utf-8"))


def test_second_run_without_force_leaves_results_untouched(baseline):
    out = baseline[0]
    before = snapshot(out)
    code, stdout, err = call(["run", "--out", out])
    assert code == 2 and stdout == ""
    assert err.count("\n") == 1 and "already exists" in err and "--force" in err
    assert snapshot(out) == before


def test_force_overwrites(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for name in OUTPUTS:
        (out / name).write_text("stale results of an earlier run")
    assert call(["run", "chicken", "--out", out])[0] == 2
    before = snapshot(out)
    code, stdout, err = call(["run", "chicken", "--out", out, "--force"])
    assert code == 0, err
    after = snapshot(out)
    assert set(after) == set(OUTPUTS)
    for name in OUTPUTS:
        assert after[name][1] != before[name][1]  # a new file replaced the old one
    assert b"<svg" in (out / "region_map.svg").read_bytes()[:2000]
    assert (out / "region_map.png").read_bytes()[:4] == b"\x89PNG"
    assert json.loads((out / "summary.json").read_text())["scenario"]["name"] == "chicken"
    assert "Chicken" in stdout and "Wrote" in stdout
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary files left


def test_run_copied_file_from_another_cwd_with_default_out(tmp_path, monkeypatch):
    """A copied scenario (which extends a built-in by name) runs from any folder; with no
    --out, results go to results/<scenario name>+<overrides>/ under the current folder."""
    folder = tmp_path / "mine"
    folder.mkdir()
    shutil.copy(builtin_dir() / "common_threat.toml", folder / "threat4.toml")
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    code, stdout, err = call(["run", "../mine/threat4.toml", "--set", "parameters.threat=5"])
    assert code == 0, err
    out = cwd / "results" / "common_threat+parameters.threat=5"
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUTS)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["provenance"]["source"] == "../mine/threat4.toml"
    assert summary["provenance"]["parameters"]["parameters"]["threat"] == 5
    assert "Regime:" in stdout


def test_runs_with_different_overrides_get_different_default_folders(tmp_path, monkeypatch):
    """The README's second example right after the first: no collision, nothing refused."""
    monkeypatch.chdir(tmp_path)
    assert call(["run"])[0] == 0
    code, _, err = call(["run", "--set", "preferences.relative_gain_weight.NATO=0.3"])
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "results").iterdir()) == [
        "nato_csto_2007", "nato_csto_2007+preferences.relative_gain_weight.NATO=0.3"]


def test_list_prints_one_line_per_builtin():
    code, stdout, err = call(["list"])
    assert code == 0 and err == ""
    lines = stdout.splitlines()
    assert [line.split()[0] for line in lines] == builtin_names()
    assert all(len(line.split(maxsplit=1)) == 2 for line in lines)  # each has a title


def test_validate_ok(tmp_path):
    path = tmp_path / "pd.toml"
    shutil.copy(builtin_dir() / "prisoners_dilemma.toml", path)
    code, stdout, err = call(["validate", path])
    assert code == 0 and err == ""
    assert stdout.startswith(f"{path}: valid scenario 'prisoners_dilemma' (Row vs Column)")
    assert "repeated.discount" in stdout


@pytest.mark.parametrize("text, expected", [
    ("[payoffs]\nT = 5\nR = 3\nP = 1\nS = 0\n[repeated]\ndiscount = 1.5\n",
     "repeated.discount = 1.5: out of range; allowed: a number in [0, 1)"),
    ("[payoffs]\nT = 5\nR = 3\nP = 1\n", "payoffs.S: missing"),
    ("[payofs]\nT = 5\n", "payofs = {T = 5}: unknown key (did you mean 'payoffs'?)"),
    ("T = = 5\n", "line 1 = 'T = = 5': not valid TOML"),
])
def test_validate_errors(tmp_path, text, expected):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    code, stdout, err = call(["validate", path])
    assert code == 2 and stdout == ""
    assert err.startswith(f"blocsim: error: {path}: {expected}"), err
    assert err.count("\n") == 1 and "allowed:" in err


def test_no_command_prints_help():
    code, stdout, _ = call([])
    assert code == 0 and "usage: blocsim" in stdout


def _python(code: str, timeout=60) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=timeout)


HEAVY = ("matplotlib", "scipy", "nashpy", "numba", "pydantic")


def test_help_is_fast_and_light():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "sim.cli", "--help"], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=60)
    elapsed = time.perf_counter() - start
    assert done.returncode == 0 and "usage: blocsim" in done.stdout and done.stderr == ""
    assert elapsed < 3.0, elapsed
    loaded = _python("import sys\nfrom sim.cli import main\n"
                     "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
                     f"print([m for m in {HEAVY!r} if m in sys.modules])")
    assert loaded.stdout.strip().splitlines()[-1] == "[]", loaded.stdout + loaded.stderr


def test_import_sim_is_light():
    done = _python(f"import sys, sim\nprint([m for m in {HEAVY!r} + ('numpy',) "
                   "if m in sys.modules])")
    assert done.returncode == 0 and done.stdout.strip() == "[]", done.stdout + done.stderr


def test_a_reader_that_leaves_early_gets_no_traceback():
    """``blocsim list | head -0``: the pipe closes before blocsim writes; it stops quietly."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.Popen([sys.executable, "-m", "sim.cli", "list"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()                 # the reader is gone before the first write
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141
    assert "Traceback" not in err and err == ""
