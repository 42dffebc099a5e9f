"""The resignation ban (R1) and what lifting it does (O7)."""

from __future__ import annotations

import pytest

import exitban
from tests.helpers import paired, phases, scenario, total

pytestmark = pytest.mark.mechanism("R1", "O7")


def test_official_reports_differ_by_scenario() -> None:
    """R15: the army's ministry denies complaints (B:84-88) while the FSB scenario's reports show them."""
    loud = {"behaviour.voice_bias": 3.0, "behaviour.display_stake_weight": 0.0, "regime.unity_pressure": 0.0}
    army = exitban.simulate(scenario("army-officers-2019", days=200, **loud), seed=1).timeseries
    fsb = exitban.simulate(scenario("fsb-mobilization-2023", days=200, **loud), seed=1).timeseries
    assert army["true_complaints"].sum() > 0 and army["reported_complaints"].sum() == 0
    assert fsb["true_complaints"].sum() > 0 and (fsb["reported_complaints"] == fsb["true_complaints"]).all()


def test_auto_ban_is_imposed_once_many_show_they_want_out() -> None:
    """Under 'auto' the shipped officials start below the trigger: the ban is off for weeks, then comes on
    the day after the share who have shown the wish (serving or gone) passes it."""
    sc = scenario("officials-2023", scale=0.05, days=365)
    result = exitban.simulate(sc, seed=0)
    officials = result.timeseries.filter(result.timeseries["institution"] == "senior_officials")
    assert officials["acted_share"][0] < sc.regime.ban_trigger_share
    assert officials["ban_active"][-1]
    first_on = officials.filter(officials["ban_active"])["day"][0]
    assert first_on > 30
    acted = officials.filter(officials["day"] == first_on - 1)["acted_share"][0]
    assert acted >= sc.regime.ban_trigger_share
    assert (officials.filter(officials["day"] < first_on - 1)["acted_share"] < sc.regime.ban_trigger_share).all()


def test_auto_ban_never_starts_below_its_trigger() -> None:
    """With an unreachable trigger the 'auto' ban never comes on."""
    result = exitban.simulate(scenario("officials-2023", scale=0.05, **{"regime.ban_trigger_share": 1.0}), seed=0)
    officials = result.timeseries.filter(result.timeseries["institution"] == "senior_officials")
    assert not officials["ban_active"].any()  # the special services are held by the decree instead


def test_lifting_the_ban_raises_exits_for_every_seed() -> None:
    """The ban-lifted counterfactual releases more people by approved request than the base, seed by seed."""
    base = scenario("army-officers-2019")
    lifted = scenario("army-officers-2019-ban-lifted")
    for kept, freed in paired(base, lifted, lambda r: total(r, "exits_approved")):
        assert freed > 2 * kept + 10


def test_lifting_the_ban_mid_run_starts_releases() -> None:
    """After a phase lifts it on day 100 the ban is off and daily approvals rise above the level under the ban."""
    sc = scenario(
        "army-officers-2019", days=200, **phases("army-officers-2019", (100, "regime.resignation_ban", "off"))
    )
    for seed in range(10):
        ts = exitban.simulate(sc, seed=seed).timeseries
        assert ts.filter(ts["day"] >= 100)["ban_active"].sum() == 0
        before = ts.filter(ts["day"] < 100)["exits_approved"].sum()
        after = ts.filter(ts["day"] >= 100)["exits_approved"].sum()
        assert after > 2 * before + 10


def test_control_is_lost_when_most_people_walk_out() -> None:
    """When nearly everyone wants out and leaving is free, headcount falls below the control-loss share."""
    sc = scenario(
        "army-officers-2019-ban-lifted",
        days=300,
        **{"institutions.officers.desire_mean": 0.9, "institutions.officers.desire_sd": 0.05},
    )
    officers = exitban.simulate(sc, seed=0).summary["institutions"]["officers"]
    assert officers["control_lost"]
    kept = exitban.simulate(scenario("army-officers-2019", days=300), seed=0).summary["institutions"]["officers"]
    assert not kept["control_lost"]


@pytest.mark.mechanism("E1")
def test_the_value_of_a_free_exit_drives_requests_once_the_ban_is_lifted() -> None:
    """RAND DRM: with leaving allowed, a larger value of leaving means more resignation requests."""
    flat = scenario("army-officers-2019-ban-lifted", **{"behaviour.free_exit_bonus": 0.0})
    valued = scenario("army-officers-2019-ban-lifted", **{"behaviour.free_exit_bonus": 5.0})
    for few, many in paired(flat, valued, lambda r: total(r, "requests_filed")):
        assert many > few
