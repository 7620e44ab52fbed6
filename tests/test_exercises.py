"""The classroom exercises (``docs/exercises.md``): their answer key cannot drift.

pytest runs the page's Python blocks as doctests (``--doctest-glob=*.md``): each prints
blocsim's answer next to the by-hand formula in exact fractions. This module checks the page's
shape (each exercise has a question, a ``blocsim`` command, a worked answer with doctests) and
that the prose of every answer quotes only numbers that the exercise's question gives or that
its doctests and command transcripts print: a number typed into an answer by hand fails.
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest

PAGE = Path(__file__).resolve().parents[1] / "docs" / "exercises.md"
FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```[ \t]*$", re.M | re.S)
#: Decimal numbers and fractions a/b in prose (integers alone are counts and years; §2.6 is a
#: section of the report).
NUMBER = re.compile(r"(?<![\w.§])(\d+/\d+|\d*\.\d+)(?![\w.]*\d)")


def exercises() -> list[tuple[str, str]]:
    """``[(heading, body)]`` of every ``## Exercise N: ...`` section."""
    text = PAGE.read_text(encoding="utf-8")
    parts = re.split(r"^## (Exercise \d+: .*)$", text, flags=re.M)
    return list(zip(parts[1::2], parts[2::2]))


EXERCISES = exercises()


def _prose(text: str) -> str:
    """``text`` without fenced blocks and inline code."""
    return re.sub(r"`[^`\n]*`", " ", FENCE.sub(" ", text))


def _printed(body: str) -> str:
    """What the exercise's blocks print: doctest outputs and console transcripts' outputs."""
    out = []
    for kind, block in FENCE.findall(body):
        for line in block.splitlines():
            if kind == "python" and not line.startswith((">>>", "...")):
                out.append(line)
            elif kind == "console" and not line.startswith("$ "):
                out.append(line)
    return "\n".join(out)


def _shown(token: str, printed: str, given: str) -> bool:
    if re.search(rf"(?<![\w.]){re.escape(token)}(?![\w]|\.\d)", given):
        return True
    if "/" in token:
        a, b = token.split("/")
        f = Fraction(int(a), int(b))
        return f"Fraction({f.numerator}, {f.denominator})" in printed
    return re.search(rf"(?<![\w.]){re.escape(token)}(?![\w]|\.\d)", printed) is not None


def test_there_are_enough_exercises_numbered_in_order():
    numbers = [int(re.match(r"Exercise (\d+)", h).group(1)) for h, _ in EXERCISES]
    assert len(numbers) >= 10 and numbers == list(range(1, len(numbers) + 1))


@pytest.mark.parametrize("heading, body", EXERCISES, ids=[h.split(":")[0] for h, _ in EXERCISES])
def test_exercise_has_question_command_and_worked_answer(heading, body):
    question, sep, answer = body.partition("### Answer")
    assert sep, f"{heading}: no '### Answer'"
    assert "**Question.**" in question
    consoles = [b for k, b in FENCE.findall(question) if k == "console"]
    assert any(line.startswith("$ blocsim ") for b in consoles for line in b.splitlines()), \
        f"{heading}: no blocsim command for a student with the command line"
    doctests = [b for k, b in FENCE.findall(answer) if k == "python"]
    assert any(">>> " in b for b in doctests), f"{heading}: the answer is computed nowhere"


@pytest.mark.parametrize("heading, body", EXERCISES, ids=[h.split(":")[0] for h, _ in EXERCISES])
def test_answer_quotes_only_numbers_that_are_given_or_computed(heading, body):
    question, _, answer = body.partition("### Answer")
    printed = _printed(body)
    given = _prose(question)
    typed = [t for t in NUMBER.findall(_prose(answer)) if not _shown(t, printed, given)]
    assert not typed, f"{heading}: numbers in the answer that nothing prints: {typed}"


def test_the_number_check_catches_a_typed_number():
    """The check is not vacuous: a number the blocks do not print is reported."""
    heading, body = EXERCISES[2]
    question, _, answer = body.partition("### Answer")
    printed, given = _printed(body), _prose(question)
    assert _shown("16/21", printed, given) and _shown("0.762", printed, given)
    assert not _shown("17/21", printed, given) and not _shown("0.763", printed, given)


def test_the_report_names_the_exercises_by_their_headings():
    """The HTML report's lesson steps point to exercises by number and title
    (:data:`sim.report.lesson.EXERCISES`): the same as this page's headings."""
    from sim.report.lesson import EXERCISES as named

    assert {int(re.match(r"Exercise (\d+): (.*)", h).group(1)): re.match(
        r"Exercise (\d+): (.*)", h).group(2) for h, _ in EXERCISES} == named
