"""The teaching report (``blocsim report``): its contents, its explorer grid against the
library, its size, and — in headless Chromium — the page itself: no console errors, no network,
sliders that show what the Python API computes, a lesson walkable with the keyboard."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sim
from sim.cli import main
from sim.equilibria import REGIMES, analyse_grid
from sim.report import browser
from sim.report.explorer import BLOCKED, axes, explorer_grid

SCENARIO = "nato_csto_2007"
NATO = "preferences.relative_gain_weight.NATO"
CSTO = "preferences.relative_gain_weight.CSTO"
ARTEFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "report"
MAX_BYTES = 3_000_000


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """The default scenario's report, written once by the command line."""
    path = tmp_path_factory.mktemp("report") / "report.html"
    assert main(["report", "--out", str(path)]) == 0
    return path


@pytest.fixture(scope="module")
def grid():
    return explorer_grid(sim.load(SCENARIO))


def _decode(grid, name, dtype):
    return np.frombuffer(base64.b64decode(grid[name]), dtype=dtype)


# -- the file ----------------------------------------------------------------------------------

def test_report_is_self_contained_and_small(report):
    html = report.read_text(encoding="utf-8")
    assert report.stat().st_size < MAX_BYTES
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)      # nothing fetched
    for section in ("explorer", "scenario", "games", "regime", "map", "tournament",
                    "evolution", "folk", "threat"):
        assert f'<section id="{section}"' in html
    assert html.count("<figcaption>") >= 7 and html.count("data-title=") == 8
    summary = sim.load(SCENARIO).analyse()
    assert f"Regime: <strong>{summary['regime']}</strong>" in html
    assert summary["scenario"]["source"] in html


def test_report_refuses_to_overwrite(report, capsys):
    assert main(["report", "--out", str(report)]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["report", "--out", str(report.parent)]) == 2       # a directory


def test_report_bad_scenario_is_one_line(tmp_path, capsys):
    assert main(["report", "no_such_scenario", "--out", str(tmp_path / "r.html")]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert not (tmp_path / "r.html").exists()


def test_report_bad_override_is_one_line(tmp_path, capsys):
    assert main(["report", "--set", "parameters.thret=2", "--out", str(tmp_path / "r.html")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "thret" in err[0] and "threat" in err[0]


def test_report_of_a_scenario_without_threat(tmp_path):
    """A classic game: three sliders (no threat), no threat section, the lesson still whole."""
    path = tmp_path / "pd.html"
    assert main(["report", "prisoners_dilemma", "--out", str(path)]) == 0
    html = path.read_text(encoding="utf-8")
    assert html.count('type="range"') == 3 and 'id="slider-3"' not in html
    assert '<section id="threat"' not in html and html.count("data-title=") == 8
    assert f"Regime: <strong>{sim.load('prisoners_dilemma').analyse()['regime']}</strong>" in html


# -- the explorer grid against the library ------------------------------------------------------

def test_grid_axes_hold_the_scenario_point():
    sc = sim.load(SCENARIO)
    for a in axes(sc):
        assert sc.value(a["key"]) in a["values"]


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_grid_is_the_library_at_every_point(grid, data):
    """Decoding the packed grid at a point gives what ``sim.load(...)`` computes there."""
    shape = [len(a["values"]) for a in grid["axes"]]
    idx = [data.draw(st.integers(0, n - 1)) for n in shape]
    point = {a["key"]: a["values"][i] for a, i in zip(grid["axes"], idx)}
    sc = sim.load(SCENARIO, overrides=point)
    code = int(_decode(grid, "regime", np.uint8).reshape(shape)[tuple(idx)])
    summary = sc.analyse()
    assert REGIMES[code % BLOCKED] == summary["regime"]
    assert (code >= BLOCKED) == summary["blocked_by_relative_gains"]
    stage = tuple(i for k, i in enumerate(idx) if k != 2)
    u = _decode(grid, "utility", np.float32).reshape(*[n for k, n in enumerate(shape) if k != 2],
                                                       8)[stage]
    game = sc.utility_game()
    np.testing.assert_allclose(u, np.r_[game.A.ravel(), game.B.ravel()], rtol=1e-5, atol=1e-5)
    types = _decode(grid, "types", np.uint8).reshape(*u.shape[:0], -1, 2)
    flat = np.ravel_multi_index(stage, [n for k, n in enumerate(shape) if k != 2])
    names = [grid["type_table"][int(c)]["ordering"] for c in types[flat]]
    assert names == [t.ordering for t in game.types()]
    pure = int(_decode(grid, "pure", np.uint8)[flat])
    outcomes = {e["outcome"] for e in summary["equilibria"] if e["pure"]}
    assert {o for b, o in enumerate(("CC", "CD", "DC", "DD")) if pure >> b & 1} == outcomes


# -- in headless Chromium ----------------------------------------------------------------------

needs_chromium = pytest.mark.skipif(
    not browser.available(),
    reason="headless Chromium not installed (apt-get install chromium chromium-driver; "
           ".ci/run does this)")


@pytest.fixture(scope="module")
def page(report):
    if not browser.available():
        pytest.skip("headless Chromium not installed")
    driver = browser.start()
    try:
        driver.get(report.as_uri())
        assert driver.execute_script("return window.blocsimReady === true")
        yield driver
    finally:
        driver.quit()


def _slider_to(driver, k: int, index: int):
    """Move slider ``k`` to grid index ``index`` with the keyboard (Home, then →)."""
    from selenium.webdriver.common.keys import Keys

    el = driver.find_element("id", f"slider-{k}")
    el.send_keys(Keys.HOME, *[Keys.ARROW_RIGHT] * index)
    assert int(el.get_attribute("value")) == index
    return driver.find_element("id", "regime-name").text


def _reset(driver, grid):
    for k, a in enumerate(grid["axes"]):
        _slider_to(driver, k, a["values"].index(grid_start(a["key"])))


def grid_start(key):
    return sim.load(SCENARIO).value(key)


def _axis(grid, key):
    k = next(i for i, a in enumerate(grid["axes"]) if a["key"] == key)
    return k, grid["axes"][k]["values"]


def _regime(**point) -> str:
    return sim.load(SCENARIO, overrides=point).analyse()["regime"]


@needs_chromium
def test_page_has_no_console_errors_and_no_network(page):
    log = [e for e in page.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    assert log == []
    assert page.execute_script("return performance.getEntriesByType('resource').length") == 0
    nav = page.execute_script("return performance.getEntriesByType('navigation')[0].name")
    assert nav.startswith("file://")
    assert page.find_element("id", "regime-name").text == sim.load(SCENARIO).analyse()["regime"]


def _across(page, grid, key, value, fixed=()):
    """The grid values either side of ``value`` on ``key``'s axis: the page shows the Python
    API's regime at each, and the regime differs across ``value``."""
    _reset(page, grid)
    for k2, v2 in fixed:
        k, values = _axis(grid, k2)
        _slider_to(page, k, values.index(v2))
    k, values = _axis(grid, key)
    below = max(i for i, v in enumerate(values) if v < value)
    above = min(i for i, v in enumerate(values) if v > value)
    seen = []
    for i in (below, above):
        point = {**dict(fixed), key: values[i]}
        shown = _slider_to(page, k, i)
        assert shown == _regime(**point), (key, values[i])
        seen.append(shown)
    assert seen[0] != seen[1]


@needs_chromium
def test_nato_weight_slider_across_the_critical_weight(page, grid):
    critical = sim.load(SCENARIO).analyse()["critical_weight"]["NATO"]
    _across(page, grid, NATO, critical)


@needs_chromium
def test_discount_slider_across_the_grim_threshold(page, grid):
    liberal = sim.load(SCENARIO, overrides={NATO: 0.0}).analyse()
    _across(page, grid, "repeated.discount", liberal["thresholds"]["grim"]["both"],
            fixed=[(NATO, 0.0)])


@needs_chromium
def test_threat_slider_across_the_turn(page, grid):
    """The threat at which the scenario's regime first changes (one vectorised call)."""
    sc = sim.load(SCENARIO)
    t = np.linspace(0, 5, 5001)
    A, B, r_row, r_col, delta = sc.inputs({"parameters.threat": t})
    code, _ = analyse_grid(A, B, r_row, r_col, delta)
    start = int(np.searchsorted(t, sc.value("parameters.threat")))
    turn = start + int(np.argmax(code[start:] != code[start]))
    _across(page, grid, "parameters.threat", (t[turn - 1] + t[turn]) / 2)


@needs_chromium
def test_lesson_walks_with_the_keyboard(page):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.refresh()                            # focus starts at the top of the document
    assert page.execute_script("return window.blocsimReady === true")
    keys = ActionChains(page)
    keys.send_keys(Keys.TAB).perform()
    assert page.switch_to.active_element.get_attribute("id") == "lesson-start"
    keys.send_keys(Keys.ENTER).perform()
    count = page.find_element("id", "lesson-count")
    titles = []
    for step in range(1, 9):
        assert count.text == f"Step {step} of 8"
        assert page.execute_script(
            "return document.querySelector('#lesson-body .slot').children.length") == 1
        titles.append(page.find_element("id", "lesson-title").text)
        page.save_screenshot(str(ARTEFACTS / f"lesson-step-{step}.png"))
        ActionChains(page).send_keys(Keys.ARROW_RIGHT).perform()
    assert count.text == "Step 8 of 8"                      # no step after the last
    assert len(set(titles)) == 8
    ActionChains(page).send_keys(Keys.ARROW_LEFT).perform()
    assert count.text == "Step 7 of 8"
    ActionChains(page).send_keys(Keys.ESCAPE).perform()
    assert not page.find_element("id", "lesson").is_displayed()
    assert page.switch_to.active_element.get_attribute("id") == "lesson-start"
