"""Formats: a one-member bloc is the two-player game of the scenario it extends; format
utilities equal a direct computation; flip points sit where preferences change."""

import copy

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import scenario
from sim.analysis import summarize
from sim.blocs.flips import format_evaluator, format_flips
from sim.blocs.formats import FORMATS, analyse, bloc_game
from sim.equilibria import PROFILES, REGIMES, threshold
from sim.preferences import utility_game
from sim.scenario.blocs import numbers


@pytest.fixture(scope="module")
def members():
    return scenario.load("nato_csto_members")


def one_member(raw_base, **member):
    raw = copy.deepcopy(raw_base)
    raw["blocs"] = {"members": {"Sole": {"share": 1.0, **member}}}
    return scenario.from_dict(raw, "<one member>")


@settings(max_examples=40, deadline=None)
@given(st.floats(0, 6), st.floats(0, 1), st.floats(0, 1), st.floats(0, 0.99))
def test_one_member_bloc_reduces_to_the_two_player_game(threat, r_row, r_col, d):
    base = scenario.load("nato_csto_2007", [f"parameters.threat={threat}",
                                           f"preferences.relative_gain_weight.NATO={r_row}",
                                           f"preferences.relative_gain_weight.CSTO={r_col}",
                                           f"repeated.discount={d}"])
    sc = one_member(base.raw)
    nums = numbers(sc)
    A, B, rr, rc, delta = base.inputs()
    U, V = utility_game(A, B, rr, rc)
    np.testing.assert_allclose(nums.P[..., 0, :, :], B)
    g = bloc_game(nums)
    np.testing.assert_allclose(g.row.views[..., 0, :, :], U)
    np.testing.assert_allclose(g.column.views[..., 0, :, :], V.T)
    assert REGIMES[int(g.regime(delta))] == summarize(base)["regime"]
    for p in PROFILES:
        np.testing.assert_array_equal(g.threshold(p), threshold(U, V, p))
    res = analyse(nums)
    deal = res.utility["deal"]
    # the bloc as one actor, and its only member, have the column player's utility
    np.testing.assert_allclose(deal[2], [U[0, 0], V[0, 0], V[0, 0]])
    np.testing.assert_allclose(res.utility["repeated"][0], [U[1, 1], V[1, 1], V[1, 1]])


def direct(sc):
    """Every actor's utility in each format with cooperation realised, by plain loops."""
    b = sc.model.blocs
    names = list(b.members)
    A, B, r_row, r_col, _ = sc.inputs()
    games, _ = sc.factor_games()
    share = {m: b.members[m].share for m in names}

    def alloc(m, f):
        return (b.members[m].allocation or {}).get(f, share[m])

    def bloc_pay(m, o):
        x = sum(alloc(m, f) * Bf[o] for f, _, Bf in games)
        return x + sum(getattr(f, "CC") or 0 for f in (b.members[m].factors or ())
                       if o == (0, 0))

    def bil(m):
        nato = sum(b.bilateral[f] * share[m] * Af[0, 0] for f, Af, _ in games if f in b.bilateral)
        mem = sum(b.bilateral[f] * alloc(m, f) * Bf[0, 0] for f, _, Bf in games
                  if f in b.bilateral)
        return nato, mem

    ctrl = {f: Bf for f, _, Bf in games}[b.control_factor][0, 0] * \
        alloc(b.control, b.control_factor)
    out = {}
    for fmt in FORMATS:
        if fmt == "bloc":
            pi_row, pi = A[0, 0], {m: bloc_pay(m, (0, 0)) for m in names}
            r = r_row
        elif fmt == "bilateral":
            pi_row = sum(bil(m)[0] for m in names)
            pi = {m: bil(m)[1] for m in names}
            pi[b.control] -= sum(ctrl * share[m] / (1 - share[b.control]) for m in names
                                 if m != b.control)
            r = sc.nominal_weights()[0] / len(names)
        else:
            pi_row, pi, r = A[1, 1], {m: bloc_pay(m, (1, 1)) for m in names}, r_row
        total = sum(pi.values())
        row = [pi_row - r * total, total - r_col * pi_row]
        for m in names:
            spec = b.members[m]
            rm = spec.relative_gain_weight if spec.relative_gain_weight is not None \
                else sc.nominal_weights()[1]
            comp = spec.compare or {sc.players[0]: 1.0}
            ref = sum(w * (pi_row if k == sc.players[0] else pi[k]) for k, w in comp.items())
            row.append(pi[m] - rm * ref)
        out[fmt] = row
    return out


def test_format_utilities_equal_direct_computation(members):
    res = analyse(numbers(members))
    expected = direct(members)
    for k, f in enumerate(FORMATS):
        np.testing.assert_allclose(res.utility["deal"][k], expected[f], atol=1e-12)


def test_choice_and_preferences_of_the_shipped_scenario(members):
    res = analyse(numbers(members))
    actors = list(res.actors)
    pref = res.preferred("repeated")
    assert FORMATS[pref[actors.index("NATO")]] == "bilateral"
    assert FORMATS[res.choice()] == "bilateral"
    assert FORMATS[res.preferred("deal")[actors.index("Russia")]] == "bloc"


def test_flip_points_change_the_preference(members):
    flips = format_flips(members, "parameters.threat", 0.0, 10.0)
    assert flips
    evaluate = format_evaluator(members, "parameters.threat")
    who = ["choice"] + list(members.players) + list(members.model.blocs.members)
    for f in flips:
        col = who.index(f["who"])
        below, above = evaluate(np.array([f["value"] - 1e-6, f["value"] + 1e-6]))[:, col]
        assert FORMATS[below] == f["from"] and FORMATS[above] == f["to"]


def test_russian_share_sweep_keeps_shares_summing_to_one(members):
    nums = numbers(members, {"blocs.members.Russia.share": np.linspace(0.1, 0.9, 9)})
    np.testing.assert_allclose(nums.shares.sum(-1), 1)
    np.testing.assert_allclose(nums.shares[:, 1:], np.repeat(
        ((1 - np.linspace(0.1, 0.9, 9)) / 5)[:, None], 5, 1))
    sc = scenario.load("nato_csto_members", ["blocs.members.Russia.share=0.7"])
    assert sc.model.blocs.members["Belarus"].share == pytest.approx(0.06)
