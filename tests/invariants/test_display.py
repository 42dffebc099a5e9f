"""Private desire versus displayed loyalty (R3, O1) and the official figures (R15, O9)."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

import exitban
from tests.helpers import paired, phases, scenario, total


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
def test_where_resignation_is_legal_the_cascade_reaches_nearly_everyone_who_wants_out() -> None:
    """Without a ban showing the wish is a threshold rule too (7.5), with the unity pressure as its cost; the
    shipped thresholds leave the map no low fixed point, so within a month nearly all who want out show it.

    Every request is granted here: a refusal for want of grounds frustrates (7.10)."""
    free = {"regime.resignation_ban": "off", "bureaucracy.grant_share_free": 1.0}
    ts = exitban.simulate(scenario("army-officers-2019", **free), seed=3).timeseries
    late = ts.filter(pl.col("day") >= 30)
    assert late["want_out"].sum() > 0
    assert late["displayed"].sum() >= 0.95 * late["want_out"].sum()
    assert (ts["displayed"] <= ts["want_out"]).all()


@pytest.mark.mechanism("R3")
def test_more_to_lose_hides_the_wish_under_the_ban() -> None:
    """Kuran: weighing what one stands to lose (pay, the unvested pension) into the cost of showing lowers the displayed count."""
    kw = {"institutions.officers.pay_premium": 1.0}
    free = scenario("army-officers-2019", **kw, **{"behaviour.display_stake_weight": 0.0})
    costly = scenario("army-officers-2019", **kw, **{"behaviour.display_stake_weight": 3.0})
    for shown_free, shown_costly in paired(free, costly, lambda r: total(r, "displayed")):
        assert shown_costly < shown_free


def _officers(result: exitban.Result, column: str) -> np.ndarray:
    ts = result.timeseries.filter(pl.col("institution") == "officers")
    return ts[column].to_numpy()


@pytest.mark.mechanism("R3")
def test_a_higher_cost_of_showing_hides_the_wish_where_leaving_is_legal() -> None:
    """Paired seeds, ban off: a higher unity pressure (the cost of showing where the wish is betrayal) means
    fewer show it, while about as many want out."""
    mild = scenario("army-officers-2019", days=60, **{"regime.resignation_ban": "off", "regime.unity_pressure": 0.0})
    strict = scenario("army-officers-2019", days=60, **{"regime.resignation_ban": "off", "regime.unity_pressure": 0.6})
    for shown0, shown1 in paired(mild, strict, lambda r: total(r, "displayed", "officers")):
        assert shown1 < shown0


@pytest.mark.mechanism("R3", "O7")
def test_after_a_lift_the_acted_share_climbs_over_days() -> None:
    """Paired seeds: once a phase lifts the ban on day 60 the officers' acted share rises as a cascade, each
    day's showing lowering the next day's bar: the first day brings less than half of the rise of the first
    three weeks, and the share keeps rising through the first week."""
    lift = 60
    sc = scenario(
        "army-officers-2019", days=90, **phases("army-officers-2019", (lift, "regime.resignation_ban", "off"))
    )
    for seed in range(5):
        a = _officers(exitban.simulate(sc, seed=seed), "acted_share")
        before, rise = a[lift - 1], a[lift + 21] - a[lift - 1]
        assert rise > 0.1
        assert a[lift] - before < 0.5 * rise  # not a one-day step
        assert all(a[lift + d + 1] > a[lift + d] for d in range(6))


@pytest.mark.mechanism("R3")
def test_a_public_event_raises_the_peer_share_and_the_shown_wish_under_the_ban() -> None:
    """Paired seeds, under the ban: a public event that shows the wish (a phase's public_event_signal)
    feeds everyone's peer share, so more show it."""
    quiet = scenario("army-officers-2019", days=60)
    event = scenario("army-officers-2019", days=60, **{"regime.public_event_signal": 0.3})
    for shown0, shown1 in paired(quiet, event, lambda r: total(r, "displayed", "officers")):
        assert shown1 > shown0


@pytest.mark.mechanism("R3")
def test_viral_posts_feed_the_peer_share() -> None:
    """Paired seeds, under the ban: weighing viral posts in the peer share (viral_peer_weight > 0) means more
    show the wish than when posts count for nothing."""
    kw = {"behaviour.viral_prob": 0.2, "behaviour.voice_bias": 3.0}  # enough voice that posts go viral
    unheard = scenario("army-officers-2019", days=90, **kw, **{"behaviour.viral_peer_weight": 0.0})
    heard = scenario("army-officers-2019", days=90, **kw, **{"behaviour.viral_peer_weight": 1000.0})
    for shown0, shown1 in paired(unheard, heard, lambda r: total(r, "displayed")):
        assert shown1 > shown0
