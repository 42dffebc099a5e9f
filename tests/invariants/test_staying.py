"""Staying (E10): the persuaded, the afraid and the loyal display unity and make no move."""

from __future__ import annotations

import pytest

from tests.helpers import paired, scenario, total

pytestmark = pytest.mark.mechanism("E10")


def test_a_stronger_pull_to_stay_means_fewer_moves() -> None:
    """Raising the value of staying cuts requests, sabotage and absences, seed by seed."""
    restless = scenario("fsb-mobilization-2023", **{"behaviour.stay_bias": 0.0})
    settled = scenario("fsb-mobilization-2023", **{"behaviour.stay_bias": 5.0})

    def moves(result):
        return total(result, "requests_filed") + total(result, "sabotaging") + total(result, "moonlighting")

    for many, few in paired(restless, settled, moves):
        assert few < many


def test_fear_keeps_people_in_place() -> None:
    """A stronger weight on fear (deterrence) cuts risky moves under the ban."""
    bold = scenario("fsb-mobilization-2023", **{"behaviour.beta_fear": 0.0})
    afraid = scenario("fsb-mobilization-2023", **{"behaviour.beta_fear": 10.0})
    for many, few in paired(bold, afraid, lambda r: total(r, "moonlighting") + total(r, "absent")):
        assert few < many


def test_a_heavier_value_of_staying_means_fewer_moves() -> None:
    """With the value of staying over the outside job weighing in (RAND's DRM), fewer people make a move."""
    flat = scenario("army-officers-2019", **{"behaviour.beta_retention": 0.0, "institutions.officers.pay_premium": 1.0})
    valued = scenario(
        "army-officers-2019", **{"behaviour.beta_retention": 4.0, "institutions.officers.pay_premium": 1.0}
    )

    def moves(result):
        return total(result, "requests_filed") + total(result, "sabotaging") + total(result, "moonlighting")

    for many, few in paired(flat, valued, moves):
        assert few < many
