"""The README's Python examples run (the docs' pages are collected by pytest itself)."""

import doctest
from pathlib import Path


def test_readme_examples():
    readme = Path(__file__).parents[1] / "README.md"
    result = doctest.testfile(str(readme), module_relative=False,
                              optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 8 and result.failed == 0
