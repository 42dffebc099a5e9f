"""A single run's report over seeds: every time-series panel shades each line's 5-95% band over the seeds."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.collections import PolyCollection
from matplotlib.colors import to_rgb

import exitban
from exitban.report import PLOTS, replicate
from exitban.report.bands import Seeds
from exitban.report.figures import BAND, QUEUES, backlog, capacity, has_band, headcount, institutions

TIME_SERIES = {"headcount", "institutions", "exits", "backlog", "loyalty_fear", "capacity", "pressure", "reported"}


@pytest.fixture(scope="module")
def seeds() -> Seeds:
    """The army scenario at 0.5% scale for 60 days, over three seeds."""
    sc = exitban.load_scenario("army-officers-2019").with_overrides(scale=0.005, days=60)
    _, runs = replicate(sc, [0, 1, 2])
    return Seeds(tuple(runs))


def _bands(ax) -> list[PolyCollection]:
    return [c for c in ax.collections if c.get_gid() == BAND]


def _edges(band: PolyCollection) -> tuple[np.ndarray, np.ndarray]:
    """The band's lower and upper edge by day (fill_between's outline: forward along lo, back along hi)."""
    xy = band.get_paths()[0].vertices
    days = len(xy) // 2 - 1
    lo = xy[1 : days + 1, 1]
    hi = xy[days + 2 : 2 * days + 2, 1][::-1]
    return lo, hi


def test_every_time_series_panel_has_a_band_over_seeds_and_no_other_does(seeds) -> None:
    """With three seeds, each time-series plot shades bands; the waiting-time histogram (one run's) does not."""
    run = seeds.runs[0]
    drawn = {p.name: has_band(p.draw(run, seeds)) for p in PLOTS}
    assert {name for name, banded in drawn.items() if banded} == TIME_SERIES


def test_a_single_run_has_no_band(seeds) -> None:
    """Without seeds (or with one), no plot shades a band: the default report is one run."""
    run = seeds.runs[0]
    assert not any(has_band(p.draw(run)) for p in PLOTS)
    assert not any(has_band(p.draw(run, Seeds(seeds.runs[:1]))) for p in PLOTS)


def test_each_line_has_its_band_in_its_colour(seeds) -> None:
    """Every line of the headcount plot has one band of the same colour around it."""
    fig = headcount(seeds.runs[0], seeds)
    for ax in fig.axes:
        lines, bands = ax.get_lines(), _bands(ax)
        assert len(lines) == len(bands) == 2
        for line, band in zip(lines, bands, strict=True):
            assert np.allclose(band.get_facecolor()[0][:3], to_rgb(line.get_color()))


def test_the_band_is_the_5_95_percentile_of_the_seeds(seeds) -> None:
    """The headcount band's edges are the 5th and 95th percentiles of the three runs' headcounts, day by day."""
    fig = headcount(seeds.runs[0], seeds)
    lo, hi = _edges(_bands(fig.axes[0])[0])
    stack = np.vstack([t["headcount"].to_numpy() for t in seeds.totals])
    assert lo == pytest.approx(np.percentile(stack, 5, axis=0))
    assert hi == pytest.approx(np.percentile(stack, 95, axis=0))
    assert (hi > lo).any()  # the seeds differ: the band is not a line


def test_each_institution_panel_bands_its_own_rows(seeds) -> None:
    """An institution's band is made of that institution's shares over seeds, not of the totals."""
    fig = institutions(seeds.runs[0], seeds)
    names = list(seeds.runs[0].institutions())
    for ax, name in zip(fig.axes, names, strict=False):
        lo, hi = _edges(_bands(ax)[0])  # want out, the first line
        stack = np.vstack([f["want_out_share"].to_numpy() * 100 for f in seeds.institution(name)])
        assert lo == pytest.approx(np.percentile(stack, 5, axis=0))
        assert hi == pytest.approx(np.percentile(stack, 95, axis=0))


def test_small_series_keep_their_own_axes(seeds) -> None:
    """Those sabotaging get an axis apart from headcount; each request queue waiting gets its own panel."""
    run = seeds.runs[0]
    cap = capacity(run, seeds)
    assert [line.get_label() for line in cap.axes[1].get_lines()] == ["sabotaging to get fired"]
    assert "headcount" not in [line.get_label() for line in cap.axes[1].get_lines()]
    queues = [ax for ax in backlog(run, seeds).axes if ax.get_visible()]
    assert all(len(ax.get_lines()) == 1 and len(_bands(ax)) == 1 for ax in queues)
    waiting = [label for c, (label, _) in QUEUES.items() if any(t[c].sum() > 0 for t in seeds.totals)]
    assert [ax.get_title().split(":")[0] for ax in queues] == waiting
    assert waiting[0] == "unit signature"
