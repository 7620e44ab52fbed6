"""Every author–year citation in the code and the docs has a full entry in docs/bibliography.md.

A citation is one or more capitalised surnames ("Snidal", "Abreu, Pearce & Stacchetti",
"Hilbe et al.", "von Stengel", "L'Ecuyer & Lemieux", a possessive "Kydd's") followed by a year,
with or without a parenthesis, in any ``.py`` or ``.toml`` file under ``sim/`` (docstrings and
comments, a citation may wrap across lines) and in ``docs/*.md``. It is covered when one entry
of the bibliography holds its year, as ``(YYYY``, and every one of its surnames.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
BIBLIOGRAPHY = ROOT / "docs" / "bibliography.md"
_NAME = r"(?:(?:von|van|de) |L')?[A-Z][\w'-]*[a-z][\w'-]*"
CITATION = re.compile(rf"(?P<names>{_NAME}(?:(?:, | and | & ){_NAME})*(?: et al\.)?)(?:'s)?,? "
                      rf"\(?(?P<year>(?:1[89]|20)\d\d)(?![\d/])")
#: Capitalised words before a year that are no citation: sentence openers, months, a title.
NOT_AUTHORS = {"In", "The", "From", "General", "January", "February", "March", "April", "May",
               "June", "July", "August", "September", "October", "November", "December"}
#: Abbreviations the code uses for a source, and the surname its entry holds.
ABBREVIATIONS = {"JYC": "Judd"}


def sources():
    files = [f for f in (ROOT / "sim").rglob("*") if f.suffix in (".py", ".toml")]
    files += [f for f in sorted((ROOT / "docs").glob("*.md")) if f != BIBLIOGRAPHY]
    return files


def citations(text: str):
    """{(surnames, year)} cited in ``text``; line breaks and comment markers are joined."""
    text = re.sub(r"\s*\n\s*(?:#:?\s*)?", " ", text)
    found = set()
    for m in CITATION.finditer(text):
        names = m["names"].removesuffix(" et al.")
        surnames = tuple(n.removesuffix("'s") for n in re.split(r", | and | & ", names)
                         if n not in NOT_AUTHORS)
        if surnames:
            found.add((tuple(ABBREVIATIONS.get(n, n) for n in surnames), m["year"]))
    return found


def entries():
    text = BIBLIOGRAPHY.read_text(encoding="utf-8")
    return [" ".join(e.split()) for e in re.findall(r"^- (.*?)(?=^- |^#|\Z)", text, re.M | re.S)]


def test_citation_pattern_reads_the_forms_the_code_uses():
    assert citations("(Snidal 1991)") == {(("Snidal",), "1991")}
    assert citations("Abreu, Pearce & Stacchetti's (1990) condition") == {
        (("Abreu", "Pearce", "Stacchetti"), "1990")}
    assert citations("Imhof, Fudenberg &\n    #: Nowak 2005)") == {
        (("Imhof", "Fudenberg", "Nowak"), "2005")}
    assert citations("Hilbe et al.'s (2013, eq. 14)") == {(("Hilbe",), "2013")}
    assert citations("von Stengel 2002; L'Ecuyer & Lemieux 2002") == {
        (("von Stengel",), "2002"), (("L'Ecuyer", "Lemieux"), "2002")}
    assert citations("In 2004 the CSTO; FFI-rapport 2007/01671; 25 June 2007") == set()


CITED = sorted({c: f.relative_to(ROOT).as_posix() for f in sources()
                for c in citations(f.read_text(encoding="utf-8"))}.items())


@pytest.mark.parametrize("citation, where", CITED,
                         ids=[f"{' & '.join(n)} {y}" for (n, y), _ in CITED])
def test_every_citation_has_an_entry(citation, where):
    surnames, year = citation
    matching = [e for e in entries() if f"({year}" in e and all(n in e for n in surnames)]
    assert matching, (f"{where} cites {' & '.join(surnames)} {year}: no entry in "
                      f"docs/bibliography.md holds the year and every surname")


def test_entries_are_full_references():
    """Each entry names its authors, a year in parentheses and a title or venue in italics."""
    bad = [e for e in entries() if not re.search(r"\((?:1[89]|20)\d\d", e) or "*" not in e]
    assert not bad and len(entries()) >= 100, bad
    assert len(CITED) >= 100
