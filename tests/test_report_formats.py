"""The report's formats section (bloc against bilateral, :mod:`sim.report.formats`): its
numbers are ``blocsim formats``' numbers, the default scenario borrows its members' extension
(with the same overrides), a scenario without one points to ``blocsim formats``, and the
section renders in headless Chromium without console errors."""

from __future__ import annotations

import re
import tomllib

import pytest

import sim
from sim.blocs.summary import format_summary
from sim.cli import main
from sim.report import browser
from sim.report.formats import formats_section, members_extension
from sim.scenario.files import builtin_dir, builtin_names

MEMBERS = "nato_csto_members"


@pytest.fixture(scope="module")
def members_report(tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "members.html"
    assert main(["report", MEMBERS, "--out", str(path)]) == 0
    return path


def _section(html: str) -> str:
    return re.search(r'<section id="formats">.*?</section>', html, re.S).group(0)


def _check_numbers(section: str, s: dict):
    """Every utility, preference, the choice and each power index of ``s`` in ``section``."""
    assert f'<strong id="format-choice">{s["choice"]["repeated"]}</strong>' in section
    for mode in ("repeated", "deal"):
        table = re.search(rf'<table id="tab-formats-{mode}">.*?</table>', section, re.S).group(0)
        for a in s["players"] + s["members"]:
            row = re.search(rf"<tr><td>{a}</td>(.*?)</tr>", table).group(1)
            cells = re.findall(r"<td[^>]*>([^<]*)</td>", row)
            assert cells == [f"{s['utility'][mode][f][a]:.3g}" for f in
                             ("status quo", "bilateral", "bloc")] + [s["preferred"][mode][a]]
    power = re.search(r'<table id="tab-power">.*?</table>', section, re.S).group(0)
    for m in s["members"]:
        assert (f"<tr><td>{m}</td><td>{s['shares'][m]:.3g}</td>"
                f"<td>{s['power']['shapley_shubik'][m]:.3f}</td>") in power
    for f in s["flip_points"]:
        assert f"<code>{f['key']}</code> = {f['value']:.4g}" in section


def test_members_report_has_the_formats_comparison(members_report):
    html = members_report.read_text(encoding="utf-8")
    assert members_report.stat().st_size < 3_000_000
    section = _section(html)
    _check_numbers(section, format_summary(sim.load(MEMBERS)))
    for fid in ("fig-formats", "fig-format-map"):
        fig = re.search(rf'<figure id="{fid}".*?</figure>', section, re.S).group(0)
        assert "<svg" in fig and "<figcaption>" in fig
    assert 'class="note"' not in section                    # its own blocs: nothing borrowed
    assert '<a href="#formats">' in html
    assert "classroom exercise 11," in section


def test_each_lesson_step_names_its_exercises(members_report):
    from sim.report.lesson import EXERCISES

    html = members_report.read_text(encoding="utf-8")
    steps = re.findall(r'<section data-title=.*?</section>', html, re.S)
    assert len(steps) == 8
    for step in steps:
        note = re.search(r'<p class="exercise">Worked out in the classroom exercises? (.*?) '
                         r"\(blocsim", step).group(1)
        for item in note.split("; "):
            number, title = item.split(", ", 1)
            assert EXERCISES[int(number)] == title


def test_default_scenario_borrows_its_members_extension_with_its_overrides():
    """``nato_csto_2007`` has no blocs; its report shows ``nato_csto_members`` at the same
    ``--set`` values, and says so."""
    sc = sim.load("nato_csto_2007", overrides={"parameters.threat": 3.0})
    section = formats_section(sc)
    assert f"<code>{MEMBERS}</code>" in section and 'class="note"' in section
    s = format_summary(sim.load(MEMBERS, overrides={"parameters.threat": 3.0}))
    assert s != format_summary(sim.load(MEMBERS))            # the override matters here
    _check_numbers(section, s)


def test_a_scenario_without_members_points_to_blocsim_formats():
    section = formats_section(sim.load("prisoners_dilemma"))
    assert "<code>blocsim formats nato_csto_members</code>" in section and "<svg" not in section


def test_members_extension_is_the_builtin_that_extends_with_blocs(tmp_path):
    found = {}
    for name in builtin_names():
        raw = tomllib.loads((builtin_dir() / f"{name}.toml").read_text(encoding="utf-8"))
        if "blocs" in raw and raw["scenario"].get("extends"):
            found[raw["scenario"]["extends"]] = name
    assert found                                             # at least the NATO-CSTO pair
    for base in builtin_names():
        assert members_extension(sim.load(base)) == found.get(base)
    copy = tmp_path / "nato_csto_2007.toml"                  # a file of the same name: no
    copy.write_text((builtin_dir() / "nato_csto_2007.toml").read_text(encoding="utf-8"))
    assert members_extension(sim.load(str(copy))) is None


@pytest.mark.skipif(not browser.available(), reason="headless Chromium not installed "
                    "(apt-get install chromium chromium-driver; .ci/run does this)")
def test_formats_section_renders_without_console_errors(members_report):
    driver = browser.start()
    try:
        driver.get(members_report.as_uri())
        assert driver.execute_script("return window.blocsimReady === true")
        assert [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")] == []
        section = driver.find_element("id", "formats")
        driver.execute_script("arguments[0].scrollIntoView()", section)
        assert section.is_displayed()
        for fid in ("fig-formats", "fig-format-map"):
            box = driver.execute_script(
                f"return document.querySelector('#{fid} svg').getBoundingClientRect().width")
            assert box > 400                                 # drawn at a readable width
        choice = format_summary(sim.load(MEMBERS))["choice"]["repeated"]
        assert driver.find_element("id", "format-choice").text == choice
    finally:
        driver.quit()
