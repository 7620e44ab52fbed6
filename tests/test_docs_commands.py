"""Every shell block of the README and of ``docs/*.md`` runs, as a reader would run it.

A ```` ```bash ```` block runs as one script under ``bash -euo pipefail`` (a block of plain
``blocsim`` calls through :func:`sim.cli.main` in the test's process, as the ``blocsim`` script
calls it, which spares each call a start-up of numpy, numba and matplotlib); a
```` ```console ```` block is a transcript: each ``$ `` line is a command and the lines under it
its expected output, compared as doctests compare (``...`` matches anything, whitespace
normalised). Each block runs in a fresh temporary folder that holds links to the repository's
``scenarios/``, ``experiments/`` and ``benchmarks/`` (so the README's paths work as from the
repository root, and nothing is written into it), with a ``blocsim`` on ``PATH`` that runs this
checkout. The Python blocks are doctests (pytest collects ``docs/*.md``; the README by
``tests/test_readme.py``); :func:`test_every_python_block_is_a_doctest` checks none escapes.

A block that cannot run here by its nature says so in its info string,
```` ```bash title="not run by the tests: REASON" ````, which the docs site shows as the block's
caption. :data:`NOT_RUN` is the whole list, so it cannot grow unnoticed.
"""

from __future__ import annotations

import contextlib
import doctest
import io
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

ROOT = Path(__file__).parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```([\w-]*)([^\n]*)\n(.*?)^```[ \t]*$", re.M | re.S)
NOT_RUN_MARK = re.compile(r'title="not run by the tests: ([^"]+)"')
LINKED = ("scenarios", "experiments", "benchmarks")
TIMEOUT = 900
#: The blocks the tests do not run, and why (page, first command).
NOT_RUN = {
    ("README.md", "pip install . && blocsim run"): "installs the package",
    ("README.md", 'pip install ".[test]" && python -m pytest'): "is the test suite itself",
    ("README.md", "python benchmarks/regimes.py"): "benchmarks take minutes",
    ("howto-cluster.md", "dask scheduler --port PORT --no-dashboard"): "needs the cluster's machines",
}


def blocks(kinds=("bash", "console")):
    """(page, line, kind, info, body) of every fenced block of the given kinds."""
    out = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for m in FENCE.finditer(text):
            if m.group(1) in kinds:
                line = text.count("\n", 0, m.start()) + 1
                out.append((page, line, m.group(1), m.group(2), m.group(3)))
    return out


SHELL = blocks()


def _first_command(kind, body):
    lines = [ln for ln in body.splitlines() if ln.strip() and not ln.startswith("#")]
    if kind == "console":
        lines = [ln[2:] for ln in lines if ln.startswith("$ ")]
    return re.sub(r"\s+#.*$", "", lines[0]).strip()


@pytest.fixture
def shell_env(tmp_path):
    """A scratch folder laid out as the repository root, and the environment to run in."""
    for name in LINKED:
        (tmp_path / name).symlink_to(ROOT / name, target_is_directory=True)
    bin_dir = tmp_path / ".bin"
    bin_dir.mkdir()
    shim = bin_dir / "blocsim"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m sim.cli "$@"\n')
    shim.chmod(0o755)
    env = {**os.environ, "PATH": os.pathsep.join([str(bin_dir), os.environ["PATH"]]),
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
           "MPLBACKEND": "Agg", "COLUMNS": "100"}
    return tmp_path, env


def _commands(script):
    """The commands of a script as argument lists, if each is a plain ``blocsim`` call (no
    pipes, redirections, variables or other programs), else None."""
    out = []
    for command in script.replace("\\\n", " ").splitlines():
        if not command.strip() or command.lstrip().startswith("#"):
            continue
        if re.search(r"[|&;<>$`(){}*?]", command.split("#")[0]):
            return None
        argv = shlex.split(command, comments=True)
        if argv[0] != "blocsim":
            return None
        out.append(argv[1:])
    return out


def _run(script, cwd, env, monkeypatch):
    """(exit code, stdout + stderr) of a script: ``blocsim`` calls in this process, through
    :func:`sim.cli.main` as the ``blocsim`` script runs them (sparing each a start-up of
    numpy, numba and matplotlib); anything else under bash."""
    argvs = _commands(script)
    if argvs is None:
        out = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=cwd, env=env,
                             capture_output=True, text=True, timeout=TIMEOUT)
        return out.returncode, out.stdout + out.stderr
    from sim.cli import main

    monkeypatch.chdir(cwd)
    buffer = io.StringIO()
    code = 0
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
        for argv in argvs:
            try:
                code = main(argv)
            except SystemExit as e:          # --help, --version
                code = e.code
            if code:
                break
    plt.close("all")
    return code, buffer.getvalue()


def _transcript(body):
    """[(command, expected output)] of a console block; ``\\`` continues a command, and a
    here-document (``<<'EOF'`` ... ``EOF``) belongs to its command."""
    steps, command, want = [], None, []
    lines = iter(body.splitlines())
    for ln in lines:
        if ln.startswith("$ "):
            if command is not None:
                steps.append((command, "\n".join(want)))
            command, want = ln[2:], []
            while command.endswith("\\"):
                command = command[:-1] + next(lines)
            heredoc = re.search(r"<<-?\s*'?(\w+)'?", command)
            if heredoc:                  # the document's lines are part of the command
                for doc in lines:
                    command += "\n" + doc
                    if doc.strip() == heredoc.group(1):
                        break
        elif command is not None:
            want.append(ln)
    if command is not None:
        steps.append((command, "\n".join(want)))
    return steps


@pytest.mark.parametrize("page, line, kind, info, body", SHELL,
                         ids=[f"{p.name}:{n}" for p, n, *_ in SHELL])
def test_shell_block_runs(page, line, kind, info, body, shell_env, monkeypatch):
    cwd, env = shell_env
    reason = NOT_RUN_MARK.search(info)
    if reason:
        assert (page.name, _first_command(kind, body)) in NOT_RUN, \
            f"{page.name}:{line} is marked not run but is not in NOT_RUN"
        pytest.skip(reason.group(1))
    if kind == "bash":
        code, got = _run(body, cwd, env, monkeypatch)
        assert code == 0, f"{page.name}:{line}\n{got[-4000:]}"
        return
    checker = doctest.OutputChecker()
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    for command, want in _transcript(body):
        _, got = _run(command, cwd, env, monkeypatch)
        assert checker.check_output(want + "\n", got, flags), \
            f"{page.name}:{line}: $ {command}\nexpected:\n{want}\ngot:\n{got[-3000:]}"


def test_not_run_list_is_current():
    """Each entry of NOT_RUN is a marked block (a stale entry would hide nothing but mislead)."""
    marked = {(p.name, _first_command(k, b)) for p, _, k, info, b in SHELL
              if NOT_RUN_MARK.search(info)}
    assert marked == set(NOT_RUN)


def test_every_python_block_is_a_doctest():
    """Every ```python block holds doctest examples (``>>>``), which pytest runs: no Python
    shown on a page escapes the tests."""
    bare = [f"{p.name}:{n}" for p, n, _, _, body in blocks(("python", "pycon"))
            if ">>>" not in body]
    assert not bare, f"Python blocks without doctest examples: {bare}"
    # pytest's doctest collection needs the pages under a test path and the glob:
    text = (ROOT / "pyproject.toml").read_text()
    assert '"docs"' in text and "--doctest-glob=*.md" in text
