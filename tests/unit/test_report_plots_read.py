"""Plots that cannot be misread: plain numbers on the axes, shares in % everywhere, exit totals on one axis,
and every exported PNG says inside itself what it shows and that it is simulated."""

from __future__ import annotations

import io
import re

import pytest
from matplotlib.figure import Figure
from PIL import Image

import exitban
from exitban.report import PLOTS, RunData, bands, replicate, write_report
from exitban.report.bands import COMPARE_METRICS
from exitban.report.figures import TOTALS_TITLE, compare, exits, readable
from exitban.report.rundata import channels_used


@pytest.fixture(scope="module")
def run() -> RunData:
    """The army scenario at 2% (20,000 people: tick labels in the thousands) for 120 days."""
    return RunData.from_result(exitban.simulate("army-officers-2019", seed=1, days=120, scale=0.02))


def _labels(fig: Figure) -> list[str]:
    fig.canvas.draw()  # tick labels and offsets exist once drawn
    return [t.get_text() for ax in fig.axes for axis in (ax.xaxis, ax.yaxis) for t in axis.get_ticklabels()]


@pytest.mark.parametrize("plot", PLOTS, ids=[p.name for p in PLOTS])
def test_no_axis_has_an_offset_and_thousands_have_separators(plot, run) -> None:
    """No '1e6' or '+1.2e4' above an axis; a tick of four digits or more is written 12,000."""
    fig = plot.draw(run)
    labels = _labels(fig)
    offsets = [axis.get_offset_text().get_text() for ax in fig.axes for axis in (ax.xaxis, ax.yaxis)]
    assert not any(offsets), offsets
    numbers = [t for t in labels if re.fullmatch(r"[-−\d.,]+", t)]  # a date axis ('Mar 2023') is not a number
    assert numbers and not [t for t in numbers if re.search(r"\d{4}", t)]
    assert not [t for t in labels if "e+" in t or "e-" in t]


def test_the_formatter_writes_what_the_ticks_step_needs() -> None:
    """0-60,000 in steps of 10,000; 0-8 in whole steps (8, not 8.0); 0-0.6 in tenths; 1,000,000 with no offset."""
    for values, expected in (
        ([0, 60_000], "60,000"),
        ([0, 8], "8"),
        ([0, 0.6], "0.6"),
        ([999_990, 1_000_010], "1,000,000"),
    ):
        fig = Figure()
        ax = fig.subplots()
        ax.plot([0, 1], values)
        labels = _labels(readable(fig))
        assert expected in labels, (values, labels)
        assert not ax.yaxis.get_offset_text().get_text()


def test_exit_totals_share_one_axis_beside_the_channel_panels(run) -> None:
    """The first panel draws every channel's total as a bar on one axis, equal to the summary's counts."""
    fig = exits(run)
    first = fig.axes[0]
    assert first.get_title() == TOTALS_TITLE
    used = channels_used(run.summary)
    widths = sorted(int(bar.get_width()) for bar in first.patches)
    assert widths == sorted(run.summary["exits"][c] for c in used)
    names = {t.get_text() for t in first.get_yticklabels()}
    assert names == {c.replace("_", " ") for c in used}


def test_compared_shares_are_in_percent_from_zero() -> None:
    """The comparison shows shares in % (as the single-run plots do), on axes that start at 0."""
    sc = exitban.load_scenario("army-officers-2019").with_overrides(scale=0.005, days=60)
    fig = compare(bands([replicate(sc, [0, 1])]))
    for ax, (metric, m) in zip(fig.axes, COMPARE_METRICS.items(), strict=False):
        assert ax.get_ylabel() == m.unit
        assert ax.get_ylim()[0] <= 0
        if metric.endswith("_share") and m.factor == 100:
            assert m.unit.startswith("%")
            top = max(line.get_ydata().max() for line in ax.get_lines())
            assert 1 < top < 200, (metric, top)  # recruits can take the headcount past its start


def test_every_exported_png_says_what_it_is(run, tmp_path) -> None:
    """Each PNG carries its title and 'simulated — scenario, seed, version' drawn into it and in its text chunks."""
    files = write_report(run, tmp_path / "r.html")
    titles = {p.name: p.title for p in PLOTS}
    for name, path in files.pngs.items():
        info = Image.open(io.BytesIO(path.read_bytes())).text
        assert info["Title"] == titles[name]
        assert info["Description"].startswith("simulated — army-officers-2019, seed 1, scale 0.02")
        assert info["Description"].endswith(f"exitban {exitban.__version__}")
    fig = PLOTS[0].draw(run)
    from exitban.report.html import png_bytes, stamp_line

    png_bytes(fig, PLOTS[0].title, stamp_line(run))
    drawn = fig.get_suptitle()
    assert drawn.startswith(PLOTS[0].title) and "simulated — army-officers-2019, seed 1" in drawn
