"""The front (rules.front; P1, E7, E8): casualties and the combat drift fall on those at the front; leave and
hospital stocks follow their fields; absence opens on leave rather than at the front; no second job there."""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl
import pytest

import exitban
from exitban.engine import codes
from exitban.engine.units import daily
from exitban.scenario.load import list_scenarios
from tests.helpers import paired, scenario, total

pytestmark = pytest.mark.mechanism("P1", "E7", "E8")

SOLDIERS = "contract_soldiers"
FRONT_COLUMNS = ("deployed", "on_leave", "in_hospital", "hospitalized")


def war(days: int = 240, scale: float = 0.01, **fields: Any) -> exitban.Scenario:
    """The army scenario with its contract soldiers at war: a front, casualties, leave and hospital.

    ``fields`` override the soldiers' fields by their bare names (``front_share=0.2``).
    """
    soldiers = {
        "front_share": 0.4,
        "tour_days": 120.0,
        "casualty_per_year": 0.25,
        "leave_per_year": 3.0,
        "leave_days": 14,
        "wounded_return_share": 0.6,
        "hospital_days": 30,
        **fields,
    }
    return scenario(
        "army-officers-2019", scale=scale, days=days, **{f"institutions.{SOLDIERS}.{k}": v for k, v in soldiers.items()}
    )


def soldiers(result: exitban.Result) -> pl.DataFrame:
    return result.timeseries.filter(pl.col("institution") == SOLDIERS)


def casualties(ts: pl.DataFrame) -> float:
    return float(sum(ts[c].sum() for c in ("exits_killed", "exits_missing", "exits_wounded", "hospitalized")))


SEED_SCENARIOS = [n for n in list_scenarios() if not n.endswith("-calibrated") and not exitban.load_scenario(n).phases]


@pytest.mark.parametrize("name", SEED_SCENARIOS)
def test_no_front_in_the_shipped_scenarios(name: str) -> None:
    """The front is opt-in: the seeds' one-year scenarios model none, so its outputs are zero there (the dated
    long run, war-2022-2025, has one: tests/invariants/test_war_record.py)."""
    sc = exitban.load_scenario(name)
    assert all(inst.front_share == 0 for inst in sc.institutions.values())
    ts = exitban.simulate(sc.with_overrides(scale=0.002, days=30), seed=1).timeseries
    for col in FRONT_COLUMNS:
        assert ts[col].sum() == 0, col


def test_nobody_is_killed_outside_the_front() -> None:
    """Invariant: every casualty was at the front; where the officers face the same yearly rate without a
    front, everyone is exposed; in the rear nobody is."""
    sc = war().with_params({"institutions.officers.casualty_per_year": 0.25})
    for seed in range(3):
        result = exitban.simulate(sc, seed=seed)
        pop = result.population
        soldier = pop.inst == list(sc.institutions).index(SOLDIERS)
        fell = np.isin(pop.status, [codes.EXIT_KILLED, codes.EXIT_MISSING, codes.EXIT_WOUNDED])
        assert (fell & soldier).sum() > 0
        assert (pop.station[fell & soldier] == codes.STATION_FRONT).all()
        assert (pop.station[~soldier] == codes.STATION_REAR).all()  # no front there: nobody moves
        assert total(result, "exits_killed", "officers") > 0  # without a front the rate falls on everyone
    # with the front on but nobody sent, nobody falls
    empty = exitban.simulate(war(front_share=1e-9, tour_days=1.0), seed=0)
    assert casualties(soldiers(empty)) == 0


def test_casualties_scale_with_the_deployed_stock() -> None:
    """Known answer: casualties = man-days at the front × the daily rate (Poisson noise); paired seeds: twice
    the front share, more casualties."""
    rate = daily(0.25)
    result = exitban.simulate(war(days=300), seed=3)
    ts = soldiers(result)
    expected = float(ts["deployed"].sum()) * rate
    assert abs(casualties(ts) - expected) < 4 * np.sqrt(expected) + 2
    for few, many in paired(war(front_share=0.2), war(front_share=0.4), lambda r: casualties(soldiers(r)), range(4)):
        assert many > few


def test_leave_and_hospital_stocks_follow_little_s_law() -> None:
    """Little's law: the mean on leave = leaves a day × leave_days, and in hospital = the wounded sent a day ×
    hospital_days, once the stocks have filled."""
    sc = war(days=300, scale=0.02, leave_per_year=4.0, leave_days=20, hospital_days=40)
    ts = soldiers(exitban.simulate(sc, seed=5)).filter(pl.col("day") >= 60)
    on_leave = float(ts["on_leave"].mean())
    leaves_a_day = float(ts["deployed"].mean()) * 4.0 / 365.0
    assert on_leave == pytest.approx(leaves_a_day * 20, rel=0.1)
    in_hospital = float(ts["in_hospital"].mean())
    assert in_hospital == pytest.approx(float(ts["hospitalized"].mean()) * 40, rel=0.2)
    # and the share at the front is the rotation's, leave and hospital aside (newcomers start in the rear)
    stationed = ts["headcount"] - ts["on_leave"] - ts["in_hospital"] - ts["absent"]
    assert float((ts["deployed"] / stationed).mean()) == pytest.approx(0.4, abs=0.06)


def test_wounded_return_share_zero_discharges_every_wounded() -> None:
    """With no wounded returning, every wound ends service as before: nobody in hospital."""
    ts = soldiers(exitban.simulate(war(wounded_return_share=0.0), seed=1))
    assert ts["in_hospital"].sum() == 0 and ts["hospitalized"].sum() == 0 and ts["exits_wounded"].sum() > 0


def _absences(result: exitban.Result) -> float:
    return total(result, "cases_absence", SOLDIERS) + float(soldiers(result)["absent"].sum())


def test_absence_opens_on_leave_not_at_the_front() -> None:
    """Everyone at the front with absence closed there (factor 0) and no newcomers: nobody goes absent without
    leave (known answer); paired seeds: leave opens absences."""
    fields = {
        "front_share": 1.0,
        "front_absence_factor": 0.0,
        "accession_per_year": 0.0,
        "casualty_per_year": 0.0,
        "desire_mean": 0.8,
    }
    no_leave = war(days=200, leave_per_year=0.0, **fields).with_params({"behaviour.absence_bias": 0.0})
    leave = war(days=200, leave_per_year=6.0, **fields).with_params({"behaviour.absence_bias": 0.0})
    for without, with_leave in paired(no_leave, leave, _absences, range(3)):
        assert without == 0
        assert with_leave > 0


def test_absence_is_rarer_at_the_front() -> None:
    """Paired seeds: at the front's full odds (factor 1) more soldiers go absent than at a fifth of them."""
    base = {"front_share": 0.8, "desire_mean": 0.8}
    low = war(days=200, front_absence_factor=0.2, **base).with_params({"behaviour.absence_bias": 0.0})
    high = war(days=200, front_absence_factor=1.0, **base).with_params({"behaviour.absence_bias": 0.0})
    for rare, common in paired(low, high, _absences, range(3)):
        assert common > rare


def test_no_second_job_at_the_front() -> None:
    """Everyone at the front, no leave, no newcomers: nobody moonlights, though the same soldiers in the rear do;
    and no one at the front is ever a moonlighter (final population)."""
    fields = {"front_share": 1.0, "accession_per_year": 0.0, "casualty_per_year": 0.0, "leave_per_year": 0.0}
    front = war(days=150, desire_mean=0.8, **fields).with_params({"behaviour.moonlight_bias": 0.0})
    rear = war(days=150, desire_mean=0.8, **{**fields, "front_share": 0.0}).with_params(
        {"behaviour.moonlight_bias": 0.0}
    )
    for at_front, in_rear in paired(front, rear, lambda r: float(soldiers(r)["moonlighting"].sum()), range(2)):
        assert at_front == 0 and in_rear > 0
    pop = exitban.simulate(war(days=200).with_params({"behaviour.moonlight_bias": 0.0}), seed=2).population
    serving = pop.status == codes.SERVING
    assert not ((pop.station == codes.STATION_FRONT) & (pop.stage == codes.MOONLIGHT) & serving).any()


def test_combat_drift_raises_the_wish_to_leave_at_the_front() -> None:
    """Paired seeds: with a combat drift the soldiers end the run wanting out more."""
    calm = war(days=200, casualty_per_year=0.0)
    combat = war(days=200, casualty_per_year=0.0, front_drift_per_year=0.5)
    for before, after in paired(calm, combat, lambda r: float(soldiers(r)["mean_desire"][-1]), range(3)):
        assert after > before


def test_a_civil_official_is_not_sent_to_the_front() -> None:
    """Bad input: a clear one-line error naming the field and what is allowed."""
    with pytest.raises(exitban.ScenarioError, match=r"front_share.*civil_official"):
        scenario("officials-2023", **{"institutions.senior_officials.front_share": 0.3})


def test_sabotage_is_riskier_at_the_front() -> None:
    """Paired seeds: where sabotage at the front is caught at ten times the rear's rate (and weighed so), fewer
    soldiers sabotage there than where the front changes nothing (factor 1); in the rear the factor is inert."""
    base = {"front_share": 1.0, "desire_mean": 0.8, "leave_per_year": 0.0, "accession_per_year": 0.0}
    same = war(days=200, front_sabotage_catch_factor=1.0, **base).with_params({"behaviour.neglect_bias": 0.0})
    risky = war(days=200, front_sabotage_catch_factor=10.0, **base).with_params({"behaviour.neglect_bias": 0.0})
    sabotaging = lambda r: float(soldiers(r)["sabotaging"].sum())  # noqa: E731
    for as_rear, at_front in paired(same, risky, sabotaging, range(3)):
        assert at_front < as_rear
    rear = {**base, "front_share": 0.0}
    inert = [war(days=60, front_sabotage_catch_factor=f, **rear) for f in (1.0, 10.0)]
    first, second = (exitban.simulate(sc, seed=4).timeseries for sc in inert)
    assert first.equals(second)
