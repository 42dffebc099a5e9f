"""The numbers the people, commanders and central offices act on, read from a scenario.

Rules are read under their scenario field names (``rules.prosecution_threat`` is
``regime.prosecution_threat``), through the same ``RuleParams`` the engine uses: the two
implementations share the scenario and its names, but none of the code that turns the
numbers into behaviour.
"""

from __future__ import annotations

import math

from exitban.engine.build import RuleParams, institution_fields, rule_params
from exitban.engine.rules.front import rear_days
from exitban.engine.units import DAYS_PER_YEAR, daily
from exitban.scenario import Institution, Scenario

__all__ = ["DAYS_PER_YEAR", "InstitutionRules", "RuleParams", "daily", "rule_params"]


class InstitutionRules:
    """What differs between institutions: every number and switch of the schema's ``Institution`` under its
    field name (``engine.build.institution_fields``, the engine's own list), and the twin's forms of a few.

    A new per-institution field is here, as in the engine's ``inst``, without an edit.
    """

    reservist: bool  # mobilized reservists serve until mobilization ends
    travel_controlled: bool  # the regime's travel control and the institution's own flag
    passports_surrendered: bool  # under travel control every passport is held (the rule of Dec 2023)
    contract_days: int
    drift_daily: float
    military_law: bool  # servicemen answer to the military articles (absence, desertion, disobedience)
    casualty_daily: float
    trip_daily: float  # chance of an ordinary trip abroad a day, asked for only under travel control (R7)
    closed_moves: frozenset[str]  # ways out that do not exist here
    front: bool  # some serve at the front; only they face casualties and the combat drift
    rotate_daily: float  # chance a day that a tour at the front ends
    deploy_daily: float  # chance a day that a rear spell ends: to the front
    leave_daily: float  # chance a day of a leave from the front
    front_absence_bias: float  # log of front_absence_factor: added to absence's utility at the front
    front_sabotage_catch: float  # front_sabotage_catch_factor where a front is modelled, else 1

    @classmethod
    def from_scenario(cls, s: Scenario, inst: Institution) -> InstitutionRules:
        rules = cls()
        for name in institution_fields(type(inst)):
            setattr(rules, name, getattr(inst, name))
        rules.reservist = inst.reservist
        rules.travel_controlled = s.regime.travel_control and inst.travel_restricted
        rules.passports_surrendered = rules.travel_controlled and s.regime.passport_surrender
        rules.contract_days = int(max(1.0, inst.contract_years * DAYS_PER_YEAR))
        rules.drift_daily = inst.desire_drift_per_year / DAYS_PER_YEAR
        rules.military_law = inst.military_law
        rules.casualty_daily = daily(inst.casualty_per_year)
        rules.trip_daily = inst.trips_per_year / DAYS_PER_YEAR
        rules.closed_moves = frozenset(inst.closed_moves)
        rules.front = inst.front_share > 0
        rules.rotate_daily = 1.0 / inst.tour_days if rules.front and inst.front_share < 1 else 0.0
        rear = rear_days(inst.front_share, inst.tour_days)
        rules.deploy_daily = (1.0 / rear if rear > 1.0 else 1.0) if rules.front else 0.0
        rules.leave_daily = inst.leave_per_year / DAYS_PER_YEAR if rules.front else 0.0
        factor = inst.front_absence_factor
        rules.front_absence_bias = math.log(factor) if factor > 0 else -math.inf
        rules.front_sabotage_catch = inst.front_sabotage_catch_factor if rules.front else 1.0
        return rules
