"""A scenario's and a result's repr stay short (under 500 characters) and their HTML is escaped."""

from __future__ import annotations

import pytest

import exitban
from exitban.scenario import Scenario

LIMIT = 500


@pytest.fixture(scope="module")
def result() -> exitban.Result:
    return exitban.simulate("fsb-mobilization-2023", seed=3, days=5, scale=0.001)


def test_every_shipped_scenario_has_a_short_repr() -> None:
    for name in exitban.list_scenarios():
        sc = exitban.load_scenario(name)
        text = repr(sc)
        assert len(text) < LIMIT, (name, len(text))
        assert text.startswith(f"Scenario({name!r}") and sc.content_hash()[:8] in text
        assert str(sc) == text
        assert all(inst in text for inst in list(sc.institutions)[:4])


def test_a_result_repr_names_the_run_and_is_short(result: exitban.Result) -> None:
    text = repr(result)
    assert len(text) < LIMIT, len(text)
    assert "'fsb-mobilization-2023', seed 3, 5 days" in text
    assert f"serving {result.summary['serving']:,}" in text
    assert f"timeseries {result.timeseries.height}x{result.timeseries.width}" in text


def test_html_views_have_one_row_per_institution(result: exitban.Result) -> None:
    sc = result.scenario
    for html in (sc._repr_html_(), result._repr_html_()):
        assert html.count("<tr>") == 1 + len(sc.institutions)
        assert all(f"<td>{name}</td>" in html for name in sc.institutions)


def test_text_from_a_file_is_escaped_in_html() -> None:
    data = exitban.load_scenario("army-officers-2019").model_dump(mode="python")
    data["title"] = "<script>alert(1)</script>" + "x" * 300
    sc = Scenario.model_validate(data)
    assert "<script>" not in sc._repr_html_() and "&lt;script&gt;" in sc._repr_html_()
    assert len(repr(sc)) < LIMIT


def test_progress_shows_a_bar_and_changes_no_number(result: exitban.Result, capsys: pytest.CaptureFixture[str]) -> None:
    days: list[int] = []
    shown = exitban.simulate("fsb-mobilization-2023", seed=3, days=5, scale=0.001, progress=True, on_day=days.append)
    assert "simulating" in capsys.readouterr().out
    assert days == [0, 1, 2, 3, 4]
    assert shown.timeseries.equals(result.timeseries) and shown.summary == result.summary
