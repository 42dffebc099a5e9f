"""What a report or the dashboard plots: one run's tables, from a ``Result`` or a run directory."""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import polars as pl

from exitban.checksums import NAME as CHECKSUMS
from exitban.checksums import Checksums, shown
from exitban.engine.codes import EXIT_CHANNELS
from exitban.errors import StoreError
from exitban.files import InputFileError, parquet_from_bytes
from exitban.observe import totals
from exitban.report.runcheck import check_summary, check_tables
from exitban.scenario import Scenario
from exitban.scenario.load import load_scenario
from exitban.simulate import Result

RUN_FILES = ("timeseries.parquet", "summary.json", "scenario.toml")  # checksums.json: checked by Checksums.load
TALLIES_FILE = "tallies.parquet"  # the raw results every total is derived from; written since issue 20
MAX_SUMMARY = 16 << 20  # a summary is kilobytes


@dataclass(frozen=True)
class RunData:
    """One run: its scenario, summary, daily table, the raw tallies it was derived from and (when known) histograms."""

    scenario: Scenario
    summary: dict[str, Any]
    timeseries: pl.DataFrame
    tallies: pl.DataFrame
    histograms: pl.DataFrame | None
    label: str

    @classmethod
    def from_result(cls, result: Result, label: str | None = None) -> RunData:
        return cls(
            result.scenario,
            result.summary,
            result.timeseries,
            result.tallies,
            result.histograms(),
            label or result.scenario.name,
        )

    @classmethod
    def from_dir(
        cls, run_dir: str | Path, label: str | None = None, warn: Callable[[str], None] | None = None
    ) -> RunData:
        """Read a directory written by ``exitban run``: only files its ``checksums.json`` vouches for.

        Each file is read once, as bytes whose size and SHA-256 match the list, and parsed from those
        bytes. A file the list does not name is not read: ``warn`` (if given) gets one line naming them.
        A folder with no list (written before issue 26) is refused with the command that writes it again.
        """
        d = Path(run_dir)
        missing = [f for f in RUN_FILES if not (d / f).is_file() and not (d / f).is_symlink()]
        if missing:
            raise StoreError(f"{d}: not a run directory (missing {', '.join(missing)}); write one with `exitban run`")
        again = (
            f"run it again: exitban run {shlex.quote(str(d / 'scenario.toml'))} --seed SEED --out {shlex.quote(str(d))}"
        )
        listed = Checksums.load(d, again)
        for name in (TALLIES_FILE, "histograms.parquet"):
            if name not in listed and ((d / name).exists() or (d / name).is_symlink()):
                listed.read(name, name, again)  # present but unlisted: refused, never read
        extra = listed.unlisted()
        if extra and warn is not None:
            warn(f"{d}: not listed in {CHECKSUMS}, so not read: {shown(extra)}")
        try:
            summary = check_summary(d / "summary.json", json.loads(listed.read("summary.json", "a summary", again)))
            if TALLIES_FILE not in listed:
                raise StoreError(_no_tallies(d, summary))
            rows = summary["days"] * len(summary["institutions"])  # one row a day and institution
            ts = _table(listed, "timeseries.parquet", rows, again)
            tallies = _table(listed, TALLIES_FILE, rows, again)
            hist = _table(listed, "histograms.parquet", None, again) if "histograms.parquet" in listed else None
            listed.read("scenario.toml", "a scenario", again)  # vouched for; load_scenario then validates it
        except (OSError, ValueError, pl.exceptions.PolarsError) as exc:
            if isinstance(exc, StoreError):
                raise
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise StoreError(f"{d}: cannot read the run: {first}; re-run it with `exitban run`") from None
        check_tables(d, ts, tallies, hist)
        sc = load_scenario(d / "scenario.toml")
        return cls(sc, summary, ts, tallies, hist, label or str(summary.get("scenario", sc.name)))

    def only(self, institution: str) -> RunData:
        """The same run seen through one institution: its rows, its histograms, its starting size."""
        if institution not in self.institutions():
            raise StoreError(
                f"no institution '{institution}' in this run (institutions: {', '.join(self.institutions())})"
            )
        per = self.summary["institutions"][institution]
        ts = self.timeseries.filter(pl.col("institution") == institution)
        tallies = self.tallies.filter(pl.col("institution") == institution)
        exits = {c: int(ts[f"exits_{c}"].sum()) for c in EXIT_CHANNELS if f"exits_{c}" in ts.columns}
        summary = {**self.summary, "agents": per["start"], "institutions": {institution: per}, "exits": exits}
        hist = None if self.histograms is None else self.histograms.filter(pl.col("institution") == institution)
        return RunData(self.scenario, summary, ts, tallies, hist, f"{self.label} ({institution})")

    def institutions(self) -> dict[str, dict[str, Any]]:
        """Per-institution summary figures in the scenario's order (summary.json sorts its keys)."""
        per = self.summary["institutions"]
        return {name: per[name] for name in self.scenario.institutions if name in per}

    @cached_property
    def totals(self) -> pl.DataFrame:
        """One row a day: the tallies summed over institutions and every output derived once (``observe.totals``)."""
        start = float(self.summary["agents"])
        return per_start_rates(totals(self.scenario, self.tallies, start), start)

    def histogram(self, quantity: str) -> pl.DataFrame | None:
        """Bins of one quantity summed over institutions, or None when the run has no histograms."""
        if self.histograms is None:
            return None
        h = self.histograms.filter(pl.col("quantity") == quantity)
        return h.group_by("bin_lo", "bin_hi").agg(pl.col("count").sum()).sort("bin_lo")


def _table(listed: Checksums, name: str, rows: int | None, way_out: str) -> pl.DataFrame:
    """One of a run folder's tables, its bytes vouched for and checked before its data is read."""
    blob = listed.read(name, f"a run's {name}", way_out)
    try:
        return parquet_from_bytes(blob, rows)
    except InputFileError as exc:
        raise StoreError(f"{listed.root / name}: {exc}; re-run it with `exitban run`") from None


def channels_used(summary: dict[str, Any]) -> list[str]:
    """Exit channels with at least one exit, in the engine's order."""
    return [c for c in EXIT_CHANNELS if summary["exits"].get(c, 0) > 0]


def per_start_rates(totals: pl.DataFrame, start: float) -> pl.DataFrame:
    """Add the rates per agent at the start (``start`` agents on day 0) to a table of daily totals."""
    return totals.with_columns(
        (pl.col("headcount") / start).alias("serving_share"),
        (pl.col("exits_cumulative") / start * 1000.0).alias("exits_per_1000"),
        ((pl.col("backlog_unit") + pl.col("backlog_ministry")) / start * 1000.0).alias("backlog_per_1000"),
    )


def _no_tallies(run_dir: Path, summary: dict[str, Any]) -> str:
    """The one line for a run folder written before runs kept their tallies, with the command that re-runs it.

    The folder's scenario.toml is the resolved scenario (days and scale included), so with the seed it
    gives the same run again, now with its tallies.
    """
    again = shlex.join(
        ["exitban", "run", str(run_dir / "scenario.toml"), "--seed", str(summary["seed"]), "--out", str(run_dir)]
    )
    return (
        f"{run_dir}: no {TALLIES_FILE} (the raw tallies the report is drawn from; an older exitban did not write it); "
        f"run it again into the same folder: {again}"
    )
