"""The Python workflow (exitban.replicate, exitban.compare) gives the CLI's own numbers on the same inputs."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal
from typer.testing import CliRunner

import exitban
from exitban.cli import app
from exitban.errors import ScenarioError

A, B = "army-officers-2019", "army-officers-2019-ban-lifted"
TINY = {"days": 15, "scale": 0.002}
runner = CliRunner()


@pytest.fixture(scope="module")
def api_table() -> pl.DataFrame:
    return exitban.compare([A, B], 3, seed=4, **TINY)


def test_compare_gives_the_numbers_exitban_compare_prints(api_table: pl.DataFrame, tmp_path: Path) -> None:
    args = ["compare", A, B, "-n", "3", "--seed", "4", "--days", "15", "--scale", "0.002", "--workers", "1"]
    result = runner.invoke(app, [*args, "--out", str(tmp_path / "cmp"), "--json"])
    assert result.exit_code == 0, result.output
    cli = pl.DataFrame(json.loads(result.stdout), schema=api_table.schema)
    assert_frame_equal(api_table, cli)
    assert_frame_equal(api_table, pl.read_parquet(tmp_path / "cmp" / "compare.parquet"))
    assert api_table["scenario"].unique(maintain_order=True).to_list() == [A, B]


def test_replicate_runs_the_replicates_compare_pairs(api_table: pl.DataFrame) -> None:
    """Replicate r has compare's seed for r: the mean over replicate's rows is compare's mean for A."""
    runs = exitban.replicate(A, 3, seed=4, **TINY)
    assert runs.height == 3 and runs["status"].to_list() == ["ok"] * 3
    assert runs["replicate"].to_list() == [0, 1, 2] and runs["seed"].n_unique() == 3
    for output in ("serving", "exits_total"):
        row = api_table.filter((pl.col("output") == output) & (pl.col("scenario") == A)).row(0, named=True)
        assert runs[output].cast(pl.Float64).mean() == pytest.approx(row["mean"], rel=1e-12)


def test_replicate_takes_a_scenario_object_and_sets(tmp_path: Path) -> None:
    scenario = exitban.load_scenario(A)
    out = tmp_path / "store"
    on = exitban.replicate(scenario, 2, seed=1, **TINY, out=out)
    off = exitban.replicate(scenario, 2, seed=1, **TINY, sets=["regime.resignation_ban=off"])
    assert (out / "runs.parquet").is_file() and on["seed"].to_list() == off["seed"].to_list()
    assert on["scenario_hash"][0] != off["scenario_hash"][0]
    again = exitban.replicate(scenario, 2, seed=1, **TINY, out=out)  # a kept store: nothing runs twice
    assert_frame_equal(on, again)


def test_unknown_outputs_are_refused_before_any_run() -> None:
    with pytest.raises(ScenarioError, match=r"unknown output\(s\) \['servng'\].*serving"):
        exitban.compare([A, B], 2, outputs=["servng"], **TINY)
