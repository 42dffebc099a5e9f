"""Travel control (R7): permits from one reviewer at the top; defection abroad (E9); the reviewer's load (O8)."""

from __future__ import annotations

import polars as pl
import pytest

import exitban
from tests.helpers import final, paired, scenario, total

pytestmark = pytest.mark.mechanism("R7", "E9", "O8")


def test_travel_control_lowers_defection() -> None:
    """Officials defect less with travel control, over ten seeds. (With the permit lists reviewed weekly, A:37-39, a
    defector is no longer held for months in a queue: the per-seed check and the quarter fewer encoded the frozen
    queue of the old rule; now about an eighth fewer.)"""
    controlled = scenario("officials-2023", scale=0.05, days=240)
    free = scenario("officials-2023-travel-control-removed", scale=0.05, days=240)
    pairs = paired(controlled, free, lambda r: total(r, "exits_defection"))
    assert sum(few for few, _ in pairs) < sum(many for _, many in pairs)


def test_the_top_reviewer_decides_no_more_than_capacity() -> None:
    """Reviewing each trip (``permit_list_review_days`` 0, no longer the shipped rule: A:37-39 describe lists), the
    reviewer works at its daily rate (fractions carried over); with a tiny rate a queue builds up."""
    sc = scenario(
        "officials-2023",
        scale=0.05,
        days=240,
        **{
            "bureaucracy.top_reviewer_capacity_per_day": 10,
            "behaviour.defect_bias": 2.0,
            "bureaucracy.permit_list_review_days": 0,
        },
    )
    rate = 10 * 0.05  # half a case a day at this scale
    ts = exitban.simulate(sc, seed=0).timeseries
    per_day = ts.group_by("day").agg(pl.col("reviewer_decisions").sum()).sort("day")["reviewer_decisions"]
    assert per_day.max() <= 1
    assert ts["backlog_travel"].max() > 20
    busy = per_day[60:]  # once the queue is long the reviewer is never idle
    assert abs(busy.mean() - rate) < 0.02
    load = ts.group_by("day").agg(pl.col("reviewer_load").sum()).sort("day")["reviewer_load"][60:]
    assert abs(load.mean() - 1.0) < 0.04


def test_held_passports_block_defection_without_control() -> None:
    """Without travel control, a person whose passport is held cannot defect at all."""
    sc = scenario("officials-2023-travel-control-removed", scale=0.05, days=240)
    all_held = sc.with_params({f"institutions.{k}.passports_held": 1.0 for k in sc.institutions})
    for seed in range(10):
        assert exitban.simulate(all_held, seed=seed).summary["exits"]["defection"] == 0
    assert total(exitban.simulate(sc, seed=0), "exits_defection") > 0


def test_ordinary_trips_make_the_top_reviewer_a_queue() -> None:
    """A:37: every trip needs a permit; reviewed trip by trip (``permit_list_review_days`` 0, no longer the shipped
    rule), officials' ordinary trips keep the reviewer busy and a queue forms."""
    kw = {"bureaucracy.top_reviewer_capacity_per_day": 20, "bureaucracy.permit_list_review_days": 0}
    none = scenario(
        "officials-2023", scale=0.05, days=120, **kw, **{"institutions.senior_officials.trips_per_year": 0.0}
    )
    some = scenario(
        "officials-2023", scale=0.05, days=120, **kw, **{"institutions.senior_officials.trips_per_year": 6.0}
    )
    for (d0, q0), (d1, q1) in paired(
        none, some, lambda r: (total(r, "reviewer_decisions"), final(r, "backlog_travel", "senior_officials")), range(5)
    ):
        # the reviewer decides at most its capacity: busy with defectors' permits already, it can only queue more
        assert d1 >= d0 and q1 > q0


def test_only_those_who_want_out_defect_on_a_permitted_trip() -> None:
    """A permitted ordinary trip of someone content is a trip, not a defection."""
    content = {
        f"institutions.{k}.{field}": 0.0
        for k in exitban.load_scenario("officials-2023").institutions
        for field in ("desire_mean", "desire_sd", "desire_drift_per_year")
    }
    calm = {**content, "behaviour.mobilization_drift_per_year": 0.0, "behaviour.frustration": 0.0}
    sc = scenario("officials-2023", scale=0.05, days=120, **calm)
    for seed in range(3):
        result = exitban.simulate(sc, seed=seed)
        assert total(result, "permits_granted") > 0
        assert total(result, "exits_defection") == 0


def test_passports_surrendered_end_defection_from_their_date() -> None:
    """The passport rule of 11 Dec 2023 as a phase: nothing changes before its date (paired seeds: the days before
    are identical), and from it on no one chooses to defect; only a permitted trip (the passport handed back for
    it) can still end abroad, so defection falls."""
    import datetime

    base = scenario("officials-2023", scale=0.05, days=240, **{"behaviour.defect_bias": 1.0})
    # early in the run: the permit queue is first in, first out, so requests filed before the date are served
    # (and end abroad) for months after it
    on = base.start + datetime.timedelta(days=10)
    rule = base.model_copy(
        update={"phases": [{"date": on, "field": "regime.passport_surrender", "value": True, "provenance": "test"}]}
    )
    rule = exitban.Scenario.model_validate(rule.model_dump())
    for seed in range(3):
        before, after = exitban.simulate(base, seed=seed).timeseries, exitban.simulate(rule, seed=seed).timeseries
        early = pl.col("day") < 10
        assert before.filter(early).equals(after.filter(early))
    pairs = paired(base, rule, lambda r: total(r, "exits_defection"))
    assert sum(b for _, b in pairs) < sum(a for a, _ in pairs)
