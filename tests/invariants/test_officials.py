"""The officials as the record has them (issue 22, item 3; R1, R3, E6, E11, R5, O4): the wish to resign is betrayal
from the war's start (A:17), so wishes go into quiet channels (A:23,25); the regime's ban reacts to the flow of
wishes shown to it (A:13)."""

from __future__ import annotations

import polars as pl
import pytest

import exitban
from tests.helpers import paired, scenario, total

pytestmark = pytest.mark.mechanism("R3", "R1", "E6", "E11", "O4")

SENIOR = "senior_officials"


def _open_quiet(result: exitban.Result) -> tuple[float, float]:
    return total(result, "exits_open", SENIOR), total(result, "exits_quiet", SENIOR)


def test_a_higher_betrayal_cost_means_fewer_open_and_more_quiet_exits() -> None:
    """Paired seeds: raising the cost of showing the wish (A:17) lowers the open exits (approved, court) and raises
    the quiet ones (payment, health, corruption, transfer) over five seeds together; never more open for a seed."""
    base = scenario("officials-2023", scale=0.05, days=365)
    costly = base.with_params({"regime.betrayal_cost": 1.2})
    pairs = paired(base, costly, _open_quiet, range(5))
    assert all(b[0] >= c[0] for b, c in pairs)
    assert sum(c[0] for _, c in pairs) < sum(b[0] for b, _ in pairs)
    assert sum(c[1] for _, c in pairs) > sum(b[1] for b, _ in pairs)


def test_without_betrayal_and_ban_showing_is_free() -> None:
    """With no ban and no betrayal cost everyone who wants out shows it: displayed equals want_out every day."""
    sc = scenario("officials-2023", scale=0.05, days=60, **{"regime.resignation_ban": "off", "regime.betrayal_cost": 0})
    ts = exitban.simulate(sc, seed=0).timeseries.filter(pl.col("institution") == SENIOR)
    assert (ts["displayed"] == ts["want_out"]).all()
    costly = sc.with_params({"regime.betrayal_cost": 0.4})
    ts = exitban.simulate(costly, seed=0).timeseries.filter(pl.col("institution") == SENIOR)
    assert (ts["displayed"] < ts["want_out"]).all()  # betrayal without a ban (A:17): most keep it quiet
