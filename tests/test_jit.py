"""Numba kernels are cached on disk (``cache=True`` everywhere) and their first compilation
is announced in one line on stderr; a later run in a new process compiles nothing."""

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_kernel_is_cached():
    for path in (ROOT / "sim").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("njit", "jit"):
                assert any(k.arg == "cache" and getattr(k.value, "value", None) is True
                           for k in node.keywords), f"{path.name}: a kernel without cache=True"
            if isinstance(node, ast.FunctionDef):
                for d in node.decorator_list:
                    assert getattr(d, "id", None) not in ("njit", "jit"), \
                        f"{path.name}: {node.name} is decorated without cache=True"


def test_first_compilation_is_announced_once_and_cached(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NUMBA_CACHE_DIR": str(tmp_path / "cache"),
           "MPLBACKEND": "Agg"}
    args = [sys.executable, "-m", "sim.cli", "evolve", "prisoners_dilemma", "--dynamics",
            "generational", "--population", "12", "--generations", "3", "--runs", "2",
            "--players", "TFT", "AllD", "AllC", "--force", "--out"]
    first = subprocess.run(args + [str(tmp_path / "a")], env=env, capture_output=True,
                           text=True, timeout=600)
    assert first.returncode == 0, first.stderr
    notices = [line for line in first.stderr.splitlines() if "compiling" in line]
    assert len(notices) == 1 and str(tmp_path / "cache") in notices[0], first.stderr
    assert any((tmp_path / "cache").rglob("*.nbi"))              # the cache persists
    second = subprocess.run(args + [str(tmp_path / "b")], env=env, capture_output=True,
                            text=True, timeout=600)
    assert second.returncode == 0, second.stderr
    assert "compiling" not in second.stderr
