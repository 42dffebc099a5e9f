"""The raw tallies are a run's results: stored beside the table, and every total is derived from them once."""

from __future__ import annotations

import shlex
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from typer.testing import CliRunner

import exitban
from exitban.cli import app
from exitban.engine.columns import TALLIES
from exitban.engine.units import DAYS_PER_YEAR
from exitban.observe import EXIT_COLUMNS, OUTPUTS, TALLY_SCHEMA
from exitban.report.rundata import RunData
from tests.helpers import seal

OUTPUT_NAMES = {c for cols in OUTPUTS.values() for c in cols}
# tallies that are outputs under their own name: a total of them must be the plain sum of the stored tallies
PLAIN = sorted(c for c in TALLIES if c in OUTPUT_NAMES and c != "capacity")


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run with releases by request (their waits are a ratio of two tallies) and several institutions."""
    scenario = exitban.load_scenario("army-officers-2019-ban-lifted").with_overrides(scale=0.01, days=120)
    return exitban.simulate(scenario, seed=3).write(tmp_path_factory.mktemp("t") / "run")


def test_a_run_folder_holds_its_tallies_in_the_fixed_schema(run_dir: Path) -> None:
    """tallies.parquet: one row per day and institution, the ban, then one float column per engine tally."""
    tallies = pl.read_parquet(run_dir / "tallies.parquet")
    ts = pl.read_parquet(run_dir / "timeseries.parquet")
    assert dict(tallies.schema) == TALLY_SCHEMA
    assert tallies.select("day", "institution").equals(ts.select("day", "institution"))
    assert tallies["ban_active"].equals(ts["ban_active"])


def test_the_daily_table_is_derived_from_the_stored_tallies(run_dir: Path) -> None:
    """Each count the table shows is its tally; each mean is the tally's sum over the headcount."""
    tallies = pl.read_parquet(run_dir / "tallies.parquet")
    ts = pl.read_parquet(run_dir / "timeseries.parquet")
    for c in PLAIN:
        assert np.array_equal(ts[c].to_numpy(), tallies[c].to_numpy()), c
    per_head = np.maximum(tallies["headcount"].to_numpy(), 1.0)
    assert np.array_equal(ts["mean_fear"].to_numpy(), tallies["fear_sum"].to_numpy() / per_head)


def test_every_report_total_is_the_sum_of_the_tallies(run_dir: Path) -> None:
    """The report's daily totals sum the stored tallies over institutions; shares and waits come from those sums."""
    run = RunData.from_dir(run_dir)
    summed = pl.read_parquet(run_dir / "tallies.parquet").group_by("day").agg(pl.col(TALLIES).sum()).sort("day")
    totals = run.totals
    assert totals["day"].equals(summed["day"])
    for c in PLAIN:
        assert np.array_equal(totals[c].to_numpy(), summed[c].to_numpy()), c
    start = float(run.summary["agents"])
    assert np.allclose(totals["acted_share"].to_numpy(), summed["acted"].to_numpy() / start)
    wait_n, wait_sum = summed["wait_n"].to_numpy(), summed["wait_sum"].to_numpy()
    waited = wait_n > 0
    assert waited.any()
    assert np.allclose(
        totals["released_wait_years"].to_numpy()[waited], wait_sum[waited] / wait_n[waited] / DAYS_PER_YEAR
    )
    exits = sum(summed[c].to_numpy() for c in EXIT_COLUMNS)
    assert np.array_equal(totals["exits_cumulative"].to_numpy(), np.cumsum(exits))
    assert totals["exits_cumulative"][-1] == run.summary["exits_total"]


def test_a_run_folder_without_tallies_names_the_file_and_the_way_out(run_dir: Path, tmp_path: Path) -> None:
    """A folder written before tallies were stored: one line, exit 2, naming tallies.parquet and the command
    that runs it again; that command writes the same table, now with its tallies."""
    old = tmp_path / "old"
    old.mkdir()
    for f in ("timeseries.parquet", "summary.json", "scenario.toml", "histograms.parquet"):
        (old / f).write_bytes((run_dir / f).read_bytes())
    seal(old)  # listed, as such a folder's files would be: the missing tallies are what refuses it
    out = CliRunner().invoke(app, ["report", str(old), "--out", str(tmp_path / "r.html")])
    assert out.exit_code == 2, out.output
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert "tallies.parquet" in out.stderr
    assert not (tmp_path / "r.html").exists()
    command = shlex.split(out.stderr.split("run it again into the same folder: ")[1])
    assert command[:2] == ["exitban", "run"]
    again = CliRunner().invoke(app, command[1:])
    assert again.exit_code == 0, again.output
    for f in ("timeseries.parquet", "tallies.parquet"):
        assert (old / f).read_bytes() == (run_dir / f).read_bytes(), f


def test_tallies_that_do_not_match_the_table_are_refused(run_dir: Path, tmp_path: Path) -> None:
    """A tallies file with other rows than the table (from another run) is refused before any plot."""
    bad = tmp_path / "bad"
    bad.mkdir()
    for f in ("timeseries.parquet", "summary.json", "scenario.toml"):
        (bad / f).write_bytes((run_dir / f).read_bytes())
    pl.read_parquet(run_dir / "tallies.parquet").head(10).write_parquet(bad / "tallies.parquet")
    seal(bad)  # vouched for: the row check refuses it
    out = CliRunner().invoke(app, ["report", str(bad), "--out", str(tmp_path / "r.html")])
    assert out.exit_code == 2, out.output
    assert "tallies.parquet: holds 10 rows where its folder's records say" in out.stderr
