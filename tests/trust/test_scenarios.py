"""Trust in scenarios and on the command line: [types], [beliefs], [trust], the events file,
``blocsim trust``, the sweep measures; bad input gets one line and exit code 2 (fuzzed)."""

import copy
import json
import tomllib

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim import scenario
from sim.cli import main
from sim.equilibria import is_degenerate, nash_equilibria
from sim.errors import UserError
from sim.trust import record
from sim.trust.model import TrustModel
from sim.trust.summary import summarize
from sim.trust.threshold import trust_threshold

BASE = scenario.read("nato_csto_trust")[1]


def load(raw, overrides=()):
    return scenario.from_dict(raw, "t.toml", overrides)


def one_line(exc):
    text = str(exc)
    assert len(text.splitlines()) == 1 and "allowed:" in text, text
    return text


@pytest.mark.parametrize("change,expect", [
    (lambda r: r["beliefs"].update(NATO={"partner": 0.5, "hegemon": 0.6}), "priors sum to 1.1"),
    (lambda r: r["beliefs"].update(NATO={"partnr": 0.5}), "unknown type of CSTO"),
    (lambda r: r["beliefs"].update(Nato={"partner": 0.5}), "unknown player"),
    (lambda r: r["trust"]["likelihoods"].update(invitation={"partner": 1.2, "hegemon": 0.5}),
     "trust.likelihoods.invitation.partner = 1.2"),
    (lambda r: r["trust"]["likelihoods"].update(invitation={"partners": 0.2}), "unknown type"),
    (lambda r: r["types"]["CSTO"]["hegemon"].update(factors={"controll": {"CC": [0, 1]}}),
     "unknown factor"),
    (lambda r: r["types"].update(OSCE={"a": {}}), "types.OSCE = {a = {}}: unknown player"),
    (lambda r: r["trust"].update(cooperative={"CSTO": "friend"}), "unknown type of CSTO"),
    (lambda r: r.pop("beliefs"), "beliefs.NATO: missing"),
    (lambda r: r["types"]["CSTO"]["partner"].update(relative_gain_weight=2),
     "relative_gain_weight = 2"),
])
def test_bad_type_and_belief_definitions_are_one_line(change, expect):
    raw = copy.deepcopy(BASE)
    change(raw)
    with pytest.raises(UserError) as err:
        load(raw)
    assert expect in one_line(err.value)


def test_cli_exit_2_on_bad_belief(tmp_path, capsys):
    path = tmp_path / "bad.toml"
    path.write_text('[scenario]\nextends = "nato_csto_trust"\n[beliefs]\n'
                    'NATO = { partner = 0.7, hegemon = 0.7 }\n')
    assert main(["trust", str(path), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "beliefs.NATO" in err and "priors sum to 1.4" in err


def test_one_left_out_type_takes_the_rest():
    sc = load(BASE)
    assert sc.prior("NATO") == {"partner": 0.5, "hegemon": 0.5}
    assert "beliefs.NATO.partner" in sc.numeric_keys()


def test_without_types_it_is_the_complete_information_game():
    sc = scenario.load("nato_csto_2007")
    game = TrustModel(sc).bayesian_game()
    U = sc.utility_game()
    assert game.shape == (1, 1)
    assert np.array_equal(game.A[0, 0], U.A) and np.array_equal(game.B[0, 0], U.B)
    ours = [(float(e.row[0]), float(e.column[0])) for e in game.equilibria()]
    theirs = [(x[0], y[0]) for x, y in nash_equilibria(U.A, U.B)]
    assert not is_degenerate(U.A, U.B) and sorted(ours) == sorted(theirs)


def test_type_profiles_apply_each_types_changes():
    model = TrustModel(load(BASE))
    U, V = model.utilities()
    assert U.shape == (2, 2, 2, 2)
    # the partner transfers less control: NATO's (C,C) is 0.5 higher against it, at r = 0
    assert U[0, 0, 0, 0] - U[0, 1, 0, 0] == pytest.approx(0.5)
    # a rival NATO weighs relative gains: its utility is A − 0.5 B
    A, B, *_ = model._profiles["rival", "hegemon"].inputs()
    assert np.allclose(U[1, 1], A - 0.5 * B)


def test_game_is_the_reviewed_baseline():
    """The trust scenario extends nato_csto_2007: the hegemon (the baseline's reading) faces
    the baseline's material game, and the partner differs only in the control it takes."""
    model = TrustModel(load(BASE))
    base = scenario.load("nato_csto_2007").inputs()
    hegemon = model._profiles["liberal", "hegemon"].inputs()
    partner = model._profiles["liberal", "partner"].inputs()
    assert np.array_equal(hegemon[0], base[0]) and np.array_equal(hegemon[1], base[1])
    assert hegemon[4] == base[4]                              # the baseline's δ
    assert np.allclose(partner[0] - base[0], [[0.5, 0.0], [0.0, 0.0]])
    assert np.allclose(partner[1] - base[1], [[-1.0, 0.0], [0.0, 0.0]])


def test_summary_threshold_and_record():
    model = TrustModel(load(BASE))
    s = summarize(model)
    A, B, p = model.trust_arrays()
    assert s["threshold"]["stage"] == pytest.approx(float(trust_threshold(A, B)))
    assert s["threshold"]["stage"] == pytest.approx(0.5)      # −g_u/(g_c − g_u) = 0.25/0.5
    events = s["record"]["events"]
    assert len(events) == 10 and [e["date"] for e in events][:3] == ["1993", "1993-94", "1995"]
    assert all(e["silence_best_reply"] == (e["posterior"] <= 0.5) for e in events)
    assert all({"section", "actor", "action", "quote"} <= set(e) for e in events)


def test_cli_writes_json_figures_and_refuses_to_overwrite(tmp_path, capsys):
    out = tmp_path / "o"
    assert main(["trust", "--out", str(out), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["provenance"]["scenario"] == "nato_csto_trust"
    for f in ("trust.json", "belief_timeline.png", "trust_cost.png", "trust_delta.svg"):
        assert (out / f).stat().st_size > 0
    assert main(["trust", "--out", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["trust", "--out", str(out), "--force", "--set",
                 "beliefs.NATO.partner=0.9"]) == 0
    assert "answer" in capsys.readouterr().out


def test_trust_measures_in_a_sweep():
    from sim.sweep.measures import Batch, get

    sc = load(BASE)
    p = np.array([0.1, 0.5, 0.9])
    batch = Batch(sc, {"beliefs.NATO.partner": p[:, None],
                       "trust.signal_cost": np.array([0.5, 6.0])[None, :]}, (3, 2))
    assert np.allclose(get("trust_threshold").func(batch), 0.5)
    outcome = get("reassurance_outcome").func(batch)
    assert outcome.shape == (3, 2)
    low, high = (get(m).func(batch) for m in ("reassurance_low", "reassurance_high"))
    assert np.all((low < 6.0) & (6.0 < high))  # cost 6 lies in [5.19, 9.25] ...
    assert (outcome[:, 1] == 0).all()          # ... so the gesture separates
    spiral = get("spiral_probability").func(batch, horizon=5)
    assert spiral.shape == (3, 2) and np.all((0 <= spiral) & (spiral <= 1))


# --------------------------------------------------------------------------------------------
# Fuzzing the loaders
# --------------------------------------------------------------------------------------------

junk = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=True),
                 st.text(max_size=6), st.lists(st.integers(-2, 2), max_size=3),
                 st.dictionaries(st.text(max_size=4), st.floats(-2, 2), max_size=2))
paths = st.sampled_from([
    ("types", "CSTO", "partner", "relative_gain_weight"), ("types", "CSTO", "hegemon"),
    ("types", "CSTO", "partner", "factors"), ("types", "CSTO", "partner", "factors",
                                              "russian_control", "CC"),
    ("types", "NATO"), ("types", "CSTO", "partner", "payoffs"), ("beliefs", "NATO"),
    ("beliefs", "NATO", "partner"), ("beliefs", "CSTO", "liberal"), ("beliefs",),
    ("trust", "cooperative"), ("trust", "sender"), ("trust", "signal_cost"),
    ("trust", "cost_ratio"), ("trust", "horizon"), ("trust", "likelihoods"),
    ("trust", "likelihoods", "invitation", "hegemon"), ("trust", "reading"),
    ("trust", "events")])


def _set(raw, path, value):
    node = raw
    for part in path[:-1]:
        if not isinstance(node.get(part), dict):
            node[part] = {}
        node = node[part]
    node[path[-1]] = value


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(paths, junk), min_size=1, max_size=3))
def test_fuzz_trust_sections(changes):
    raw = copy.deepcopy(BASE)
    for path, value in changes:
        _set(raw, path, value)
    try:
        model = TrustModel(load(raw))
        A, B, p = model.trust_arrays()
        assert np.all(np.isfinite(A)) and 0 <= float(p) <= 1
        record.account(model)
    except UserError as exc:
        one_line(exc)


EVENTS = tomllib.loads(record.events_source("nato_csto_events")[1])
fields = st.sampled_from(["date", "year", "label", "section", "actor", "action", "quote",
                          "response", "extra"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 9), fields, junk), min_size=1, max_size=3),
       st.booleans())
def test_fuzz_events_file(tmp_path_factory, changes, drop):
    data = copy.deepcopy(EVENTS)
    for i, key, value in changes:
        if drop:
            data["events"][i].pop(key, None)
        else:
            data["events"][i][key] = value
    path = tmp_path_factory.mktemp("ev") / "events.toml"
    lines = []
    for e in data["events"]:
        lines.append("[[events]]")
        lines += [f"{k} = {json.dumps(v)}" for k, v in e.items() if v is not None
                  and not isinstance(v, dict) and not (isinstance(v, float) and v != v)]
    path.write_text("\n".join(lines))
    sc = load(BASE)
    try:
        events = record.load_events(str(path), sc.players, list(sc.model.trust.likelihoods))
        assert len(events) == 10
    except UserError as exc:
        one_line(exc)
