"""Voice (E3): appeals to the prosecutor (R11), lawsuits and viral posts; legal help (E4, O10)."""

from __future__ import annotations

import datetime

import pytest

import exitban
from tests.helpers import paired, scenario, total

# the wish shown cheaply under the ban (no unity pressure, nothing at stake), so that many can raise their voice
VOCAL = {"behaviour.voice_bias": 2.0, "regime.unity_pressure": 0.0, "behaviour.display_stake_weight": 0.0}


@pytest.mark.mechanism("E3", "R11")
def test_appeals_go_unanswered_under_the_ban() -> None:
    """Hirschman: with exit blocked, appeals rarely succeed; lift the ban half-way and the appeals still
    waiting are answered. (Where leaving is legal nobody files a new one: one asks instead, E3.)"""
    lift = 120
    appeals_only = {**VOCAL, "behaviour.court_share": 0.0}  # every voice move goes to the prosecutor's queue
    banned = scenario("army-officers-2019", days=240, **appeals_only)
    lifted = exitban.Scenario.model_validate(
        {
            **banned.model_dump(),
            "phases": [
                {"date": banned.start + datetime.timedelta(days=lift), "field": "regime.resignation_ban",
                 "value": "off", "provenance": "test: the ban lifted half-way"}
            ],
        }
    )  # fmt: skip

    def answered_after_the_lift(result):
        ts = result.timeseries
        return float(ts.filter(ts["day"] >= lift)["exits_court"].sum())

    pairs = paired(banned, lifted, answered_after_the_lift)
    assert sum(high for _, high in pairs) > 2 * sum(low for low, _ in pairs) + 5, pairs
    assert sum(high > low for low, high in pairs) >= 8, pairs


@pytest.mark.mechanism("E3", "O9")
def test_voice_produces_complaints_and_viral_posts() -> None:
    """Appeals and posts are counted as complaints, and some posts go viral."""
    result = exitban.simulate(scenario("army-officers-2019", days=240, **VOCAL), seed=0)
    assert total(result, "appeals_filed") > 0
    assert total(result, "viral_posts") > 0
    assert total(result, "true_complaints") == total(result, "appeals_filed") + total(result, "viral_posts")


@pytest.mark.mechanism("E4", "O10")
def test_legal_help_is_sought_and_helps_in_court() -> None:
    """People seek lawyers (O10); a bigger legal-help bonus wins more releases by court or appeal."""
    none = scenario("army-officers-2019", days=240, **VOCAL, **{"bureaucracy.legal_help_bonus": 0.0})
    strong = scenario("army-officers-2019", days=240, **VOCAL, **{"bureaucracy.legal_help_bonus": 4.0})
    pairs = paired(none, strong, lambda r: (total(r, "legal_help_new"), total(r, "exits_court")))
    assert all(demand > 0 for (demand, _), _ in pairs)
    assert sum(b for (_, _), (_, b) in pairs) > sum(a for (_, a), _ in pairs)
    ts = exitban.simulate(none, seed=0).timeseries
    assert ts.filter(ts["day"] == ts["day"].max())["legal_help_active"].sum() > 0


@pytest.mark.mechanism("E3", "R12")
def test_a_viral_post_restrains_the_commander() -> None:
    """B:66-68: the commander presses one whose post went viral less: with full restraint, fewer threats, seed by seed."""
    # every post goes viral, and people both speak out and file requests that the commander sits on
    # posts do not feed the peer share here (7.5): with every post viral they would tip the whole institution
    # into showing the wish, and the restraint measured is the commander's, not the cascade's
    viral = {
        **VOCAL,
        "behaviour.voice_bias": 0.5,
        "behaviour.viral_prob": 1.0,
        "pressure.pressure_rate": 0.2,
        "behaviour.viral_peer_weight": 0.0,
    }
    unrestrained = scenario("army-officers-2019", days=240, **viral, **{"pressure.viral_pressure_factor": 1.0})
    restrained = scenario("army-officers-2019", days=240, **viral, **{"pressure.viral_pressure_factor": 0.0})
    for many, few in paired(unrestrained, restrained, lambda r: total(r, "threats")):
        assert few < many


@pytest.mark.mechanism("E4", "O10")
def test_lawyers_take_on_only_so_many() -> None:
    """E4: with room for few new clients, fewer get legal help than seek it, seed by seed; with room for all, more do."""
    vocal = {**VOCAL, "behaviour.legal_help_uptake": 1.0}
    few = scenario("army-officers-2019", days=240, **vocal, **{"behaviour.legal_help_capacity_per_day": 1.0})
    many = scenario("army-officers-2019", days=240, **vocal, **{"behaviour.legal_help_capacity_per_day": 10_000.0})
    for scarce, ample in paired(few, many, lambda r: total(r, "legal_help_new")):
        assert scarce < ample
