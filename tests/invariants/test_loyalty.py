"""Who would defend the regime (O2): the FSB estimate of about 30% (C:15-17)."""

from __future__ import annotations

import pytest

import exitban
from tests.helpers import scenario

pytestmark = pytest.mark.mechanism("O2", "P3")


def test_fsb_starts_near_the_thirty_percent_estimate() -> None:
    """On day 0 about 30% of FSB staff would defend the regime (a calibration target, +-5 points)."""
    for seed in range(10):
        ts = exitban.simulate(scenario("fsb-mobilization-2023", days=1), seed=seed).timeseries
        share = ts.filter(ts["institution"] == "special_services")["defend_share"][0]
        assert 0.25 <= share <= 0.35


def test_defend_share_is_a_share() -> None:
    """Would-defend counts never exceed headcount."""
    ts = exitban.simulate(scenario("officials-2023", scale=0.05), seed=1).timeseries
    assert (ts["would_defend"] <= ts["headcount"]).all()
    assert ((ts["defend_share"] >= 0) & (ts["defend_share"] <= 1)).all()
