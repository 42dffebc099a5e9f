"""Neglect (E5): sabotage to get fired, tolerated or punished (R14), and effective capacity (O3)."""

from __future__ import annotations

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
