"""The histogram table a run writes: small, and faithful to the final population (O2, O5)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

import exitban
from exitban.distributions import TRAITS


@pytest.fixture(scope="module")
def result(army_small: exitban.Scenario) -> exitban.Result:
    return exitban.simulate(army_small, seed=4)


def test_trait_counts_add_up_to_the_serving_headcount(result: exitban.Result) -> None:
    """Each trait's bins count every serving person of each institution exactly once."""
    hist = result.histograms()
    final = result.timeseries.filter(pl.col("day") == pl.col("day").max())
    for row in final.iter_rows(named=True):
        for trait in TRAITS:
            mine = hist.filter((pl.col("institution") == row["institution"]) & (pl.col("quantity") == trait))
            assert mine["count"].sum() == row["headcount"], (row["institution"], trait)


def test_released_waits_match_waits_years(result: exitban.Result) -> None:
    """The released-wait histogram is the histogram of ``Result.waits_years()``."""
    hist = result.histograms().filter(pl.col("quantity") == "wait_released_years")
    waits = result.waits_years()
    assert waits.size > 0
    assert hist["count"].sum() == waits.size
    total = hist.group_by("bin_lo").agg(pl.col("count").sum()).sort("bin_lo")
    edges = [*total["bin_lo"].to_list(), hist["bin_hi"].max()]
    expected, _ = np.histogram(waits, bins=np.array(edges))
    assert total["count"].to_list() == expected.tolist()


def test_run_directory_holds_the_histograms(tmp_path: Path, result: exitban.Result) -> None:
    """``Result.write`` adds histograms.parquet, equal to ``Result.histograms()`` and small."""
    out = result.write(tmp_path / "run")
    stored = pl.read_parquet(out / "histograms.parquet")
    assert stored.equals(result.histograms())
    assert stored.height < 2_000
