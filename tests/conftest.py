"""Shared fixtures: small, fast versions of the shipped scenarios."""

from __future__ import annotations

import pytest

import exitban


@pytest.fixture(scope="session")
def army_small() -> exitban.Scenario:
    """army-officers-2019 at 1% scale (10k agents), 120 days."""
    return exitban.load_scenario("army-officers-2019").with_overrides(scale=0.01, days=120)
