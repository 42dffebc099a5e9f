"""Runs shared by the docking tests: each (scenario, implementation) is simulated once per session."""

from __future__ import annotations

from typing import Any

import pytest

from exitban.mesa.docking import engine_runs, mesa_runs, sized
from exitban.scenario import Scenario


class DockingRuns:
    """Per-seed docked outputs of either implementation at the CI docking size, cached by scenario."""

    # Small enough for CI (2 cores, about three minutes for all the docking tests), large
    # enough that a broken rule shows (test_sensitivity.py).
    agents = 1_000
    days = 60
    seeds = 30
    processes = 2

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str, str], list[dict[str, float]]] = {}

    def scenario(self, name: str, **overrides: Any) -> Scenario:
        return sized(name, self.agents, self.days, **overrides)

    def __call__(self, name: str, side: str, **overrides: Any) -> list[dict[str, float]]:
        key = (name, side, repr(sorted(overrides.items())))
        if key not in self._cache:
            sc = self.scenario(name, **overrides)
            if side == "engine":
                self._cache[key] = engine_runs(sc, self.seeds)
            else:
                self._cache[key] = mesa_runs(sc, self.seeds, self.processes)
        return self._cache[key]


@pytest.fixture(scope="session")
def runs() -> DockingRuns:
    return DockingRuns()
