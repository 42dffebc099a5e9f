"""Neglect (E5): sabotage to get fired, tolerated or punished (R14), and effective capacity (O3)."""

from __future__ import annotations

import polars as pl
import pytest

import exitban
from tests.helpers import paired, scenario, total


@pytest.mark.mechanism("E5", "O3", "R14")
def test_sabotage_lowers_effective_capacity() -> None:
    """More saboteurs means less competence-weighted work, seed by seed."""
    calm = scenario("fsb-mobilization-2023", **{"behaviour.neglect_bias": -20.0})
    angry = scenario("fsb-mobilization-2023", **{"behaviour.neglect_bias": 1.0})

    def sabotage_and_capacity(result):
        return total(result, "sabotaging"), total(result, "capacity")

    for (s0, cap0), (s1, cap1) in paired(calm, angry, sabotage_and_capacity):
        assert s0 == 0 and s1 > 0
        assert cap1 < cap0


@pytest.mark.mechanism("R14", "E5")
def test_tolerated_sabotage_gets_nobody_fired() -> None:
    """With full tolerance no saboteur is dismissed; with none, some are fired as they hoped."""
    # the army of 2019: under the decree (the 2023 scenarios) no one is dismissed at all (R4)
    tolerant = scenario("army-officers-2019", **{"regime.sabotage_tolerance": 1.0})
    strict = scenario("army-officers-2019", **{"regime.sabotage_tolerance": 0.0})
    for kept, fired in paired(tolerant, strict, lambda r: total(r, "exits_dismissed")):
        assert kept == 0 and fired > 0


@pytest.mark.mechanism("O3")
def test_capacity_never_exceeds_headcount() -> None:
    """Competence is at most 1, so capacity per head is at most 1 every day."""
    ts = exitban.simulate(scenario("fsb-mobilization-2023"), seed=0).timeseries
    assert (ts["capacity_share"] <= 1.0).all()


COVERT_BOUND = 0.1  # issue 21: no day has more than a tenth of any force sabotaging or moonlighting


@pytest.mark.mechanism("E5", "E7")
@pytest.mark.parametrize("name", ["fsb-mobilization-2023", "fsb-mobilization-2023-calibrated"])
def test_no_force_sits_in_a_covert_stage(name: str) -> None:
    """A3: spells end, so over two years no institution ever has over a tenth of its force sabotaging or
    moonlighting (the sources say sabotage is increasing, C:2-8, not that a third of the FSB sabotages)."""
    ts = exitban.simulate(scenario(name, scale=0.01, days=730), seed=1).timeseries
    worst = ts.group_by("institution").agg(pl.col("sabotage_share").max(), pl.col("moonlight_share").max())
    assert worst["sabotage_share"].max() <= COVERT_BOUND, worst
    assert worst["moonlight_share"].max() <= COVERT_BOUND, worst
    assert ts["sabotaging"].sum() > 0 and ts["moonlighting"].sum() > 0  # the stages are still used


def _final_stock(column: str):
    def measure(result: exitban.Result) -> float:
        ts = result.timeseries
        return float(ts.filter(pl.col("day") == ts["day"].max())[column].sum())

    return measure


@pytest.mark.mechanism("E5")
def test_shorter_sabotage_spells_lower_the_stock() -> None:
    """A3, paired seeds: a higher end hazard (shorter spells) leaves fewer saboteurs on the last day."""
    long = scenario("fsb-mobilization-2023", days=180, **{"behaviour.sabotage_spell_days": 60.0})
    short = scenario("fsb-mobilization-2023", days=180, **{"behaviour.sabotage_spell_days": 5.0})
    for many, few in paired(long, short, _final_stock("sabotaging"), seeds=range(5)):
        assert few < many


@pytest.mark.mechanism("E7")
def test_shorter_moonlight_spells_lower_the_stock() -> None:
    """A3, paired seeds: a higher end hazard leaves fewer moonlighters on the last day."""
    long = scenario("fsb-mobilization-2023", days=180, **{"behaviour.moonlight_spell_days": 120.0})
    short = scenario("fsb-mobilization-2023", days=180, **{"behaviour.moonlight_spell_days": 10.0})
    for many, few in paired(long, short, _final_stock("moonlighting"), seeds=range(5)):
        assert few < many


@pytest.mark.mechanism("E5")
def test_a_spell_that_ends_lets_one_choose_again() -> None:
    """A3: with spells that end, those who stop sabotaging choose again, so more of them take another way out
    (requests, absence, health ...) than when sabotage lasts for good, seed by seed."""
    moves = ("requests_filed", "cases_absence", "exits_health")
    sticky = scenario("fsb-mobilization-2023", days=180, **{"behaviour.sabotage_spell_days": 36500.0})
    ending = scenario("fsb-mobilization-2023", days=180, **{"behaviour.sabotage_spell_days": 5.0})
    for few, many in paired(sticky, ending, lambda r: sum(total(r, c) for c in moves), seeds=range(5)):
        assert many > few
