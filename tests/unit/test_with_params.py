"""Scenario.with_params refuses bad overrides as `exitban check` refuses bad files: one line, range, did-you-mean."""

from __future__ import annotations

import pytest

import exitban


@pytest.fixture(scope="module")
def army() -> exitban.Scenario:
    """The shipped army scenario."""
    return exitban.load_scenario("army-officers-2019")


def test_out_of_range_value_names_the_field_and_the_range(army) -> None:
    """A probability of 1.5 raises ScenarioError (not pydantic's ValidationError) with the allowed range."""
    with pytest.raises(
        exitban.ScenarioError, match=r"field 'regime.prosecution_threat' = 1.5: .*allowed: a number from 0 to 1"
    ):
        army.with_params({"regime.prosecution_threat": 1.5})


def test_misspelt_field_suggests_the_right_one(army) -> None:
    """A typo in a field name is an unknown field with a 'did you mean', not a bare KeyError."""
    with pytest.raises(
        exitban.ScenarioError, match=r"unknown field 'regime.prosecution_threa'.*did you mean 'prosecution_threat'"
    ):
        army.with_params({"regime.prosecution_threa": 0.5})


def test_misspelt_table_suggests_the_right_one(army) -> None:
    """A typo in the table name suggests the table."""
    with pytest.raises(exitban.ScenarioError, match=r"unknown field 'regim'.*did you mean 'regime'"):
        army.with_params({"regim.prosecution_threat": 0.5})


def test_unknown_institution_lists_the_institutions(army) -> None:
    """An institution the scenario does not have is named, with the closest one and the list."""
    with pytest.raises(exitban.ScenarioError, match=r"no institution 'oficers'.*did you mean 'officers'.*conscripts"):
        army.with_params({"institutions.oficers.size": 5})


def test_a_value_is_not_a_table(army) -> None:
    """A path that goes below a single value says so."""
    with pytest.raises(exitban.ScenarioError, match=r"'regime.prosecution_threat' is a value, not a table"):
        army.with_params({"regime.prosecution_threat.x": 1})


def test_every_bad_field_gets_its_own_line(army) -> None:
    """Two bad values give two lines, each starting with where the values came from."""
    with pytest.raises(exitban.ScenarioError) as err:
        army.with_params({"days": 0, "regime.bribe_price": -1}, where="--set")
    lines = str(err.value).splitlines()
    assert len(lines) == 2 and all(line.startswith("--set: field '") for line in lines)


def test_strict_refuses_text_for_a_number(army) -> None:
    """strict=True (the command line's --set) refuses "30" for days, as a TOML file would; lax mode converts it."""
    with pytest.raises(exitban.ScenarioError, match=r"field 'days' = '30'.*integer"):
        army.with_params({"days": "30"}, strict=True)
    assert army.with_params({"days": "30"}).days == 30


def test_valid_overrides_apply_and_leave_the_original(army) -> None:
    """Valid dotted overrides change the copy, institutions included, and leave the original as it was."""
    changed = army.with_params({"regime.resignation_ban": "off", "institutions.officers.size": 1000})
    assert changed.regime.resignation_ban == "off" and changed.institutions["officers"].size == 1000
    assert army.regime.resignation_ban == "on"
