"""``exitban show`` lists every scenario field a rule reads, with its unit, allowed range and provenance."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

import exitban
from exitban.cli import app
from exitban.engine.build import INSTITUTION_FIELDS, RULE_FIELDS

RULES = Path(exitban.__file__).parent / "engine" / "rules"
# the institution fields a rule reads (``inst.pay_premium[k]``); every other one of them only draws the people
READ_BY_RULES = sorted(
    {name for path in RULES.glob("*.py") for name in re.findall(r"\binst\.(\w+)\[", path.read_text())}
    & set(INSTITUTION_FIELDS)
)

# the coefficients that were literals in the rules before they became fields (issue: the engine as named rules)
FORMER_LITERALS = (
    "behaviour.voice_loyalty_weight",
    "behaviour.absence_fear_weight",
    "behaviour.ill_health_weight",
    "behaviour.viral_reach_scale",
    "behaviour.court_share",
    "bureaucracy.viral_court_factor",
    "bureaucracy.ill_health_release_weight",
    "pressure.ladder_top",
    "pressure.persuasion_base",
    "pressure.family_threat_weight",
    "pressure.transfer_fear_weight",
    "pressure.transfer_reach_factor",
    "pressure.confinement_fear_weight",
    "pressure.physical_threat_weight",
    "pressure.withdraw_fear_weight",
    "pressure.requests_before_case",
    "pressure.bribe_case_factor",
    "institutions.officers.junior_years",
    "institutions.officers.health_concentration",
    "institutions.officers.means_concentration",
)


def _shown() -> dict:
    result = CliRunner().invoke(app, ["show", "army-officers-2019", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["values"]


def test_every_rule_parameter_is_shown_with_unit_range_and_provenance() -> None:
    """Each number the rules read appears with a non-empty unit, an allowed range and a provenance."""
    shown = _shown()
    rule_keys = [f"{section}.{name}" for name, section in RULE_FIELDS.items()]
    inst_keys = [f"institutions.officers.{name}" for name in READ_BY_RULES]
    assert len(READ_BY_RULES) >= 12, READ_BY_RULES
    for key in (*rule_keys, *inst_keys, *FORMER_LITERALS):
        row = shown[key]
        assert row["unit"], f"{key} has no unit"
        assert row["allowed"], f"{key} has no allowed range"
        assert row["provenance"].startswith(("source ", "assumption: ")), f"{key}: {row['provenance']}"


def test_former_literals_keep_the_values_the_rules_had() -> None:
    """The fields that replaced literals default to the literal they replaced (no rule changed)."""
    shown = _shown()
    expected = {
        "behaviour.voice_loyalty_weight": 0.5,
        "behaviour.absence_fear_weight": 2.0,
        "behaviour.ill_health_weight": 4.0,
        "behaviour.viral_reach_scale": 10.0,
        "behaviour.court_share": 0.5,
        "bureaucracy.viral_court_factor": 1.5,
        "bureaucracy.ill_health_release_weight": 2.0,
        "pressure.ladder_top": 7,
        "pressure.persuasion_base": 0.5,
        "pressure.family_threat_weight": 2.0,
        "pressure.withdraw_fear_weight": 0.2,
        "pressure.requests_before_case": 2,
        "pressure.bribe_case_factor": 0.1,
        "institutions.officers.junior_years": 3.0,
        "institutions.officers.health_concentration": 10.0,
    }
    assert {k: shown[k]["value"] for k in expected} == expected
