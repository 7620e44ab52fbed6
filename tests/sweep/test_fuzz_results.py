"""Fuzzing the sweep-results loader (``blocsim plot``): corrupted sweep.json or results.parquet
must give one clear line and exit 2, never a traceback."""

import json
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.cli import main

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 10) | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=8)


@pytest.fixture(scope="module")
def finished_sweep(tmp_path_factory):
    out = tmp_path_factory.mktemp("sweep") / "s"
    assert main(["sweep", "prisoners_dilemma", "--axis", "repeated.discount=0:0.9:4",
                 "--axis", "payoffs.T=4:6:3", "--measure", "regime", "--measure",
                 "threshold_grim", "--out", str(out), "--no-plot", "--quiet"]) == 0
    return out


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, prefix + (i,))


def _plot(capsys, folder):
    code = main(["plot", str(folder), "--force", "--out", str(folder / "figs")])
    err = capsys.readouterr().err
    assert code in (0, 2), err
    if code == 2:
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_corrupted_metadata(finished_sweep, tmp_path_factory, capsys, data):
    folder = tmp_path_factory.mktemp("c") / "s"
    shutil.copytree(finished_sweep, folder)
    meta = json.loads((folder / "sweep.json").read_text())
    paths = [p for p in _paths(meta) if p]
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths))
        node = meta
        try:
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = data.draw(json_values)
        except (KeyError, IndexError, TypeError):
            continue
    (folder / "sweep.json").write_text(json.dumps(meta))
    _plot(capsys, folder)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(0, 4000), junk=st.binary(max_size=64), which=st.sampled_from(
    ["sweep.json", "results.parquet"]))
def test_truncated_or_garbled_files(finished_sweep, tmp_path_factory, capsys, cut, junk, which):
    folder = tmp_path_factory.mktemp("t") / "s"
    shutil.copytree(finished_sweep, folder)
    raw = (folder / which).read_bytes()
    (folder / which).write_bytes(raw[:cut] + junk)
    _plot(capsys, folder)
