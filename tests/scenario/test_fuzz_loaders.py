"""Fuzzing every loader: thousands of malformed inputs, zero tracebacks.

Each loader either returns a valid scenario whose numbers are finite, or raises
:class:`sim.errors.UserError` whose message is one line saying what is allowed. Any other
exception (or a numpy warning, turned into an error here) is a bug in the loader.
"""

import copy
import functools
import json
import math
import re
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim import scenario
from sim.errors import UserError

pytestmark = pytest.mark.filterwarnings("error")



def fuzz(examples: int):
    """Hypothesis settings for a loader fuzz test with ``examples`` examples."""
    return settings(max_examples=examples, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@functools.cache
def bases() -> dict:
    """Raw dicts of every built-in scenario (``extends`` merged)."""
    return {name: scenario.read(name)[1] for name in scenario.builtin_names()}


@functools.cache
def texts() -> dict:
    return {name: scenario.resolve(name)[1] for name in scenario.builtin_names()}


def assert_user_error(exc: UserError) -> None:
    message = str(exc)
    assert message and len(message.splitlines()) == 1 and "\n" not in message, message
    assert "allowed:" in message, message
    assert "Traceback" not in message


def assert_valid(sc: scenario.Scenario) -> None:
    """A scenario that loaded gives finite numbers everywhere it is used."""
    A, B, r_row, r_col, delta = sc.inputs()
    for x in (A, B, r_row, r_col, delta):
        assert np.all(np.isfinite(x))
    assert 0 <= r_row <= 1 and 0 <= r_col <= 1 and 0 <= delta < 1
    U = sc.utility_game()
    assert np.all(np.isfinite(U.A)) and np.all(np.isfinite(U.B))
    assert all(sc.has_key(k) for k in sc.numeric_keys())
    assert sc.players[0] != sc.players[1]
    json.dumps(sc.raw, allow_nan=False)


def attempt(load, *args):
    """Run a loader: a valid scenario is checked, a UserError must be one line."""
    try:
        sc = load(*args)
    except UserError as exc:
        assert_user_error(exc)
        return None
    assert_valid(sc)
    return sc


# --------------------------------------------------------------------------------------------
# Strategies
# --------------------------------------------------------------------------------------------

KNOWN = ["scenario", "name", "extends", "title", "description", "source", "players", "row",
         "column", "payoffs", "T", "R", "P", "S", "factors", "theory", "CC", "CD", "DC", "DD",
         "scale", "note", "parameters", "threat", "preferences", "relative_gain_weight",
         "grieco_k", "actors", "repeated", "discount", "noise", "NATO", "CSTO", "Row", "Column",
         "Kazakhstan", "liberal", "realist"]

EDGE_NUMBERS = [math.nan, math.inf, -math.inf, 1e308, -1e308, 1e12, 1e12 + 1, -1e12, -0.0, 0,
                1, -1, 2, 0.5, 0.9999999999, 1.0000001, 5e-324, 10**30, -(10**400), 10**6,
                10**6 + 1, True, False]

KEYS = st.one_of(st.sampled_from(KNOWN), st.text(max_size=8))

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.sampled_from(EDGE_NUMBERS),
    st.floats(), st.floats(min_value=-3, max_value=3), st.text(max_size=12),
    st.sampled_from(KNOWN), st.datetimes(), st.dates(), st.times(), st.binary(max_size=4))

JUNK = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(KEYS, inner, max_size=4), max_leaves=8)


def locations(node, prefix=()):
    """Every (path, value) below ``node``; paths are tuples of keys and indices."""
    out = []
    if isinstance(node, dict):
        for k, v in node.items():
            out.append((prefix + (k,), v))
            out += locations(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out.append((prefix + (i,), v))
            out += locations(v, prefix + (i,))
    return out


def parent_of(raw, path):
    node = raw
    for part in path[:-1]:
        node = node[part]
    return node


def near_miss(word: str, draw) -> str:
    if not word:
        return "x"
    i = draw(st.integers(0, len(word) - 1))
    return draw(st.sampled_from([word[:i] + word[i + 1:], word[:i] + word[i] * 2 + word[i + 1:],
                                 word.swapcase(), word + "s", word.replace("_", "-")]))


def mutate(raw: dict, draw) -> dict:
    """One random mutation of a raw scenario dict."""
    places = locations(raw)
    op = draw(st.sampled_from(["drop", "replace", "number", "insert", "wrap", "rename",
                               "move"]))
    if not places:
        op = "insert"
    if op == "insert":
        tables = [()] + [p for p, v in places if isinstance(v, dict)]
        path = draw(st.sampled_from(tables))
        target = raw if not path else parent_of(raw, path)[path[-1]]
        target[draw(KEYS)] = draw(JUNK)
        return raw
    path, value = draw(st.sampled_from(places))
    parent = parent_of(raw, path)
    key = path[-1]
    if op == "drop":
        del parent[key]
    elif op == "replace":
        parent[key] = draw(JUNK)
    elif op == "number":
        parent[key] = draw(st.sampled_from(EDGE_NUMBERS) | st.floats())
    elif op == "wrap":
        parent[key] = draw(st.sampled_from([[value], {draw(KEYS): value}, [[value]], []]))
    elif op == "rename" and isinstance(parent, dict):
        parent[near_miss(str(key), draw)] = parent.pop(key)
    elif op == "move":
        dest, _ = draw(st.sampled_from(places))
        dest_parent = parent_of(raw, dest)
        if dest[:len(path)] != path:
            dest_parent[dest[-1]] = copy.deepcopy(value)
    return raw


@st.composite
def mutated_raw(draw, max_mutations=4):
    raw = copy.deepcopy(bases()[draw(st.sampled_from(sorted(bases())))])
    for _ in range(draw(st.integers(1, max_mutations))):
        raw = mutate(raw, draw)
    return raw


# --------------------------------------------------------------------------------------------
# from_dict
# --------------------------------------------------------------------------------------------

@fuzz(2000)
@given(mutated_raw())
def test_from_dict_on_mutated_scenarios(raw):
    attempt(scenario.from_dict, raw, "fuzz.toml")


@fuzz(300)
@given(JUNK)
def test_from_dict_on_anything(raw):
    attempt(scenario.from_dict, raw, "fuzz.toml")


@fuzz(150)
@given(st.data())
def test_whole_analysis_on_extreme_valid_numbers(data):
    """Numbers at the edges of what is allowed go through the whole analysis, finite JSON out."""
    from sim import analysis

    raw = copy.deepcopy(bases()[data.draw(st.sampled_from(sorted(bases())))])
    numbers = [(p, v) for p, v in locations(raw)
               if isinstance(v, (int, float)) and not isinstance(v, bool)]
    extreme = st.sampled_from([0, -0.0, 1e-300, 5e-324, 1e12, -1e12, 0.5, 1, 2, 1e6, 0.999999])
    for path, _ in data.draw(st.lists(st.sampled_from(numbers), min_size=1, max_size=6)):
        parent_of(raw, path)[path[-1]] = data.draw(extreme | st.floats(-1e12, 1e12))
    sc = attempt(scenario.from_dict, raw, "fuzz.toml")
    if sc is not None:
        summary = analysis.summarize(sc)
        json.dumps(summary, allow_nan=False)


# --------------------------------------------------------------------------------------------
# load (files)
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def fuzz_file(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz") / "fuzz.toml"


def load_bytes(path, data: bytes):
    path.write_bytes(data)
    return attempt(scenario.load, str(path))


@fuzz(400)
@given(data=st.binary(max_size=400))
def test_load_random_bytes(fuzz_file, data):
    load_bytes(fuzz_file, data)


@fuzz(400)
@given(text=st.text(max_size=400))
def test_load_random_text(fuzz_file, text):
    load_bytes(fuzz_file, text.encode("utf-8", "surrogatepass"))


TOKENS = ["nan", "inf", "-inf", '"x"', "[1, 2, 3]", "{ a = 1 }", "true", "1e999", "-0",
          "0x10", "1979-05-27", "1979-05-27T07:32:00Z", '"""', "[", "]", "[[", "]]", "=", "\n",
          "\x00", "\ufeff", ".", "'", '"fuzz.toml"', '"./fuzz.toml"', '"/"', '".."', '"."',
          '"nato_csto_2007"', '"common_threat"', "[scenario]\nextends = 'fuzz.toml'\n",
          "[" * 300, "a." * 100 + "b = 1", "1" * 5000, "\xe9", "\r\n", "\t", " ", "#"]
_TOKEN_RE = re.compile(r'-?\d+(\.\d+)?|"[^"\n]*"|\w+|[\[\]{}=,]')


@st.composite
def mutated_text(draw):
    text = texts()[draw(st.sampled_from(sorted(texts())))]
    for _ in range(draw(st.integers(1, 5))):
        op = draw(st.sampled_from(["token", "token", "delete", "insert", "duplicate"]))
        if op == "token":
            spans = [m.span() for m in _TOKEN_RE.finditer(text)]
            a, b = draw(st.sampled_from(spans))
            new = draw(st.sampled_from(TOKENS) | st.text(max_size=6)
                       | st.sampled_from(KNOWN).map(lambda k: near_miss(k, draw)))
            text = text[:a] + new + text[b:]
        elif op == "delete":
            a = draw(st.integers(0, len(text)))
            text = text[:a] + text[a + draw(st.integers(1, 40)):]
        elif op == "insert":
            a = draw(st.integers(0, len(text)))
            line = draw(st.sampled_from(KNOWN)) + " = " + draw(st.sampled_from(TOKENS))
            text = text[:a] + draw(st.sampled_from([line + "\n", "\n" + line + "\n",
                                                    draw(st.text(max_size=10))])) + text[a:]
        else:
            lines = text.split("\n")
            i = draw(st.integers(0, len(lines) - 1))
            text = "\n".join(lines[:i + 1] + lines[i:])
    return text


@fuzz(1000)
@given(text=mutated_text())
def test_load_mutated_toml(fuzz_file, text):
    load_bytes(fuzz_file, text.encode("utf-8", "surrogatepass"))


@fuzz(200)
@given(name=st.text(max_size=40) | st.sampled_from(["", ".", "..", "/", "~", "nato_csto",
                                                      "x" * 5000, "a\x00b.toml"]))
def test_load_random_names(name):
    attempt(scenario.load, name)


# --------------------------------------------------------------------------------------------
# parse_overrides / apply_override
# --------------------------------------------------------------------------------------------

PARTS = st.one_of(st.sampled_from(KNOWN + ["0", "1", "10", "99", "-1", "", " ", "²", "1" * 50]),
                  st.text(max_size=6))
VALUES = st.one_of(st.sampled_from(TOKENS + ["0.3", "0.95", "2", "-1", "NATO", "[1, 2]",
                                             "[[1, 2], [3, 4]]", "{T=1, R=2, P=0, S=-1}",
                                             "realist", "'liberal'", "a = 1\nb = 2"]),
                   st.text(max_size=12))


VALID_KEYS = ["repeated.discount", "repeated.noise", "parameters.threat", "players.row",
              "preferences.relative_gain_weight.NATO", "preferences.relative_gain_weight.Row",
              "preferences.grieco_k.CSTO", "preferences.actors.NATO", "factors.0.CC",
              "factors.1.CC.0", "factors.0", "payoffs.T", "payoffs.Row", "payoffs.row",
              "scenario.title", "scenario.name", "parameters", "preferences"]


@st.composite
def override_items(draw):
    if draw(st.booleans()):  # mostly well-formed: a real key (or a near miss), a fitting value
        key = draw(st.sampled_from(VALID_KEYS))
        if draw(st.integers(0, 4)) == 0:
            key = near_miss(key, draw)
        value = draw(st.floats(0, 0.99).map(str) | st.sampled_from(
            ["0.3", "2", "[1, 2]", "'USA'", "{T = 1, R = 2, P = 0, S = -1}", "[[1, 2], [3, 4]]",
             "{threat = 3}", "{name = 'x', theory = 'realist', CC = [1, -1]}"]) | VALUES)
        return f"{key}={value}"
    key = ".".join(draw(st.lists(PARTS, min_size=1, max_size=5)))
    sep = draw(st.sampled_from(["=", "=", "=", "==", "", " = "]))
    return key + sep + draw(VALUES)


@fuzz(1000)
@given(name=st.sampled_from(["nato_csto_2007", "prisoners_dilemma", "bilateral_pfp"]),
       items=st.lists(override_items(), min_size=1, max_size=3))
def test_overrides_on_random_key_value_strings(name, items):
    where, raw = "fuzz.toml", bases()[name]
    try:
        pairs = scenario.parse_overrides(items)
    except UserError as exc:
        assert_user_error(exc)
        return
    attempt(scenario.from_dict, raw, where, pairs)


@fuzz(300)
@given(raw=JUNK | mutated_raw(2), key=st.lists(PARTS, min_size=1, max_size=4).map(".".join),
       value=JUNK)
def test_apply_override_on_anything(raw, key, value):
    raw = copy.deepcopy(raw)
    if not isinstance(raw, dict):
        raw = {"x": raw}
    try:
        scenario.apply_override(raw, key, value)
    except UserError as exc:
        assert_user_error(exc)
