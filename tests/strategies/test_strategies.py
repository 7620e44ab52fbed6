"""Strategy library: a TestPlayer-style base class (PlayerTests) that every strategy test inherits (as in the
Axelrod library), plus the plain-data constructor."""

import math
import pickle

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import sim.strategies as S
from sim.play import simulate

PD = S.STANDARD_PD
PD_A = np.array([[3.0, 0.0], [5.0, 1.0]])


def run(aut, own, other):
    """Reference step-by-step player (test only): intended C probabilities along a history."""
    s, probs = 0, []
    for a, b in zip(own, other):
        probs.append(aut.coop[s])
        s = aut.next[s, a, b]
    probs.append(aut.coop[s])
    return probs


class PlayerTests:
    """Base class: set ``cls`` (and optionally ``axelrod``, ``versus``)."""

    cls = None
    axelrod = None  # name of the Axelrod library class with the same rule
    versus = ()  # (other's actions, expected own actions), deterministic strategies

    def make(self):
        return self.cls()

    def test_registered_under_name_and_aliases(self):
        assert S.lookup(self.cls.name) is self.cls
        for alias in self.cls.aliases:
            assert S.lookup(alias) is self.cls

    def test_docstring_names_a_source(self):
        doc = self.cls.__doc__
        assert doc and any(ch.isdigit() for ch in doc), "docstring must cite a source year"

    def test_classifier_keys_and_computed_values(self):
        s = self.make()
        assert tuple(s.classifier) == S.CLASSIFIER_KEYS
        aut = s.automaton(PD)
        assert s.classifier["finite_state"] == (aut is not None)
        if aut is not None:
            computed = S.automaton_classifier(aut, s.classifier["memory_depth"])
            assert computed == s.classifier

    def test_pickle_clone_and_plain_data_round_trip(self):
        s = self.make()
        assert pickle.loads(pickle.dumps(s)) == s
        again = S.strategy_from_data(s.to_dict())
        assert type(again) is type(s) and again.rule(PD) == s.rule(PD)

    @settings(max_examples=25, deadline=None,
              suppress_health_check=[HealthCheck.differing_executors])
    @given(st.data())
    def test_memory_depth(self, data):
        """After ``k = memory_depth`` turns, play depends only on the last ``k`` outcomes."""
        s = self.make()
        k = s.classifier["memory_depth"]
        aut = s.automaton(PD)
        if aut is None or math.isinf(k):
            return
        k = int(k)
        outcome = st.tuples(st.integers(0, 1), st.integers(0, 1))
        tail = data.draw(st.lists(outcome, min_size=k, max_size=k))
        h1 = data.draw(st.lists(outcome, max_size=6)) + tail
        h2 = data.draw(st.lists(outcome, max_size=6)) + tail
        if k == 0 or (len(h1) > 0 and len(h2) > 0):
            p1 = run(aut, *zip(*h1))[-1] if h1 else aut.coop[0]
            p2 = run(aut, *zip(*h2))[-1] if h2 else aut.coop[0]
            assert p1 == p2

    def test_versus(self):
        aut = self.make().automaton(PD)
        for other, expected in self.versus:
            own = [int(x == "D") for x in expected]
            other = [int(x == "D") for x in other]
            assert run(aut, own[:-1], other[:-1]) == [float(x == "C") for x in expected]

    def test_matches_axelrod(self, axl):
        """Identical per-match scores against every deterministic library strategy."""
        if self.axelrod is None:
            return
        s = self.make()
        opponents = [S.TFT(), S.AllD(), S.Alternator(), S.Grim(), S.Prober(), S.SoftMajority()]
        theirs = [axl.TitForTat, axl.Defector, axl.Alternator, axl.Grudger, axl.Prober,
                  axl.GoByMajority]
        rules = [s.rule(PD)] + [o.rule(PD) for o in opponents]
        counts, _ = simulate(rules, np.zeros(len(opponents), int), np.arange(1, len(rules)),
                             turns=40)
        for k, cls in enumerate(theirs):
            match = axl.Match((getattr(axl, self.axelrod)(), cls()), turns=40)
            match.play()
            mine = counts[k] @ np.array([[3, 3], [0, 5], [5, 0], [1, 1]])
            assert tuple(mine) == tuple(match.final_score()), cls.__name__


class TestAllC(PlayerTests):
    cls, axelrod = S.AllC, "Cooperator"
    versus = (("DDC", "CCC"),)


class TestAllD(PlayerTests):
    cls, axelrod = S.AllD, "Defector"
    versus = (("CCD", "DDD"),)


class TestTFT(PlayerTests):
    cls, axelrod = S.TFT, "TitForTat"
    versus = (("CDDC", "CCDD"),)


class TestSuspiciousTFT(PlayerTests):
    cls, axelrod = S.SuspiciousTFT, "SuspiciousTitForTat"
    versus = (("CDCC", "DCDC"),)


class TestWSLS(PlayerTests):
    cls, axelrod = S.WSLS, "WinStayLoseShift"
    versus = (("CDDCC", "CCDCC"),)


class TestAlternator(PlayerTests):
    cls, axelrod = S.Alternator, "Alternator"
    versus = (("DDDD", "CDCD"),)


class TestGrim(PlayerTests):
    cls, axelrod = S.Grim, "Grudger"
    versus = (("CDCCC", "CCDDD"),)


class TestTF2T(PlayerTests):
    cls, axelrod = S.TF2T, "TitFor2Tats"
    versus = (("DCDDCC", "CCCCDC"),)


class TestProber(PlayerTests):
    cls, axelrod = S.Prober, "Prober"
    versus = (("CCCCC", "DCCDD"), ("CDCDC", "DCCCD"))


class TestSoftMajority(PlayerTests):
    cls, axelrod = S.SoftMajority, "GoByMajority"


class TestHardMajority(PlayerTests):
    cls, axelrod = S.HardMajority, "HardGoByMajority"


class TestGTFT(PlayerTests):
    cls = S.GTFT

    def test_default_generosity_is_nowak_sigmund(self):
        assert self.make().vector(PD)[2] == pytest.approx(1 / 3)
        assert S.GTFT(0.1).vector(PD) == (1, 1, 0.1, 1, 0.1)

    def test_vector_matches_axelrod(self, axl):
        p = axl.GTFT()
        p.set_match_attributes(game=axl.Game())
        assert self.make().vector(PD)[1:] == pytest.approx(list(p._four_vector.values()))


class TestJoss(PlayerTests):
    cls = S.Joss

    def test_vector_matches_axelrod(self, axl):
        assert S.Joss().vector(PD)[1:] == tuple(axl.FirstByJoss()._four_vector.values())


class TestRandom(PlayerTests):
    cls = S.Random

    @pytest.mark.parametrize("p", [0.0, 0.3, 1.0])
    def test_classifier_depends_on_p(self, p):
        s = S.Random(p)
        assert s.classifier == S.automaton_classifier(s.automaton(), 0)


class TestExtort2(PlayerTests):
    cls = S.Extort2

    def test_vector_matches_axelrod(self, axl):
        p = axl.ZDExtort2()
        p.set_match_attributes(game=axl.Game())
        assert self.make().vector(PD)[1:] == pytest.approx(list(p._four_vector.values()))
        assert self.make().vector(PD)[1:] == pytest.approx((8 / 9, 1 / 2, 1 / 3, 0))


class TestZeroDeterminant(PlayerTests):
    cls = S.ZeroDeterminant

    def test_out_of_range_parameters_raise(self):
        with pytest.raises(ValueError, match="outside"):
            S.ZeroDeterminant(phi=1.0, s=0.5).vector(PD)


class TestMemoryOneVector(PlayerTests):
    cls = S.MemoryOneVector

    def make(self):
        return S.MemoryOneVector((1, 0.9, 0.2, 0.5, 0.1))


class TestFiniteStateMachine(PlayerTests):
    cls = S.FiniteStateMachine

    def make(self):
        return S.strategy_from_data({"fsm": {"start": "nice", "states": {
            "nice": {"play": "C", "C": "nice", "D": "angry"},
            "angry": {"play": "D", "CC": "nice", "CD": "angry", "DC": "nice", "DD": "angry"}}},
            "name": "my TFT"})

    def test_plays_like_tft(self):
        assert self.make().label == "my TFT"
        a, b = self.make().automaton(), S.TFT().automaton()
        rules = [a, b, S.Alternator().automaton(), S.Random(0.4).automaton()]
        row, col = np.array([0, 0, 1, 1]), np.array([2, 3, 2, 3])
        c, _ = simulate(rules, row, col, turns=50, noise=0.1, seed=3, match_ids=[0, 1, 0, 1])
        assert np.array_equal(c[:2], c[2:])


class TestMealyMachine(PlayerTests):
    cls = S.MealyMachine

    def make(self):
        return S.strategy_from_data({"mealy": {"transitions": [[1, "C", 1, "C"],
                                                                [1, "D", 2, "D"],
                                                                [2, "C", 1, "D"],
                                                                [2, "D", 2, "D"]],
                                               "initial_state": 1, "initial_action": "C"}})

    @pytest.mark.parametrize("name", ["Fortress3", "Fortress4", "Predator", "Raider",
                                      "Ripoff", "SolutionB1", "Thumper", "TF1"])
    def test_axelrod_machines_play_identically(self, axl, name):
        theirs = getattr(axl, name)()
        mine = S.strategy_from_data({"mealy": {
            "transitions": [[s, str(b), t, str(a)] for s, b, t, a in theirs.fsm.transitions()],
            "initial_state": theirs.initial_state,
            "initial_action": str(theirs.initial_action)}})
        opponents = [axl.TitForTat, axl.Alternator, axl.Prober, axl.WinStayLoseShift]
        rules = [mine.rule(PD), S.TFT().rule(PD), S.Alternator().rule(PD), S.Prober().rule(PD),
                 S.WSLS().rule(PD)]
        counts, _ = simulate(rules, np.zeros(4, int), np.arange(1, 5), turns=30)
        for k, cls in enumerate(opponents):
            match = axl.Match((getattr(axl, name)(), cls()), turns=30)
            match.play()
            assert tuple(counts[k] @ np.array([[3, 3], [0, 5], [5, 0], [1, 1]])) == \
                tuple(match.final_score())


# --------------------------------------------------------------------------------------------
# Registry and plain data
# --------------------------------------------------------------------------------------------

def test_registry_has_the_library():
    names = set(S.registry())
    for n in ("AllC", "AllD", "TFT", "TF2T", "Suspicious TFT", "Grim", "WSLS", "GTFT",
              "Random", "Joss", "Prober", "Alternator", "Extort-2", "ZD", "Memory-one", "FSM"):
        assert n in names
    assert S.lookup("pavlov") is S.WSLS and S.lookup("Tit-for-Tat") is S.TFT


def test_plain_data_forms():
    assert S.strategy_from_data([1, 1, 0, 1, 0]).rule(PD) == S.TFT().rule(PD)
    assert S.strategy_from_data({"strategy": "GTFT", "generosity": 0.2}) == S.GTFT(0.2)
    assert S.strategy_from_data({"memory_one": [1, 1, 0, 0, 1], "name": "P"}).label == "P"
    assert S.strategy_from_data(S.TFT()) == S.TFT()


@pytest.mark.parametrize("data, message", [
    ("Nobody", "unknown strategy 'Nobody'"),
    ([1, 2, 0, 1, 0], r"must lie in \[0, 1\]"),
    ([1, 0, 1], "must be 5 numbers"),
    ({"memory_one": [1, 1, 0, 1, 0], "fsm": {}}, "exactly one of"),
    ({"strategy": "GTFT", "generosity": 2}, r"GTFT generosity must lie in \[0, 1\]"),
    ({"strategy": "GTFT", "p": 0.2}, "takes parameters"),
    ({"strategy": "TFT", "x": 1}, "takes parameters"),
    ({"fsm": {"states": {"a": {"play": "C", "C": "a", "D": "b"}}}}, "'b' is not a state"),
    ({"fsm": {"states": {"a": {"play": "X", "C": "a", "D": "a"}}}}, "play must be"),
    ({"fsm": {"states": {"a": {"play": "C", "C": "a"}}}}, "transitions must be keys"),
    ({"fsm": {"states": {"a": {"play": "C", "C": "a", "D": "a"}}, "start": "z"}},
     "start 'z' is not a state"),
    ({"fsm": {"states": {}}}, "non-empty"),
    ({"mealy": {"transitions": [[1, "C", 1, "C"]]}}, "no transition from state 1 on D"),
    (3.5, "expected a name"),
])
def test_bad_plain_data_raises_one_line_value_error(data, message):
    with pytest.raises(ValueError, match=message) as e:
        S.strategy_from_data(data, where="scenario.toml: tournament.strategies[0]")
    assert str(e.value).startswith("scenario.toml: tournament.strategies[0]: ")
    assert "\n" not in str(e.value)


# --------------------------------------------------------------------------------------------
# Meta-tests: the registry, its tests and its documentation agree
# --------------------------------------------------------------------------------------------

def _test_classes(base=PlayerTests):
    for sub in base.__subclasses__():
        yield sub
        yield from _test_classes(sub)


def test_every_registered_strategy_has_its_test_class():
    tested = {t.cls for t in _test_classes() if t.cls is not None}
    missing = [name for name, cls in S.registry().items() if cls not in tested]
    assert not missing, f"strategies without a PlayerTests class: {missing}"


def test_the_docs_strategy_table_is_the_generated_one():
    from pathlib import Path

    from sim.strategies.catalogue import markdown_table

    text = (Path(__file__).parents[2] / "docs" / "strategies.md").read_text(encoding="utf-8")
    start = text.index("| name (aliases) |")
    table = text[start:text.index("\n<!-- end of strategy table -->", start)]
    assert table == markdown_table()


def test_filtered_matches_the_computed_classifiers():
    everyone = S.filtered()
    assert {type(s) for s in everyone} == {c for c in S.registry().values()
                                           if not c.__dict__.get("family")}
    for key, value in (("memory_depth", 1), ("stochastic", False), ("nice", True),
                       ("memory_depth", math.inf), ("finite_state", False)):
        assert S.filtered(**{key: value}) == [s for s in everyone if s.classifier[key] == value]
    assert {s.name for s in S.filtered(finite_state=False)} == {"Soft Majority", "Hard Majority"}
    with pytest.raises(TypeError, match="unknown classifier 'kind'"):
        S.filtered(kind="nice")


@pytest.mark.parametrize("cls, depth", [(S.AllC, 0), (S.TFT, 1), (S.WSLS, 1), (S.TF2T, 2),
                                        (S.Grim, math.inf), (S.Prober, math.inf)])
def test_memory_depth_is_computed_as_the_axelrod_library_declares(cls, depth, axl):
    """Axelrod's classifiers are declared by hand; ours are computed from the automaton."""
    assert S.memory_depth(cls().automaton()) == depth
    names = {S.AllC: "Cooperator", S.TFT: "TitForTat", S.WSLS: "WinStayLoseShift",
             S.TF2T: "TitFor2Tats", S.Grim: "Grudger", S.Prober: "Prober"}
    assert axl.Classifiers["memory_depth"](getattr(axl, names[cls])()) == depth
