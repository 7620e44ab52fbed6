"""Shared fixtures. The peers (axelrod, quantecon) are slow to import: once per session."""

import pytest


@pytest.fixture(scope="session")
def axl():
    """The Axelrod library (test extra), imported once per test session."""
    return pytest.importorskip("axelrod")


@pytest.fixture(scope="session")
def qe():
    """QuantEcon (test extra), imported once per test session."""
    return pytest.importorskip("quantecon")
