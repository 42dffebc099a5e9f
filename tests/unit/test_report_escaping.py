"""Text from shared files reaches the report as text: escaped in HTML, never mathtext in plots."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import exitban
from exitban.report import RunData, bands, compare, write_report

NAME = "<img src=x onerror=alert(1)>"
TITLE = "</title><script>alert('title')</script>"
PERIOD = '"><script>alert("period")</script>'


@pytest.fixture(scope="module")
def hostile_run(army_small: exitban.Scenario, tmp_path_factory: pytest.TempPathFactory) -> Path:
    sc = army_small.with_overrides(name=NAME, title=TITLE, period=PERIOD, days=20)
    return exitban.simulate(sc, seed=1).write(tmp_path_factory.mktemp("hostile") / "run")


def test_markup_in_scenario_text_is_escaped_in_the_report(hostile_run: Path, tmp_path: Path) -> None:
    """A name, title and period holding HTML appear as escaped text; the page has no script and no new tag."""
    page = write_report(RunData.from_dir(hostile_run), tmp_path / "r.html").html.read_text()
    assert "<script" not in page
    assert "<img src=x" not in page
    assert "&lt;/title&gt;&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert page.count("<title>") == 1


def test_markup_in_the_source_line_is_escaped(hostile_run: Path, tmp_path: Path) -> None:
    """The report's 'from' line (a path someone chose) is escaped too."""
    page = write_report(RunData.from_dir(hostile_run), tmp_path / "r.html", source="<b>x</b>").html.read_text()
    assert "from &lt;b&gt;x&lt;/b&gt;" in page


@pytest.mark.parametrize("label", ["$x$", r"$\frac{$", "a$b", r"\$$^{"])
def test_dollar_signs_in_labels_are_plain_text_in_plots(hostile_run: Path, label: str) -> None:
    """A compared scenario's label with '$' is drawn as written: no mathtext parse, no crash."""
    run = RunData.from_dir(hostile_run)
    fig = compare(bands([(label, [run]), ("other", [run])]))
    fig.savefig(io.BytesIO(), format="png", dpi=40)  # mathtext would raise ValueError here
    texts = [t for legend in fig.legends for t in legend.get_texts()]
    assert [t.get_text() for t in texts] == [label, "other"]
    assert not any(t.get_parse_math() for t in texts)
