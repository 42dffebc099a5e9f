"""The report's plots over time read in calendar dates, from the scenario's start."""

from __future__ import annotations

import datetime

import exitban
from exitban.report import PLOTS, RunData
from exitban.report.figures import calendar


def test_day_axes_are_labelled_by_date() -> None:
    """Every axis a plot draws by day says 'date', and its ticks name the months of the run's year."""
    sc = exitban.load_scenario("army-officers-2019").with_overrides(scale=0.002, days=200)
    run = RunData.from_result(exitban.simulate(sc, seed=0))
    fig = next(p for p in PLOTS if p.name == "headcount").draw(run)
    fig.canvas.draw()
    for ax in fig.axes:
        assert ax.get_xlabel() == "date"
        low, high = ax.get_xlim()
        ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text() and low <= t.get_position()[0] <= high]
        assert ticks and all(t.endswith("2019") for t in ticks), ticks
        assert ticks[0].startswith("Jan")


def test_a_short_run_shows_day_and_month() -> None:
    """Under four months the ticks show the day of the month too; day 45 of 2023 is 15 Feb."""
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.subplots()
    ax.plot([0, 45, 90], [0, 1, 2])
    ax.set_xlabel("day")
    calendar(fig, datetime.date(2023, 1, 1))
    ax.set_xticks([45])
    fig.canvas.draw()
    assert [t.get_text() for t in ax.get_xticklabels()] == ["15 Feb"]
