"""Travel control (R7): permits from one reviewer at the top; defection abroad (E9); the reviewer's load (O8)."""

from __future__ import annotations

import polars as pl
import pytest

import exitban
from tests.helpers import paired, scenario, total

pytestmark = pytest.mark.mechanism("R7", "E9", "O8")


def test_travel_control_lowers_defection() -> None:
    """Officials defect less with travel control than without it, seed by seed."""
    controlled = scenario("officials-2023", scale=0.05, days=240)
    free = scenario("officials-2023-travel-control-removed", scale=0.05, days=240)
    for few, many in paired(controlled, free, lambda r: total(r, "exits_defection")):
        assert few < many


def test_the_top_reviewer_decides_no_more_than_capacity() -> None:
    """Each day the reviewer decides at most its capacity; with a tiny capacity a queue builds up."""
    sc = scenario(
        "officials-2023",
        scale=0.05,
        days=240,
        **{"bureaucracy.top_reviewer_capacity_per_day": 10, "behaviour.defect_bias": 2.0},
    )
    cap = round(10 * 0.05)
    ts = exitban.simulate(sc, seed=0).timeseries
    per_day = ts.group_by("day").agg(pl.col("reviewer_decisions").sum())["reviewer_decisions"]
    assert per_day.max() <= max(1, cap)
    assert ts["backlog_travel"].max() > 10 * max(1, cap)
    assert ts["reviewer_load"].max() <= 1.0


def test_held_passports_block_defection_without_control() -> None:
    """Without travel control, a person whose passport is held cannot defect at all."""
    sc = scenario("officials-2023-travel-control-removed", scale=0.05, days=240)
    all_held = sc.with_params({f"institutions.{k}.passports_held": 1.0 for k in sc.institutions})
    for seed in range(10):
        assert exitban.simulate(all_held, seed=seed).summary["exits"]["defection"] == 0
    assert total(exitban.simulate(sc, seed=0), "exits_defection") > 0
