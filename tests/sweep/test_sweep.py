"""Sweeps: axes, grids, measures against point-by-point evaluation, the simulated measure
against its exact Markov chain, the result store (resume, conflicts, corruption)."""

import itertools
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import scenario
from sim.critical import critical_weight
from sim.equilibria import analyse_grid, threshold
from sim.preferences import utility_game
from sim.sweep.axes import Grid, SweepError, make_axis, parse_axis, parse_values
from sim.sweep.measures import Batch, parse_measure, point_seeds
from sim.sweep.plan import build_plan
from sim.sweep.run import run_sweep
from sim.sweep.evolution_measures import fixation_probability
from sim.sweep.simulated import simulated_cooperation
from sim.sweep.tournament_measures import tournament_winner
from sim.sweep.store import CHUNKS, ResultDir, load


@pytest.fixture(scope="module")
def nato():
    return scenario.load("nato_csto_2007")


# -- axes ------------------------------------------------------------------------------------

def test_axis_specs():
    assert parse_values("0:1:3")[0].tolist() == [0.0, 0.5, 1.0]
    assert parse_values("log:1e-3:1:4")[0] == pytest.approx([1e-3, 1e-2, 1e-1, 1])
    assert parse_values("[0.2, 0.1]")[0].tolist() == [0.2, 0.1]
    assert parse_values("0.2,0.1")[1] == "list"
    axis = parse_axis("preferences.relative_gain_weight.NATO+preferences.relative_gain_weight."
                      "CSTO=0:1:5")
    assert axis.keys == ("preferences.relative_gain_weight.NATO",
                         "preferences.relative_gain_weight.CSTO") and len(axis) == 5


@pytest.mark.parametrize("spec, words", [("0:1:0", "empty range"), ("[]", "empty list"),
                                         ("0:1:x", "not a number"), ("a,b", "not a number"),
                                         ("log:0:1:3", "start > 0"), ("0,0", "repeats"),
                                         ("0:1", "allowed"), ("0:1:2.5", "whole number"),
                                         ("nan,1", "finite")])
def test_bad_axis_specs(spec, words):
    with pytest.raises(SweepError, match=words):
        parse_values(spec)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=1, max_size=3), st.data())
def test_boxes_cover_ranges_in_order(shape, data):
    grid = Grid([make_axis([f"k{i}"], f"0:1:{n}") for i, n in enumerate(shape)])
    start = data.draw(st.integers(0, grid.size - 1))
    stop = data.draw(st.integers(start + 1, grid.size))
    flat = []
    for box in grid.boxes(start, stop):
        idx = np.indices(grid.shape)[(slice(None),) + box].reshape(len(shape), -1)
        flat += np.ravel_multi_index(tuple(idx), grid.shape).tolist()
    assert flat == list(range(start, stop))
    assert len(grid.boxes(start, stop)) <= 2 * len(shape) - 1


# -- measures against point-by-point evaluation ----------------------------------------------

ANALYTIC = ["regime", "blocked_by_relative_gains", "threshold_grim", "threshold_tft",
            "threshold_wsls", "critical_weight", "critical_weight_row", "critical_weight_column"]


def test_sweep_equals_pointwise(nato, tmp_path):
    axes = ["parameters.threat=log:0.5:6:7", "preferences.relative_gain_weight.NATO=0:1:5",
            "repeated.discount=0.3,0.9"]
    measures = ANALYTIC + ["simulated_cooperation:noise=0.05,repetitions=40",
                           "tournament_winner:players=TFT+Grim+WSLS+AllD,method=simulate,"
                           "repetitions=2", "fixation_probability:population=10"]
    res = run_sweep(nato, axes, measures, out=tmp_path / "s", seed=3, chunk_size=9,
                    executor="inprocess", progress=False)
    meta, cols = res.load()
    assert meta["sweep"]["shape"] == [7, 5, 2] and meta["sweep"]["n_chunks"] == 8
    threats, weights, deltas = (np.array(a["values"]) for a in meta["sweep"]["axes"])
    for i, (t, r, d) in enumerate(itertools.product(threats, weights, deltas)):
        sc = scenario.load("nato_csto_2007", [("parameters.threat", float(t)),
                                              ("preferences.relative_gain_weight.NATO", float(r)),
                                              ("repeated.discount", float(d))])
        A, B, rr, rc, dd = sc.inputs()
        code, blocked = analyse_grid(A, B, rr, rc, dd)
        U, V = utility_game(A, B, rr, rc)
        expected = {"regime": code, "blocked_by_relative_gains": blocked,
                    **{f"threshold_{p}": threshold(U, V, p)[2] for p in ("grim", "tft", "wsls")},
                    **dict(zip(["critical_weight_row", "critical_weight_column",
                                "critical_weight"], critical_weight(A, B, rr, rc, dd)))}
        for name, value in expected.items():
            np.testing.assert_array_equal(cols[name][i], value, err_msg=f"{name} at point {i}")
        assert cols["parameters.threat"][i] == t and cols["repeated.discount"][i] == d
        one = simulated_cooperation(Batch(sc, {}, (1,)),
                                    point_seeds(3, [i], "simulated_cooperation"),
                                    noise=0.05, repetitions=40)
        assert cols["simulated_cooperation"][i] == one[0]
        won = tournament_winner(Batch(sc, {}, (1,)), point_seeds(3, [i], "tournament_winner"),
                                players=("TFT", "Grim", "WSLS", "AllD"), method="simulate",
                                repetitions=2)
        assert cols["tournament_winner"][i] == won[0]
        rho = fixation_probability(Batch(sc, {}, (1,)), [None], population=10)
        assert cols["fixation_probability"][i] == rho[0]


def test_chunking_does_not_change_results(nato):
    axes = [parse_axis("preferences.relative_gain_weight.NATO=0:1:7"),
            parse_axis("repeated.discount=0:0.95:6")]
    measures = [parse_measure("regime"), parse_measure("simulated_cooperation:noise=0.1,"
                                                       "repetitions=30")]
    results = []
    for size in (1, 5, 42):
        plan = build_plan(nato, axes, measures, seed=11, chunk_size=size)
        parts = [plan.evaluate(i) for i in range(plan.n_chunks)]
        results.append({k: np.concatenate([p[k] for p in parts]) for k in parts[0]})
    for other in results[1:]:
        for k in results[0]:
            np.testing.assert_array_equal(results[0][k], other[k])


def _exact_cooperation(U, V, delta, eps):
    """Normalised discounted frequency of (C,C) from the Markov chain of who is triggered."""
    grim = [delta >= threshold(U, V, "grim")[p] for p in (0, 1)]   # nan compares False
    states = list(itertools.product((False, True), repeat=2))   # (row triggered, column ...)
    M, c = np.zeros((4, 4)), np.zeros(4)
    for s, (tr, tc) in enumerate(states):
        p_d = [(1 - eps) if (t or not g) else eps for t, g in zip((tr, tc), grim)]
        for dr, dc in itertools.product((False, True), repeat=2):
            p = (p_d[0] if dr else 1 - p_d[0]) * (p_d[1] if dc else 1 - p_d[1])
            if not dr and not dc:
                c[s] += p
            M[s, states.index((tr or dc, tc or dr))] += p
    v = np.linalg.solve(np.eye(4) - delta * M, c)
    start = states.index((not grim[0], not grim[1]))
    return (1 - delta) * v[start]


@pytest.mark.parametrize("r, delta, eps", [(0.0, 0.8, 0.05), (0.0, 0.5, 0.1), (0.5, 0.9, 0.05),
                                           (0.05, 0.95, 0.02)])
def test_simulated_cooperation_matches_markov_chain(nato, r, delta, eps):
    sc = scenario.load("nato_csto_2007", [("preferences.relative_gain_weight.NATO", r),
                                          ("preferences.relative_gain_weight.CSTO", r),
                                          ("repeated.discount", delta)])
    U, V = sc.utility_game().A, sc.utility_game().B
    exact = _exact_cooperation(U, V, delta, eps)
    reps = 20000
    sim = simulated_cooperation(Batch(sc, {}, (1,)), point_seeds(0, [0], "x"), noise=eps,
                                repetitions=reps)[0]
    # the ratio estimator's spread, measured over seeds, is at most 1.5·sqrt(p(1-p)/reps)
    se = 1.5 * np.sqrt(exact * (1 - exact) / reps)
    assert abs(sim - exact) < 5 * se, (sim, exact)


# -- the store: no overwrite, resume checks, corruption -----------------------------------

def test_existing_results_are_not_overwritten_and_resume_is_checked(nato, tmp_path):
    out = tmp_path / "r"
    run_sweep(nato, ["repeated.discount=0:0.9:4"], out=out, progress=False)
    with pytest.raises(SweepError, match="holds a sweep already.*--resume.*--force"):
        run_sweep(nato, ["repeated.discount=0:0.9:4"], out=out, progress=False)
    done = run_sweep(nato, ["repeated.discount=0:0.9:4"], out=out, resume=True, progress=False)
    assert done.metadata["timing"]["chunks_computed"] == 1           # the finished sweep
    with pytest.raises(SweepError, match=r"different sweep \(axes.0.values"):
        run_sweep(nato, ["repeated.discount=0:0.9:5"], out=out, resume=True, progress=False)
    forced = run_sweep(nato, ["repeated.discount=0:0.9:5"], out=out, force=True, progress=False)
    assert forced.metadata["sweep"]["shape"] == [5]


def test_corrupt_chunk_is_named(nato, tmp_path, capsys):
    plan = build_plan(nato, [parse_axis("repeated.discount=0:0.9:6")],
                      [parse_measure("regime")], chunk_size=2)
    store = ResultDir(tmp_path / "c")
    store.open(plan)
    store.write_chunk(plan, 0, plan.evaluate(0))
    store.write_chunk(plan, 1, plan.evaluate(1))
    assert store.open(plan, resume=True) == [0, 1]
    (tmp_path / "c" / CHUNKS / "chunk-000001.parquet").write_bytes(b"not parquet")
    assert store.open(plan, resume=True) == [0]           # named, deleted, to be recomputed
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "chunk-000001.parquet: damaged" in err[0]
    assert not (tmp_path / "c" / CHUNKS / "chunk-000001.parquet").exists()
    other = build_plan(nato, [parse_axis("repeated.discount=0:0.9:6")],
                       [parse_measure("threshold_grim")], chunk_size=2)
    with pytest.raises(SweepError, match="different sweep \\(measures.0.name: stored "
                                         "\"regime\", given \"threshold_grim\"\\)"):
        store.open(other, resume=True)
    result = run_sweep(nato, ["repeated.discount=0:0.9:6"], ["regime"], out=tmp_path / "c",
                       resume=True, progress=False)
    assert result.metadata["timing"]["chunks_reused"] == 1
    assert not (tmp_path / "c" / CHUNKS).exists()
    meta, cols = load(tmp_path / "c")
    fresh = run_sweep(nato, ["repeated.discount=0:0.9:6"], ["regime"], out=tmp_path / "f",
                      progress=False)
    np.testing.assert_array_equal(cols["regime"], fresh.load()[1]["regime"])
    assert json.loads((tmp_path / "c" / "sweep.json").read_text())["sweep"]["spec_hash"] == \
        plan.spec_hash
