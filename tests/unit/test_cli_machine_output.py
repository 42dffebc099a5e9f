"""--json and --csv on the verbs that print results: stdout holds only the data, messages go to stderr."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import exitban
from exitban.cli import app

runner = CliRunner()


def test_version_prints_the_package_version() -> None:
    """`exitban --version` prints the version and exits 0."""
    res = runner.invoke(app, ["--version"])
    assert res.exit_code == 0 and res.stdout.strip() == f"exitban {exitban.__version__}"


def test_scenarios_as_json_and_csv() -> None:
    """`scenarios --json` lists every shipped scenario with its headcount and period; --csv gives the same rows."""
    rows = json.loads(runner.invoke(app, ["scenarios", "--json"]).stdout)
    assert [r["name"] for r in rows] == exitban.list_scenarios()
    for row in rows:  # read from the TOML alone, the listing agrees with the validated scenario
        sc = exitban.load_scenario(row["name"])
        assert (row["people"], row["period"], row["title"]) == (sc.total_agents(), sc.period, sc.title)
        assert row["extends"] == (sc.extends or "")
    table = list(csv.DictReader(io.StringIO(runner.invoke(app, ["scenarios", "--csv"]).stdout)))
    assert [r["name"] for r in table] == exitban.list_scenarios() and table[0].keys() == rows[0].keys()


def test_json_and_csv_together_is_a_usage_error() -> None:
    """Asking for both formats exits 2 with one line."""
    res = runner.invoke(app, ["scenarios", "--json", "--csv"])
    assert res.exit_code == 2 and "give one of them" in res.output


def test_check_as_json() -> None:
    """`check --json` gives the verdict, the agents and the memory estimate as numbers."""
    res = runner.invoke(app, ["check", "officials-2023", "--json"])
    verdict = json.loads(res.stdout)
    assert verdict["valid"] is True and verdict["agents"] == 270_000 and verdict["memory_bytes"] > 0


def test_run_summary_as_json(tmp_path) -> None:
    """`run --json` prints summary.json on stdout, and the progress on stderr only."""
    out = tmp_path / "run"
    res = runner.invoke(
        app, ["run", "army-officers-2019", "--days", "4", "--scale", "0.001", "--out", str(out), "--json"]
    )
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout) == json.loads((out / "summary.json").read_text())
    assert "simulated in" in res.stderr


@pytest.fixture(scope="module")
def compare_store(tmp_path_factory) -> tuple[Path, str]:
    """A small comparison store, made with `compare --json` (stdout: the table)."""
    out = tmp_path_factory.mktemp("cmp") / "store"
    args = ["compare", "army-officers-2019", "army-officers-2019-ban-lifted", "-n", "2", "--days", "10"]
    res = runner.invoke(app, [*args, "--scale", "0.002", "--out", str(out), "--workers", "1", "--json"])
    assert res.exit_code == 0, res.output
    return out, res.stdout


def test_compare_as_json(compare_store) -> None:
    """`compare --json` prints one object per output and scenario; the paired difference is null for the first."""
    _, stdout = compare_store
    rows = json.loads(stdout)
    assert len(rows) == 8 and {r["n"] for r in rows} == {2}
    assert all(r["diff"] is None for r in rows if r["scenario"] == "army-officers-2019")


def test_query_as_json_and_csv(compare_store) -> None:
    """`query --json` and `--csv` print every row of the result, without the table's limit."""
    store, _ = compare_store
    sql = "SELECT scenario, replicate FROM runs ORDER BY 1, 2"
    rows = json.loads(runner.invoke(app, ["query", str(store), sql, "--json", "--limit", "1"]).stdout)
    assert rows == [
        {"scenario": s, "replicate": r} for s in ("army-officers-2019", "army-officers-2019-ban-lifted") for r in (0, 1)
    ]
    text = runner.invoke(app, ["query", str(store), sql, "--csv"]).stdout
    assert text.splitlines()[0] == "scenario,replicate" and len(text.splitlines()) == 5


def test_unknown_output_is_refused_before_any_run(tmp_path) -> None:
    """`compare --outputs nonsense` exits 2 naming the known outputs, and writes no store."""
    out = tmp_path / "store"
    args = ["compare", "army-officers-2019", "army-officers-2019-ban-lifted", "--outputs", "nonsense"]
    res = runner.invoke(app, [*args, "--out", str(out), "--scale", "0.002", "--days", "5"])
    assert res.exit_code == 2 and "unknown output(s) ['nonsense']" in res.output and "exits_total" in res.output
    assert not out.exists()


def test_replications_option_is_the_same_in_every_verb() -> None:
    """compare and report take -n/--replications with the same default (report's when it compares)."""
    from exitban.cli.options import REPLICATIONS

    for verb, default in (("compare", f"{REPLICATIONS};"), ("report", f"({REPLICATIONS} with --compare, else 1)")):
        text = " ".join(runner.invoke(app, [verb, "--help"]).stdout.split())
        assert "-n, --replications N" in text and f"[default: {default}" in text, verb


def test_help_has_no_type_tags_or_lost_defaults() -> None:
    """Help texts show no '<bool>' tags and keep their '(default: ...)' text."""
    for verb in ("run", "report", "dashboard", "compare", "query", "scenarios", "check", "show"):
        text = runner.invoke(app, [verb, "--help"]).stdout
        assert "<bool>" not in text and " ." not in text, verb
    assert "(default: RUN_DIR/report.html" in runner.invoke(app, ["report", "--help"]).stdout


def test_shell_completion_completes_verbs() -> None:
    """Typer's completion (what `exitban --install-completion` installs) completes 'sc' to 'scenarios'."""
    import os
    import subprocess
    import sys

    script = Path(sys.executable).parent / "exitban"
    env = dict(os.environ, _EXITBAN_COMPLETE="complete_bash", COMP_WORDS="exitban sc", COMP_CWORD="1")
    out = subprocess.run([str(script)], env=env, capture_output=True, text=True, check=False)
    assert out.stdout.split() == ["scenarios"]


def test_sensitivity_checks_outputs_before_running(tmp_path) -> None:
    """`sensitivity --outputs nonsense` fails at once, with the known outputs, and leaves no store."""
    spec = tmp_path / "sobol.toml"
    spec.write_text(
        'name = "s"\nbase = "army-officers-2019"\ndays = 5\nscale = 0.001\ndesign = "sobol"\nsamples = 8\n'
        '[parameters."regime.prosecution_threat"]\nrange = [0.0, 0.8]\n'
    )
    res = runner.invoke(app, ["sensitivity", str(spec), "--outputs", "nonsense", "--out", str(tmp_path / "store")])
    assert res.exit_code == 2 and "unknown output(s) ['nonsense']" in res.output
    assert not (tmp_path / "store").exists()
