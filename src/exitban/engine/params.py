"""The scenario's numbers as the named structures the compiled rules read.

``RuleParams`` holds every number of the regime, bureaucracy, pressure, behaviour and
outputs tables under its scenario field name (``P.prosecution_threat`` in a rule is
``regime.prosecution_threat`` in a scenario file); ``InstitutionParams`` holds one array
per institution field the rules read. Both are built from the schema, so a new field is
visible to the rules without an index table. Every value travels as a float64: Numba
then sees one uniform tuple type and compiles the rules once for every scenario.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np
from pydantic import BaseModel

from exitban.engine.codes import MOVES
from exitban.scenario import Behaviour, Bureaucracy, Casualties, Outputs, Pressure, Regime, Scenario

SECTIONS: dict[str, type[BaseModel]] = {
    "regime": Regime,
    "bureaucracy": Bureaucracy,
    "pressure": Pressure,
    "behaviour": Behaviour,
    "flows": Casualties,
    "outputs": Outputs,
}
# the ban policy is a word, read by the day loop (rules.regime), not a number
NOT_NUMBERS = {"regime.resignation_ban"}


def _numeric_fields() -> dict[str, str]:
    """``{field: section}`` for every number a rule may read; field names are unique across sections."""
    out: dict[str, str] = {}
    for section, model in SECTIONS.items():
        for name in model.model_fields:
            if f"{section}.{name}" in NOT_NUMBERS:
                continue
            if name in out:
                raise TypeError(f"field '{name}' is in both [{out[name]}] and [{section}]: rule names must be unique")
            out[name] = section
    return out


RULE_FIELDS = _numeric_fields()
RuleParams = namedtuple("RuleParams", list(RULE_FIELDS))  # type: ignore[misc]
RuleParams.__doc__ = "Every regime, bureaucracy, pressure, behaviour and output number, by its scenario field name."

INSTITUTION_FIELDS = (
    "covered_by_ban",
    "mobilized",
    "travel_restricted",
    "resignation_case",
    "contract_years",
    "desire_drift_per_year",
    "accession_per_year",
    "age_limit",
    "casualty_per_year",
    "pay_premium",
    "pension_years",
    "trips_per_year",
)
# read from the institution's kind, not set by a scenario: servicemen answer to the military articles
DERIVED_FIELDS = ("military_law", "reservist", "graduates_to", "closed_moves")
InstitutionParams = namedtuple("InstitutionParams", INSTITUTION_FIELDS + DERIVED_FIELDS)  # type: ignore[misc]
InstitutionParams.__doc__ = "Per-institution fields the rules read: one float64 array each, in the scenario's order."

# ---- ban policy codes -----------------------------------------------------------------------------
BAN_OFF, BAN_ON, BAN_AUTO = 0, 1, 2
BAN_POLICY = {"off": BAN_OFF, "on": BAN_ON, "auto": BAN_AUTO}


def rule_params(s: Scenario) -> RuleParams:
    """The scenario's regime-wide numbers, each under its own field name."""
    return RuleParams(*(float(getattr(getattr(s, section), name)) for name, section in RULE_FIELDS.items()))


def institution_params(s: Scenario) -> InstitutionParams:
    """The per-institution fields the rules read, one array each in the scenario's institution order."""
    insts = list(s.institutions.values())
    names = list(s.institutions)

    def number(inst, name: str) -> float:
        if name == "graduates_to":  # the index of the institution graduates join; -1 for none
            return float(names.index(inst.graduates_to)) if inst.graduates_to else -1.0
        if name == "closed_moves":  # a bit per move that does not exist here (codes.MOVES order)
            return float(sum(1 << MOVES.index(move) for move in set(inst.closed_moves)))
        return float(getattr(inst, name))

    return InstitutionParams(
        *(
            np.array([number(inst, name) for inst in insts], dtype=np.float64)
            for name in INSTITUTION_FIELDS + DERIVED_FIELDS
        )
    )


def queue_capacities(s: Scenario) -> np.ndarray:
    """Daily service rate of the ministry, prosecutor and top-reviewer queues, scaled with the population.

    Rates may be fractional (0.05 a day at 1% scale of a 5-a-day office): the queues carry the
    fraction over, so a scaled-down run keeps the load per person of the real one.
    """
    b = s.bureaucracy
    caps = (b.ministry_capacity_per_day, b.prosecutor_capacity_per_day, b.top_reviewer_capacity_per_day)
    return np.array([c * s.scale for c in caps], dtype=np.float64)
