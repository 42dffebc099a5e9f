"""`--set FIELD=VALUE` on every verb that takes a scenario: values read as TOML, errors as `exitban check` gives them."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import exitban
from exitban.cli import app
from exitban.scenario.edit import parse_sets, parse_value

runner = CliRunner()


@pytest.mark.parametrize(
    ("text", "value"),
    [("true", True), ("0.5", 0.5), ("30", 30), ("1_000", 1000), ("off", "off"), ('"on"', "on"), ("a b", "a b")],
)
def test_values_are_read_as_toml(text, value) -> None:
    """Numbers, booleans and quoted strings are TOML values; a bare word is text."""
    assert parse_value(text) == value and type(parse_value(text)) is type(value)


def test_a_later_set_wins_and_a_missing_equals_is_refused() -> None:
    """Repeating a field keeps the last value; an item without '=' is a one-line error."""
    assert parse_sets(["days=3", "days=4"]) == {"days": 4}
    with pytest.raises(exitban.ScenarioError, match=r"--set 'days': expected FIELD=VALUE"):
        parse_sets(["days"])


def test_show_applies_sets_with_their_provenance() -> None:
    """`show --set` prints the changed value, marked as set on the command line."""
    res = runner.invoke(app, ["show", "army-officers-2019", "--set", "regime.resignation_ban=off", "--json"])
    assert res.exit_code == 0, res.output
    value = json.loads(res.stdout)["values"]["regime.resignation_ban"]
    assert (value["value"], value["provenance"]) == ("off", "set with --set on the command line")
    assert {"unit", "allowed"} <= value.keys()  # `show`'s unit and allowed columns stand beside --set


@pytest.mark.parametrize("verb", ["run", "report", "show", "check", "dashboard", "compare"])
def test_out_of_range_set_is_refused_like_check(verb, tmp_path) -> None:
    """Every verb refuses an out-of-range --set with exit 2, the field and the allowed range, before running."""
    where = ["--scenario", "army-officers-2019"] if verb == "dashboard" else ["army-officers-2019"]
    if verb == "compare":
        where += ["army-officers-2019-ban-lifted", "--out", str(tmp_path / "store")]
    res = runner.invoke(app, [verb, *where, "--set", "regime.prosecution_threat=1.5"])
    assert res.exit_code == 2, res.output
    assert "--set: field 'regime.prosecution_threat' = 1.5" in res.output
    assert "allowed: a number from 0 to 1" in res.output
    assert not (tmp_path / "store").exists()


def test_misspelt_set_says_did_you_mean() -> None:
    """A typo in --set gets the same 'did you mean' as a typo in a file."""
    res = runner.invoke(app, ["check", "army-officers-2019", "--set", "regime.prosecution_threa=0.5"])
    assert res.exit_code == 2
    assert "did you mean 'prosecution_threat'" in res.output


def test_run_with_set_records_the_value_in_scenario_toml(tmp_path) -> None:
    """`run --set` runs the changed scenario: its scenario.toml holds the value and summary.json its hash."""
    out = tmp_path / "run"
    args = ["run", "army-officers-2019", "--days", "5", "--scale", "0.001", "--out", str(out)]
    res = runner.invoke(app, [*args, "--set", "regime.resignation_ban=off", "--set", "pressure.pressure_rate=0.05"])
    assert res.exit_code == 0, res.output
    sc = exitban.load_scenario(out / "scenario.toml")
    assert sc.regime.resignation_ban == "off" and sc.pressure.pressure_rate == 0.05
    assert json.loads((out / "summary.json").read_text())["scenario_hash"] == sc.content_hash()


def test_report_of_a_run_directory_refuses_set(tmp_path) -> None:
    """A run directory is read as written: --set with one is an error that says to give the scenario instead."""
    out = tmp_path / "run"
    runner.invoke(app, ["run", "army-officers-2019", "--days", "3", "--scale", "0.001", "--out", str(out)])
    res = runner.invoke(app, ["report", str(out), "--set", "days=4"])
    assert res.exit_code == 2
    assert "run directory" in res.output and "give the scenario's name" in res.output
