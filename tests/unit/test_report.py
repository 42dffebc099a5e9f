"""The HTML report: self-contained, one plot per output group, the same from a Result or its run directory."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

import exitban
from exitban.cli import app
from exitban.report import PLOTS, RunData, bands, plain_summary, replicate, write_report
from tests.helpers import seal

IMG = re.compile(r'<img class="plot" data-plot="([a-z_]+)" alt="[^"]*" src="([^"]+)">')


@pytest.fixture(scope="module")
def result(army_small: exitban.Scenario) -> exitban.Result:
    return exitban.simulate(army_small, seed=2)


def test_report_is_self_contained_with_every_plot(tmp_path: Path, result: exitban.Result) -> None:
    """Every plot is inlined as a PNG data URI equal to the PNG file beside it; nothing is fetched from elsewhere."""
    files = write_report(RunData.from_result(result), tmp_path / "r.html")
    page = files.html.read_text()
    found = dict(IMG.findall(page))
    assert list(found) == [p.name for p in PLOTS]
    for name, src in found.items():
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1]) == files.pngs[name].read_bytes()
        assert files.pngs[name].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "<script" not in page


def test_report_from_run_directory_equals_report_from_result(tmp_path: Path, result: exitban.Result) -> None:
    """The report of a run directory is byte-identical to the report of the Result that wrote it."""
    run_dir = result.write(tmp_path / "run")
    a = write_report(RunData.from_result(result), tmp_path / "a.html").html.read_bytes()
    b = write_report(RunData.from_dir(run_dir), tmp_path / "b.html").html.read_bytes()
    assert a == b


def test_plain_summary_quotes_the_summary_figures(result: exitban.Result) -> None:
    """The written summary states the run's size, who still serves, who wants out and the exits."""
    s = result.summary
    text = " ".join(plain_summary(RunData.from_result(result)))
    for figure in (s["agents"], s["serving"], s["want_out"], s["exits_total"]):
        assert f"{figure:,}" in text
    assert f"{s['days']} days" in text


def test_old_run_directory_without_histograms_still_reports(tmp_path: Path, result: exitban.Result) -> None:
    """A run directory without histograms.parquet gives a report with every plot, the distributions marked missing."""
    run_dir = result.write(tmp_path / "run")
    (run_dir / "histograms.parquet").unlink()
    seal(run_dir)  # as a list written without it
    run = RunData.from_dir(run_dir)
    assert run.histogram("loyalty") is None
    files = write_report(run, tmp_path / "old.html")
    assert len(IMG.findall(files.html.read_text())) == len(PLOTS)


def test_not_a_run_directory_is_a_clear_error(tmp_path: Path) -> None:
    """A directory without the run files names the missing files."""
    with pytest.raises(exitban.StoreError, match=r"not a run directory \(missing timeseries.parquet"):
        RunData.from_dir(tmp_path)


def test_bands_hold_the_mean_between_the_5_and_95_percentiles(army_small: exitban.Scenario) -> None:
    """Each compared scenario's band contains its mean, and one replication gives a zero-width band."""
    short = army_small.with_overrides(days=40)
    lifted = exitban.load_scenario("army-officers-2019-ban-lifted").with_overrides(scale=0.01, days=40)
    b = bands([replicate(short, [0, 1, 2]), replicate(lifted, [0])])
    assert b.labels == ["army-officers-2019", "army-officers-2019-ban-lifted"]
    t = b.table
    assert t.filter((pl.col("lo") > pl.col("mean") + 1e-12) | (pl.col("hi") < pl.col("mean") - 1e-12)).height == 0
    three = t.filter(pl.col("label") == "army-officers-2019")
    assert three["replications"].unique().to_list() == [3]
    assert (three["hi"] - three["lo"]).max() > 0
    one = t.filter(pl.col("label") == "army-officers-2019-ban-lifted")
    assert (one["hi"] - one["lo"]).abs().max() == 0


def test_cli_report_reads_a_run_directory(tmp_path: Path, result: exitban.Result) -> None:
    """`exitban report RUN_DIR` writes RUN_DIR/report.html and the PNGs, running nothing."""
    run_dir = result.write(tmp_path / "run")
    out = CliRunner().invoke(app, ["report", str(run_dir)])
    assert out.exit_code == 0, out.output
    assert (run_dir / "report.html").is_file()
    assert sorted(p.stem for p in (run_dir / "report-plots").iterdir()) == sorted(p.name for p in PLOTS)
    assert "running" not in out.output


def test_cli_report_of_a_run_directory_over_seeds_at_another_scale(tmp_path: Path) -> None:
    """`report RUN_DIR -n 2 --scale S`: the lines are a fresh run at S (the bands are of runs like it), not the directory's."""
    sc = exitban.load_scenario("officials-2023").with_overrides(scale=0.002, days=15)
    run_dir = exitban.simulate(sc, seed=0).write(tmp_path / "run")
    html = tmp_path / "other.html"
    args = ["report", str(run_dir), "-n", "2", "--scale", "0.004", "--workers", "1", "--out", str(html)]
    out = CliRunner().invoke(app, args)
    assert out.exit_code == 0, out.output
    assert "running officials-2023 (seed 0)" in out.output
    page = html.read_text()
    assert "· 15 days · seed 0 · scale 0.004</p>" in page  # the header is the fresh run's
    assert f"a fresh run of {run_dir}&#39;s scenario (scale 0.004, 15 days)" in page
    assert "5-95% band over 2 seeds (seeds 0 to 1)" in page


def test_a_run_directory_without_its_institution_column_is_refused(tmp_path: Path, result: exitban.Result) -> None:
    """A timeseries that lost its institution column is refused with one line naming the file and the column."""
    run_dir = result.write(tmp_path / "run")
    table = run_dir / "timeseries.parquet"
    pl.read_parquet(table).drop("institution").write_parquet(table)
    seal(run_dir)  # vouched for: the table's own check refuses it
    out = CliRunner().invoke(app, ["report", str(run_dir)])
    assert out.exit_code == 2 and f"{table}: no text column institution" in out.output
    assert not (run_dir / "report.html").exists()


def test_cli_report_compares_scenarios(tmp_path: Path) -> None:
    """`exitban report NAME --compare OTHER` runs replications of both and adds the side-by-side plot and table."""
    html = tmp_path / "cmp.html"
    args = ["report", "officials-2023", "--compare", "officials-2023-travel-control-removed", "--scale", "0.005"]
    out = CliRunner().invoke(app, [*args, "--days", "30", "--replications", "2", "--out", str(html)])
    assert out.exit_code == 0, out.output
    page = html.read_text()
    assert [n for n, _ in IMG.findall(page)][-1] == "compare"
    table = page.split('<table id="compare-table">', 1)[1].split("</table>", 1)[0]
    assert table.count("<tr>") == 3  # header, scenario, comparison
    assert "officials-2023-travel-control-removed" in table


def test_cli_report_shows_the_spread_over_seeds(tmp_path: Path) -> None:
    """`exitban report NAME -n 3` bands every time-series plot over three seeds and adds their spread; -n 1 stays a single run."""
    html = tmp_path / "spread.html"
    args = ["report", "officials-2023", "--scale", "0.005", "--days", "20", "--workers", "1", "--out", str(html)]
    out = CliRunner().invoke(app, [*args, "-n", "3"])
    assert out.exit_code == 0, out.output
    assert "replications: 2 seeds x 1 scenarios" in out.output  # the run is the first seed's
    assert [n for n, _ in IMG.findall(html.read_text())][-1] == "spread"
    assert "median over 3 replications" in html.read_text()
    note = "Lines: the run with seed 0; shaded around each: its 5-95% band over 3 seeds (seeds 0 to 2)."
    assert html.read_text().count(note) == len(PLOTS) - 1  # all but the waiting times, one run's distribution
    single = CliRunner().invoke(app, [*args, "-n", "1"])
    assert single.exit_code == 0 and "replications" not in single.output
    assert "spread" not in [n for n, _ in IMG.findall(html.read_text())]
    assert not (tmp_path / "spread-plots" / "spread.png").exists()
    assert "5-95% band over" not in html.read_text()


def test_seed_bands_hold_the_median_and_the_spread_of_the_runs() -> None:
    """Over three seeds, the band's median is the middle run each day, and lo/hi lie between the extremes."""
    import numpy as np

    sc = exitban.load_scenario("officials-2023").with_overrides(scale=0.005, days=20)
    label, runs = replicate(sc, [0, 1, 2])
    table = bands([(label, runs)]).table.filter(pl.col("metric") == "exits_per_1000").sort("day")
    stack = np.vstack([r.totals["exits_per_1000"].to_numpy() for r in runs])
    assert table["median"].to_numpy() == pytest.approx(np.sort(stack, axis=0)[1])
    assert (table["lo"].to_numpy() >= stack.min(axis=0)).all() and (table["hi"].to_numpy() <= stack.max(axis=0)).all()
    assert (stack.max(axis=0) > stack.min(axis=0)).any()  # the seeds differ: the band is not a line


def test_cli_report_unknown_scenario_is_a_clear_error(tmp_path: Path) -> None:
    """An unknown target gives a one-line error and exit code 2, and writes nothing."""
    out = CliRunner().invoke(app, ["report", "no-such-thing", "--out", str(tmp_path / "x.html")])
    assert out.exit_code == 2
    assert "no scenario named 'no-such-thing'" in out.output
    assert not (tmp_path / "x.html").exists()
