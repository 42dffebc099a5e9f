"""The HTML report in a real browser: every plot renders from the file alone."""

from __future__ import annotations

from pathlib import Path

import exitban
from exitban.report import PLOTS, RunData, bands, replicate, write_report


def test_every_plot_of_the_report_renders_offline(browser, tmp_path: Path, screenshot_dir: Path) -> None:
    """Opened from disk, the report shows each plot as a decoded image and requests nothing but itself."""
    sc = exitban.load_scenario("army-officers-2019").with_overrides(scale=0.005, days=90)
    lifted = exitban.load_scenario("army-officers-2019-ban-lifted").with_overrides(scale=0.005, days=90)
    run = RunData.from_result(exitban.simulate(sc, seed=0))
    files = write_report(run, tmp_path / "report.html", bands=bands([replicate(sc, [0, 1]), replicate(lifted, [0, 1])]))
    page = browser.new_page(viewport={"width": 1100, "height": 1400})
    urls: list[str] = []
    page.on("request", lambda r: urls.append(r.url))
    page.goto(files.html.as_uri())
    rendered = page.eval_on_selector_all(
        "img.plot", "imgs => imgs.map(i => [i.dataset.plot, i.complete && i.naturalWidth > 0 && i.naturalHeight > 0])"
    )
    assert [name for name, _ in rendered] == [*(p.name for p in PLOTS), "compare"]
    assert all(ok for _, ok in rendered), rendered
    assert page.locator("#summary p").count() >= 4
    assert [u for u in urls if not u.startswith(("file:", "data:"))] == []
    page.screenshot(path=str(screenshot_dir / "report.png"))
    page.close()
