"""Shared fixtures. The peers (axelrod, quantecon) are slow to import: once per session.

Under CI (``CI`` set) hypothesis is derandomized: every CI run tries the same examples, so a
green run stays green and a red one can be replayed; local runs keep exploring new examples.
"""

import os

import pytest
from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def axl():
    """The Axelrod library (test extra), imported once per test session."""
    return pytest.importorskip("axelrod")


@pytest.fixture(scope="session")
def qe():
    """QuantEcon (test extra), imported once per test session."""
    return pytest.importorskip("quantecon")
