"""Runs shared by the docking tests: each (scenario, implementation) is simulated once per session."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from exitban.mesa.docking import engine_runs, mesa_runs, sized

# The size of every docking comparison: small enough for CI (2 cores, ~3 minutes for all
# of them), large enough that a broken rule shows (tests/docking/test_sensitivity.py).
AGENTS = 1_000
DAYS = 60
SEEDS = 30
PROCESSES = 2


@pytest.fixture(scope="session")
def runs() -> Callable[..., list[dict[str, float]]]:
    """``runs(name, "engine" | "mesa", **overrides)``: the per-seed docked outputs, cached."""
    cache: dict[tuple, list[dict[str, float]]] = {}

    def get(name: str, side: str, **overrides: Any) -> list[dict[str, float]]:
        key = (name, side, repr(sorted(overrides.items())))
        if key not in cache:
            sc = sized(name, AGENTS, DAYS, **overrides)
            cache[key] = engine_runs(sc, SEEDS) if side == "engine" else mesa_runs(sc, SEEDS, PROCESSES)
        return cache[key]

    return get
