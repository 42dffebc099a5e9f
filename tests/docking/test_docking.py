"""Docking: the engine and the Mesa model give the same output distributions on every shipped scenario."""

from __future__ import annotations

from typing import Any

import pytest

from exitban import load_scenario
from exitban.mesa.docking import ALPHA, DockingReport, ban_lifted, compare
from exitban.scenario.load import list_scenarios
from tests.helpers import is_view


def report(runs: Any, name: str, engine: list, mesa: list) -> DockingReport:
    rep = DockingReport(name, runs.agents, runs.days, runs.seeds, ALPHA)
    rep.tests = compare(engine, mesa)
    return rep


# A calibrated scenario is its seed scenario with other behaviour values, and a view (war-2022-2025-officials)
# its scenario at other sizes: docking either again would test the same rules twice at CI's expense.
@pytest.mark.parametrize("name", [n for n in list_scenarios() if not n.endswith("-calibrated") and not is_view(n)])
def test_engine_and_mesa_dock(name: str, runs: Any) -> None:
    """No key output differs between the two implementations beyond the stated tolerance."""
    rep = report(runs, name, runs(name, "engine"), runs(name, "mesa"))
    assert len(rep.tests) >= 15, rep.table()  # most outputs occur at this size
    assert rep.docked, rep.table()


def test_cascade_when_the_ban_is_lifted_docks(runs: Any) -> None:
    """O7: lifting the ban half-way through gives the same cascade (share who leave afterwards) in both."""
    lifted = ban_lifted(load_scenario("army-officers-2019"), runs.days // 2)  # a phase on the day
    engine = runs("army-officers-2019", "engine", **lifted)
    mesa = runs("army-officers-2019", "mesa", **lifted)
    rep = report(runs, "army-officers-2019, ban lifted half-way", engine, mesa)
    cascade = next(t for t in rep.tests if t.output == "cascade_share")
    assert cascade.engine_mean > 0.01  # the lift does set off a cascade worth docking
    assert rep.docked, rep.table()


def test_the_front_docks(runs: Any) -> None:
    """The front (rules.front): with the contract soldiers at war (tours, leave, casualties, wounded who return
    from hospital, a combat drift, sabotage caught at the front at twenty times the rear's rate) both give the same
    casualties and the same stocks at the front, on leave and in hospital."""
    army = load_scenario("army-officers-2019")
    at_war = army.institutions["contract_soldiers"].model_copy(
        update={
            "front_share": 0.4,
            "tour_days": 30.0,
            "casualty_per_year": 0.3,
            "leave_per_year": 6.0,
            "leave_days": 10,
            "wounded_return_share": 0.5,
            "hospital_days": 20,
            "front_drift_per_year": 0.3,
            "front_sabotage_catch_factor": 20.0,
        }
    )
    institutions = {**army.institutions, "contract_soldiers": at_war}
    engine = runs("army-officers-2019", "engine", institutions=institutions)
    mesa = runs("army-officers-2019", "mesa", institutions=institutions)
    rep = report(runs, "army-officers-2019, contract soldiers at the front", engine, mesa)
    means = {t.output: t.engine_mean for t in rep.tests}
    assert means["deployed"] > 0 and means["on_leave"] > 0 and means["exits_killed"] > 0  # the front is there
    assert rep.docked, rep.table()


def test_the_help_network_docks(runs: Any) -> None:
    """ODD 7.16: with help for illegal exits widely known and absence and flight chosen often (the FSB and the
    armed forces under the decree), both give the same requests (demand), intake and stock of those who know."""
    fsb = load_scenario("fsb-mobilization-2023")
    behaviour = fsb.behaviour.model_copy(
        update={
            "help_publicity_per_day": 0.02,
            "help_imitation_per_day": 0.05,
            "help_viral_per_post": 0.001,
            "help_capacity_per_day": 2000.0,
            "absence_bias": 0.0,
            "defect_bias": 0.0,
        }
    )
    regime = fsb.regime.model_copy(update={"travel_control": False})
    engine = runs("fsb-mobilization-2023", "engine", behaviour=behaviour, regime=regime)
    mesa = runs("fsb-mobilization-2023", "mesa", behaviour=behaviour, regime=regime)
    rep = report(runs, "fsb-mobilization-2023, the help network on", engine, mesa)
    means = {t.output: t.engine_mean for t in rep.tests}
    assert means["help_requests"] > 5 and means["knows_help"] > 50  # the network is there
    assert rep.docked, rep.table()
