"""Private desire versus displayed loyalty (R3, O1) and the official figures (R15, O9)."""

from __future__ import annotations

import pytest

import exitban
from tests.helpers import paired, scenario, total


@pytest.mark.mechanism("R3", "O1")
def test_unity_pressure_hides_the_wish_to_leave() -> None:
    """Stronger unity pressure lowers the displayed share while people still privately want out."""
    mild = scenario("army-officers-2019", **{"regime.unity_pressure": 0.0})
    strict = scenario("army-officers-2019", **{"regime.unity_pressure": 1.0})

    def shares(result):
        return total(result, "displayed"), total(result, "want_out")

    for (shown0, want0), (shown1, want1) in paired(mild, strict, shares):
        assert shown1 < shown0
        assert want1 > 0.5 * want0


@pytest.mark.mechanism("O1", "R3")
def test_displayed_never_exceeds_private_and_private_never_exceeds_headcount() -> None:
    """Every day: displayed <= privately want out <= headcount kept."""
    for seed in range(10):
        ts = exitban.simulate(scenario("fsb-mobilization-2023"), seed=seed).timeseries
        assert (ts["displayed"] <= ts["want_out"]).all()
        assert (ts["want_out"] <= ts["headcount"]).all()


@pytest.mark.mechanism("R15", "O9")
def test_denial_reports_no_complaints_while_there_are_some() -> None:
    """Under official denial the reported complaints and threats are zero while the true ones are not."""
    ts = exitban.simulate(scenario("army-officers-2019", **{"pressure.pressure_rate": 0.1}), seed=2).timeseries
    assert ts["true_complaints"].sum() > 0 and ts["reported_complaints"].sum() == 0
    assert ts["threats"].sum() > 0 and ts["reported_threats"].sum() == 0


@pytest.mark.mechanism("R15", "O9")
def test_without_denial_reported_equals_true() -> None:
    """With denial off the reported figures equal the true ones."""
    ts = exitban.simulate(scenario("army-officers-2019", **{"regime.denial": False}), seed=2).timeseries
    assert (ts["reported_complaints"] == ts["true_complaints"]).all()
    assert (ts["reported_threats"] == ts["threats"]).all()
    assert (ts["reported_want_out"] == ts["displayed"]).all()


@pytest.mark.mechanism("O9", "E7", "E8")
def test_listed_headcount_counts_people_who_are_not_there() -> None:
    """Reported headcount includes moonlighters and absentees; true presence does not."""
    ts = exitban.simulate(scenario("fsb-mobilization-2023", **{"behaviour.moonlight_bias": 0.0}), seed=0).timeseries
    gap = ts["reported_headcount"] - ts["true_present"]
    assert (gap == ts["moonlighting"] + ts["absent"]).all()
    assert gap.sum() > 0


@pytest.mark.mechanism("R3", "O1")
def test_where_resignation_is_legal_everyone_who_wants_out_shows_it() -> None:
    """Without a ban showing the wish costs nothing: every day the displayed count equals the private one.

    Every request is granted here: a refusal for want of grounds frustrates (7.10), and one whose wish it
    raises back over the cut-off shows it only from the next morning."""
    free = {"regime.resignation_ban": "off", "bureaucracy.grant_share_free": 1.0}
    ts = exitban.simulate(scenario("army-officers-2019", **free), seed=3).timeseries
    assert ts["want_out"].sum() > 0
    assert (ts["displayed"] == ts["want_out"]).all()


@pytest.mark.mechanism("R3")
def test_more_to_lose_hides_the_wish_under_the_ban() -> None:
    """Kuran: weighing what one stands to lose (pay, the unvested pension) into the cost of showing lowers the displayed count."""
    kw = {"institutions.officers.pay_premium": 1.0}
    free = scenario("army-officers-2019", **kw, **{"behaviour.display_stake_weight": 0.0})
    costly = scenario("army-officers-2019", **kw, **{"behaviour.display_stake_weight": 3.0})
    for shown_free, shown_costly in paired(free, costly, lambda r: total(r, "displayed")):
        assert shown_costly < shown_free
