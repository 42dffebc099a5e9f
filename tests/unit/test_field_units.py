"""Every scenario field has a unit from its declaration: each number's `sourced`/`assumed` gives one, each switch
or text has its type's; `exitban show` prints the declared unit and never guesses one from a field's name."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import exitban
from exitban.cli import app
from exitban.evidence import defaults_template
from exitban.scenario.fields import _extra, _leaves, field_units

runner = CliRunner()


def test_no_number_is_without_a_declared_unit() -> None:
    """Every numeric field of the schema (one institution standing for all) declares its unit."""
    missing = [
        key
        for key, field, value in _leaves(defaults_template())
        if isinstance(value, int | float) and not isinstance(value, bool) and not _extra(field).get("unit")
    ]
    assert not missing, f"declare a unit (sourced/assumed's third argument) for: {', '.join(missing)}"


def test_every_field_has_a_unit() -> None:
    """No field of any shipped scenario shows an empty unit."""
    for name in exitban.list_scenarios():
        units = field_units(exitban.load_scenario(name))
        assert not [k for k, (unit, _) in units.items() if not unit], name


@pytest.mark.parametrize(
    ("field", "unit"),
    [
        ("days", "days"),  # was 'share or probability', guessed from the name
        ("regime.absence_limit_days", "days"),
        ("bureaucracy.ministry_capacity_per_day", "requests a day"),  # was 'day'
        ("pressure.sabotage_damage", "× competence"),  # was 'share or probability' with a range up to 5
        ("bureaucracy.sign_prob_banned", "per day"),
        ("behaviour.case_deterrence", "× per share of the unit with a case"),
        ("regime.resignation_ban", "one of on, off, auto"),
        ("regime.mobilization", "on/off"),
        ("institutions.officers.size", "people"),
        ("institutions.officers.desire_mean", "desire (0 to 1 scale)"),
    ],
)
def test_show_prints_the_declared_unit(field: str, unit: str) -> None:
    """`exitban show --json` gives each field the unit declared for it."""
    res = runner.invoke(app, ["show", "army-officers-2019", "--json"])
    assert json.loads(res.output)["values"][field]["unit"] == unit
