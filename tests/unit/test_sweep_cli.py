"""The sweep, sensitivity, compare and query commands end to end, on tiny runs in this process."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from exitban.cli import app
from exitban.sweep import build_tasks, load_spec

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "sweeps"
runner = CliRunner()

MORRIS = """
name = "cli-morris"
base = "army-officers-2019"
days = 15
scale = 0.002
design = "morris"
samples = 2
root_seed = 4
[parameters."regime.prosecution_threat"]
range = [0.0, 0.8]
[parameters."pressure.pressure_rate"]
range = [0.0, 0.1]
[sensitivity]
outputs = ["serving", "exits_total"]
num_resamples = 50
"""


def test_shipped_example_specs_are_valid() -> None:
    """Every spec under examples/sweeps loads and expands to validated runs."""
    specs = sorted(EXAMPLES.glob("*.toml"))
    assert len(specs) >= 2
    for path in specs:
        spec, p = load_spec(path)
        assert len(build_tasks(spec, p)) >= 20


def test_sensitivity_command_prints_and_stores_morris_indices(tmp_path: Path) -> None:
    """exitban sensitivity runs the design, prints the index table and writes sensitivity.parquet."""
    spec = tmp_path / "m.toml"
    spec.write_text(MORRIS)
    out = tmp_path / "store"
    result = runner.invoke(app, ["sensitivity", str(spec), "--out", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "Morris elementary effects" in result.output and "6 runs in" in result.output
    assert "6/6 failed 0" in result.output and "ETA" in result.output  # the progress bar's last state
    table = pl.read_parquet(out / "sensitivity.parquet")
    assert table.select("output", "parameter").rows() == [
        ("serving", "regime.prosecution_threat"), ("serving", "pressure.pressure_rate"),
        ("exits_total", "regime.prosecution_threat"), ("exits_total", "pressure.pressure_rate"),
    ]  # fmt: skip
    assert (table["mu_star"] >= 0).all()
    again = runner.invoke(app, ["sensitivity", str(spec), "--out", str(out), "--workers", "1"])
    assert "6 already stored, 0 to run" in again.output


def test_sweep_command_rejects_a_grid_for_sensitivity(tmp_path: Path) -> None:
    """sensitivity on a grid spec exits with code 2 and says which designs it needs."""
    result = runner.invoke(app, ["sensitivity", str(EXAMPLES / "army-prosecution-grid.toml")])
    assert result.exit_code == 2
    assert "field 'design' must be 'sobol' or 'morris'" in result.output


def test_sweep_command_reports_a_bad_spec_cleanly(tmp_path: Path) -> None:
    """A spec with an out-of-range value exits with code 2, naming file and parameter, with no store left."""
    spec = tmp_path / "bad.toml"
    spec.write_text('base = "army-officers-2019"\n[parameters."regime.prosecution_threat"]\nvalues = [2.0]\n')
    result = runner.invoke(app, ["sweep", str(spec), "--out", str(tmp_path / "s")])
    assert result.exit_code == 2
    assert "bad.toml: design point 0" in result.output and "regime.prosecution_threat = 2.0" in result.output
    assert not (tmp_path / "s").exists()


def test_compare_and_query_commands(tmp_path: Path) -> None:
    """compare prints means and differences and writes compare.parquet; query runs SQL over the store."""
    out = tmp_path / "cmp"
    args = ["compare", "army-officers-2019", "army-officers-2019-ban-lifted", "-n", "3", "--days", "15"]
    result = runner.invoke(app, [*args, "--scale", "0.002", "--out", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "difference from army-officers-2019" in result.output
    table = pl.read_parquet(out / "compare.parquet")
    assert table.height == 8 and table["n"].to_list() == [3] * 8
    query = runner.invoke(app, ["query", str(out), "SELECT scenario, count(*) AS n FROM runs GROUP BY 1 ORDER BY 1"])
    assert query.exit_code == 0, query.output
    assert "army-officers-2019-ban-lifted" in query.output and "│ 3" in query.output
