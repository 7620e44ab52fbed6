"""Round-robin tournaments: agreement with the Axelrod library, exact vs simulated, roles in
asymmetric games, outputs and figures."""

import json

import numpy as np
import pytest

import sim.strategies as S
from sim.games import Game, matrix_from_trps
from sim.play import exact_match
from sim.tournament import tournament

A = matrix_from_trps(5, 3, 1, 0)
DETERMINISTIC = ["TFT", "Grim", "AllC", "AllD", "WSLS", "TF2T", "Alternator", "Prober",
                 "STFT", "Soft Majority", "Hard Majority"]
MIXED = ["TFT", "Grim", "AllD", "WSLS", "GTFT", "Random", "Joss", "Extort-2"]


def axelrod_players(axl, names):
    table = {"TFT": axl.TitForTat, "Grim": axl.Grudger, "AllC": axl.Cooperator,
             "AllD": axl.Defector, "WSLS": axl.WinStayLoseShift, "TF2T": axl.TitFor2Tats,
             "Alternator": axl.Alternator, "Prober": axl.Prober,
             "STFT": axl.SuspiciousTitForTat, "Soft Majority": axl.GoByMajority,
             "Hard Majority": axl.HardGoByMajority, "GTFT": axl.GTFT, "Random": axl.Random,
             "Joss": axl.FirstByJoss, "Extort-2": axl.ZDExtort2}
    return [table[n]() for n in names]


def test_deterministic_tournament_identical_to_axelrod(axl):
    theirs = axl.Tournament(axelrod_players(axl, DETERMINISTIC), turns=30, repetitions=1,
                            seed=1).play(progress_bar=False, processes=1)
    ours = tournament(DETERMINISTIC, A, turns=30, repetitions=2, seed=1)
    assert ours.method == "simulate"  # the majority rules have infinite memory
    assert np.allclose(ours.payoff_matrix, theirs.payoff_matrix, rtol=0, atol=1e-12)
    assert np.allclose(ours.mean_payoffs, np.array(theirs.normalised_scores)[:, 0], atol=1e-12)
    assert np.array_equal(ours.wins[:, 0], np.array(theirs.wins)[:, 0])
    assert np.allclose(ours.cooperation_rates, theirs.cooperating_rating, atol=1e-12)
    # Same order, up to ties in the mean payoff (both sort stably by score).
    order = [str(p) for p in theirs.players]
    theirs_rank = [order.index(n) for n in theirs.ranked_names]
    assert np.allclose(ours.mean_payoffs[ours.ranking], ours.mean_payoffs[theirs_rank])
    exact = tournament(DETERMINISTIC[:9], A, turns=30)
    assert exact.method == "exact"
    assert np.allclose(exact.payoff_matrix, np.array(theirs.payoff_matrix)[:9, :9], atol=1e-12)


def test_noisy_stochastic_tournament_agrees_with_axelrod(axl):
    """Axelrod's normalised scores within sampling error of our exact tournament; the
    rankings agree wherever the exact scores are clearly separated."""
    reps = 12
    theirs = axl.Tournament(axelrod_players(axl, MIXED), turns=40, repetitions=reps,
                            noise=0.05, seed=3).play(progress_bar=False, processes=1)
    ours = tournament(MIXED, A, turns=40, noise=0.05)
    assert ours.method == "exact" and np.all(ours.ci95[:, 0] == ours.ci95[:, 1])
    scores = np.array(theirs.normalised_scores)
    se = scores.std(1, ddof=1) / np.sqrt(reps)
    assert np.all(np.abs(scores.mean(1) - ours.mean_payoffs) < 4.5 * se)
    m = ours.mean_payoffs
    order = [str(p) for p in theirs.players]
    position = {i: k for k, i in enumerate(order.index(n) for n in theirs.ranked_names)}
    for a in range(len(MIXED)):
        for b in range(len(MIXED)):
            if m[a] - m[b] > 8 * (se[a] + se[b]):
                assert position[a] < position[b], (MIXED[a], MIXED[b])


@pytest.mark.parametrize("noise, continuation", [(0.0, None), (0.1, None), (0.05, 0.9)])
def test_exact_and_simulated_tournaments_agree(noise, continuation):
    turns = 50 if continuation is None else None
    ex = tournament(MIXED, A, turns=turns, continuation=continuation, noise=noise)
    mc = tournament(MIXED, A, turns=turns, continuation=continuation, noise=noise,
                    repetitions=400, seed=4, method="simulate")
    se = mc.scores.std(1, ddof=1) / np.sqrt(400)
    assert np.all(np.abs(ex.mean_payoffs - mc.mean_payoffs) <= 5 * se + 1e-12)
    lo, hi = mc.ci95.T
    assert np.mean((lo <= ex.mean_payoffs) & (ex.mean_payoffs <= hi)) >= 0.5


def test_asymmetric_game_plays_both_roles():
    g = Game.from_trps((5, 3, 1, 0), (5.5, 3, 1, -0.5))
    res = tournament(["TFT", "GTFT", "Joss"], g.A, g.B, turns=20, noise=0.02, self_play=False)
    assert res.settings["roles"] == "both"
    strategies = [S.TFT(), S.GTFT(), S.Joss()]
    for i, j in [(0, 1), (1, 2), (2, 0)]:
        as_row = exact_match(strategies[i], strategies[j], g.A, g.B, noise=0.02, turns=20)
        as_col = exact_match(strategies[j], strategies[i], g.A, g.B, noise=0.02, turns=20)
        expected = (as_row.payoffs[0] + as_col.payoffs[1]) / 2
        assert res.payoff_matrix[i, j] == pytest.approx(expected, abs=1e-12)
    assert np.all(np.isnan(np.diag(res.payoff_matrix)))
    assert S.GTFT().vector(g.B.T)[2] == pytest.approx(1 - 2.5 / 3.5)  # column's own view
    # (T, R, P, S) = (6, 2, 1, -1) gives min(1 - 4/3, 1/5) < 0: no default generosity.
    with pytest.raises(ValueError, match="give generosity"):
        tournament(["GTFT", "TFT"], matrix_from_trps(6, 2, 1, -1), turns=5)


def test_symmetric_roles_one_equals_both():
    one = tournament(MIXED, A, turns=30, noise=0.05, roles="one")
    both = tournament(MIXED, A, turns=30, noise=0.05, roles="both")
    assert np.allclose(one.payoff_matrix, both.payoff_matrix, atol=1e-12)


def test_results_reproducible_and_independent_of_chunking():
    kw = dict(turns=None, continuation=0.95, noise=0.05, repetitions=30, seed=9,
              method="simulate")
    a = tournament(MIXED + ["Soft Majority"], A, **kw)
    b = tournament(MIXED + ["Soft Majority"], A, chunk_turns=500, progress=True, **kw)
    assert np.array_equal(a.payoff_matrix, b.payoff_matrix)
    assert np.array_equal(a.scores, b.scores) and np.array_equal(a.wins, b.wins)


def test_outputs(tmp_path):
    res = tournament(["TFT", "AllD", {"memory_one": [1, 1, 0, 0, 1], "name": "mine"}], A,
                     turns=20, noise=0.1, repetitions=5, method="simulate")
    d = json.loads(json.dumps(res.to_dict()))
    assert set(d) >= {"players", "ranking", "mean_payoffs", "payoff_matrix", "cooperation",
                      "ci95", "wins", "cooperation_rates", "normalised_scores", "settings"}
    assert d["players"] == ["TFT", "AllD", "mine"]
    assert d["ranking"][0] == res.players[int(np.argmax(res.mean_payoffs))]
    assert len(d["normalised_scores"][0]) == 5
    res.to_json(tmp_path / "t.json")
    res.to_csv(tmp_path / "t.csv")
    res.pairs_csv(tmp_path / "p.csv")
    lines = (tmp_path / "t.csv").read_text().splitlines()
    assert lines[0].startswith("rank,player,mean_payoff") and len(lines) == 4
    assert len((tmp_path / "p.csv").read_text().splitlines()) == 10
    with pytest.raises(FileExistsError):
        res.to_csv(tmp_path / "t.csv")


def test_bad_input():
    with pytest.raises(ValueError, match="infinite memory|finite-state"):
        tournament(["TFT", "Soft Majority"], A, method="exact")
    with pytest.raises(ValueError, match="at least 2"):
        tournament(["TFT"], A)
    with pytest.raises(ValueError, match=r"strategies\[1\]: unknown strategy"):
        tournament(["TFT", "Nobody"], A)
    with pytest.raises(ValueError, match="method"):
        tournament(["TFT", "AllD"], A, method="fast")


def test_figures():
    import matplotlib

    matplotlib.use("Agg")
    from sim.plots.tournament import payoff_heatmap, ranking_chart

    res = tournament(MIXED, A, turns=30, noise=0.05, repetitions=10, method="simulate")
    for fig in (payoff_heatmap(res), ranking_chart(res)):
        ax = fig.axes[0]
        assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
        assert "noise 0.05" in ax.get_title()


@pytest.mark.parametrize("page", ["strategies.md", "tournaments.md"])
def test_docs_examples_run(page):
    import doctest
    from pathlib import Path

    path = Path(__file__).parent.parent / "docs" / page
    result = doctest.testfile(str(path), module_relative=False,
                              optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
