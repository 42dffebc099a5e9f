"""Granovetter (1978): with ban and pressure off and everyone wanting out, display follows r(t+1) = F(r(t))."""

from __future__ import annotations

import math

import numpy as np
import pytest

import exitban
from exitban.engine.build import initial_population

pytestmark = pytest.mark.mechanism("O7", "R3", "P3")


def threshold_world(mean: float, sd: float, size: int = 50_000, days: int = 40) -> exitban.Scenario:
    """One institution where everyone wants out and only the threshold rule decides who shows it."""
    data = {
        "name": "granovetter",
        "days": days,
        # the decree holds everyone (no contract ends): showing the wish has its threshold; no unity pressure
        # or prosecution threat raises the bar
        "regime": {"resignation_ban": "off", "mobilization": True, "unity_pressure": 0.0, "prosecution_threat": 0.0},
        "bureaucracy": {"corruption_dismissal_per_year": 0.0, "offence_per_year": 0.0},
        # nobody slips out covertly; what one stands to lose does not raise the bar either (Kuran's stake)
        "behaviour": {"peer_weight_unit": 0.0, "decision_rate": 0.0, "display_stake_weight": 0.0},
        "institutions": {
            "everyone": {
                "kind": "civil_official",
                "size": size,
                "unit_size": 100,
                "mobilized": True,
                "desire_mean": 1.0,
                "desire_sd": 0.0,
                "threshold_mean": mean,
                "threshold_sd": sd,
            }
        },
    }
    return exitban.Scenario.model_validate(data)


def normal_cdf(x: float, mean: float, sd: float) -> float:
    return 0.5 * (1.0 + math.erf((x - mean) / (sd * math.sqrt(2.0))))


def smallest_fixed_point(mean: float, sd: float) -> float:
    """Iterate r <- F(r) from 0: it climbs monotonically to the smallest fixed point of r = F(r)."""
    r = 0.0
    for _ in range(10_000):
        r = normal_cdf(r, mean, sd)
    return r


def test_engine_follows_the_threshold_map_day_by_day() -> None:
    """The displayed share each day equals the empirical map r(t+1) = share of thresholds <= r(t)."""
    sc = threshold_world(0.2, 0.1, size=20_000, days=25)
    thresholds = initial_population(sc, seed=5).threshold.astype(np.float64)
    acted = exitban.simulate(sc, seed=5).timeseries["acted_share"].to_numpy()
    r, expected = 0.0, []
    for _ in range(sc.days):
        r = float(np.mean(thresholds <= r))
        expected.append(r)
    np.testing.assert_allclose(acted, expected, atol=1e-12)


@pytest.mark.parametrize(("mean", "sd"), [(0.25, 0.12), (0.45, 0.12), (0.1, 0.3)])
def test_final_share_is_the_smallest_fixed_point(mean: float, sd: float) -> None:
    """The final displayed share matches the analytic smallest fixed point of r = Phi((r - mean) / sd)."""
    shares = [exitban.simulate(threshold_world(mean, sd), seed=s).timeseries["acted_share"][-1] for s in range(10)]
    assert abs(float(np.mean(shares)) - smallest_fixed_point(mean, sd)) < 0.01


def test_a_small_change_in_thresholds_tips_a_cascade() -> None:
    """Past the critical mean threshold the final share jumps from small to almost everyone."""
    low = smallest_fixed_point(0.24, 0.12)  # just below the tipping point: full cascade
    high = smallest_fixed_point(0.25, 0.12)  # just above: the cascade stalls near 4%
    assert low > 0.9 and high < 0.1
    for mean, analytic in ((0.24, low), (0.25, high)):
        got = exitban.simulate(threshold_world(mean, 0.12, days=120), seed=1).timeseries["acted_share"][-1]
        assert abs(got - analytic) < 0.02
