"""The examples in docs/evolution.md run and print what the page says."""

import doctest
from pathlib import Path


def test_docs_page_examples():
    page = Path(__file__).resolve().parents[2] / "docs" / "evolution.md"
    result = doctest.testfile(str(page), module_relative=False,
                              optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 10 and result.failed == 0
