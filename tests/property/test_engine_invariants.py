"""Engine invariants over random valid scenarios: conservation, no negative counts, bounded shares, finite outputs.

Scenarios are drawn from the schema itself: every lever of the regime, bureaucracy, pressure,
behaviour and output cut-offs, and every institution field, takes a random value within its
declared range, so a new field is fuzzed as soon as it is added.
"""

from __future__ import annotations

import datetime
import os
import typing
from typing import Any, Literal

import numpy as np
import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

import exitban
from exitban.engine import codes
from exitban.observe import COUNT_COLUMNS, EXIT_COLUMNS
from exitban.scenario import Behaviour, Bureaucracy, Institution, Outputs, Pressure, Regime, Scenario
from exitban.scenario.fields import bounds

# Durations can reach 10 years in the schema; keep some short so queues and courts finish within a run.
SHORT = {"court_days", "medical_days", "case_days", "desert_days", "absence_limit_days"}


def field_strategy(name: str, field: Any) -> st.SearchStrategy[Any] | None:
    """Random values within a field's declared type and bounds; None for free text."""
    ann = field.annotation
    if typing.get_origin(ann) is Literal:
        return st.sampled_from(typing.get_args(ann))
    if ann is bool:
        return st.booleans()
    if ann not in (int, float):
        return None
    span = bounds(field)
    if ann is int:
        hi = min(span.high, 40) if name in SHORT else span.high
        return st.integers(min_value=int(span.low), max_value=int(hi))
    return st.floats(min_value=span.low, max_value=span.high, exclude_min=span.low_open, allow_nan=False)


def model_strategy(model: type[BaseModel], skip: set[str] = frozenset()) -> st.SearchStrategy[dict[str, Any]]:
    parts = {}
    for name, field in model.model_fields.items():
        strat = field_strategy(name, field)
        if strat is not None and name not in skip:
            parts[name] = strat
    return st.fixed_dictionaries(parts)


@st.composite
def institutions(draw: st.DrawFn, front: bool = False) -> Institution:
    size = draw(st.integers(min_value=20, max_value=500))
    fields = draw(model_strategy(Institution, skip={"size", "unit_size"}))
    unit_size = draw(st.integers(min_value=2, max_value=size))
    if front:  # a serviceman's institution at war: a front, casualties, short stays so stations turn over
        fields["kind"] = draw(
            st.sampled_from(
                [k for k in typing.get_args(Institution.model_fields["kind"].annotation) if k != "civil_official"]
            )
        )
        fields["front_share"] = draw(st.floats(min_value=0.01, max_value=1.0))
        fields["casualty_per_year"] = draw(st.floats(min_value=0.0, max_value=1.0))
        fields["tour_days"] = draw(st.floats(min_value=1.0, max_value=60.0))
        fields["leave_days"] = draw(st.integers(min_value=1, max_value=20))
        fields["hospital_days"] = draw(st.integers(min_value=1, max_value=20))
    elif fields["kind"] == "civil_official":
        fields["front_share"] = 0.0  # civil officials are not sent to the front
    return Institution(**fields, size=size, unit_size=unit_size)


@st.composite
def scenarios(draw: st.DrawFn, front: bool = False) -> Scenario:
    days = draw(st.integers(min_value=5, max_value=40))
    spin_up = draw(st.integers(min_value=0, max_value=5))
    regime = draw(model_strategy(Regime))
    insts = draw(st.lists(institutions(front=front), min_size=1, max_size=3))
    start = datetime.date(2022, 1, 1)
    lift = draw(st.integers(min_value=-spin_up - 1, max_value=days - 1))  # the ban lifted by a phase, or not
    phases = [] if lift < -spin_up else [
        {"date": start + datetime.timedelta(days=lift), "field": "regime.resignation_ban", "value": "off",
         "provenance": "drawn"}
    ]  # fmt: skip
    return Scenario(
        name="drawn",
        start=start,
        spin_up_days=spin_up,
        phases=phases,
        days=days,
        scale=draw(st.just(1.0) | st.floats(min_value=0.001, max_value=2.0)),  # down to 2-agent institutions
        regime=Regime(**regime),
        bureaucracy=Bureaucracy(**draw(model_strategy(Bureaucracy))),
        pressure=Pressure(**draw(model_strategy(Pressure))),
        behaviour=Behaviour(**draw(model_strategy(Behaviour))),
        outputs=Outputs(**draw(model_strategy(Outputs))),
        institutions={f"inst{k}": inst for k, inst in enumerate(insts)},
    )


SHARES = ["want_out_share", "displayed_share", "defend_share"]
TRAITS = ["desire", "loyalty", "fear", "risk_aversion", "competence", "health", "family", "means", "reach"]
PER_HEAD = ["want_out", "displayed", "would_defend", "sabotaging", "moonlighting", "absent", "true_present"]
STATIONED = ["deployed", "on_leave", "in_hospital"]  # the front's stocks (rules.front): each person in one at most
PENDING = ["backlog_unit", "backlog_ministry", "backlog_appeals", "backlog_travel", "in_court", "at_medical"]


@settings(
    max_examples=int(os.environ.get("EXITBAN_ENGINE_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(sc=scenarios(), seed=st.integers(min_value=0, max_value=2**31 - 1))
def test_engine_invariants(sc: Scenario, seed: int) -> None:
    """Any valid scenario conserves headcount, keeps counts >= 0, shares and traits in [0, 1], outputs finite."""
    check_invariants(sc, seed)


def check_invariants(sc: Scenario, seed: int) -> exitban.Result:
    """Run ``sc`` and check the invariants of ``test_engine_invariants``; the result, for further checks."""
    result = exitban.simulate(sc, seed=seed)
    ts = result.timeseries.sort("institution", "day")
    # who serves on the morning of the first reported day (held_at_start of the strength, without spin-up)
    start = {name: v["start"] for name, v in result.summary["institutions"].items()}

    # conservation: serving = serving before the first reported day + cumulative inflows - exits and outflows,
    # every institution, every day; without spin-up days, serving before day 0 is the starting size
    inflow = pl.sum_horizontal("recruited", "called_up", "commissioned")
    outflow = pl.sum_horizontal(*EXIT_COLUMNS, "released", "graduated")
    check = ts.with_columns(net=(inflow - outflow).cum_sum().over("institution"))
    for (name,), group in check.group_by("institution"):
        before = group["headcount"] - group["net"]
        assert (before == before[0]).all(), name
        assert sc.spin_up_days > 0 or before[0] == start[name], name

    # no negative counts or queue lengths; per-head counts never exceed the headcount
    for col in sorted(COUNT_COLUMNS & set(ts.columns)):
        assert ts[col].min() >= 0, col
    for col in PER_HEAD:
        assert (ts[col] <= ts["headcount"]).all(), col
    assert (ts.select(pl.sum_horizontal(PENDING)).to_series() <= ts["headcount"]).all()
    assert (ts.select(pl.sum_horizontal(STATIONED)).to_series() <= ts["headcount"]).all()

    # shares in [0, 1]; capacity per head bounded by competence and sabotage damage
    for col in SHARES:
        assert ts[col].is_between(0.0, 1.0).all(), col
    # acted is over the starting size, counting those who acted and left: with turnover it can pass 1,
    # but never the number of people who have ever held a position. Those are known from the outputs only
    # without spin-up days: one who acted and left during the spin-up still counts, but no reported row has him
    assert (ts["acted_share"] >= 0).all()
    if sc.spin_up_days == 0:
        ever = check.with_columns(
            ever=pl.col("institution").replace_strict(start) + inflow.cum_sum().over("institution")
        )
        strength = dict(zip(sc.institutions, result.population.inst_size0.tolist(), strict=True))  # the denominator
        acted = ever["acted_share"] * ever["institution"].replace_strict(strength)
        assert (acted <= ever["ever"] + 1e-9).all()
    cap = ts["capacity_share"]
    assert cap.max() <= 1.0 and cap.min() >= -sc.pressure.sabotage_damage - 1e-9

    MAY_BE_NAN = {"released_wait_years", "absence_suspended_share"}
    # every float output finite; released_wait_years is NaN exactly on days nobody was released by request, and
    # absence_suspended_share on days no absence case ended in a conviction (rules.justice)
    for col, dtype in ts.schema.items():
        if dtype.is_float() and col not in MAY_BE_NAN:
            assert ts[col].is_finite().all(), col
    waits = ts["released_wait_years"].drop_nans()
    assert (waits >= 0).all() and waits.is_finite().all()
    suspended = ts["absence_suspended_share"]
    assert suspended.drop_nans().is_between(0.0, 1.0).all()
    assert (suspended.is_nan() == (ts["convictions_absence"] == 0)).all()

    # the final population: traits are probabilities, codes in range, exit days within the run
    pop = result.population
    for trait in TRAITS:
        values = getattr(pop, trait)
        assert np.isfinite(values).all() and values.min() >= 0.0 and values.max() <= 1.0, trait
    assert np.isfinite(pop.threshold).all()
    holder_gone = (pop.status != codes.SERVING) & (pop.status != codes.VACANT)  # left, or graduated
    assert np.isin(pop.status[holder_gone], [*range(1, codes.N_CHANNELS + 1), codes.GRADUATING]).all()
    assert pop.stage.max() < len(codes.STAGES)
    simulated = sc.spin_up_days + sc.days  # the people's day fields count from the first simulated day
    assert ((pop.exit_day[holder_gone] >= 0) & (pop.exit_day[holder_gone] < simulated)).all()
    assert (pop.exit_day[~holder_gone] == -1).all()
    assert (pop.pressure <= 7).all()

    # the summary is plain finite JSON numbers
    flows = result.summary["flows"]
    inflow = flows["recruited"] + flows["called_up"] + flows["commissioned"]
    outflow = result.summary["exits_total"] + flows["released"] + flows["graduated"]
    assert result.summary["serving"] == result.summary["agents"] + inflow - outflow
    for name, figures in result.summary["institutions"].items():
        for key, value in figures.items():
            if isinstance(value, float):
                assert np.isfinite(value), f"{name}.{key}"
    return result


@settings(
    max_examples=int(os.environ.get("EXITBAN_ENGINE_EXAMPLES", "60")) // 2,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(sc=scenarios(front=True), seed=st.integers(min_value=0, max_value=2**31 - 1))
def test_engine_invariants_at_war(sc: Scenario, seed: int) -> None:
    """With a front in every institution the invariants above hold, and the front's own: every casualty fell
    at the front; nobody at the front moonlights; stations and their days are in range; after day 0 no
    institution has more casualties on a day than it had deployed the evening before (the exposed)."""
    result = check_invariants(sc, seed)
    pop = result.population
    fell = np.isin(pop.status, [codes.EXIT_KILLED, codes.EXIT_MISSING, codes.EXIT_WOUNDED])
    assert (pop.station[fell] == codes.STATION_FRONT).all()
    serving = pop.status == codes.SERVING
    assert not (serving & (pop.station == codes.STATION_FRONT) & (pop.stage == codes.MOONLIGHT)).any()
    assert pop.station.max() < len(codes.STATIONS)
    assert ((pop.station_day[serving] >= 0) & (pop.station_day[serving] <= sc.days + sc.spin_up_days)).all()
    fallen = pl.sum_horizontal("exits_killed", "exits_missing", "exits_wounded", "hospitalized")
    ts = result.timeseries.sort("institution", "day").with_columns(
        fallen=fallen, exposed=pl.col("deployed").shift(1).over("institution")
    )
    after_day0 = ts.filter(pl.col("day") > 0)
    assert (after_day0["fallen"] <= after_day0["exposed"]).all()
