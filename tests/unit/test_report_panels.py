"""The report's plots keep small series visible and compared lines apart, and can show one institution."""

from __future__ import annotations

import pytest

import exitban
from exitban.report import RunData, bands, replicate
from exitban.report.figures import compare, exits, institutions
from exitban.report.rundata import channels_used


@pytest.fixture(scope="module")
def run() -> RunData:
    """The army scenario at 0.5% scale for 200 days."""
    sc = exitban.load_scenario("army-officers-2019").with_overrides(scale=0.005, days=200)
    return RunData.from_result(exitban.simulate(sc, seed=2))


def test_every_exit_channel_gets_its_own_axis(run) -> None:
    """Exits by channel: one visible panel per channel used, titled with its total, so 11 exits are not lost under 900;
    before them, the totals on one axis (tests/unit/test_report_plots_read.py)."""
    fig = exits(run)
    visible = [ax for ax in fig.axes if ax.get_visible()][1:]
    used = channels_used(run.summary)
    assert len(visible) == len(used) > 1
    for ax, channel in zip(visible, used, strict=True):
        assert ax.get_title() == f"{channel.replace('_', ' ')}: {run.summary['exits'][channel]:,}"


def test_each_institution_gets_a_panel_of_its_own_shares(run) -> None:
    """The institutions plot has one panel per institution, titled with its size, y in percent of those serving."""
    fig = institutions(run)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title().split(" (")[0] for ax in visible] == list(run.scenario.institutions)
    assert all(ax.get_ylim() == (0, 100) for ax in visible)


def test_one_institution_is_its_own_run(run) -> None:
    """RunData.only keeps one institution's rows, histograms, starting size and exits."""
    officers = run.only("officers")
    assert set(officers.timeseries["institution"].unique()) == {"officers"}
    assert officers.summary["agents"] == run.summary["institutions"]["officers"]["start"]
    assert set(officers.histograms["institution"].unique()) == {"officers"}
    assert officers.summary["exits"]["approved"] == int(officers.timeseries["exits_approved"].sum())
    assert officers.totals["headcount"][0] == run.summary["institutions"]["officers"]["start"]
    with pytest.raises(exitban.ExitbanError, match="no institution 'nope'"):
        run.only("nope")


def test_compared_lines_differ_in_style_and_keep_their_colour() -> None:
    """Two identical scenarios still show two lines: different dash styles, fixed colours in label order."""
    sc = exitban.load_scenario("army-officers-2019").with_overrides(scale=0.001, days=20)
    same = bands([replicate(sc, [0], label="a"), replicate(sc, [0], label="b")])
    fig = compare(same)
    for ax in fig.axes[:6]:
        a, b = ax.get_lines()[:2]
        assert a.get_linestyle() != b.get_linestyle()
        assert (a.get_color(), b.get_color()) == ("C0", "C1")
        assert b.get_zorder() > a.get_zorder()
