"""``exitban scenarios``, ``exitban show NAME`` and ``exitban check FILE``."""

from __future__ import annotations

import json
import sys

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from exitban import limits
from exitban.cli import app
from exitban.cli.errors import user_errors
from exitban.loader import list_scenarios, load_scenario
from exitban.scenario import field_units, resolve_provenance

console = Console(width=None if sys.stdout.isatty() else 160)


@app.command("scenarios")
def scenarios_cmd() -> None:
    """List the shipped scenarios."""
    table = Table("name", "agents", "extends", "title")
    for name in list_scenarios():
        sc = load_scenario(name)
        table.add_row(name, f"{sc.total_agents():,}", escape(sc.extends or ""), escape(sc.title))
    console.print(table)


@app.command("show")
def show_cmd(
    name: str = typer.Argument(..., help="Shipped scenario name or path to a scenario TOML file."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Print the fully resolved scenario, each value with its provenance."""
    with user_errors():
        sc = load_scenario(name)
    rows = resolve_provenance(sc)
    units = field_units(sc)
    if as_json:
        payload = {
            k: {"value": v, "unit": units[k][0], "allowed": units[k][1], "provenance": src}
            for k, (v, src) in rows.items()
        }
        typer.echo(json.dumps({"name": sc.name, "extends": sc.extends, "values": payload}, indent=2))
        return
    # scenario text is data, not rich markup: a title such as "[/]" must print as written
    table = Table("field", "value", "unit", "allowed", "provenance", title=escape(f"{sc.name}: {sc.title}"))
    for key, (value, src) in rows.items():
        table.add_row(key, escape(str(value)), escape(units[key][0]), units[key][1], escape(src))
    console.print(table)


@app.command("check")
def check_cmd(path: str = typer.Argument(..., help="Scenario TOML file to validate.")) -> None:
    """Validate a scenario file without running it."""
    with user_errors():
        sc = load_scenario(path)
        need = limits.estimate_bytes(sc)
        free = limits.available_bytes()
    console.print(
        f"[green]ok[/]: {escape(path)} is a valid scenario '{escape(sc.name)}' with {sc.total_agents():,} agents; "
        f"a {sc.days:,}-day run needs about {limits.gib(need)} of memory",
        highlight=False,
    )
    if free is not None and need > free[0]:
        console.print(
            f"[yellow]warning[/]: only {limits.gib(free[0])} is available here ({free[1]}): a run would be refused"
        )
