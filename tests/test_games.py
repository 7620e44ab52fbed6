"""Stage games: constructors, factor models, ordinal types."""

import itertools

import numpy as np
import pytest

from sim.games import (NAMED_ORDERINGS, Factor, Game, factor_game, matrix_from_trps,
                       ordering_code, ordering_string, own_views, player_type, player_types,
                       trps)


def test_symmetric_layout_matches_nashpy_convention():
    g = Game.symmetric(5, 3, 1, 0)
    np.testing.assert_array_equal(g.A, [[3, 0], [5, 1]])
    np.testing.assert_array_equal(g.B, [[3, 5], [0, 1]])
    views = own_views(g.A, g.B)
    assert [tuple(map(float, trps(v))) for v in views] == [(5, 3, 1, 0)] * 2


def test_per_player_trps_round_trip():
    g = Game.from_trps((4, 3, 1, 0), (2, 6, 0, -1), players=("NATO", "CSTO"))
    assert g.trps() == {"NATO": dict(T=4, R=3, P=1, S=0), "CSTO": dict(T=2, R=6, P=0, S=-1)}
    assert g.swapped().trps() == {"CSTO": dict(T=2, R=6, P=0, S=-1),
                                  "NATO": dict(T=4, R=3, P=1, S=0)}


@pytest.mark.parametrize("ordering,name", [(k, v[0]) for k, v in NAMED_ORDERINGS.items()])
def test_named_orderings(ordering, name):
    values = dict(zip(ordering.split(">"), [4, 3, 2, 1]))
    g = Game.symmetric(values["T"], values["R"], values["P"], values["S"])
    assert [t.name for t in g.types()] == [name, name]
    assert not g.types()[0].ties


def test_every_strict_ordering_is_shown():
    seen = set()
    for perm in itertools.permutations([4, 3, 2, 1]):
        t = player_type(int(ordering_code(matrix_from_trps(*perm))))
        assert t.ordering.count(">") == 3 and not t.ties
        assert t.label and t.description
        seen.add(t.ordering)
    assert len(seen) == 24


def test_ties_are_said():
    t = player_type(int(ordering_code(matrix_from_trps(3, 3, 1, 0))))
    assert t.ordering == "T=R>P>S" and t.ties and t.name is None
    assert "Tied" in t.description
    assert ordering_string(int(ordering_code(matrix_from_trps(1, 1, 1, 1)))) == "T=R=P=S"


def test_types_broadcast():
    T = np.array([5.0, 3.0])
    M = matrix_from_trps(T, 4.0, 1.0, 0.0)
    codes = ordering_code(M)
    assert [player_type(c).name for c in codes] == ["Prisoner's Dilemma", "Stag Hunt"]


def test_factor_game_sums_scaled_factors_and_broadcasts():
    factors = [Factor("synergy", "liberal", {"CC": (2.0, 2.0)}, scale="threat"),
               Factor("control", "realist", {"CC": (-1.0, 1.5)}),
               Factor("leverage", "realist", {"CC": (-0.5, 0.5), "CD": (-0.5, 0.5)})]
    A, B = factor_game(factors, {"threat": 1.0})
    np.testing.assert_allclose(A, [[0.5, -0.5], [0, 0]])
    np.testing.assert_allclose(B, [[4.0, 0.5], [0, 0]])
    A3, B3 = factor_game(factors, {"threat": np.array([0.0, 1.0, 2.0])})
    assert A3.shape == (3, 2, 2)
    np.testing.assert_allclose(A3[:, 0, 0], [-1.5, 0.5, 2.5])
    assert player_types(A, B)[0].ordering == "R>T=P>S"


def test_text_and_html_render():
    g = Game.symmetric(5, 3, 1, 0, players=("NATO", "CSTO"))
    assert "NATO C" in g.to_text() and "CSTO D" in g.to_text()
    assert g._repr_html_().startswith("<table>")


def test_results_render_as_html_tables():
    """Games and results show as tables in a notebook (DESIGN: teaching is a feature)."""
    from sim.evolution import moran_two_types, replicator
    from sim.spe import spe_payoff_set
    from sim.tournament import tournament

    g = Game.symmetric(5, 3, 1, 0)
    results = [tournament(["TFT", "AllD"], g.A, turns=10), spe_payoff_set(g.A, g.B, 0.8),
               moran_two_types([[3.0, 0.0], [5.0, 1.0]], 10), replicator(g.A, [0.5, 0.5])]
    for r in results:
        html = r._repr_html_()
        assert html.startswith("<table>") and "<td>" in html
