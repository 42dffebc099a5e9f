"""The numbers the people, commanders and central offices act on, read from a scenario.

Rules are read under their scenario field names (``rules.prosecution_threat`` is
``regime.prosecution_threat``), through the same ``RuleParams`` the engine uses: the two
implementations share the scenario and its names, but none of the code that turns the
numbers into behaviour.
"""

from __future__ import annotations

from dataclasses import dataclass

from exitban.engine.build import RuleParams, rule_params
from exitban.engine.units import DAYS_PER_YEAR, daily
from exitban.scenario import Institution, Scenario

__all__ = ["DAYS_PER_YEAR", "InstitutionRules", "RuleParams", "daily", "rule_params"]


@dataclass(slots=True)
class InstitutionRules:
    """What differs between institutions: the ban's reach, mobilization, travel control, contracts."""

    covered_by_ban: bool
    mobilized: bool  # the institution's own flag: the decree applies to it while mobilization lasts
    reservist: bool  # mobilized reservists serve until mobilization ends
    travel_controlled: bool  # the regime's travel control and the institution's own flag
    resignation_case: bool
    contract_days: int
    drift_daily: float
    military_law: bool  # servicemen answer to the military articles (absence, desertion, disobedience)
    age_limit: float
    casualty_daily: float
    accession_per_year: float
    pay_premium: float  # the DRM's pay over the outside job
    pension_years: float  # years of service at which the pension vests
    trip_daily: float  # chance of an ordinary trip abroad a day, asked for only under travel control (R7)
    closed_moves: frozenset[str]  # ways out that do not exist here

    @classmethod
    def from_scenario(cls, s: Scenario, inst: Institution) -> InstitutionRules:
        return cls(
            covered_by_ban=inst.covered_by_ban,
            mobilized=inst.mobilized,
            reservist=inst.reservist,
            travel_controlled=s.regime.travel_control and inst.travel_restricted,
            resignation_case=inst.resignation_case,
            contract_days=int(max(1.0, inst.contract_years * DAYS_PER_YEAR)),
            drift_daily=inst.desire_drift_per_year / DAYS_PER_YEAR,
            military_law=inst.military_law,
            age_limit=inst.age_limit,
            casualty_daily=daily(inst.casualty_per_year),
            accession_per_year=inst.accession_per_year,
            pay_premium=inst.pay_premium,
            pension_years=inst.pension_years,
            trip_daily=inst.trips_per_year / DAYS_PER_YEAR,
            closed_moves=frozenset(inst.closed_moves),
        )
