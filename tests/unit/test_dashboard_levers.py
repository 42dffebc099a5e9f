"""The dashboard's levers: ranges from the schema, applied with validation, served on 127.0.0.1 by default."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

import exitban
from exitban.cli import app
from exitban.dashboard.levers import LEVERS, apply_levers


def test_levers_cover_the_issue_list_with_schema_ranges() -> None:
    """Ban, threat, mobilization, centralization, travel control and sabotage tolerance are levers with schema bounds."""
    keys = {lever.key for lever in LEVERS}
    for key in (
        "regime.resignation_ban",
        "regime.prosecution_threat",
        "regime.mobilization",
        "regime.centralized_approvals",
        "regime.travel_control",
        "regime.sabotage_tolerance",
    ):
        assert key in keys
    by_key = {lever.key: lever for lever in LEVERS}
    assert by_key["regime.resignation_ban"].choices() == ["on", "off", "auto"]
    assert by_key["regime.unity_pressure"].bounds() == (0.0, 2.0)
    assert by_key["regime.mobilization"].kind() == "switch"
    for lever in LEVERS:
        if lever.kind() == "number":
            lo, hi = lever.bounds()
            assert lo < hi, lever.key
            assert lo <= lever.schema_field().default <= hi, lever.key


def test_apply_levers_changes_only_what_was_moved() -> None:
    """Applied levers change their fields and the size; everything else stays as in the scenario."""
    base = exitban.load_scenario("army-officers-2019")
    moved = apply_levers(base, {"regime.resignation_ban": "off", "pressure.pressure_rate": 0.5}, scale=0.01, days=30)
    assert (moved.regime.resignation_ban, moved.pressure.pressure_rate, moved.scale, moved.days) == (
        "off",
        0.5,
        0.01,
        30,
    )
    assert moved.regime.model_dump(exclude={"resignation_ban"}) == base.regime.model_dump(exclude={"resignation_ban"})
    assert moved.institutions == base.institutions


def test_apply_levers_refuses_values_outside_the_schema() -> None:
    """A lever value outside the schema's range is refused with the field named and the allowed range."""
    base = exitban.load_scenario("army-officers-2019")
    with pytest.raises(exitban.ScenarioError, match=r"prosecution_threat' = 1.5.*allowed: a number from 0 to 1"):
        apply_levers(base, {"regime.prosecution_threat": 1.5})


def test_dashboard_binds_localhost_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    """`exitban dashboard` serves on 127.0.0.1 by default and on --host when given with --allow-remote."""
    calls: list[dict] = []
    monkeypatch.setattr("exitban.dashboard.app.serve", lambda **kw: calls.append(kw))
    assert CliRunner().invoke(app, ["dashboard"]).exit_code == 0
    remote = ["--host", "0.0.0.0", "--port", "8080", "--allow-remote", "--allow-origin", "lab.example:8080"]
    assert CliRunner().invoke(app, ["dashboard", *remote]).exit_code == 0
    assert (calls[0]["host"], calls[0]["port"]) == ("127.0.0.1", 5006)
    assert (calls[1]["host"], calls[1]["port"]) == ("0.0.0.0", 8080)


def test_dashboard_unknown_scenario_fails_before_serving(monkeypatch: pytest.MonkeyPatch) -> None:
    """An unknown --scenario is a one-line error (exit 2) and no server starts."""
    calls: list[dict] = []
    monkeypatch.setattr("exitban.dashboard.app.serve", lambda **kw: calls.append(kw))
    out = CliRunner().invoke(app, ["dashboard", "--scenario", "nope"])
    assert out.exit_code == 2
    assert "no scenario named 'nope'" in out.output
    assert calls == []


def test_dashboard_busy_port_is_a_user_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """A port another program holds exits 2 (choose another port), not 1 (the disk), and no server starts."""
    import socket

    calls: list[dict] = []
    monkeypatch.setattr("exitban.dashboard.app.serve", lambda **kw: calls.append(kw))
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        out = CliRunner().invoke(app, ["dashboard", "--port", str(port)])
    assert out.exit_code == 2
    assert f"--port {port}: 127.0.0.1:{port} is already in use" in out.output
    assert calls == []


def test_dashboard_size_limits_are_the_schema_and_run_limits() -> None:
    """The dashboard's scale and days widgets stop where `exitban run` and the schema stop."""
    from exitban.cli.options import days_option, scale_option
    from exitban.dashboard.app import Dashboard
    from exitban.scenario.fields import bounds, field_at

    dash = Dashboard(scale=0.001, days=5)
    run_limits = (scale_option().max, days_option().max)
    schema_limits = tuple(bounds(field_at(exitban.Scenario, name)).high for name in ("scale", "days"))
    assert (dash.scale_w.end, dash.days_w.end) == run_limits == schema_limits == (10, 36_500)


def test_every_number_lever_shows_its_declared_unit() -> None:
    """A slider is named with the unit the schema declares for its field (e.g. the ladder's 'per day')."""
    from exitban.dashboard.app import _widget
    from exitban.scenario.fields import field_units

    base = exitban.load_scenario("army-officers-2019")
    units = field_units(base)
    numbers = [lever for lever in LEVERS if lever.kind() == "number"]
    assert numbers
    for lever in numbers:
        widget = _widget(lever, lever.value(base))
        assert widget.name == f"{lever.label}, {units[lever.key][0]}"
    assert any(lever.unit() == "per day" for lever in numbers)
