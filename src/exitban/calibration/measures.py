"""Read a target's figure off a run's daily table (one row per day and institution).

``check_measures`` does, before any simulation, everything that can be known about a measure:
its columns exist in the scenario's daily table and its institution in the scenario, so a typo
in a targets file is refused at once, not after hours of proposals.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

import polars as pl

from exitban.calibration.targets import Measure, Target
from exitban.errors import ScenarioError
from exitban.scenario import Scenario


def check_measures(targets: Mapping[str, Target], scenario: Scenario, where: object) -> None:
    """Refuse, naming the file and the target, a measure ``scenario``'s runs cannot produce."""
    from exitban.observe import timeseries_columns

    columns = set(timeseries_columns(scenario))
    for name, target in targets.items():
        m = target.measure
        field = "institution" if m.institution is not None else "institutions"
        for institution in m.chosen() or []:
            if institution not in scenario.institutions:
                have = ", ".join(scenario.institutions)
                raise ScenarioError(
                    f"{where}: targets.{name}.measure.{field}: {institution!r} is not an institution of "
                    f"scenario '{scenario.name}' (allowed: {have}, or leave it out for all)"
                )
        unknown = [c for c in [*m.columns, *(m.of or [])] if c not in columns]
        if unknown:
            raise ScenarioError(
                f"{where}: targets.{name}.measure.columns: {', '.join(map(repr, unknown))} is not a column of the "
                "daily table (allowed: the columns of docs/reference/outputs.md, e.g. cases_absence)"
            )


def _window(ts: pl.DataFrame, m: Measure, days: tuple[Any, Any]) -> pl.DataFrame:
    """The rows of ``m``'s institution in a window of days, or of dates (the table's ``date`` column)."""
    chosen = m.chosen()
    rows = ts if chosen is None else ts.filter(pl.col("institution").is_in(chosen))
    column = "date" if isinstance(days[0], datetime.date) else "day"
    return rows.filter((pl.col(column) >= days[0]) & (pl.col(column) < days[1]))


def _total(rows: pl.DataFrame, columns: list[str]) -> float:
    return float(sum(rows[c].cast(pl.Float64).sum() for c in columns))


def measure_value(m: Measure, ts: pl.DataFrame, scale: float) -> float:
    """The figure ``m`` describes, from the daily table of a run at ``scale`` (counts to full size)."""
    rows = _window(ts, m, m.days or m.dates)
    if m.kind == "sum":
        value = _total(rows, m.columns)
    elif m.kind == "last":
        last = rows.filter(pl.col("day") == rows["day"].max())
        value = float(sum(last[c].cast(pl.Float64).fill_null(0.0).mean() or 0.0 for c in m.columns))
    elif m.kind == "stock":
        last = rows.filter(pl.col("day") == rows["day"].max())
        value = _total(last, m.columns)
    elif m.kind == "share":
        assert m.of is not None
        below = _total(rows, m.of)
        value = _total(rows, m.columns) / below if below > 0 else float("nan")
    else:
        per = m.per_days or m.per_dates
        assert per is not None
        below = _total(_window(ts, m, per), m.columns)
        value = _total(rows, m.columns) / below if below > 0 else float("inf")
    return value / scale if m.scaled else value
