"""``exitban sources``: the evidence table, one entry per mechanism ID of the brief."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import typer
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from exitban.cli import app
from exitban.cli.errors import user_errors

if TYPE_CHECKING:
    from exitban.evidence import Entry, Parameter

console = Console(width=None if sys.stdout.isatty() else 140)


@app.command("sources")
def sources_cmd(
    mechanism: str | None = typer.Option(None, "--id", help="One mechanism ID of the brief, e.g. R2."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
) -> None:
    """Print the evidence for each mechanism: rule, code, parameters with defaults and provenance, source lines."""
    from exitban.evidence import entry, load_evidence

    with user_errors():
        entries = [entry(mechanism)] if mechanism else list(load_evidence())
    if as_json:
        typer.echo(json.dumps([e.to_dict() for e in entries], indent=2, ensure_ascii=False))
        return
    for e in entries:
        console.print(_panel(e))


def _params_table(title: str, params: tuple[Parameter, ...]) -> Table:
    from exitban.evidence import ASSUMPTION, SOURCED_FACT

    kind_style = {SOURCED_FACT: "green", ASSUMPTION: "yellow"}
    table = Table(title=title, title_justify="left", expand=True)
    for col in ("field", "value", "kind", "provenance"):
        table.add_column(col, overflow="fold")
    for p in params:
        why = p.provenance + (f" [audit: {p.note}]" if p.note else "")
        table.add_row(p.name, repr(p.value), Text(p.kind, style=kind_style.get(p.kind, "")), why)
    return table


def _panel(e: Entry) -> Panel:
    parts: list = [Text(e.rule), Text(f"code: {', '.join(e.code)}", style="dim")]
    if e.models:
        parts.append(Text(f"builds on: {'; '.join(e.models)}", style="dim"))
    if e.parameters:
        parts.append(_params_table("parameters (schema defaults)", e.parameters))
    if e.scenario_values:
        parts.append(_params_table("values in shipped scenarios", e.scenario_values))
    for c in e.citations:
        parts.append(Text(f"{c.ref}  {c.publication}"))
    return Panel(Group(*parts), title=f"[bold]{e.id}[/] {e.name}", title_align="left")
