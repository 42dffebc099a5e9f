"""A store's path is a path, never a pattern: `g[1]` and `g*x` are queried, scanned and reported as themselves.

DuckDB's ``read_parquet('DIR/*.parquet')`` and Polars' ``scan_parquet``/``read_parquet`` expand
``*``, ``?`` and ``[...]`` anywhere in the path: a store named ``g*x`` read its neighbour ``gax``
too, one named ``g[1]`` matched nothing. The views and scans are now made from the list of files
the store's records vouch for, named one by one, so a file no record names is not counted either.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from exitban.cli import app
from exitban.report.store import load_store
from exitban.sweep import SerialExecutor, SweepSpec, open_store, run_sweep

SPEC = {
    "name": "patterns",
    "base": "army-officers-2019",
    "days": 6,
    "scale": 0.002,
    "replications": 2,
    "root_seed": 11,
    "parameters": {"regime.prosecution_threat": {"values": [0.1, 0.6]}},
}
RUNS, DAYS, INSTITUTIONS = 4, 6, 4  # army-officers-2019 has four institutions
ROWS = RUNS * DAYS * INSTITUTIONS


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("patterns") / "s"
    run_sweep(SweepSpec.model_validate(SPEC), out, executor=SerialExecutor())
    return out


def _stranger(store: Path) -> None:
    """A valid timeseries file that no record of ``store`` vouches for (a copy under another run id)."""
    ts = store / "timeseries"
    first = sorted(ts.iterdir())[0]
    pl.read_parquet(first).with_columns(pl.lit("p000099-r0000").alias("run_id")).write_parquet(
        ts / "p000099-r0000.parquet"
    )


@pytest.mark.parametrize("name", ["g[1]", "g*x", "g?x", "g[!a]x"])
def test_a_store_named_like_a_pattern_is_queried_as_itself(pristine: Path, tmp_path: Path, name: str) -> None:
    """The store's own rows, once each: not nothing (`g[1]`), not its neighbour `gax` too (`g*x`, `g?x`)."""
    store = tmp_path / name
    shutil.copytree(pristine, store)
    neighbour = tmp_path / "gax"  # what `g*x`, `g?x` and `g[!b]x` match as patterns
    shutil.copytree(pristine, neighbour)
    _stranger(neighbour)
    out = CliRunner().invoke(
        app, ["query", str(store), "SELECT count(*) AS n, count(DISTINCT run_id) AS r FROM timeseries", "--json"]
    )
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout) == [{"n": ROWS, "r": RUNS}], out.stdout
    assert open_store(store).timeseries().collect().height == ROWS
    assert open_store(store).query("SELECT count(*) AS n FROM runs")["n"].to_list() == [RUNS]


def test_a_file_no_record_vouches_for_is_not_counted(pristine: Path, tmp_path: Path) -> None:
    """A valid Parquet file dropped into the store's timeseries/ is neither queried nor scanned."""
    store = tmp_path / "s"
    shutil.copytree(pristine, store)
    _stranger(store)
    frame = open_store(store).query("SELECT count(DISTINCT run_id) AS r, count(*) AS n FROM timeseries")
    assert frame.row(0) == (RUNS, ROWS)
    assert open_store(store).timeseries().collect()["run_id"].n_unique() == RUNS


def test_a_data_file_linking_outside_is_damage_not_data(pristine: Path, tmp_path: Path) -> None:
    """A run's table replaced by a link to an identical file outside the store is named, not read."""
    store = tmp_path / "s"
    shutil.copytree(pristine, store)
    target = store / "timeseries" / "p000000-r0000.parquet"
    outside = tmp_path / "outside.parquet"
    shutil.copy(target, outside)
    target.unlink()
    target.symlink_to(outside)
    damaged = open_store(store).inventory().damaged
    assert damaged == {"p000000-r0000": "timeseries file is a link that leads outside the store"}
    assert open_store(store).query("SELECT count(DISTINCT run_id) AS r FROM timeseries")["r"].to_list() == [RUNS - 1]


def test_a_report_on_a_store_named_like_a_pattern(pristine: Path, tmp_path: Path) -> None:
    """`exitban report` on `g*x` reads its own analyses (sensitivity/compare tables are read as bytes)."""
    store = tmp_path / "g*x"
    shutil.copytree(pristine, store)
    neighbour = tmp_path / "gax"
    shutil.copytree(pristine, neighbour)
    pl.DataFrame({"x": [1]}).write_parquet(neighbour / "compare.parquet")
    assert load_store(store).table("compare") is None
    assert load_store(store).runs.height == RUNS
