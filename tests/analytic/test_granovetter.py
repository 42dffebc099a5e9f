"""Granovetter (1978): with pressure off and everyone wanting out, display follows r(t+1) = F(r(t)), in every regime.

Under the ban, or where the regime demands unity, the cost of showing it ``c`` (1 - r) is added to each threshold
(Kuran; ODD 7.5), so the map is r(t+1) = F((1 + c) r(t) - c) and the cascade stops at that map's smallest fixed
point above the start. Where the regime treats the wish as betrayal its cost ``b`` is added whole,
r(t+1) = F(r(t) - b), and since the shown wish is chosen again every day a rise in ``b`` after a cascade makes the
share fall to that map's largest fixed point below the start.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import exitban
from exitban.engine.build import initial_population

pytestmark = pytest.mark.mechanism("O7", "R3", "P3")


def threshold_world(
    mean: float,
    sd: float,
    size: int = 50_000,
    days: int = 40,
    banned: bool = True,
    unity: float = 0.0,
    phases: list[dict] | None = None,
) -> exitban.Scenario:
    """One institution where everyone wants out and only the threshold rule decides who shows it.

    ``banned``: the decree holds everyone (for them it is the ban); else leaving is legal and nobody leaves
    anyway (no one chooses a move, all sign again at a contract's end, nobody reaches the age limit). ``unity``: the
    regime's unity pressure, the cost of showing in every regime."""
    data = {
        "name": "granovetter",
        "days": days,
        "start": "2022-01-01",
        "phases": phases or [],
        # no prosecution threat raises the bar; unity pressure only where asked for
        "regime": {
            "resignation_ban": "off",
            "mobilization": banned,
            "unity_pressure": unity,
            "prosecution_threat": 0.0,
        },
        "bureaucracy": {"corruption_dismissal_per_year": 0.0, "offence_per_year": 0.0},
        # nobody slips out covertly; what one stands to lose does not raise the bar either (Kuran's stake)
        # and where leaving is legal everyone whose contract ends signs again
        "behaviour": {
            "peer_weight_unit": 0.0,
            "decision_rate": 0.0,
            "display_stake_weight": 0.0,
            "renewal_bias": 0.0 if banned else 20.0,
        },
        "institutions": {
            "everyone": {
                "kind": "civil_official",
                "size": size,
                "unit_size": 100,
                "mobilized": banned,
                "contract_years": 40.0,
                "age_limit": 100.0,
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


def smallest_fixed_point(mean: float, sd: float, cost: float = 0.0) -> float:
    """Iterate r <- F((1 + c) r - c) from 0: it climbs monotonically to the smallest fixed point of that map
    (with ``cost`` 0, of r = F(r))."""
    r = 0.0
    for _ in range(10_000):
        r = normal_cdf((1.0 + cost) * r - cost, mean, sd)
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


@pytest.mark.parametrize("banned", [False, True])
def test_the_engine_follows_the_map_with_the_cost_of_showing(banned: bool) -> None:
    """Day by day, with and without a ban, the displayed share is the empirical map
    r(t+1) = share of thresholds <= r(t) - c (1 - r(t)), c the unity pressure; and nobody leaves."""
    unity = 0.1
    sc = threshold_world(0.1, 0.2, size=20_000, days=25, banned=banned, unity=unity)
    thresholds = initial_population(sc, seed=7).threshold.astype(np.float64)
    ts = exitban.simulate(sc, seed=7).timeseries
    assert (ts["headcount"] == 20_000).all()  # nothing else moves
    r, expected = 0.0, []
    for _ in range(sc.days):
        r = float(np.mean(thresholds <= r - unity * (1.0 - r) + 1e-12))
        expected.append(r)
    np.testing.assert_allclose(ts["acted_share"].to_numpy(), expected, atol=2e-4)


def test_without_a_ban_the_final_share_is_the_smallest_fixed_point() -> None:
    """Where leaving is legal and the regime demands no unity, the cascade ends at the smallest fixed point of
    r = F(r): the threshold map is on there too, not a one-day step."""
    mean, sd = 0.25, 0.12
    sc = threshold_world(mean, sd, banned=False)
    shares = [exitban.simulate(sc, seed=s).timeseries["acted_share"] for s in range(5)]
    assert abs(float(np.mean([a[-1] for a in shares])) - smallest_fixed_point(mean, sd)) < 0.01
    first = float(np.mean([a[0] for a in shares]))
    assert abs(first - normal_cdf(0.0, mean, sd)) < 0.01  # day 1: only those with a threshold <= 0


@pytest.mark.parametrize("banned", [False, True])
def test_the_cost_of_showing_shifts_the_tipping_point(banned: bool) -> None:
    """Thresholds N(0.1, 0.2): with no cost of showing nearly everyone shows it; a unity pressure of 0.3 (the
    cost where the wish is betrayal, with or without a ban) moves the smallest fixed point of
    r = F(1.3 r - 0.3) down to a few percent, and the engine stops there."""
    mean, sd = 0.1, 0.2
    free, costly = smallest_fixed_point(mean, sd), smallest_fixed_point(mean, sd, cost=0.3)
    assert free > 0.9 and costly < 0.1
    for unity, analytic in ((0.0, free), (0.3, costly)):
        got = exitban.simulate(threshold_world(mean, sd, banned=banned, unity=unity), seed=3).timeseries
        assert abs(got["acted_share"][-1] - analytic) < 0.01


def test_the_shipped_thresholds_keep_free_regimes_open() -> None:
    """Where leaving is legal the cost of showing is the unity pressure: for every institution of every shipped
    scenario, r = F((1 + u) r - u) has no low fixed point, so a free regime reaches nearly all who want out
    (as when people leave freely in peacetime) instead of stalling where the map starts."""
    for name in exitban.list_scenarios():
        sc = exitban.load_scenario(name)
        for inst in sc.institutions.values():
            r = smallest_fixed_point(inst.threshold_mean, inst.threshold_sd, cost=sc.regime.unity_pressure)
            assert r > 0.9, (name, inst.kind, r)


def largest_fixed_point_below(start: float, mean: float, sd: float, betrayal: float) -> float:
    """Iterate r <- F(r - b) from ``start``: where F(start - b) <= start it falls monotonically to the largest
    fixed point of that map below the start."""
    r = start
    for _ in range(10_000):
        r = normal_cdf(r - betrayal, mean, sd)
    return r


@pytest.mark.parametrize("betrayal", [0.3, 0.6])
def test_a_betrayal_cost_after_the_cascade_unravels_it_to_the_fixed_point_below(betrayal: float) -> None:
    """Kuran: the shown wish is chosen again each day. Thresholds N(0.1, 0.2), no ban, no unity pressure: the
    cascade reaches nearly everyone in 40 days; a betrayal cost set by a phase on day 40 (added whole) moves the
    share down to the largest fixed point of r = F(r - b) below it: at 0.3 the high one (about 0.998: nearly all
    keep showing), at 0.6 none near the top, so the share falls to almost nobody. A shown wish that stayed shown
    would stay at the top in both."""
    phase = {"date": "2022-02-10", "field": "regime.betrayal_cost", "value": betrayal, "provenance": "test"}
    sc = threshold_world(0.1, 0.2, banned=False, days=120, phases=[phase])
    share = exitban.simulate(sc, seed=4).timeseries["acted_share"].to_numpy()
    before = float(share[39])
    assert before > 0.99
    analytic = largest_fixed_point_below(before, 0.1, 0.2, betrayal)
    assert abs(float(share[-1]) - analytic) < 0.01, (share[-1], analytic)
    assert (analytic > 0.99) if betrayal == 0.3 else (analytic < 0.01)
