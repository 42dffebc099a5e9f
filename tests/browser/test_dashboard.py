"""The dashboard in a real browser: interactive plots, a run that streams its days in, levers in words, all from this machine."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from exitban.dashboard.levers import LEVERS
from exitban.dashboard.live import LIVE_HISTOGRAMS, LIVE_PLOTS

TIMEOUT_MS = 60_000
DAYS, SCALE = 60, 0.002  # as conftest's dashboard_url starts it

# every time-series plot's line data in the browser's own Bokeh document: {plot: {line: [values]}}
PLOT_DATA = """(names) => {
  const doc = Bokeh.documents[0], out = {};
  for (const name of names) {
    const fig = doc.get_model_by_name("plot-" + name), lines = {};
    for (const r of fig.renderers) {
      if (r.name !== "seed-band") lines[r.name] = Array.from(r.data_source.data[r.name]);
    }
    out[name] = lines;
  }
  return out;
}"""


def _open(browser, url: str, **kw):
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, **kw)
    page.goto(url)
    page.get_by_text("run 1:").wait_for(timeout=TIMEOUT_MS)
    return page


def _data(page) -> dict[str, dict[str, list[float]]]:
    return page.evaluate(PLOT_DATA, [p.name for p in LIVE_PLOTS])


def test_the_plots_are_bokeh_with_hover_and_zoom(browser, dashboard_url: str) -> None:
    """Every plot is a Bokeh figure with a hover tool on each line, pan and wheel zoom; the days carry dates."""
    page = _open(browser, dashboard_url)
    tools = page.evaluate(
        """(names) => Object.fromEntries(names.map((name) => {
             const fig = Bokeh.documents[0].get_model_by_name("plot-" + name);
             return [name, {tools: fig.toolbar.tools.map((t) => t.type), hover: fig.toolbar.tools
               .filter((t) => t.type === "HoverTool").map((t) => t.renderers.length)}];
           }))""",
        [p.name for p in (*LIVE_PLOTS, *LIVE_HISTOGRAMS)],
    )
    for plot in LIVE_PLOTS:
        got = tools[plot.name]
        assert {"PanTool", "WheelZoomTool", "BoxZoomTool", "ResetTool"} <= set(got["tools"]), (plot.name, got)
        assert got["hover"] == [1] * len(plot.lines), (plot.name, got)  # one hover per line
    assert all("HoverTool" in tools[h.name]["tools"] for h in LIVE_HISTOGRAMS)
    data = _data(page)
    assert all(len(v) == DAYS for lines in data.values() for v in lines.values())
    assert page.locator(".plot-headcount img").count() == 0  # no static picture left
    page.close()


def test_a_run_streams_its_days_into_the_plots_before_it_ends(browser, dashboard_url: str) -> None:
    """After Run, the plot's data grows in steps while the run goes (two partial lengths seen before the end)."""
    page = _open(browser, dashboard_url)
    page.evaluate(
        """() => {
             window.seen = [];
             const fig = Bokeh.documents[0].get_model_by_name("plot-headcount");
             const src = fig.renderers.find((r) => r.name === "headcount").data_source;
             const note = () => window.seen.push([src.data.date.length,
               document.body.innerText.includes("run 2:")]);
             src.streaming.connect(note);
             src.properties.data.change.connect(note);
           }"""
    )
    page.locator(".run button").click()
    page.get_by_text("run 2:").wait_for(timeout=TIMEOUT_MS)
    seen = page.evaluate("window.seen")
    partial = [n for n, ended in seen if 0 < n < DAYS and not ended]
    assert len(set(partial)) >= 2 and partial == sorted(partial), seen  # it grew, in order, before the end
    assert seen[-1][0] == DAYS, seen
    page.close()


def test_levers_are_in_words_with_unit_and_explanation(browser, dashboard_url: str) -> None:
    """Each lever is named in words and has a line under it with what it does, its unit and its field."""
    page = _open(browser, dashboard_url)
    for lever in LEVERS:
        line = " ".join(page.locator(f".help-{lever.field.replace('_', '-')} small").all_inner_texts())
        assert lever.explain in line and f"Unit: {lever.unit()}." in line and lever.key in line, (lever.key, line)
        assert "(R" not in lever.label, lever.label  # the rule's ID is in the line, not the name
    assert page.get_by_text("Pressure from superiors, per day").count() >= 1  # the slider's name, with its unit
    page.close()


def test_counts_are_at_real_scale(browser, dashboard_url: str) -> None:
    """The plotted counts are the run's own × 1/scale (the same run, simulated here), and the page says so."""
    import exitban

    page = _open(browser, dashboard_url)
    shown = _data(page)
    run = exitban.simulate("army-officers-2019", seed=0, days=DAYS, scale=SCALE)
    own = run.tallies.group_by("day", maintain_order=True).agg(exitban_h=__import__("polars").col("headcount").sum())
    np.testing.assert_allclose(shown["headcount"]["headcount"], own["exitban_h"].to_numpy() / SCALE)
    assert min(shown["headcount"]["headcount"]) > run.summary["agents"] * 100  # not the run's 2,000
    note = " ".join(page.locator(".scale-note p").all_inner_texts())
    assert "Counts at real size" in note and "× 500" in note
    page.close()


def test_changing_a_lever_and_running_changes_the_plots(browser, dashboard_url: str, screenshot_dir: Path) -> None:
    """Lifting the resignation ban and pressing Run redraws the plots with different figures; the page says what they are."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    hosts: set[str] = set()
    page.on("request", lambda r: hosts.add(urlparse(r.url).netloc) if r.url.startswith("http") else None)
    page.goto(dashboard_url)
    page.get_by_text("run 1:").wait_for(timeout=TIMEOUT_MS)
    before = _data(page)
    summary_before = page.locator(".summary p").all_inner_texts()
    page.locator(".lever-resignation-ban select").select_option("off")
    page.locator(".run button").click()
    page.get_by_text("run 2:").wait_for(timeout=TIMEOUT_MS)
    after = _data(page)
    changed = [name for name in before if before[name] != after[name]]
    assert {"headcount", "exits", "backlog"} <= set(changed), changed
    assert page.locator(".summary p").all_inner_texts() != summary_before
    what = " ".join(page.locator(".what p").all_inner_texts())  # what the figures are, above them
    assert "Simulated, not reported" in what and "Not calibrated" in what and "docs/validation.md" in what
    assert "regime.resignation_ban = off (base on)" in what and "of real size" in what
    assert "at real size" in " ".join(page.locator(".summary p").all_inner_texts())
    stamp = page.evaluate("""() => Bokeh.documents[0].get_model_by_name("plot-headcount").above
                               .filter((t) => t.name === "stamp").map((t) => t.text)""")
    assert stamp and stamp[0].startswith("simulated: army-officers-2019, seed 0") and "real size" in stamp[0]
    page.evaluate("window.scrollTo(0, 0)")  # the picture shows the page's top: what it is, the first plots
    page.screenshot(path=str(screenshot_dir / "dashboard.png"))
    assert hosts == {urlparse(dashboard_url).netloc}, f"requests left this machine: {hosts}"
    page.close()


def test_compare_with_baseline_draws_the_side_by_side_plot(browser, dashboard_url: str) -> None:
    """Ticking the comparison and running shows the scenarios side by side: one interactive Bokeh panel a metric,
    a line and a 5-95% band for each of the two scenarios, hover on every line, and no static picture."""
    from exitban.report.bands import COMPARE_METRICS

    page = _open(browser, dashboard_url)
    assert not page.locator(".plot-compare").is_visible()
    page.locator(".lever-mobilization input[type=checkbox]").check()
    page.locator(".compare input[type=checkbox]").check()
    page.locator(".run button").click()
    page.get_by_text("run 2:").wait_for(timeout=TIMEOUT_MS)
    page.locator(".plot-compare").wait_for(state="visible", timeout=TIMEOUT_MS)
    panels = page.evaluate(
        """(names) => Object.fromEntries(names.map((name) => {
             const fig = Bokeh.documents[0].get_model_by_name("compare-" + name);
             const lines = fig.renderers.filter((r) => r.name !== "seed-band");
             return [name, {labels: lines.map((r) => r.data_source.data.label[0]),
                            days: lines.map((r) => r.data_source.data.mean.length),
                            bands: fig.renderers.filter((r) => r.name === "seed-band").length,
                            hover: fig.toolbar.tools.filter((t) => t.type === "HoverTool").length,
                            stamp: fig.above.filter((t) => t.name === "stamp").map((t) => t.text)}];
           }))""",
        list(COMPARE_METRICS),
    )
    for name, panel in panels.items():
        assert panel["labels"] == ["current levers", "baseline"], (name, panel)
        assert panel["days"] == [DAYS, DAYS] and panel["bands"] == 2 and panel["hover"] == 2, (name, panel)
        assert panel["stamp"][0].startswith("simulated: army-officers-2019, current levers and baseline"), panel
    assert page.locator(".plot-compare img").count() == 0
    page.close()


def test_export_scenario_toml_and_data(browser, dashboard_url: str, tmp_path: Path) -> None:
    """The export buttons download the levers' scenario as TOML `exitban` loads, and the run's data as Parquet and CSV."""
    import polars as pl

    import exitban

    page = _open(browser, dashboard_url, accept_downloads=True)
    page.locator(".lever-resignation-ban select").select_option("off")
    saved = {}
    for css, name in (
        ("export-toml", "scenario.toml"),
        ("export-parquet", "timeseries.parquet"),
        ("export-csv", "timeseries.csv"),
    ):
        with page.expect_download(timeout=TIMEOUT_MS) as download:
            page.locator(f".{css} button").click()
        saved[name] = tmp_path / name
        download.value.save_as(saved[name])
    sc = exitban.load_scenario(saved["scenario.toml"])
    assert sc.regime.resignation_ban == "off" and sc.scale == SCALE and sc.days == DAYS
    parquet, csv = pl.read_parquet(saved["timeseries.parquet"]), pl.read_csv(saved["timeseries.csv"])
    assert parquet.height == csv.height == DAYS * len(sc.institutions)
    assert parquet["want_out"].to_list() == csv["want_out"].to_list()
    page.close()


def test_institution_selector_redraws_for_one_institution(browser, dashboard_url: str) -> None:
    """Choosing one institution redraws the plots from that institution's rows, without a new run."""
    page = _open(browser, dashboard_url)
    before = _data(page)["headcount"]
    page.locator(".institution select").select_option("officers")
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while _data(page)["headcount"] == before and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert _data(page)["headcount"] != before
    assert page.get_by_text("run 2:").count() == 0
    page.close()
