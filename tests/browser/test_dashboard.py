"""The dashboard in a real browser: moving a lever and running redraws the plots, all from this machine."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlparse

from exitban.report import PLOTS

TIMEOUT_MS = 60_000


def _plot_sources(page) -> dict[str, str]:
    return {p.name: page.locator(f".plot-{p.name} img").get_attribute("src") or "" for p in PLOTS}


def test_changing_a_lever_and_running_changes_the_plots(browser, dashboard_url: str, screenshot_dir: Path) -> None:
    """Lifting the resignation ban and pressing Run redraws the plots with different figures."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    hosts: set[str] = set()
    page.on("request", lambda r: hosts.add(urlparse(r.url).netloc) if r.url.startswith("http") else None)
    page.goto(dashboard_url)
    page.get_by_text("run 1:").wait_for(timeout=TIMEOUT_MS)
    before = _plot_sources(page)
    summary_before = page.locator(".summary p").all_inner_texts()
    assert all(src.startswith("data:image/png;base64,") for src in before.values()), "a plot did not render"
    page.locator(".lever-resignation-ban select").select_option("off")
    page.locator(".run button").click()
    page.get_by_text("run 2:").wait_for(timeout=TIMEOUT_MS)
    after = _plot_sources(page)
    assert all(src.startswith("data:image/png;base64,") for src in after.values())
    changed = [name for name in before if before[name] != after[name]]
    assert {"headcount", "exits", "backlog"} <= set(changed), changed
    assert page.locator(".summary p").all_inner_texts() != summary_before
    what = " ".join(page.locator(".what p").all_inner_texts())  # what the figures are, above them
    assert "Simulated, not reported" in what and "Not calibrated" in what and "docs/validation.md" in what
    assert "regime.resignation_ban = off (base on)" in what and "of real size" in what
    assert "at real size" in " ".join(page.locator(".summary p").all_inner_texts())
    page.screenshot(path=str(screenshot_dir / "dashboard.png"))
    assert hosts == {urlparse(dashboard_url).netloc}, f"requests left this machine: {hosts}"
    page.close()


def test_compare_with_baseline_draws_the_side_by_side_plot(browser, dashboard_url: str) -> None:
    """Ticking the comparison and running shows the scenarios-side-by-side plot."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(dashboard_url)
    page.get_by_text("run 1:").wait_for(timeout=TIMEOUT_MS)
    assert page.locator(".plot-compare img").count() == 0 or not page.locator(".plot-compare img").is_visible()
    page.locator(".lever-mobilization input[type=checkbox]").check()
    page.locator(".compare input[type=checkbox]").check()
    page.locator(".run button").click()
    page.get_by_text("run 2:").wait_for(timeout=TIMEOUT_MS)
    img = page.locator(".plot-compare img")
    img.wait_for(state="visible", timeout=TIMEOUT_MS)
    assert (img.get_attribute("src") or "").startswith("data:image/png;base64,")
    page.close()


def test_export_scenario_toml_and_data(browser, dashboard_url: str, tmp_path: Path) -> None:
    """The export buttons download the levers' scenario as TOML `exitban` loads, and the run's data as Parquet and CSV."""
    import polars as pl

    import exitban

    page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page.goto(dashboard_url)
    page.get_by_text("run 1:").wait_for(timeout=TIMEOUT_MS)
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
    assert sc.regime.resignation_ban == "off" and sc.scale == 0.002 and sc.days == 60
    parquet, csv = pl.read_parquet(saved["timeseries.parquet"]), pl.read_csv(saved["timeseries.csv"])
    assert parquet.height == csv.height == 60 * len(sc.institutions)
    assert parquet["want_out"].to_list() == csv["want_out"].to_list()
    page.close()


def test_institution_selector_redraws_for_one_institution(browser, dashboard_url: str) -> None:
    """Choosing one institution redraws the plots from that institution's rows, without a new run."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(dashboard_url)
    page.get_by_text("run 1:").wait_for(timeout=TIMEOUT_MS)
    before = _plot_sources(page)
    page.locator(".institution select").select_option("officers")
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while _plot_sources(page)["headcount"] == before["headcount"] and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert _plot_sources(page)["headcount"] != before["headcount"]
    assert page.get_by_text("run 2:").count() == 0
    page.close()
