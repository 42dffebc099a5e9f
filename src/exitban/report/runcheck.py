"""What a run directory must hold for a report: checked when it is read, so a damaged or foreign one is one line.

A run directory may come from someone else, or from an older exitban, or be damaged: a
``summary.json`` whose seed is a string, whose institutions are a list, a timeseries without
its columns. Each is refused here with the file, the field and what was expected, instead of
a ``KeyError`` or a Polars error half-way through drawing a plot.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from exitban.errors import StoreError
from exitban.observe import EXIT_COLUMNS, RANGES, TALLY_SCHEMA

HOW_TO_FIX = "re-run it with `exitban run`"
# The daily table's columns the report reads as written (its totals come from tallies.parquet).
REPORT_COLUMNS = {
    "day", "headcount", "want_out", "would_defend", "capacity", "exits_cumulative", "backlog_unit",
    "backlog_ministry", "backlog_appeals", "backlog_travel", "displayed", "sabotaging", "threats",
    "families_pressured", "cases_opened", "cases_open", "reported_headcount", "true_present",
    "reported_want_out", "reported_complaints", "true_complaints", "reported_threats", *EXIT_COLUMNS,
    "want_out_share", "displayed_share", "defend_share",  # the per-institution panel reads these as written
}  # fmt: skip


def _within(column: str) -> Any:
    """A field bounded as the output ``column`` is where it is derived (observe.RANGES): one definition."""
    lo, hi = RANGES[column]
    return Field(**({"ge": lo} if lo is not None else {}), **({"le": hi} if hi is not None else {}))


class _Loose(BaseModel):
    # extra fields allowed (a newer exitban may add some); the ones the report reads are typed and bounded
    model_config = ConfigDict(extra="allow", strict=True, allow_inf_nan=False)


class InstitutionSummary(_Loose):
    # the summary's names for final-day outputs and totals over the run, each bounded as its column
    start: int = _within("headcount")
    serving: int = _within("headcount")
    want_out_share: float = _within("want_out_share")
    defend_share: float = _within("defend_share")
    capacity_share: float = _within("capacity_share")
    backlog: int = _within("backlog_unit")
    pending_wait_years: float = _within("pending_wait_years")
    threats: int = _within("threats")
    cases_opened: int = _within("cases_opened")
    families_pressured: int = _within("families_pressured")


class RunSummary(_Loose):
    scenario: str
    seed: int = Field(ge=0)
    days: int = Field(ge=1, le=36_500)
    scale: float = Field(1.0, gt=0, le=10)
    agents: int = _within("headcount")
    serving: int = _within("headcount")
    want_out: int = _within("want_out")
    defend_share: float = _within("defend_share")
    exits_total: int = _within("exits_total")
    exits: dict[str, int]
    institutions: dict[str, InstitutionSummary]
    version: str = "?"
    scenario_hash: str = ""


def check_summary(path: Path, data: Any) -> dict[str, Any]:
    """``data`` if it is a summary the report can read; else a one-line ``StoreError`` naming the field."""
    try:
        RunSummary.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(part) for part in err["loc"]) or "the file"
        found = f" = {err['input']!r}"[:80] if err["type"] != "missing" else ""
        raise StoreError(f"{path}: field '{where}'{found}: {err['msg']}; {HOW_TO_FIX}") from None
    return data


def check_tables(run_dir: Path, ts: pl.DataFrame, tallies: pl.DataFrame, hist: pl.DataFrame | None) -> None:
    """The timeseries has rows and the columns the report reads; the tallies have their fixed schema, row for row
    with the timeseries; histograms have their five columns."""
    numeric = {c for c, t in ts.schema.items() if t.is_numeric()}
    missing = sorted(REPORT_COLUMNS - numeric)
    if missing:
        raise StoreError(f"{run_dir / 'timeseries.parquet'}: no numeric column {_some(missing)}; {HOW_TO_FIX}")
    if ts.schema.get("institution") != pl.String:  # every row says whose it is
        raise StoreError(f"{run_dir / 'timeseries.parquet'}: no text column institution; {HOW_TO_FIX}")
    if ts.height == 0:
        raise StoreError(f"{run_dir / 'timeseries.parquet'}: has no rows; {HOW_TO_FIX}")
    outside = _outside_ranges(ts)
    if outside:
        raise StoreError(f"{run_dir / 'timeseries.parquet'}: {outside}; {HOW_TO_FIX}")
    wrong = [c for c, t in TALLY_SCHEMA.items() if tallies.schema.get(c) != t]
    if wrong:
        raise StoreError(
            f"{run_dir / 'tallies.parquet'}: column {_some(wrong)} missing or not of its type "
            f"({', '.join(f'{c}: {TALLY_SCHEMA[c]}' for c in wrong[:3])}); {HOW_TO_FIX}"
        )
    if tallies.height != ts.height:
        raise StoreError(
            f"{run_dir / 'tallies.parquet'}: {tallies.height:,} rows where timeseries.parquet has {ts.height:,} "
            f"(one per day and institution in both); {HOW_TO_FIX}"
        )
    if hist is not None:
        want = {"quantity": pl.String, "bin_lo": pl.Float64, "bin_hi": pl.Float64, "count": pl.Int64}
        wrong = [c for c, t in want.items() if hist.schema.get(c) != t]
        if wrong:
            raise StoreError(
                f"{run_dir / 'histograms.parquet'}: column {', '.join(wrong)} missing or of the wrong type; "
                f"delete the file (the report draws without it) or {HOW_TO_FIX}"
            )


def _outside_ranges(ts: pl.DataFrame) -> str:
    """'column want_out_share reaches 1.5 (allowed: 0 to 1)' for the first column outside its declared range."""
    checked = [c for c in ts.columns if c in RANGES and ts.schema[c].is_numeric()]
    values = [pl.col(c).cast(pl.Float64) for c in checked]
    kept = [v.filter(v.is_not_nan()) for v in values]  # NaN: a day with nothing to average (released_wait_years)
    lows = ts.select(v.min().alias(c) for v, c in zip(kept, checked, strict=True)).row(0)
    highs = ts.select(v.max().alias(c) for v, c in zip(kept, checked, strict=True)).row(0)
    for column, low, high in zip(checked, lows, highs, strict=True):
        lo, hi = RANGES[column]
        allowed = f"{'any' if lo is None else f'{lo:g}'} to {'any' if hi is None else f'{hi:g}'}"
        if low is not None and lo is not None and low < lo:
            return f"column {column} reaches {low:g} (allowed: {allowed})"
        if high is not None and hi is not None and high > hi:
            return f"column {column} reaches {high:g} (allowed: {allowed})"
    return ""


def _some(names: list[str]) -> str:
    """The first five names, and how many more."""
    return ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
