"""The policy levers the dashboard shows: which scenario fields, their allowed ranges, and how to apply them.

Ranges come from the scenario schema (its ``ge``/``le`` bounds and ``Literal`` choices), so a lever can
never take a value that ``exitban check`` would refuse.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Any

from pydantic.fields import FieldInfo

from exitban.scenario import fields
from exitban.scenario.schema import Scenario


@dataclass(frozen=True)
class Lever:
    section: str  # a top-level part of the scenario: "regime", "pressure", ...
    field: str
    label: str

    @property
    def key(self) -> str:
        return f"{self.section}.{self.field}"

    def schema_field(self) -> FieldInfo:
        return fields.field_at(Scenario, self.key)

    def kind(self) -> str:
        """``choice``, ``switch`` or ``number``."""
        ann = self.schema_field().annotation
        if typing.get_origin(ann) is typing.Literal:
            return "choice"
        return "switch" if ann is bool else "number"

    def choices(self) -> list[Any]:
        return list(typing.get_args(self.schema_field().annotation))

    def bounds(self) -> tuple[float, float]:
        """The schema's bounds for a numeric lever (a slider's ends)."""
        span = fields.bounds(self.schema_field())
        if span.low is None or span.high is None:
            raise ValueError(f"{self.key} has no bounds in the schema; a slider needs both")
        return float(span.low), float(span.high)

    def unit(self) -> str:
        """The unit the schema declares for the lever's field (the one `exitban show` prints)."""
        return fields.declared_unit(self.schema_field())

    def value(self, scenario: Scenario) -> Any:
        return getattr(getattr(scenario, self.section), self.field)


LEVERS: tuple[Lever, ...] = (
    Lever("regime", "resignation_ban", "Resignation ban (R1)"),
    Lever("regime", "prosecution_threat", "Threat of prosecution (R2)"),
    Lever("pressure", "pressure_rate", "Pressure ladder, daily rate (R12)"),
    Lever("regime", "unity_pressure", "Pressure to display unity (R3)"),
    Lever("regime", "mobilization", "Mobilization decree (R4)"),
    Lever("regime", "centralized_approvals", "Centralized approvals (R9)"),
    Lever("regime", "travel_control", "Travel control (R7)"),
    Lever("regime", "sabotage_tolerance", "Tolerance of sabotage (R14)"),
    Lever("regime", "denial", "Official denial (R15)"),
)


def apply_levers(scenario: Scenario, values: dict[str, Any], **top_level: Any) -> Scenario:
    """A copy of ``scenario`` with lever values (keyed ``section.field``) and top-level fields changed, validated."""
    return scenario.with_overrides(**top_level).with_params(values)
