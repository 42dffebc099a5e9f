"""Exceptions to the ban (R5): health, corruption and criminal conviction; seeking a health discharge (E11)."""

from __future__ import annotations

import math

import pytest

import exitban
from tests.helpers import paired, scenario, total

# nobody moves and nobody joins; contracts end only under 40-year terms: only the background hazards act
CALM = {
    "behaviour.decision_rate": 0.0,
    **{f"institutions.{k}.contract_years": 40.0 for k in ("officers", "contract_soldiers", "cadets")},
    **{f"institutions.{k}.accession_per_year": 0.0 for k in ("officers", "contract_soldiers", "cadets")},
}
QUIET = {  # nobody moves: only the background hazards act (the decree keeps every contract running)
    "behaviour.decision_rate": 0.0,
    "regime.mobilization": True,
    "institutions.officers.mobilized": True,
    "institutions.contract_soldiers.mobilized": True,
    "institutions.cadets.mobilized": True,
}


@pytest.mark.mechanism("R5")
def test_corruption_dismissals_follow_the_annual_rate() -> None:
    """With nothing else going on, a year's corruption dismissals match N x rate within 4 standard deviations."""
    rate = 0.05
    sc = scenario(
        "army-officers-2019",
        scale=0.02,
        days=365,
        **CALM,
        **{"bureaucracy.corruption_dismissal_per_year": rate, "bureaucracy.offence_per_year": 0.0},
    )
    result = exitban.simulate(sc, seed=0)
    n = sum(v["start"] for k, v in result.summary["institutions"].items())
    expected = n * rate
    assert abs(result.summary["exits"]["corruption"] - expected) < 4 * math.sqrt(expected * (1 - rate))


@pytest.mark.mechanism("R5", "R4")
def test_under_the_decree_corruption_is_a_case_not_a_release() -> None:
    """Decree 647 lists no corruption ground: the same hazard opens corruption cases and dismisses no one."""
    sc = scenario(
        "army-officers-2019",
        scale=0.02,
        days=200,
        **QUIET,
        **{"bureaucracy.corruption_dismissal_per_year": 0.05, "bureaucracy.offence_per_year": 0.0},
    )
    officers = exitban.simulate(sc, seed=0).summary["institutions"]["officers"]
    assert officers["exits"]["corruption"] == 0
    assert officers["cases_by_article"]["corruption"] > 0


@pytest.mark.mechanism("R5")
def test_offences_lead_to_convictions_after_the_case_runs() -> None:
    """Criminal offences open cases; after case_days some end in conviction and release."""
    sc = scenario(
        "army-officers-2019",
        scale=0.02,
        days=300,
        **QUIET,
        **{
            "bureaucracy.offence_per_year": 0.2,
            "bureaucracy.case_days": 60,
            "bureaucracy.conviction_prob": 1.0,
            "pressure.suspended_share": 0.0,
        },
    )
    ts = exitban.simulate(sc, seed=1).timeseries
    assert ts.filter(ts["day"] < 60)["exits_conviction"].sum() == 0
    assert ts["exits_conviction"].sum() > 0.5 * ts.filter(ts["day"] < 240)["cases_opened"].sum()


@pytest.mark.mechanism("E11", "R5")
def test_poor_health_brings_more_health_discharges() -> None:
    """Officers in worse health get more health discharges, seed by seed."""
    healthy = scenario("army-officers-2019", **{"institutions.officers.health_mean": 0.95})
    sick = scenario("army-officers-2019", **{"institutions.officers.health_mean": 0.4})
    for few, many in paired(healthy, sick, lambda r: total(r, "exits_health", "officers")):
        assert many > few
