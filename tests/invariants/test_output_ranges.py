"""Every output column stays in the range declared where it is derived (observe.RANGES), and the
report's run check bounds a summary by the same declaration: the engine and the check agree."""

from __future__ import annotations

import math

import numpy as np
import pytest

import exitban
from exitban.errors import StoreError
from exitban.observe import RANGES
from exitban.report.runcheck import check_summary
from tests.helpers import seal

LABELS = {"day", "date", "institution", "kind"}  # what a row is, not a value
MAY_BE_NAN = {"released_wait_years", "absence_suspended_share"}  # no release by request / absence conviction that day


@pytest.fixture(scope="module")
def fsb_long() -> exitban.Result:
    """The README's run (fsb-mobilization-2023, seed 1, 730 days) at a small scale: capacity goes below 0."""
    return exitban.simulate("fsb-mobilization-2023", seed=1, days=730, scale=0.002)


def test_every_output_column_declares_its_range(fsb_long) -> None:
    """No column of the daily table is without a declared range."""
    missing = [c for c in fsb_long.timeseries.columns if c not in LABELS and c not in RANGES]
    assert not missing


def _outside(result: exitban.Result) -> list[str]:
    bad = []
    for column in result.timeseries.columns:
        if column in LABELS:
            continue
        values = result.timeseries[column].cast(float).to_numpy()
        nan = np.isnan(values)
        if nan.any() and column not in MAY_BE_NAN:
            bad.append(f"{column}: NaN")
        lo, hi = RANGES[column]
        if lo is not None and (values[~nan] < lo).any():
            bad.append(f"{column}: {values[~nan].min()} < {lo}")
        if hi is not None and (values[~nan] > hi).any():
            bad.append(f"{column}: {values[~nan].max()} > {hi}")
    return bad


@pytest.mark.parametrize("name", exitban.list_scenarios())
def test_shipped_scenarios_stay_in_their_declared_ranges(name: str) -> None:
    """Each shipped scenario, small, for its own period: every value within its column's range."""
    assert _outside(exitban.simulate(name, seed=3, scale=0.002)) == []


def test_the_readme_run_goes_below_zero_capacity_and_its_report_reads_it(fsb_long, tmp_path) -> None:
    """The run the README shows stays in its declared ranges and the report's run check accepts its summary (it
    refused one with capacity_share < 0 before). Since covert spells end (issue 21, item 4) that run no longer
    goes below zero, but a unit doing net harm still may, and the check accepts it as declared."""
    assert _outside(fsb_long) == []
    check_summary(tmp_path / "summary.json", fsb_long.summary)
    summary = {**fsb_long.summary, "institutions": {k: dict(v) for k, v in fsb_long.summary["institutions"].items()}}
    next(iter(summary["institutions"].values()))["capacity_share"] = -0.2
    check_summary(tmp_path / "summary.json", summary)


def test_the_run_check_refuses_what_the_declaration_excludes(fsb_long, tmp_path) -> None:
    """A summary value outside its column's declared range is one line naming the field."""
    lo, hi = RANGES["capacity_share"]
    assert lo is None and hi == 1.0
    summary = {**fsb_long.summary, "institutions": {k: dict(v) for k, v in fsb_long.summary["institutions"].items()}}
    first = next(iter(summary["institutions"].values()))
    first["capacity_share"] = math.nextafter(hi, 2.0)
    with pytest.raises(StoreError, match=r"capacity_share.*less than or equal to 1"):
        check_summary(tmp_path / "summary.json", summary)
    first["capacity_share"], first["want_out_share"] = 0.5, -0.01
    with pytest.raises(StoreError, match=r"want_out_share.*greater than or equal to 0"):
        check_summary(tmp_path / "summary.json", summary)


def test_the_run_check_reads_the_daily_table_against_the_same_ranges(fsb_long, tmp_path) -> None:
    """A run folder whose timeseries holds a share above 1 is refused naming the column; the real one reads."""
    import polars as pl

    from exitban.report.rundata import RunData

    run_dir = fsb_long.write(tmp_path / "run")
    RunData.from_dir(run_dir)  # capacity_share below 0 is within its range
    ts = pl.read_parquet(run_dir / "timeseries.parquet")
    ts.with_columns(pl.col("want_out_share") * 2 + 0.5).write_parquet(run_dir / "timeseries.parquet")
    seal(run_dir, "timeseries.parquet")  # listed as exitban's: the range check behind the list must refuse it
    with pytest.raises(
        StoreError, match=r"timeseries.parquet: column want_out_share reaches [0-9.]+ \(allowed: 0 to 1\)"
    ):
        RunData.from_dir(run_dir)


def test_help_outputs_stay_in_their_ranges_with_the_help_network_on() -> None:
    """ODD 7.16: with the help network switched on, the demand and intake of help stay in their declared ranges,
    intake never above demand (for the lawyers as well), and the share who know of help within [0, 1]."""
    on = {
        "behaviour.help_publicity_per_day": 0.01,
        "behaviour.help_imitation_per_day": 0.01,
        "behaviour.help_viral_per_post": 0.001,
        "behaviour.help_capacity_per_day": 50.0,
    }
    result = exitban.simulate(exitban.load_scenario("fsb-mobilization-2023").with_params(on), seed=3, scale=0.002)
    assert _outside(result) == []
    ts = result.timeseries
    assert RANGES["knows_help_share"] == (0.0, 1.0)
    assert ts["knows_help"].max() > 0 and ts["help_requests"].sum() > 0
    assert (ts["help_intake"] <= ts["help_requests"]).all()
    assert (ts["legal_help_new"] <= ts["legal_help_requests"]).all()
