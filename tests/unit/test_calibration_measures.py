"""A target's measure reads the right window, institution and columns off a daily table."""

from __future__ import annotations

import math

import polars as pl
import pytest

import exitban
from exitban.calibration.measures import measure_value
from exitban.calibration.targets import Measure


@pytest.fixture
def table() -> pl.DataFrame:
    days = list(range(10))
    return pl.DataFrame(
        {
            "day": days * 2,
            "institution": ["a"] * 10 + ["b"] * 10,
            "cases": [1] * 10 + [2] * 10,
            "other": [10] * 20,
            "share": [d / 10 for d in days] * 2,
        }
    )


def test_sum_over_a_window_scaled_to_full_size(table: pl.DataFrame) -> None:
    """A sum counts days start to end-1 over every institution, divided by the scale."""
    m = Measure(columns=["cases"], days=(2, 5))
    assert measure_value(m, table, scale=0.5) == (3 * 1 + 3 * 2) / 0.5


def test_sum_of_several_columns_of_one_institution(table: pl.DataFrame) -> None:
    """Columns add up, and an institution keeps only its rows."""
    m = Measure(columns=["cases", "other"], institution="b", days=(0, 10), scaled=False)
    assert measure_value(m, table, scale=0.1) == 10 * 2 + 10 * 10


def test_last_reads_the_windows_last_day(table: pl.DataFrame) -> None:
    """``last`` is the value on the last day of the window, unscaled for shares."""
    m = Measure(kind="last", columns=["share"], institution="a", days=(0, 7), scaled=False)
    assert measure_value(m, table, scale=0.01) == pytest.approx(0.6)


def test_ratio_divides_two_windows(table: pl.DataFrame) -> None:
    """``ratio`` is the sum over ``days`` over the sum over ``per_days``."""
    m = Measure(kind="ratio", columns=["cases"], institution="a", days=(0, 6), per_days=(6, 9), scaled=False)
    assert measure_value(m, table, scale=1.0) == pytest.approx(6 / 3)


def test_a_ratio_needs_its_denominator_window() -> None:
    """A ratio without ``per_days`` is refused, and ``per_days`` without a ratio too."""
    with pytest.raises(ValueError, match="per_days"):
        Measure(kind="ratio", columns=["cases"], days=(0, 5))
    with pytest.raises(ValueError, match="per_days"):
        Measure(columns=["cases"], days=(0, 5), per_days=(5, 9))


def test_share_divides_two_columns_over_one_window(table: pl.DataFrame) -> None:
    """``share`` is the sum of ``columns`` over the sum of ``of`` in the same window (a suspended share of
    sentences); a window with nothing to divide by gives NaN, which a fit reads as not measured."""
    m = Measure(kind="share", columns=["cases"], of=["other"], institution="b", days=(0, 4), scaled=False)
    assert measure_value(m, table, scale=0.01) == pytest.approx(4 * 2 / (4 * 10))
    empty = Measure(kind="share", columns=["cases"], of=["cases"], institution="c", days=(0, 4), scaled=False)
    assert math.isnan(measure_value(empty, table, scale=1.0))


def test_stock_adds_the_chosen_institutions_on_the_windows_last_day(table: pl.DataFrame) -> None:
    """``stock`` is a headcount: the columns summed over the listed institutions on the window's last day."""
    m = Measure(kind="stock", columns=["cases", "other"], institutions=["a", "b"], days=(0, 5))
    assert measure_value(m, table, scale=0.5) == ((1 + 10) + (2 + 10)) / 0.5
    only_a = Measure(kind="stock", columns=["cases"], institutions=["a"], days=(0, 5), scaled=False)
    assert measure_value(only_a, table, scale=0.5) == 1


def test_one_institution_or_a_list_not_both() -> None:
    with pytest.raises(ValueError, match="not both"):
        Measure(columns=["cases"], institution="a", institutions=["b"], days=(0, 5))


def test_a_share_needs_its_denominator_columns_and_is_unscaled() -> None:
    """``of`` comes with ``share`` and only then; a share is a pure number, so ``scaled`` must be false."""
    with pytest.raises(ValueError, match="'of'"):
        Measure(kind="share", columns=["cases"], days=(0, 5), scaled=False)
    with pytest.raises(ValueError, match="'of'"):
        Measure(columns=["cases"], of=["other"], days=(0, 5))
    with pytest.raises(ValueError, match="scaled = false"):
        Measure(kind="share", columns=["cases"], of=["other"], days=(0, 5))


def test_a_window_of_dates_reads_the_same_rows_as_its_days() -> None:
    """``dates = [first, end)`` is the window of days counted from the scenario's start: the same figure."""
    import datetime

    start = datetime.date(2023, 1, 1)
    day = list(range(10))
    ts = pl.DataFrame(
        {
            "day": day,
            "date": [start + datetime.timedelta(days=d) for d in day],
            "institution": ["a"] * 10,
            "cases": [float(d) for d in day],
        }
    )
    by_days = Measure(columns=["cases"], days=(2, 6), scaled=False)
    by_dates = Measure(columns=["cases"], dates=(datetime.date(2023, 1, 3), datetime.date(2023, 1, 7)), scaled=False)
    assert by_dates.window(start) == (2, 6) and by_dates.last_day(start) == 6
    assert measure_value(by_dates, ts, 1.0) == measure_value(by_days, ts, 1.0) == 2 + 3 + 4 + 5
    with pytest.raises(ValueError, match="one of the two"):
        Measure(columns=["cases"], days=(0, 5), dates=(start, datetime.date(2023, 2, 1)))
    with pytest.raises(exitban.ScenarioError, match="begins before the scenario's start"):
        by_dates.window(datetime.date(2023, 2, 1))
