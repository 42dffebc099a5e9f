"""The mobilization decree (R4): contracts do not end while it lasts."""

from __future__ import annotations

import pytest

from tests.helpers import final, paired, scenario, total

pytestmark = pytest.mark.mechanism("R4")


def test_mobilization_holds_people_past_their_contract() -> None:
    """Under mobilization nobody leaves at contract end and some are held past it."""
    sc = scenario("fsb-mobilization-2023")
    for (held, left), _ in paired(
        sc, sc, lambda r: (final(r, "held_past_contract", "officers"), total(r, "exits_contract_end"))
    ):
        assert left == 0
        assert held > 0


def test_ending_mobilization_releases_people_at_contract_end() -> None:
    """With the decree ended, people who want out leave when their contract runs out."""
    held = scenario("fsb-mobilization-2023")
    ended = scenario("fsb-mobilization-2023-mobilization-ended")
    for kept, released in paired(held, ended, lambda r: total(r, "exits_contract_end")):
        assert kept == 0
        assert released > 0
