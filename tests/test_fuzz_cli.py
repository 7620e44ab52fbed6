"""Fuzz every subcommand (:mod:`fuzz_cli`): generated options and scenario files, each case
under a time and memory budget; zero tracebacks, hangs and multi-line errors. CI runs this
small derandomized share; the release run is ``BLOCSIM_FUZZ_CASES=10000 python
tests/fuzz_cli.py``."""

import os

from fuzz_cli import fuzz

CASES = int(os.environ.get("BLOCSIM_FUZZ_CI_CASES", "40"))


def test_every_subcommand_survives_generated_input():
    counts = fuzz(CASES, derandomize=bool(os.environ.get("CI")))  # the first is minimal
    assert counts["cases"] == CASES
    assert counts["exit 0"] and counts["exit 2"]          # both paths were exercised
