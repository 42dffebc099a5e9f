"""Terminal tables never cut a value: too wide, a table is turned or folds; `show` keeps every field name whole."""

from __future__ import annotations

import re

import pytest
from rich.console import Console
from typer.testing import CliRunner

import exitban
import exitban.cli.run as run_cli
import exitban.cli.scenarios as scenarios_cli
from exitban.cli import app
from exitban.scenario.fields import leaf_values

runner = CliRunner()


@pytest.fixture(scope="module")
def result() -> exitban.Result:
    return exitban.simulate("army-officers-2019", seed=1, days=20, scale=0.01)


@pytest.mark.parametrize("width", [60, 90, 140])
def test_the_run_summary_cuts_no_value(result, width: int, monkeypatch) -> None:
    """At any width every institution's figures and every exit count print whole, with no '…'."""
    console = Console(width=width, record=True, force_terminal=False)
    monkeypatch.setattr(run_cli, "console", console)
    run_cli.print_summary(result)
    out = console.export_text()
    assert "…" not in out
    cells = {c.strip() for line in out.splitlines() for c in re.split(r"[│┃]", line)}
    for name, v in result.summary["institutions"].items():
        for value in (f"{v['start']:,}", f"{v['serving']:,}", f"{v['want_out_share']:.1%}", f"{v['backlog']:,}"):
            assert value in cells, (name, value)
    for channel, n in result.summary["exits"].items():
        assert channel in cells and f"{n:,}" in cells


def test_a_narrow_run_summary_is_turned(result, monkeypatch) -> None:
    """Too narrow for ten columns, the institutions become the columns and the figures the rows."""
    console = Console(width=90, record=True, force_terminal=False)
    monkeypatch.setattr(run_cli, "console", console)
    run_cli.print_summary(result)
    lines = console.export_text().splitlines()
    assert any(re.match(r"[│┃] would defend", line) for line in lines)


PHASED = """extends = "army-officers-2019"
name = "phased"
[[phases]]
date = 2019-03-01
field = "regime.prosecution_threat"
value = 0.5
provenance = "test"
"""


@pytest.mark.parametrize("width", [70, 200])
def test_show_keeps_every_field_name_whole(width: int, monkeypatch, tmp_path) -> None:
    """Each name a user types for --set is on one line, at a narrow and a wide terminal; a dated change too."""
    path = tmp_path / "phased.toml"
    path.write_text(PHASED)
    console = Console(width=width, record=True, force_terminal=False)
    monkeypatch.setattr(scenarios_cli, "console", console)
    res = runner.invoke(app, ["show", str(path)])
    assert res.exit_code == 0, res.output
    out = console.export_text()
    assert "…" not in out
    starts = {re.split(r"[ │]+", line.lstrip("│ "), maxsplit=1)[0] for line in out.splitlines()}
    values = leaf_values(exitban.load_scenario(path))
    names = [k for k in values if k != "phases"] + [f"phases[{i}]" for i in range(len(values["phases"]))]
    assert "phases[0]" in names  # the dated changes are rows of their own
    missing = [k for k in names if k not in starts]
    assert not missing
