"""The command line: run writes the three result files; scenarios, show and check answer."""

from __future__ import annotations

import json

import polars as pl
import pytest
from typer.testing import CliRunner

import exitban
from exitban.cli import app
from exitban.observe import OUTPUTS

runner = CliRunner()


def test_run_writes_timeseries_summary_and_scenario(tmp_path) -> None:
    """`exitban run` writes a Parquet table with every output column, a summary and the resolved scenario."""
    out = tmp_path / "run"
    res = runner.invoke(
        app, ["run", "army-officers-2019", "--seed", "4", "--days", "20", "--scale", "0.002", "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    ts = pl.read_parquet(out / "timeseries.parquet")
    for columns in OUTPUTS.values():
        assert set(columns) <= set(ts.columns)
    assert ts.height == 20 * 4
    summary = json.loads((out / "summary.json").read_text())
    assert summary["seed"] == 4 and summary["version"] == exitban.__version__
    assert len(summary["scenario_hash"]) == 64
    assert exitban.load_scenario(out / "scenario.toml").content_hash() == summary["scenario_hash"]
    assert "exits by channel" in res.output


def test_scenarios_lists_the_shipped_ones() -> None:
    """`exitban scenarios` names every shipped scenario."""
    res = runner.invoke(app, ["scenarios"])
    assert res.exit_code == 0
    for name in exitban.list_scenarios():
        assert name in res.output


def test_show_prints_values_with_provenance() -> None:
    """`exitban show --json` gives each value with its provenance, including inherited ones."""
    res = runner.invoke(app, ["show", "army-officers-2019-ban-lifted", "--json"])
    assert res.exit_code == 0
    values = json.loads(res.output)["values"]
    assert values["regime.resignation_ban"]["value"] == "off"
    assert "counterfactual" in values["regime.resignation_ban"]["provenance"]
    assert "B:18" in values["institutions.officers.size"]["provenance"]


def test_unknown_scenario_is_a_clean_error() -> None:
    """A name that is neither a file nor a shipped scenario exits 2 with the list of names, no traceback."""
    res = runner.invoke(app, ["run", "no-such-scenario"])
    assert res.exit_code == 2
    assert "no scenario named 'no-such-scenario'" in res.output
    assert "Traceback" not in res.output


def test_simulate_refuses_bad_days_with_one_clear_error() -> None:
    """From Python, an out-of-range ``days`` raises the package's error naming the field and the range."""
    with pytest.raises(exitban.ScenarioError, match=r"days.*0.*allowed"):
        exitban.simulate("army-officers-2019", days=0, scale=0.001)


def test_a_typo_in_a_scenario_name_gets_did_you_mean() -> None:
    """One letter off a shipped name: the error names the shipped one; a name near none gets no guess."""
    res = runner.invoke(app, ["run", "army-oficers-2019"])
    assert res.exit_code == 2
    assert "no scenario named 'army-oficers-2019': did you mean 'army-officers-2019'? not a file" in res.output
    res = runner.invoke(app, ["check", "no-such-scenario"])
    assert res.exit_code == 2 and "did you mean" not in res.output
