"""Docking: the engine and the Mesa model give the same output distributions on every shipped scenario."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from exitban import load_scenario
from exitban.loader import list_scenarios
from exitban.mesa.docking import DockingReport, compare

from .conftest import AGENTS, DAYS, SEEDS


def report(name: str, engine: list, mesa: list) -> DockingReport:
    rep = DockingReport(name, AGENTS, DAYS, SEEDS, 0.01)
    rep.tests = compare(engine, mesa)
    return rep


@pytest.mark.parametrize("name", list_scenarios())
def test_engine_and_mesa_dock(name: str, runs: Callable[..., list]) -> None:
    """No key output differs between the two implementations beyond the stated tolerance."""
    rep = report(name, runs(name, "engine"), runs(name, "mesa"))
    assert len(rep.tests) >= 15, rep.table()  # most outputs occur at this size
    assert rep.docked, rep.table()


def test_cascade_when_the_ban_is_lifted_docks(runs: Callable[..., list]) -> None:
    """O7: lifting the ban half-way through gives the same cascade (share who leave afterwards) in both."""
    regime = load_scenario("army-officers-2019").regime.model_copy(update={"ban_lift_day": DAYS // 2})
    engine = runs("army-officers-2019", "engine", regime=regime)
    mesa = runs("army-officers-2019", "mesa", regime=regime)
    rep = report("army-officers-2019 lifted on day 30", engine, mesa)
    cascade = next(t for t in rep.tests if t.output == "cascade_share")
    assert cascade.engine_mean > 0.01  # the lift does set off a cascade worth docking
    assert rep.docked, rep.table()
