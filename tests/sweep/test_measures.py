"""Tournament and evolution measures of sweeps: against direct calls point by point, against
closed forms, their options and errors, categorical results in the store and the figures."""

import itertools

import numpy as np
import pyarrow.parquet as pq
import pytest

from sim import scenario
from sim.evolution import fixation_probability, replicator_two_populations
from sim.evolution.replicator import payoff_scale
from sim.play import population_game, strategy_payoffs
from sim.strategies import strategy_from_data
from sim.sweep.axes import SweepError, parse_axis
from sim.sweep.evolution_measures import evolved_cooperation
from sim.sweep.measures import Batch, measure_call, parse_measure, point_seeds
from sim.sweep.plan import build_plan, default_chunk_size
from sim.sweep.run import run_sweep
from sim.sweep.store import load
from sim.sweep.tournament_measures import DEFAULT_PLAYERS, winner
from sim.tournament import tournament

BOTH = "preferences.relative_gain_weight.NATO+preferences.relative_gain_weight.CSTO"


@pytest.fixture(scope="module")
def nato():
    return scenario.load("nato_csto_2007")


def _point(r, delta, noise=None):
    changes = [("preferences.relative_gain_weight.NATO", r),
               ("preferences.relative_gain_weight.CSTO", r), ("repeated.discount", delta)]
    if noise is not None:
        changes.append(("repeated.noise", noise))
    return scenario.load("nato_csto_2007", changes)


def _evaluate(nato, axes, measures, seed=0, chunk_size=None):
    plan = build_plan(nato, [parse_axis(a) for a in axes], [parse_measure(m) for m in measures],
                      seed=seed, chunk_size=chunk_size)
    parts = [plan.evaluate(i) for i in range(plan.n_chunks)]
    return plan, {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}


# -- tournaments --------------------------------------------------------------------------------

@pytest.mark.parametrize("options, method", [("noise=0.02", "exact"),
                                             ("method=simulate,repetitions=3,turns=12",
                                              "simulate")])
def test_tournament_measures_equal_direct_tournaments(nato, options, method):
    axes = [f"{BOTH}=0:1:4", "repeated.discount=0:0.95:3"]
    names = [f"tournament_winner:{options}", f"tournament_cooperation:{options}"]
    plan, cols = _evaluate(nato, axes, names, seed=4, chunk_size=5)
    rs, ds = (np.array(a.values) for a in plan.axes)
    kw = dict(parse_measure(names[0]).options)
    for i, (r, d) in enumerate(itertools.product(rs, ds)):
        game = _point(float(r), float(d)).utility_game()
        for name in ("tournament_winner", "tournament_cooperation"):
            seed = int(point_seeds(4, [i], name)[0].generate_state(1, np.uint64)[0])
            res = tournament(DEFAULT_PLAYERS, game.A, game.B, noise=kw.get("noise", 0.0),
                             turns=kw.get("turns"),
                             continuation=None if "turns" in kw else float(d),
                             repetitions=kw.get("repetitions", 20), seed=seed,
                             method=kw.get("method", "auto"))
            assert res.method == method
            expected = winner(res) if name == "tournament_winner" else \
                res.cooperation_rates.mean()
            assert cols[name][i] == expected, (name, i)
    assert cols["tournament_winner"].dtype == np.int16
    assert len(set(cols["tournament_winner"])) >= 2                   # the map is not flat


def test_winner_ties_go_to_the_first_player():
    # With self-play left out, TFT and Grim earn exactly the same against AllC and each other.
    res = tournament(["Grim", "TFT", "AllC"], [[3, 0], [5, 1]], continuation=0.9, turns=None,
                     method="exact")
    assert res.mean_payoffs[0] == pytest.approx(res.mean_payoffs[1])
    assert winner(res) == 0
    flipped = tournament(["TFT", "Grim", "AllC"], [[3, 0], [5, 1]], continuation=0.9,
                         turns=None, method="exact")
    assert winner(flipped) == 0


# -- evolution ----------------------------------------------------------------------------------

def test_evolved_cooperation_equals_unbatched_replicator(nato):
    axes = [f"{BOTH}=0,0.2", "repeated.discount=0.2,0.6,0.95", "repeated.noise=0,0.05"]
    plan, cols = _evaluate(nato, axes, ["evolved_cooperation"], chunk_size=7)
    players = [strategy_from_data(p) for p in ("AllC", "AllD", "TFT", "Grim", "WSLS")]
    values = list(itertools.product(*(a.values for a in plan.axes)))
    for i, (r, d, e) in enumerate(values):
        game = _point(float(r), float(d)).utility_game()
        row, col, _, _ = strategy_payoffs(players, game.A, game.B, noise=e, discount=d)
        # one point alone: the same numbers to the last bit as in the batch of the chunk
        run = replicator_two_populations(row[None], col[None],
                                         t_max=1e4 / payoff_scale(row[None], col[None]))
        mutual = population_game(players, game.A, game.B, noise=e, discount=d).mutual
        expected = np.einsum("ni,nij,nj->n", run.final[0], mutual[None], run.final[1])[0]
        assert cols["evolved_cooperation"][i] == expected, i
    grid = cols["evolved_cooperation"].reshape(plan.grid.shape)
    assert grid[0, 2, 0] > 0.99        # absolute gains, long shadow: cooperation emerges
    assert grid[:, 0, :].max() < 0.01  # short shadow: it does not
    assert grid[1].max() < 0.01        # r = 0.2 already blocks it in this scenario


@pytest.mark.parametrize("players", [("AllC", "AllD", "TFT", "Grim", "WSLS"), ("AllD", "TFT")])
def test_evolved_cooperation_is_the_same_at_every_payoff_scale(nato, players):
    """The horizon ``time`` is in normalised time units, so multiplying every payoff by a
    positive constant (10⁻³ and 10³, with the default and a short horizon) leaves the value
    unchanged; a horizon in the payoffs' own units would stop at 10⁻³ of the time at the
    one scale and run 10³ times as long at the other."""
    sc = _point(0.0, 0.9)
    U, V = (np.asarray(m, float) for m in (sc.utility_game().A, sc.utility_game().B))

    class Points:                          # the part of a sweep Batch the measures read
        scenario = sc

        def __init__(self, c):
            self.c = c

        def points(self, noise_option=None):
            return (self.c * U[None], self.c * V[None], np.array([0.9]), np.array([0.01]))

    for time in (1e4, 5.0):
        values = [evolved_cooperation(Points(c), None, players=players, time=time)[0]
                  for c in (1e-3, 1.0, 1e3)]
        assert values == pytest.approx([values[1]] * 3, abs=1e-6), (time, values)
    short = evolved_cooperation(Points(1.0), None, players=players, time=5.0)[0]
    long = evolved_cooperation(Points(1.0), None, players=players)[0]
    assert short != pytest.approx(long, abs=1e-3)       # the horizon matters at all


def test_evolved_cooperation_option_changes_the_field(nato):
    batch = Batch(_point(0.0, 0.95), {}, (1,))
    both = evolved_cooperation(batch, [None], players=("AllD", "TFT"))[0]
    alone = evolved_cooperation(batch, [None], players=("AllD", "AllC"))[0]
    assert both > 0.99 and alone < 0.01


def test_fixation_probability_matches_the_closed_form_payoffs():
    """TFT against AllD in a Prisoner's Dilemma with continuation δ (normalised discounted
    payoffs, Axelrod 1984): TFT–TFT R, TFT–AllD (1−δ)S + δP, AllD–TFT (1−δ)T + δP, AllD–AllD P;
    then the Moran closed form (Nowak et al. 2004)."""
    pd = scenario.load("prisoners_dilemma")
    plan, cols = _evaluate(pd, ["repeated.discount=0:0.95:6", "payoffs.T=4,6"],
                           ["fixation_probability:population=20,intensity=0.5"])
    for i, (d, T) in enumerate(itertools.product(*(a.values for a in plan.axes))):
        R, P, S = 3.0, 1.0, 0.0
        M = np.array([[R, (1 - d) * S + d * P], [(1 - d) * T + d * P, P]])
        expected = fixation_probability(M, 20, 0.5, "exponential")
        assert cols["fixation_probability"][i] == pytest.approx(float(expected), rel=1e-9)
    rho = cols["fixation_probability"].reshape(6, 2)
    assert rho[-1, 0] > 1 / 20 > rho[0, 0]   # a long shadow lets TFT invade AllD


# -- options, errors, chunking ------------------------------------------------------------------

@pytest.mark.parametrize("text, words", [
    ("tournament_winner:players=TFT+Nope", "Nope"),
    ("tournament_winner:players=TFT", "at least 2"),
    ("tournament_winner:players=TFT+TFT", "each strategy once"),
    ("tournament_winner:method=fast", "allowed: auto, exact, simulate"),
    ("tournament_winner:method=exact,players=TFT+SoftMajority", "finite-state"),
    ("tournament_cooperation:noise=0.7", "[0, 0.5]"),
    ("evolved_cooperation:players=AllD+HardMajority", "finite-state"),
    ("fixation_probability:mutant=Nope", "Nope"),
    ("fixation_probability:population=1", "whole number from 2 to"),
])
def test_bad_options_are_one_line_errors(text, words):
    with pytest.raises(SweepError) as err:
        parse_measure(text)
    assert words in str(err.value) and "\n" not in str(err.value)


def test_options_from_a_scenario_file_and_the_command_line_agree():
    a = parse_measure("tournament_winner:players=TFT+AllD+WSLS,method=exact")
    b = measure_call("tournament_winner", {"players": ["TFT", "AllD", "WSLS"],
                                           "method": "exact"})
    assert a == b and a.categories == ["TFT", "AllD", "WSLS"]
    assert a.to_dict() == {"name": "tournament_winner",
                           "options": {"method": "exact", "players": ["TFT", "AllD", "WSLS"]}}


def test_chunking_and_grouping_do_not_change_results(nato):
    axes = [f"{BOTH}=0:0.1:3", "repeated.discount=0.5:0.95:3", "repeated.noise=0,0.05"]
    measures = ["evolved_cooperation", "fixation_probability",
                "tournament_winner:method=simulate,repetitions=2"]
    results = [_evaluate(nato, axes, measures, seed=2, chunk_size=c)[1] for c in (5, 18)]
    for other in results[1:]:
        for k in results[0]:
            np.testing.assert_array_equal(results[0][k], other[k])


def test_chunks_come_in_multiples_of_the_workers():
    m = [parse_measure("tournament_winner")]
    for size, workers in [(2500, 2), (2500, 3), (1681, 2), (7, 2), (10, 4)]:
        chunk = default_chunk_size(size, m, workers)
        assert -(-size // chunk) % workers == 0, (size, workers, chunk)


# -- the store and the figures ------------------------------------------------------------------

def test_categories_are_stored_by_name_and_drawn(nato, tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sim.plots.sweep import draw_measure

    res = run_sweep(nato, [f"{BOTH}=0:1:5", "repeated.discount=0.3,0.9"],
                    ["tournament_winner:players=Grim+AllD+TFT", "regime"], out=tmp_path / "w",
                    executor="inprocess", progress=False)
    table = pq.read_table(tmp_path / "w" / "results.parquet")
    names = table.column("tournament_winner").to_pylist()
    assert set(names) <= {"Grim", "AllD", "TFT"} and len(set(names)) >= 2
    meta, cols = load(tmp_path / "w")
    assert meta["sweep"]["measures"][0]["categories"] == ["Grim", "AllD", "TFT"]
    assert [["Grim", "AllD", "TFT"][c] for c in cols["tournament_winner"]] == names
    for overlays in (("cooperative", "grim", "wsls"), ()):
        fig = draw_measure(meta, cols, "tournament_winner", overlays=overlays, title="t")
        labels = [t.get_text() for t in fig.legends[0].get_texts()]
        assert set(names) <= set(labels)
        plt.close(fig)
    one = run_sweep(nato, ["repeated.discount=0:0.95:8"], ["tournament_winner"],
                    out=tmp_path / "one", executor="inprocess", progress=False)
    fig = draw_measure(*one.load(), "tournament_winner")
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == list(DEFAULT_PLAYERS)
    plt.close(fig)


# -- the emergence experiment (issue #5), on a coarse grid --------------------------------------

def test_emergence_experiment_claims(tmp_path, capsys):
    """Each statement of ``experiments/emergence_map.py``'s docstring ("What it finds"), on a
    9 x 9 grid per threat level (its docstring quotes no numbers: they are computed)."""
    import importlib.util
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "experiments" / "emergence_map.py"
    spec = importlib.util.spec_from_file_location("emergence_map", path)
    experiment = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(experiment)
    out = tmp_path / "em"
    size = 9
    args = ["--out", str(out), "--size", str(size), "--threats", "1,2,4", "--workers", "1"]
    assert experiment.main(args) == 0
    findings = json.loads((out / "findings.json").read_text())["findings"]
    levels = [findings[f"threat={t}"] for t in (1, 2, 4)]
    low, twice, high = levels
    for f in levels:                        # emergence is exactly where grim sustains (C,C)
        assert f["emerged_without_grim"] == 0 and f["grim_without_emergence"] == 0
        assert f["regime_edge_is_grim_edge"]
        assert f["wsls_share"] <= f["emerged_share"]              # WSLS: a smaller region
    assert twice["wsls_share"] < twice["emerged_share"] and \
        high["wsls_share"] < high["emerged_share"]                # (resolved on this grid)
    deltas = np.linspace(0, 0.99, size)                           # claim 5
    assert low["largest_weight_emerged"] is not None and low["largest_weight_emerged"] <= 0.15
    assert low["smallest_delta_emerged_at_r0"] == pytest.approx(
        deltas[deltas >= low["grim_threshold_at_r0"]][0], abs=1e-4)
    assert low["baseline"]["evolved_cooperation"] < 0.01              # claim 2
    assert low["baseline"]["regime"] == "one-sided"
    assert all(sh["AllD"] > 0.99 for sh in low["baseline"]["final_shares"].values())
    assert low["emerged_share"] < twice["emerged_share"] < high["emerged_share"]   # claim 4
    assert twice["baseline"]["evolved_cooperation"] < 0.01
    assert high["baseline"]["evolved_cooperation"] > 0.99
    assert high["baseline"]["regime"] == "reciprocity"
    assert all(sh["AllD"] < 0.01 for sh in high["baseline"]["final_shares"].values())
    assert twice["smallest_delta_emerged_at_r0"] == high["smallest_delta_emerged_at_r0"] == 0
    assert (out / "emergence_map.png").stat().st_size > 0
    assert "threat=4" in capsys.readouterr().out
    table = out / "sweep" / "results.parquet"
    written = table.stat().st_mtime_ns
    assert experiment.main(args) == 0                  # resumable: the finished sweep is kept
    assert table.stat().st_mtime_ns == written
