"""Absence (E8, R13), moonlighting (E7) and the 10-day rule."""

from __future__ import annotations

import pytest

import exitban
from exitban.engine import codes
from tests.helpers import paired, scenario, total

ABSENT = {"behaviour.absence_bias": 1.0, "pressure.absence_catch_prob": 0.05}


@pytest.mark.mechanism("R13", "E8")
def test_the_ten_day_rule_turns_absence_into_criminal_cases() -> None:
    """A short absence limit opens more cases than one longer than any absence."""
    strict = scenario("army-officers-2019", **ABSENT, **{"regime.absence_limit_days": 10})
    lax = scenario("army-officers-2019", **ABSENT, **{"regime.absence_limit_days": 365})
    for many, few in paired(strict, lax, lambda r: total(r, "cases_opened")):
        assert many > few


@pytest.mark.mechanism("E8")
def test_absentees_who_are_never_caught_desert() -> None:
    """With no one caught, long absences end as desertions; with everyone caught at once, none do."""
    never = scenario("army-officers-2019", **{**ABSENT, "pressure.absence_catch_prob": 0.0})
    always = scenario("army-officers-2019", **{**ABSENT, "pressure.absence_catch_prob": 1.0})
    for gone, kept in paired(never, always, lambda r: total(r, "exits_absence")):
        assert gone > 0 and kept == 0


@pytest.mark.mechanism("E7", "R13")
def test_moonlighters_stay_listed_and_cost_capacity() -> None:
    """More moonlighting keeps headcount but lowers the work actually done."""
    rare = scenario("fsb-mobilization-2023", **{"behaviour.moonlight_bias": -20.0})
    common = scenario("fsb-mobilization-2023", **{"behaviour.moonlight_bias": 1.0})

    def listed_and_capacity(result):
        return total(result, "moonlighting"), total(result, "capacity")

    for (m0, cap0), (m1, cap1) in paired(rare, common, listed_and_capacity):
        assert m0 == 0 and m1 > 0
        assert cap1 < cap0


@pytest.mark.mechanism("E8", "R12")
def test_confinement_ends_after_confinement_days() -> None:
    """A4: a caught absentee is confined for ``confinement_days`` and then let be: on the last day nobody
    serving has been confined for longer, and some were confined at some point."""
    days, limit = 150, 20
    sc = scenario("fsb-mobilization-2023", days=days, **ABSENT, **{"pressure.confinement_days": limit})
    result = exitban.simulate(sc, seed=3)
    people = result.population
    confined = ((people.flags & codes.F_CONFINED) != 0) & (people.status == codes.SERVING)
    assert total(result, "confined") > 0
    assert (days - 1 - people.confined_day[confined] < limit).all()


@pytest.mark.mechanism("E8", "R12")
def test_shorter_confinement_means_fewer_confined() -> None:
    """A4, paired seeds: a shorter confinement leaves fewer people confined, and more free to go absent again."""
    long = scenario("fsb-mobilization-2023", **ABSENT, **{"pressure.confinement_days": 3650})
    short = scenario("fsb-mobilization-2023", **ABSENT, **{"pressure.confinement_days": 5})
    for many, few in paired(long, short, lambda r: total(r, "confined"), seeds=range(5)):
        assert few < many
