"""``exitban sources`` prints the evidence table, as tables or JSON, whole or for one ID."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from exitban.cli import app
from exitban.evidence import BRIEF_IDS
from exitban.scenario import Regime

runner = CliRunner()


def test_json_lists_every_id() -> None:
    """The JSON output has one entry per brief ID, in order."""
    result = runner.invoke(app, ["sources", "--json"])
    assert result.exit_code == 0, result.output
    assert [e["id"] for e in json.loads(result.output)] == list(BRIEF_IDS)


def test_one_id_as_json_shows_defaults_provenance_and_lines() -> None:
    """``--id R2 --json`` gives the rule, the schema default of each parameter, its kind and the source lines."""
    result = runner.invoke(app, ["sources", "--id", "r2", "--json"])
    assert result.exit_code == 0, result.output
    (r2,) = json.loads(result.output)
    params = {p["name"]: p for p in r2["parameters"]}
    threat = params["regime.prosecution_threat"]
    assert threat["value"] == Regime.model_fields["prosecution_threat"].default
    assert threat["kind"] == "assumption"
    assert [s["ref"] for s in r2["sources"]] == ["A:11,19-21", "A:23,25", "B:13"]
    assert r2["sources"][0]["lines"] == [11, 19, 20, 21]
    assert "The Moscow Times" in r2["sources"][0]["publication"]


def test_table_output_names_the_entry() -> None:
    """The table view prints the ID, a parameter and the publication."""
    result = runner.invoke(app, ["sources", "--id", "R13"])
    assert result.exit_code == 0, result.output
    assert "R13" in result.output
    assert "regime.absence_limit_days" in result.output
    assert "sourced fact" in result.output
    assert "Novaya Gazeta" in result.output


def test_unknown_id_is_a_clean_error() -> None:
    """An unknown ID exits with code 2 and lists the valid IDs, without a traceback."""
    result = runner.invoke(app, ["sources", "--id", "R16"])
    assert result.exit_code == 2
    assert "no evidence entry 'R16'" in result.output
    assert "Traceback" not in result.output
