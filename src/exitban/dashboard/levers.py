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
    label: str  # in words, as a reader names the policy
    mechanism: str  # the model's rule (MODEL-BRIEF, docs/ODD.md), for a reader who looks it up
    explain: str  # one line: what the lever does in the model, and what its value means

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

    def help(self) -> str:
        """The line shown under the lever: what it does, its unit, the field to ``--set`` and the rule."""
        return f"{self.explain} Unit: {self.unit()}. Field {self.key} ({self.mechanism})."

    def value(self, scenario: Scenario) -> Any:
        return getattr(getattr(scenario, self.section), self.field)


LEVERS: tuple[Lever, ...] = (
    Lever(
        "regime", "resignation_ban", "Resignation ban", "R1",
        "Requests to resign are refused: on, off, or auto (the regime imposes it once enough want out).",
    ),
    Lever(
        "regime", "prosecution_threat", "Threat of prosecution", "R2",
        "Chance of a criminal case for one who insists on leaving or breaks the rules: what people weigh before a move.",
    ),
    Lever(
        "pressure", "pressure_rate", "Pressure from superiors", "R12",
        "Daily chance that a commander climbs one rung of the ladder (persuasion, threats, family) against one who asked to leave.",
    ),
    Lever(
        "regime", "unity_pressure", "Pressure to display unity", "R3",
        "Cost of showing a wish to leave: the higher it is, the more hide what they privately want.",
    ),
    Lever(
        "regime", "mobilization", "Mobilization decree", "R4",
        "Contracts no longer end at expiry, with no end date set.",
    ),
    Lever(
        "regime", "centralized_approvals", "Central approval of dismissals", "R9",
        "Some dismissals need the ministry's order: one central queue of limited capacity.",
    ),
    Lever(
        "regime", "travel_control", "Travel control", "R7",
        "Foreign travel needs a permit; passports are held and the permit lists are reviewed at the top.",
    ),
    Lever(
        "regime", "sabotage_tolerance", "Tolerance of sabotage", "R14",
        "Share of those who sabotage their work to be fired that the management lets be.",
    ),
    Lever(
        "regime", "denial", "Official denial", "R15",
        "The ministry reports no complaints or internal orders: reported figures differ from true ones.",
    ),
)  # fmt: skip


def apply_levers(scenario: Scenario, values: dict[str, Any], **top_level: Any) -> Scenario:
    """A copy of ``scenario`` with lever values (keyed ``section.field``) and top-level fields changed, validated."""
    return scenario.with_overrides(**top_level).with_params(values)
