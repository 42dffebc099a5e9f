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

from exitban.engine.columns import TALLIES
from exitban.errors import StoreError
from exitban.observe import EXIT_COLUMNS, TOTALS_INPUTS

HOW_TO_FIX = "re-run it with `exitban run`"
# The daily columns the report's text and plots read (report.rundata.totals sums them per day).
REPORT_COLUMNS = {
    "day", "headcount", "want_out", "would_defend", "capacity", "exits_cumulative", "backlog_unit",
    "backlog_ministry", "backlog_appeals", "backlog_travel", "displayed", "sabotaging", "threats",
    "families_pressured", "cases_opened", "cases_open", "reported_headcount", "true_present",
    "reported_want_out", "reported_complaints", "true_complaints", "reported_threats", *EXIT_COLUMNS,
    "want_out_share", "displayed_share", "defend_share",  # the per-institution panel reads these as written
}  # fmt: skip


class _Loose(BaseModel):
    # extra fields allowed (a newer exitban may add some); the ones the report reads are typed and bounded
    model_config = ConfigDict(extra="allow", strict=True, allow_inf_nan=False)


class InstitutionSummary(_Loose):
    start: int = Field(ge=0)
    serving: int = Field(ge=0)
    want_out_share: float = Field(ge=0, le=1)
    defend_share: float = Field(ge=0, le=1)
    capacity_share: float = Field(ge=0)
    backlog: int = Field(ge=0)
    pending_wait_years: float = Field(ge=0)
    threats: int = Field(ge=0)
    cases_opened: int = Field(ge=0)
    families_pressured: int = Field(ge=0)


class RunSummary(_Loose):
    scenario: str
    seed: int = Field(ge=0)
    days: int = Field(ge=1, le=36_500)
    scale: float = Field(1.0, gt=0, le=10)
    agents: int = Field(ge=0)
    serving: int = Field(ge=0)
    want_out: int = Field(ge=0)
    defend_share: float = Field(ge=0, le=1)
    exits_total: int = Field(ge=0)
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


def check_tables(run_dir: Path, ts: pl.DataFrame, hist: pl.DataFrame | None) -> None:
    """The timeseries has a row, its institution column and the numeric columns the report sums; histograms have their five columns."""
    numeric = {c for c, t in ts.schema.items() if t.is_numeric()}
    summed = set(TALLIES) & set(ts.columns)  # the tallies totals() sums, where the table has them
    missing = sorted((REPORT_COLUMNS | TOTALS_INPUTS | summed) - numeric)  # and the columns it always reads
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        raise StoreError(f"{run_dir / 'timeseries.parquet'}: no numeric column {shown}; {HOW_TO_FIX}")
    if ts.schema.get("institution") != pl.String:  # every row says whose it is: totals sum over it
        raise StoreError(f"{run_dir / 'timeseries.parquet'}: no text column institution; {HOW_TO_FIX}")
    if "ban_active" not in numeric and ts.schema.get("ban_active") != pl.Boolean:  # totals count the bans
        raise StoreError(f"{run_dir / 'timeseries.parquet'}: no true/false column ban_active; {HOW_TO_FIX}")
    if ts.height == 0:
        raise StoreError(f"{run_dir / 'timeseries.parquet'}: has no rows; {HOW_TO_FIX}")
    if hist is not None:
        want = {"quantity": pl.String, "bin_lo": pl.Float64, "bin_hi": pl.Float64, "count": pl.Int64}
        wrong = [c for c, t in want.items() if hist.schema.get(c) != t]
        if wrong:
            raise StoreError(
                f"{run_dir / 'histograms.parquet'}: column {', '.join(wrong)} missing or of the wrong type; "
                f"delete the file (the report draws without it) or {HOW_TO_FIX}"
            )
