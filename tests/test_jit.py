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


# Kernels made with sim._jit.kernel run as plain Python for small work while numba has not
# started in the process (starting it costs about a second): the same source must give the
# same numbers, bit for bit, as the compiled kernel, and a run continued compiled from a
# plain one must equal a compiled run.

import contextlib  # noqa: E402

import numpy as np  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import sim._jit as jit  # noqa: E402
import sim.spe as spe  # noqa: E402


@contextlib.contextmanager
def fresh_process(plain_work):
    """As in a new process: numba not started, ``plain_work`` of plain-Python budget."""
    saved = jit._started, spe._plain_left
    jit._started, spe._plain_left = False, plain_work
    try:
        yield
    finally:
        jit._started, spe._plain_left = saved


games = st.tuples(st.integers(2, 3), st.integers(2, 3)).flatmap(
    lambda shape: st.tuples(*[st.lists(st.integers(-5, 5), min_size=shape[0] * shape[1],
                                       max_size=shape[0] * shape[1]).map(
        lambda v, shape=shape: np.array(v, float).reshape(shape)) for _ in range(2)]))


def payoff_set(A, B, discount, plain_work):
    with fresh_process(plain_work):
        s = spe.spe_payoff_set(A, B, discount)
        return s, jit._started


@settings(max_examples=60, deadline=None)
@given(games, st.floats(0, 0.99), st.integers(1, 6))
def test_plain_python_kernels_equal_compiled(game, discount, plain_steps):
    A, B = game
    compiled, started = payoff_set(A, B, discount, 0)
    assert started or discount == 0              # no budget: the iteration ran compiled
    plain, _ = payoff_set(A, B, discount, 10 ** 9)
    # a small budget: the iteration starts as plain Python and continues compiled
    resumed, _ = payoff_set(A, B, discount, plain_steps * A.size)
    for other in (plain, resumed):
        assert np.array_equal(other.vertices, compiled.vertices)
        assert (other.iterations, other.error, other.converged) == \
            (compiled.iterations, compiled.error, compiled.converged)


def test_plain_run_does_not_start_numba():
    A = np.array([[3.0, 0.0], [5.0, 1.0]])
    s, started = payoff_set(A, A.T, 0.6, 10 ** 9)
    assert not started and s.iterations >= 1
