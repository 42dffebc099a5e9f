"""``engine.build`` is the engine's one door from the schema: what reaches the rules, scaled, and in what dtype."""

from __future__ import annotations

import numpy as np
import pytest

import exitban
from exitban.engine.build import (
    QUEUE_CAPACITIES,
    RULE_FIELDS,
    build,
    institution_params,
    rule_params,
    scaled,
)
from exitban.engine.state import N_QUEUES, POSITION_DTYPES, TRAITS, UNIT_DTYPES, Population, Recruits
from exitban.mesa.rules import InstitutionRules
from exitban.scenario import Institution, Scenario
from tests.unit.test_rule_writes import found_writes


class InstitutionWithMorale(Institution):
    """The schema with one new per-institution number, as a contributor would add it."""

    morale_per_year: float = 0.25


def _with_morale(sc: Scenario) -> Scenario:
    insts = {name: InstitutionWithMorale(**inst.model_dump()) for name, inst in sc.institutions.items()}
    return sc.model_copy(update={"institutions": insts})


def test_a_new_institution_field_reaches_the_rules_and_the_twin_without_another_edit() -> None:
    sc = _with_morale(exitban.load_scenario("army-officers-2019"))
    inst = institution_params(sc)
    assert inst.morale_per_year.tolist() == [0.25] * len(sc.institutions)
    assert inst.morale_per_year.dtype == np.float64
    spec = next(iter(sc.institutions.values()))
    assert InstitutionRules.from_scenario(sc, spec).morale_per_year == 0.25


def test_every_number_and_switch_of_an_institution_reaches_the_rules() -> None:
    sc = exitban.load_scenario("officials-2023")
    inst = institution_params(sc)
    first = next(iter(sc.institutions.values()))
    for name, field in Institution.model_fields.items():
        if field.annotation in (int, float, bool):
            assert getattr(inst, name)[0] == float(getattr(first, name)), name


@pytest.mark.parametrize("scale", [0.01, 1.0])
def test_capacities_per_day_are_scaled_once_for_rules_queues_and_twin(scale: float) -> None:
    sc = exitban.load_scenario("officials-2023").with_overrides(scale=scale)
    capacities = scaled(sc)
    assert set(capacities) == {name for name in RULE_FIELDS if name.endswith("_capacity_per_day")}
    assert len(capacities) == 7  # ministry, prosecutor, top reviewer, lawyers, investigators, helpers, central office
    P = rule_params(sc)
    for name, value in capacities.items():
        unscaled = getattr(getattr(sc, RULE_FIELDS[name]), name)
        assert value == unscaled * scale
        assert getattr(P, name) == value, f"P.{name} is not the scaled capacity"
    inputs, _ = build(sc.with_overrides(scale=0.002), seed=0)
    assert inputs.queue_rates.tolist() == [scaled(sc.with_overrides(scale=0.002))[n] for n in QUEUE_CAPACITIES]


def test_built_arrays_have_the_declared_layout() -> None:
    sc = exitban.load_scenario("army-officers-2019").with_overrides(scale=0.002)
    inputs, state = build(sc, seed=3)
    people = state.people
    assert set(POSITION_DTYPES) | set(UNIT_DTYPES) | {"inst_size0", "inst_start"} == set(Population._fields)
    for name, dtype in {**POSITION_DTYPES, **UNIT_DTYPES}.items():
        assert getattr(people, name).dtype == dtype, name
    for name in TRAITS:
        assert name in Recruits._fields and getattr(inputs.recruits, name).dtype == np.float32, name
    assert state.unit_tally.shape[0] == people.n_units
    assert state.offices.q_who.shape == (N_QUEUES, people.n + 1)


def test_newcomers_and_graduates_take_every_trait() -> None:
    """The one copy of the traits writes exactly ``TRAITS``: a new trait is copied or the guard fails."""
    assert found_writes("copy_traits") == {f"people.{name}" for name in TRAITS}
