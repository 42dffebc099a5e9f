"""The dashboard server applies the page's limits itself, and serves beyond this machine only when told, to listed origins."""

from __future__ import annotations

import html

import pytest
from typer.testing import CliRunner

from exitban.cli import app

pytest.importorskip("panel")
from exitban.dashboard import app as dash_app


@pytest.fixture
def dashboard(monkeypatch: pytest.MonkeyPatch) -> dash_app.Dashboard:
    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("a simulation ran with values beyond the page's limits")

    monkeypatch.setattr(dash_app, "simulate", never)
    monkeypatch.setattr(dash_app, "replicate", never)
    return dash_app.Dashboard()


@pytest.mark.parametrize(
    ("widget", "value", "message"),
    [
        ("scale_w", 10.5, "scale = 10.5 is outside the page's limits (allowed: 0.0001 to 10)"),
        ("days_w", 40000, "days = 40000 is outside the page's limits (allowed: 1 to 36500)"),
        ("seed_w", -1, "seed = -1 is outside"),
        ("scale_w", float("nan"), "scale = nan is outside"),
        ("scenario_w", "../../etc/passwd", "is not one of the shipped scenarios"),
    ],
)
def test_values_beyond_the_page_are_refused_by_the_server(
    dashboard: dash_app.Dashboard, widget: str, value: object, message: str
) -> None:
    """A crafted message that sets a widget beyond its limits shows an error and runs nothing."""
    getattr(dashboard, widget).value = value
    dashboard.run()
    assert message in html.unescape(dashboard.status.object)


def test_sixty_comparison_seeds_are_refused(dashboard: dash_app.Dashboard) -> None:
    """The comparison's seeds are capped at the slider's 10 on the server too."""
    dashboard.compare_w.value = True
    dashboard.reps_w.value = 60
    dashboard.run()
    assert "seeds = 60 is outside the page's limits (allowed: 1 to 10)" in html.unescape(dashboard.status.object)


@pytest.mark.parametrize(("key", "value"), [("regime.prosecution_threat", 1.5), ("regime.resignation_ban", "maybe")])
def test_lever_values_beyond_the_page_are_refused(dashboard: dash_app.Dashboard, key: str, value: object) -> None:
    """A lever set beyond its slider's range or choices is refused by name."""
    dashboard.levers[key].value = value
    dashboard.run()
    status = html.unescape(dashboard.status.object)
    assert status.startswith("<b>error:</b>") and ("outside the page's limits" in status or "is not one of" in status)


def test_serving_beyond_loopback_needs_allow_remote_and_origins(monkeypatch: pytest.MonkeyPatch) -> None:
    """--host 0.0.0.0 alone is refused (exit 2); with --allow-remote and --allow-origin it warns and restricts origins."""
    calls: list[dict] = []
    monkeypatch.setattr("exitban.dashboard.app.serve", lambda **kw: calls.append(kw))
    for args in (["--host", "0.0.0.0"], ["--host", "0.0.0.0", "--allow-remote"]):
        out = CliRunner().invoke(app, ["dashboard", *args])
        assert out.exit_code == 2 and "add --allow-remote and --allow-origin" in out.stderr
    assert calls == []
    args = ["--host", "0.0.0.0", "--port", "8080", "--allow-remote", "--allow-origin", "lab.example:8080"]
    out = CliRunner().invoke(app, ["dashboard", *args])
    assert out.exit_code == 0
    assert "warning: serving on 0.0.0.0:8080 beyond this machine" in out.stderr
    assert calls[0]["origins"] == ["lab.example:8080"]
    assert dash_app.allowed_origins("0.0.0.0", 8080, calls[0]["origins"]) == [
        "localhost:8080",
        "127.0.0.1:8080",
        "lab.example:8080",
    ]
