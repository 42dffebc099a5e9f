"""What a report or the dashboard plots: one run's tables, from a ``Result`` or a run directory."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from exitban.engine.codes import EXIT_CHANNELS
from exitban.errors import StoreError
from exitban.loader import load_scenario
from exitban.observe import ADDITIVE_COLUMNS
from exitban.scenario import Scenario
from exitban.simulate import Result

RUN_FILES = ("timeseries.parquet", "summary.json", "scenario.toml")


@dataclass(frozen=True)
class RunData:
    """One run: its scenario, summary, daily table and (when known) final histograms."""

    scenario: Scenario
    summary: dict[str, Any]
    timeseries: pl.DataFrame
    histograms: pl.DataFrame | None
    label: str

    @classmethod
    def from_result(cls, result: Result, label: str | None = None) -> RunData:
        return cls(
            result.scenario, result.summary, result.timeseries, result.histograms(), label or result.scenario.name
        )

    @classmethod
    def from_dir(cls, run_dir: str | Path, label: str | None = None) -> RunData:
        """Read a directory written by ``exitban run`` (histograms.parquet is optional)."""
        d = Path(run_dir)
        missing = [f for f in RUN_FILES if not (d / f).is_file()]
        if missing:
            raise StoreError(f"{d}: not a run directory (missing {', '.join(missing)}); write one with `exitban run`")
        try:
            summary = json.loads((d / "summary.json").read_text())
            ts = pl.read_parquet(d / "timeseries.parquet")
        except (OSError, ValueError, pl.exceptions.PolarsError) as exc:
            raise StoreError(f"{d}: cannot read the run: {exc}") from None
        hist_path = d / "histograms.parquet"
        hist = pl.read_parquet(hist_path) if hist_path.is_file() else None
        sc = load_scenario(d / "scenario.toml")
        return cls(sc, summary, ts, hist, label or str(summary.get("scenario", sc.name)))

    def only(self, institution: str) -> RunData:
        """The same run seen through one institution: its rows, its histograms, its starting size."""
        if institution not in self.institutions():
            raise StoreError(
                f"no institution '{institution}' in this run (institutions: {', '.join(self.institutions())})"
            )
        per = self.summary["institutions"][institution]
        ts = self.timeseries.filter(pl.col("institution") == institution)
        exits = {c: int(ts[f"exits_{c}"].sum()) for c in EXIT_CHANNELS if f"exits_{c}" in ts.columns}
        summary = {**self.summary, "agents": per["start"], "institutions": {institution: per}, "exits": exits}
        hist = None if self.histograms is None else self.histograms.filter(pl.col("institution") == institution)
        return RunData(self.scenario, summary, ts, hist, f"{self.label} ({institution})")

    def institutions(self) -> dict[str, dict[str, Any]]:
        """Per-institution summary figures in the scenario's order (summary.json sorts its keys)."""
        per = self.summary["institutions"]
        return {name: per[name] for name in self.scenario.institutions if name in per}

    def totals(self) -> pl.DataFrame:
        """One row a day: counts summed over institutions, shares recomputed from the sums."""
        return daily_totals(self.timeseries, float(self.summary["agents"]))

    def histogram(self, quantity: str) -> pl.DataFrame | None:
        """Bins of one quantity summed over institutions, or None when the run has no histograms."""
        if self.histograms is None:
            return None
        h = self.histograms.filter(pl.col("quantity") == quantity)
        return h.group_by("bin_lo", "bin_hi").agg(pl.col("count").sum()).sort("bin_lo")


def channels_used(summary: dict[str, Any]) -> list[str]:
    """Exit channels with at least one exit, in the engine's order."""
    return [c for c in EXIT_CHANNELS if summary["exits"].get(c, 0) > 0]


def daily_totals(timeseries: pl.DataFrame, start: float) -> pl.DataFrame:
    """One row a day: the additive counts summed over institutions, shares recomputed from the sums.

    ``start`` is the number of agents on day 0 (the denominators of the per-start rates).
    """
    summed = [c for c in timeseries.columns if c in ADDITIVE_COLUMNS]
    ts = timeseries.group_by("day", maintain_order=True).agg(pl.col(c).sum() for c in summed).sort("day")
    head = pl.max_horizontal(pl.col("headcount"), pl.lit(1))
    return ts.with_columns(
        (pl.col("want_out") / head).alias("want_out_share"),
        (pl.col("would_defend") / head).alias("defend_share"),
        (pl.col("capacity") / head).alias("capacity_share"),
        (pl.col("headcount") / start).alias("serving_share"),
        (pl.col("exits_cumulative") / start * 1000.0).alias("exits_per_1000"),
        ((pl.col("backlog_unit") + pl.col("backlog_ministry")) / start * 1000.0).alias("backlog_per_1000"),
    )
