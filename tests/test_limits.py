"""Every input is limited before work starts (issue #15): the 9 inputs that gave a traceback
and the 6 that hung are each now a one-line refusal (exit 2) or a bounded run, checked in a
new process under a time limit and a memory cap (:mod:`budgeted`). Plus the cost model
(:mod:`sim.budget`) itself and the remote-scheduler checks (loopback addresses only)."""

from __future__ import annotations

import http.server
import socket
import threading

import pytest

from budgeted import assert_ran, assert_refused, run_blocsim
from sim import budget

BUILTIN = "prisoners_dilemma"


@pytest.fixture
def out(tmp_path):
    return ["--out", tmp_path / "out"]


# --- the nine tracebacks -----------------------------------------------------------------------

@pytest.mark.parametrize("args, words", [
    (["tournament", "--simulate", "--repetitions", "1000000000"], ["would need", "GiB"]),
    (["tournament", "--simulate", "--turns", "1000000000"], ["would need", "--yes"]),
    (["evolve", "--dynamics", "generational", "--generations", "1000000000"],
     ["would need", "fewer runs or generations"]),
    (["sweep", "--axis", "repeated.discount=0:0.9:1000000000"], ["allowed", "10_000_000"]),
    (["sweep", "--axis", "repeated.discount=0:0.9:10000",
      "--axis", "preferences.relative_gain_weight.NATO=0:1:10000"], ["would need", "points"]),
    (["sweep", "--axis", "repeated.discount=0:0.9:10",
      "--measure", "fixation_probability:population=100000000"],
     ["population = 100000000", "1_000_000"]),
    (["sweep", "--axis", "repeated.discount=0:0.9:10",
      "--measure", "simulated_cooperation:repetitions=100000000000"], ["repetitions", "allowed"]),
    (["sweep", "--axis", "repeated.discount=0:0.9:10",
      "--measure", "simulated_cooperation:repetitions=100000000"], ["would need", "GiB"]),
    (["evolve", "--dynamics", "moran", "--fitness", "linear", "--intensity", "5"],
     ["--intensity 5", "allowed", "exponential"]),
])
def test_former_tracebacks_are_one_line(args, words, out):
    assert_refused(run_blocsim(args + out, timeout=60), *words)


def test_a_huge_title_gives_figures_of_the_usual_size(tmp_path):
    from PIL import Image

    from sim.scenario import builtin_dir

    text = (builtin_dir() / f"{BUILTIN}.toml").read_text()
    path = tmp_path / "long.toml"
    path.write_text(text.replace("title = \"Prisoner's Dilemma\"",
                                 f"title = \"{'x' * 200_000}\""))
    assert "x" * 1000 in path.read_text()
    assert_ran(run_blocsim(["tournament", path, "--players", "TFT", "AllD", "Grim",
                            "--out", tmp_path / "t"], timeout=90))
    for png in (tmp_path / "t").glob("*.png"):
        width, height = Image.open(png).size
        assert width < 2500 and height < 2500, (png.name, width, height)


# --- the six hangs -----------------------------------------------------------------------------

@pytest.mark.parametrize("args, words", [
    (["tournament", "--turns", "1000000000000", "--exact"], ["--turns", "1_000_000_000"]),
    (["evolve", "--dynamics", "moran", "--population", "1000000000"],
     ["--population", "1_000_000"]),
    (["sweep", "--axis", "repeated.discount=0:0.9:100000",
      "--axis", "preferences.relative_gain_weight.NATO=0:1:100000"],
     ["10,000,000,000 points", "would need"]),
    (["sweep", "--axis", "repeated.discount=0:0.9:10000",
      "--axis", "preferences.relative_gain_weight.NATO=0:1:10000",
      "--axis", "preferences.relative_gain_weight.CSTO=0:1:10000"],
     ["1,000,000,000,000 points", "would need"]),
])
def test_former_hangs_are_refused(args, words, out):
    assert_refused(run_blocsim(args + out, timeout=60), *words)


def test_exact_play_of_a_billion_turns_is_a_bounded_run(out):
    """Repeated squaring: the exact payoffs of 10⁹ turns cost as much as those of a few."""
    assert_ran(run_blocsim(["tournament", BUILTIN, "--turns", "1000000000", "--exact",
                            "--players", "TFT", "WSLS", "AllD", "--json"] + out, timeout=60))


EDGE_EVOLUTION = [
    {"dynamics": "moran", "population": 1_000_000, "runs": 1_000_000_000},
    {"dynamics": "moran", "population": 1_000_000, "players": ["AllC", "AllD"]},
    {"dynamics": "generational", "population": 1_000_000, "generations": 1_000_000_000},
    {"dynamics": "generational", "population": 1_000_000, "runs": 1_000_000_000,
     "replace": 1},
    {"dynamics": "moran", "population": 2, "runs": 1_000_000_000},
    {"dynamics": "moran", "population": 20_000, "intensity": 1000.0},
    {"dynamics": "generational", "population": 2, "replace": 1, "generations": 1},
    {"dynamics": "replicator", "intensity": 0.0, "mutation": 1.0},
]


def _toml(section: dict) -> str:
    import json

    return "\n".join(f"{k} = {json.dumps(v)}" for k, v in section.items())


@pytest.mark.parametrize("section", EDGE_EVOLUTION, ids=lambda s: "-".join(map(str, s.values())))
def test_edge_value_evolution_files_refuse_or_finish(section, tmp_path):
    """[evolution] sections with values at the schema's edges: each is refused in one line
    or runs within its budget (the issue's 7 of 25 files took over 40 s)."""
    from sim.scenario import builtin_dir

    path = tmp_path / "edge.toml"
    path.write_text((builtin_dir() / f"{BUILTIN}.toml").read_text()
                    + "\n[evolution]\n" + _toml(section) + "\n")
    outcome = run_blocsim(["evolve", path, "--out", tmp_path / "o"],    # CPU: loaded machines
                          cpu=int(budget.DEFAULT_SECONDS) + 30, timeout=600)
    if outcome.code == 0:
        assert_ran(outcome)
    else:
        assert_refused(outcome)


# --- remote schedulers (loopback only) ---------------------------------------------------------

def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


@pytest.fixture
def silent_server():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen()
    yield f"tcp://127.0.0.1:{s.getsockname()[1]}"
    s.close()


@pytest.fixture
def http_server():
    srv = http.server.HTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"tcp://127.0.0.1:{srv.server_port}"
    srv.shutdown()


@pytest.fixture
def chatty_server():
    """Answers every connection at once with an HTTP error, like a web server that talks first
    (what made ``distributed`` try to allocate exbibytes)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen()

    def serve():
        while True:
            try:
                conn, _ = s.accept()
            except OSError:
                return
            conn.sendall(b"HTTP/1.0 400 Bad Request\r\n\r\n")
            conn.close()
    threading.Thread(target=serve, daemon=True).start()
    yield f"tcp://127.0.0.1:{s.getsockname()[1]}"
    s.close()


SWEEP = ["sweep", BUILTIN, "--axis", "repeated.discount=0:0.9:4", "--executor", "dask",
         "--no-plot", "--scheduler"]


def test_scheduler_that_does_not_listen(out):
    line = assert_refused(run_blocsim(SWEEP + [f"tcp://127.0.0.1:{_closed_port()}"] + out,
                                      timeout=30), "cannot connect")
    assert "refused" in line


@pytest.mark.parametrize("server", ["silent_server", "http_server"])
def test_scheduler_that_says_nothing(server, request, out):
    address = request.getfixturevalue(server)
    outcome = run_blocsim(SWEEP + [address] + out, timeout=budget_timeout())
    assert_refused(outcome, "no Dask handshake")


def test_scheduler_that_answers_but_not_dask(chatty_server, out):
    assert_refused(run_blocsim(SWEEP + [chatty_server] + out, timeout=30),
                   "not as a Dask scheduler")


def budget_timeout() -> float:
    from sim.sweep.executors import SCHEDULER_TIMEOUT

    return SCHEDULER_TIMEOUT + 20           # the stated timeout, plus start-up


def test_no_docs_example_names_a_remote_scheduler():
    from pathlib import Path

    docs = Path(__file__).resolve().parents[1] / "docs"
    for page in docs.glob("*.md"):
        for line in page.read_text().splitlines():
            if "--scheduler tcp://" in line:
                assert "--scheduler tcp://127.0.0.1:" in line or \
                    "--scheduler tcp://HOST:PORT" in line, (page.name, line)


# --- the cost model ----------------------------------------------------------------------------

def test_sizes_parse():
    assert budget.parse_size("512M") == 512 << 20
    assert budget.parse_size("1.5GiB") == 3 << 29
    assert budget.parse_size("1000") == 1000
    for bad in ("", "-1G", "lots", "0", "1e400"):
        with pytest.raises(budget.BudgetError, match="allowed"):
            budget.parse_size(bad)


def test_check_refuses_in_one_line_naming_need_and_room():
    est = budget.Estimate("a big job", 10 << 30, 5.0, "fewer points")
    with pytest.raises(budget.BudgetError) as err:
        budget.check(est, budget.Budget(memory=1 << 30))
    assert str(err.value) == ("a big job would need 10 GiB of memory and ~5 s, --max-memory "
                              "1 GiB; use --max-memory (if the machine has it) or fewer points")
    slow = budget.Estimate("a slow job", 1, 7200.0, "fewer points")
    with pytest.raises(budget.BudgetError, match="--yes"):
        budget.check(slow, budget.Budget.command())
    assert budget.check(slow, budget.Budget.command(yes=True)) is slow


def test_estimates_grow_with_the_work():
    small = budget.tournament(66, 200, None, 20, True)
    assert budget.tournament(66, 200, None, 40, True).memory == 2 * small.memory
    assert budget.tournament(66, 400, None, 20, True).seconds > small.seconds
    exact = budget.tournament(66, 10**9, None, 1, False)
    assert exact.seconds < 1                  # repeated squaring: log of the turns
    assert budget.sweep(10**6, 10**3, 3, 0).memory > 100 * budget.sweep(10**3, 10**3, 3, 0).memory


def test_available_memory_honours_an_address_space_cap():
    import resource
    import subprocess
    import sys

    code = ("import resource; resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30)); "
            "from sim.budget import available_memory; print(available_memory())")
    shown = int(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                               check=True).stdout)
    assert 0 < shown < 2 << 30
    assert budget.available_memory() > 0
    assert resource.getrlimit(resource.RLIMIT_AS)     # the test process itself is untouched
