"""The row player as a bloc with members (``[blocs.row]``): one member is exactly the unitary
row player; identical members under consensus are one player on either side; the row bloc's
format choice by its rule on hand-computed cases; bad row definitions get one line, exit 2."""

import copy

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import scenario
from sim.blocs.formats import FORMATS, MODES, analyse
from sim.blocs.game import BlocGame, Side
from sim.blocs.rules import Rule
from sim.equilibria import PROFILES, regime, threshold
from sim.games import own_views
from sim.scenario.blocs import numbers

from test_blocs_scenario import fails_in_one_line

payoff = st.one_of(st.integers(-4, 4).map(float), st.floats(-5, 5, allow_nan=False))


def with_row(raw_base, members, **rule):
    raw = copy.deepcopy(raw_base)
    raw.pop("uncertainty", None)   # the base's ranges need not hold its overridden values
    raw["blocs"]["row"] = {"members": members, **rule}
    return scenario.from_dict(raw, "<row bloc>")


@settings(max_examples=25, deadline=None)
@given(st.floats(0, 8), st.floats(0, 1), st.floats(0, 0.99),
       st.sampled_from(["consensus", "quota", "leader"]), st.floats(0.05, 1))
def test_one_row_member_is_the_unitary_row_player(threat, r_row, d, kind, q):
    over = [f"parameters.threat={threat}", f"preferences.relative_gain_weight.NATO={r_row}",
            f"repeated.discount={d}", f"blocs.rule={kind!r}".replace("'", '"')]
    over += [f"blocs.quota={q}"] if kind == "quota" else []
    over += ['blocs.leader="Russia"'] if kind == "leader" else []
    base = scenario.load("nato_csto_members", over)
    unitary = analyse(numbers(base))
    bloc = analyse(numbers(with_row(base.raw, {"Sole": {"share": 1.0}})))
    assert bloc.actors == unitary.actors + ("Sole",)
    assert bloc.bloc_regime == unitary.bloc_regime
    np.testing.assert_array_equal(bloc.bilateral_regime, unitary.bilateral_regime)
    for mode in MODES:
        u, v = bloc.utility[mode], unitary.utility[mode]
        np.testing.assert_allclose(u[..., :-1], v, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(u[..., -1], v[..., 0], rtol=1e-12, atol=1e-12)
        assert bloc.choice(mode) == unitary.choice(mode)
        np.testing.assert_array_equal(bloc.preferred(mode)[:-1], unitary.preferred(mode))
        assert bool(bloc.bloc[mode]) == bool(unitary.bloc[mode])


@settings(max_examples=150, deadline=None)
@given(st.lists(payoff, min_size=8, max_size=8), st.floats(0, 0.999), st.integers(1, 4),
       st.integers(1, 4))
def test_identical_members_under_consensus_are_one_player_on_both_sides(x, d, k, j):
    U, V = np.array(x[:4]).reshape(2, 2), np.array(x[4:]).reshape(2, 2)
    v = own_views(U, V)

    def side(view, m):
        return Side(np.repeat(view[None], m, 0), np.full(m, 1 / m), Rule("consensus"))

    g = BlocGame(side(v[0], k), side(v[1], j))
    assert g.regime(d) == regime(U, V, d)
    np.testing.assert_array_equal(g.pure_equilibria(),
                                  BlocGame(Side.player(v[0]), Side.player(v[1])).pure_equilibria())
    for p in PROFILES:
        np.testing.assert_array_equal(g.threshold(p), threshold(U, V, p))


def test_row_rule_chooses_the_format_by_hand():
    # two allies: A gains from bilateral deals only, B from the bloc format only (deal mode)
    base = scenario.load("nato_csto_members")
    members = {"A": {"share": 0.5, "allocation": {}}, "B": {"share": 0.5}}
    sc = with_row(base.raw, members)
    res = analyse(numbers(sc))
    rows = res.utility["deal"][..., -2:]
    # by hand: under consensus a format is chosen iff both allies weakly prefer it to every
    # other available one; otherwise the status quo
    avail = [True, True, bool(res.accepts_bloc["deal"])]
    best = [f for f in range(3) if avail[f] and all(
        not avail[g] or all(rows[f, i] >= rows[g, i] - 1e-9 for i in range(2)) for g in range(3))]
    assert FORMATS[res.choice("deal")] == FORMATS[best[0] if best else 0]
    for leader in (0, 1):
        led = analyse(numbers(with_row(base.raw, members, rule="leader",
                                       leader="AB"[leader])))
        u = led.utility["deal"][..., -2 + leader]
        expected = max((f for f in range(3) if avail[f]), key=lambda f: (u[f], -f))
        assert FORMATS[led.choice("deal")] == FORMATS[expected]


def test_shipped_allies_scenario_every_ally_prefers_bilateral():
    res = analyse(numbers(scenario.load("nato_csto_allies")))
    pref = dict(zip(res.actors, (FORMATS[i] for i in res.preferred("repeated"))))
    assert all(pref[a] == "bilateral" for a in res.row_members)
    assert FORMATS[res.choice()] == "bilateral"
    assert len(res.row_power["shapley_shubik"]) == 3


BAD = {
    "empty row bloc": ({"members": {}}, ["blocs.row.members", "empty bloc"]),
    "row shares not summing to 1": ({"members": {"US": {"share": 0.5}, "EU": {"share": 0.6}}},
                                    ["blocs.row.members", "shares sum to 1.1"]),
    "unknown compared actor": ({"members": {"US": {"share": 1.0, "compare": {"China": 1.0}}}},
                               ["blocs.row.members.US.compare.China", "unknown member"]),
    "row quota above 1": ({"rule": "quota", "quota": 1.5, "members": {"US": {"share": 1.0}}},
                          ["blocs.row.quota = 1.5", "out of range"]),
    "row member named like a CSTO member": ({"members": {"Russia": {"share": 1.0}}},
                                            ["blocs.row.members.Russia", "name already used"]),
    "row member with no stakes": ({"members": {"US": {"share": 1.0}, "Ghost": {
        "share": 0.0}}}, ["blocs.row.members.Ghost", "no stakes"]),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_row_definitions_exit_2_with_one_line(case, tmp_path, capsys):
    row, parts = BAD[case]
    raw = copy.deepcopy(scenario.read("nato_csto_members")[1])
    raw["scenario"].pop("extends", None)
    raw.pop("uncertainty", None)
    raw["blocs"]["row"] = row
    fails_in_one_line(tmp_path, raw, parts, capsys)
