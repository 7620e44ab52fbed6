"""The ``[blocs]`` section: bad definitions get one line naming file, key, value and what is
allowed (exit 2); the loader is fuzzed; ``blocsim formats`` writes its results."""

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim import scenario
from sim.cli import main
from sim.errors import UserError

BASE = scenario.read("nato_csto_members")[1]


def toml(value) -> str:
    """A value as a TOML inline value (tables inline, keys quoted)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {toml(v)}" for k, v in value.items()) + "}"


def write(tmp_path, raw, name="bad.toml"):
    path = tmp_path / name
    path.write_text("".join(f"{json.dumps(k)} = {toml(v)}\n" for k, v in raw.items()))
    return path


def mutate(change):
    raw = copy.deepcopy(BASE)
    raw["scenario"].pop("extends", None)
    change(raw["blocs"])
    return raw


BAD = {
    "shares not summing to 1": (lambda b: b["members"]["Russia"].update(share=0.6),
                                ["blocs.members", "shares sum to 1.1", "allowed:"]),
    "unknown member": (lambda b: b.update(control="Rusia"),
                       ["blocs.control", "unknown member (did you mean 'Russia'?)", "'Rusia'"]),
    "unknown compared member": (lambda b: b["members"]["Kazakhstan"]["compare"].update(
        {"China": 0.0}), ["blocs.members.Kazakhstan.compare.China", "unknown member"]),
    "empty bloc": (lambda b: b.update(members={}), ["blocs.members", "empty bloc"]),
    "quota above 1": (lambda b: b.update(rule="quota", quota=1.5),
                      ["blocs.quota = 1.5", "out of range", "(0, 1]"]),
    "quota 0": (lambda b: b.update(rule="quota", quota=0.0), ["blocs.quota = 0.0",
                                                             "out of range"]),
    "quota missing": (lambda b: b.update(rule="quota"), ["blocs.quota", "missing"]),
    "member with no stakes": (lambda b: b["members"].update(
        Ghost={"share": 0.0, "allocation": {f: 0.0 for f in (
            "russian_control", "bilateral_leverage")}}), ["blocs.members.Ghost", "no stakes"]),
    "unknown rule": (lambda b: b.update(rule="majority"), ["blocs.rule = 'majority'",
                                                          "'consensus', 'quota' or 'leader'"]),
    "unknown key": (lambda b: b["members"]["Russia"].update(shares=0.5),
                    ["blocs.members.Russia.shares", "unknown key (did you mean 'share'?)"]),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_bloc_definitions_exit_2_with_one_line(case, tmp_path, capsys):
    change, parts = BAD[case]
    raw = mutate(change)
    raw = {**scenario.read("nato_csto_2007")[1], **{k: v for k, v in raw.items()
                                                     if k in ("blocs", "scenario")}}
    fails_in_one_line(tmp_path, raw, parts, capsys)


def fails_in_one_line(tmp_path, raw, parts, capsys):
    """``blocsim formats`` on ``raw`` exits 2 with one line naming the file and ``parts``."""
    path = write(tmp_path, raw)
    code = main(["formats", str(path), "--out", str(tmp_path / "out")])
    out, err = capsys.readouterr()
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err, err
    assert str(path) in err and "allowed:" in err
    for part in parts:
        assert part in err, (part, err)


def test_set_on_a_share_rescales_the_others():
    sc = scenario.load("nato_csto_members", ["blocs.members.Russia.share=0.25"])
    shares = [m.share for m in sc.model.blocs.members.values()]
    assert shares[0] == 0.25 and sum(shares) == pytest.approx(1)
    with pytest.raises(UserError, match=r"--set blocs.members.Russia.share=1.5: "
                                        r"blocs.members.Russia.share = 1.5: out of range"):
        scenario.load("nato_csto_members", ["blocs.members.Russia.share=1.5"])


values = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=True),
                   st.text(max_size=8), st.lists(st.floats(-2, 2), max_size=3),
                   st.dictionaries(st.text(max_size=6), st.floats(-1, 2), max_size=3))
paths = st.lists(st.sampled_from(["rule", "quota", "leader", "control", "control_factor",
                                  "bilateral", "members", "Russia", "Kazakhstan", "share",
                                  "compare", "allocation", "factors", "relative_gain_weight",
                                  "CC", "synergy", "NATO", "x", "row", "US",
                                  "New_members"]), min_size=1, max_size=4)
#: The row side as a bloc too (its ``[blocs.row]`` merged in).
ALLIES = scenario.read("nato_csto_allies")[1]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(paths, values), min_size=1, max_size=4), st.booleans())
def test_fuzz_the_blocs_loader(edits, allies):
    raw = copy.deepcopy(ALLIES if allies else BASE)
    for path, value in edits:
        node = raw["blocs"]
        for part in path[:-1]:
            if not isinstance(node, dict):
                break
            node = node.setdefault(part, {})
        if isinstance(node, dict):
            node[path[-1]] = value
    try:
        sc = scenario.from_dict(raw, "fuzz.toml")
    except UserError as exc:
        message = str(exc)
        assert len(message.splitlines()) == 1 and "allowed:" in message, message
        return
    from sim.blocs.formats import analyse
    from sim.scenario.blocs import numbers

    res = analyse(numbers(sc))
    for u in res.utility.values():
        assert (abs(u) < float("inf")).all()


def test_formats_command_json(tmp_path, capsys):
    code = main(["formats", "--json", "--out", str(tmp_path / "out")])
    out, err = capsys.readouterr()
    assert code == 0, err
    data = json.loads(out)
    for key in ("bloc_format", "bilateral_format", "utility", "preferred", "choice", "power",
                "flip_points", "provenance"):
        assert key in data
    assert data["preferred"]["repeated"]["NATO"] == "bilateral"
    assert abs(sum(data["power"]["shapley_shubik"].values()) - 1) < 1e-12
    assert data["provenance"]["scenario"] == "nato_csto_members"
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == sorted(["formats.json", "formats.png", "formats.svg", "format_map.png",
                            "format_map.svg"])
    assert main(["formats", "--out", str(tmp_path / "out")]) == 2      # not overwritten
    assert "already exists" in capsys.readouterr().err


def test_formats_needs_a_bloc(tmp_path, capsys):
    assert main(["formats", "nato_csto_2007", "--out", str(tmp_path)]) == 2
    assert "blocs: missing" in capsys.readouterr().err
