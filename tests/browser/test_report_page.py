"""The HTML report in a real browser: every plot renders from the file alone."""

from __future__ import annotations

from pathlib import Path

import exitban
from exitban.report import PLOTS, RunData, bands, replicate, write_report
from exitban.report.bands import Seeds


def test_every_plot_of_the_report_renders_offline(browser, tmp_path: Path, screenshot_dir: Path) -> None:
    """Opened from disk, the report shows each plot (bands over seeds and their spread too) as a decoded image, requesting nothing else."""
    sc = exitban.load_scenario("army-officers-2019").with_overrides(scale=0.005, days=90)
    lifted = exitban.load_scenario("army-officers-2019-ban-lifted").with_overrides(scale=0.005, days=90)
    run = RunData.from_result(exitban.simulate(sc, seed=0))
    both = bands([replicate(sc, [0, 1]), replicate(lifted, [0, 1])])
    seeds = Seeds((run, *replicate(sc, [1, 2])[1]))
    files = write_report(run, tmp_path / "report.html", bands=both, seeds=seeds)
    page = browser.new_page(viewport={"width": 1100, "height": 1400})
    urls: list[str] = []
    page.on("request", lambda r: urls.append(r.url))
    page.goto(files.html.as_uri())
    rendered = page.eval_on_selector_all(
        "img.plot", "imgs => imgs.map(i => [i.dataset.plot, i.complete && i.naturalWidth > 0 && i.naturalHeight > 0])"
    )
    assert [name for name, _ in rendered] == [*(p.name for p in PLOTS), "spread", "compare"]
    assert "median over 3 replications" in page.locator("#plot-spread .caption").inner_text()
    banded = [
        p.name for p in PLOTS if "5-95% band over 3 seeds" in page.locator(f"#plot-{p.name} .caption").inner_text()
    ]
    assert banded == [p.name for p in PLOTS if p.name != "waits"]  # the waiting times are one run's distribution
    assert all(ok for _, ok in rendered), rendered
    assert page.locator("#summary p").count() >= 4
    what = page.locator("#what-it-is").inner_text()  # read first: what the figures are
    assert "Simulated, not reported" in what and "Not calibrated" in what and "docs/validation.md" in what
    assert "Levers: as shipped in army-officers-2019" in what and "Of its " in what and "0.005 of real size" in what
    assert "Bands: the shaded 5-95% ranges are over 3 runs" in what
    assert "at real size" in page.locator("#summary").inner_text()
    assert [u for u in urls if not u.startswith(("file:", "data:"))] == []
    page.screenshot(path=str(screenshot_dir / "report.png"))
    page.close()


def test_store_report_renders_offline(browser, tmp_path: Path, screenshot_dir: Path) -> None:
    """The report of a sweep store, opened from disk, shows its curves, surfaces, indices and discovery plot."""
    from typer.testing import CliRunner

    from exitban.cli import app

    spec = tmp_path / "sobol.toml"
    spec.write_text(
        'name = "sob"\nbase = "army-officers-2019"\ndays = 30\nscale = 0.001\ndesign = "sobol"\nsamples = 8\n'
        '[parameters."regime.prosecution_threat"]\nrange = [0.0, 0.8]\n'
        '[parameters."institutions.officers.desire_mean"]\nrange = [0.15, 0.6]\n'
    )
    runner = CliRunner()
    assert runner.invoke(app, ["sweep", str(spec), "--out", str(tmp_path / "store"), "--workers", "1"]).exit_code == 0
    html = tmp_path / "store.html"
    assert runner.invoke(app, ["report", str(tmp_path / "store"), "--out", str(html)]).exit_code == 0
    page = browser.new_page(viewport={"width": 1100, "height": 1400})
    urls: list[str] = []
    page.on("request", lambda r: urls.append(r.url))
    page.goto(html.as_uri())
    rendered = page.eval_on_selector_all(
        "img.plot", "imgs => imgs.map(i => [i.dataset.plot, i.complete && i.naturalWidth > 0 && i.naturalHeight > 0])"
    )
    assert rendered == [["response", True], ["surface", True], ["sensitivity", True], ["discovery", True]]
    assert page.locator("#plot-surface h2").inner_text().startswith("Response surfaces")
    assert page.locator("#parameters tr").count() == 3
    assert [u for u in urls if not u.startswith(("file:", "data:"))] == []
    page.screenshot(path=str(screenshot_dir / "store-report.png"), full_page=True)
    page.close()
