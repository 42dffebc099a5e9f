"""Decree 647 as written (R4): while mobilization lasts no one resigns, contracts run on, the mobilized serve
until it ends, and release is only on the decree's grounds."""

from __future__ import annotations

import polars as pl
import pytest

import exitban
from tests.helpers import final, paired, phases, scenario, total

pytestmark = pytest.mark.mechanism("R4")

NOT_DECREE_GROUNDS = ("exits_approved", "exits_court", "exits_dismissed", "exits_corruption", "exits_contract_end")


def test_mobilization_holds_people_past_their_contract() -> None:
    """Under mobilization nobody leaves at contract end and some are held past it."""
    sc = scenario("fsb-mobilization-2023")
    for (held, left), _ in paired(
        sc, sc, lambda r: (final(r, "held_past_contract", "officers"), total(r, "exits_contract_end"))
    ):
        assert left == 0
        assert held > 0


def test_the_decree_releases_only_on_its_own_grounds() -> None:
    """While the decree holds: no approved, court, dismissal, corruption or contract-end exit in any institution
    it covers; every reservist is held; and for them the decree is the ban (O7)."""
    sc = scenario("fsb-mobilization-2023", scale=0.01, days=200)
    for seed in range(3):
        result = exitban.simulate(sc, seed=seed)
        ts = result.timeseries
        for column in NOT_DECREE_GROUNDS:
            assert ts[column].sum() == 0, column
        reservists = ts.filter(pl.col("institution") == "mobilized")
        assert (reservists["held_past_contract"] == reservists["headcount"]).all()
        assert ts["ban_active"].all()
        assert total(result, "exits_health") > 0  # a ground the decree keeps


def test_ending_mobilization_releases_people_at_contract_end() -> None:
    """With the decree ended, people who want out leave when their contract runs out, and more leave in all."""
    held = scenario("fsb-mobilization-2023")
    ended = scenario("fsb-mobilization-2023-mobilization-ended")

    def contract_and_all(r: exitban.Result) -> tuple[float, float]:
        return total(r, "exits_contract_end"), total(r, "exits_total")

    for (kept, out0), (released, out1) in paired(held, ended, contract_and_all):
        assert kept == 0
        assert released > 0 and out1 > out0


def test_the_mobilized_are_demobilized_over_the_stated_period() -> None:
    """Mobilization ends on day 60: no reservist is demobilized before it, all are gone by day 60 + 30."""
    sc = scenario(
        "fsb-mobilization-2023",
        days=120,
        **phases("fsb-mobilization-2023", (60, "regime.mobilization", False)),
        **{"regime.demobilization_days": 30},
    )
    for seed in range(3):
        ts = exitban.simulate(sc, seed=seed).timeseries.filter(pl.col("institution") == "mobilized")
        assert ts.filter(pl.col("day") < 60)["exits_demobilized"].sum() == 0
        assert ts.filter(pl.col("day") >= 60)["exits_demobilized"].sum() > 0
        assert ts.filter(pl.col("day") >= 90)["headcount"].max() == 0


def test_a_shorter_demobilization_releases_sooner() -> None:
    """Paired seeds: releasing over 30 days frees more reservists in the first 60 days than over 300."""
    fast = scenario("fsb-mobilization-2023-mobilization-ended", days=60, **{"regime.demobilization_days": 30})
    slow = scenario("fsb-mobilization-2023-mobilization-ended", days=60, **{"regime.demobilization_days": 300})
    for many, few in paired(fast, slow, lambda r: total(r, "exits_demobilized", "mobilized")):
        assert many > few
