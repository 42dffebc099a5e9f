"""``exitban scenarios``, ``exitban show NAME`` and ``exitban check FILE``."""

from __future__ import annotations

import csv
import io
import json
import sys

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from exitban.cli import app
from exitban.cli.errors import user_errors
from exitban.cli.options import csv_option, json_option, machine_format, set_option
from exitban.scenario.edit import apply_sets

console = Console(width=None if sys.stdout.isatty() else 160)


@app.command("scenarios")
def scenarios_cmd(
    as_json: bool = json_option("the list"),
    as_csv: bool = csv_option("the list"),
) -> None:
    """List the shipped scenarios: name, real size (people), period, what each extends, title."""
    from exitban.scenario.load import shipped_headers

    with user_errors():
        fmt = machine_format(as_json, as_csv)
        rows = shipped_headers()
    if fmt == "json":
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        typer.echo(to_csv(rows), nl=False)
    else:
        table = Table("name", "people", "period", "extends", "title")
        for r in rows:
            table.add_row(r["name"], f"{r['people']:,}", escape(r["period"]), escape(r["extends"]), escape(r["title"]))
        console.print(table)


def to_csv(rows: list[dict[str, object]]) -> str:
    """Rows of plain values as CSV text with a header line."""
    buf = io.StringIO()
    if rows:
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return buf.getvalue()


@app.command("show")
def show_cmd(
    name: str = typer.Argument(..., metavar="SCENARIO", help="Shipped scenario name or path to a scenario TOML file."),
    sets: list[str] = set_option(),
    as_json: bool = json_option("every value with its provenance"),
) -> None:
    """Print the fully resolved scenario, each value with its provenance."""
    from exitban.scenario.fields import field_units
    from exitban.scenario.load import load_scenario
    from exitban.scenario.schema import resolve_provenance

    with user_errors():
        sc = apply_sets(load_scenario(name), sets)
    rows = resolve_provenance(sc)
    units = field_units(sc)
    if as_json:
        payload = {
            k: {"value": v, "unit": units[k][0], "allowed": units[k][1], "provenance": src}
            for k, (v, src) in rows.items()
        }
        typer.echo(json.dumps({"name": sc.name, "extends": sc.extends, "values": payload}, indent=2, default=_plain))
        return
    # scenario text is data, not rich markup: a title such as "[/]" must print as written
    table = Table("field", "value", "unit", "allowed", "provenance", title=escape(f"{sc.name}: {sc.title}"))
    for key, (value, src) in rows.items():
        if key == "phases":  # one row per dated change, with its own provenance
            for i, p in enumerate(value):
                change = f"{p.date.isoformat()}: {p.field} = {_plain(p.value)}"
                table.add_row(f"phases[{i}]", escape(change), "", "", escape(p.provenance))
            continue
        table.add_row(key, escape(str(value)), escape(units[key][0]), units[key][1], escape(src))
    console.print(table)


def _plain(value: object) -> object:
    """A value ``json`` cannot write as it is: a date as its ISO text, a phase as its table."""
    import datetime

    from pydantic import BaseModel

    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    return value


@app.command("check")
def check_cmd(
    path: str = typer.Argument(..., metavar="SCENARIO", help="Scenario TOML file (or shipped name) to validate."),
    sets: list[str] = set_option(),
    as_json: bool = json_option("the verdict and the memory estimate"),
) -> None:
    """Validate a scenario file without running it."""
    from exitban import limits
    from exitban.scenario.load import load_scenario

    with user_errors():
        sc = apply_sets(load_scenario(path), sets)
        need = limits.estimate_bytes(sc)
        free = limits.available_bytes()
    fits = free is None or need <= free[0]
    if as_json:
        verdict = {
            "valid": True,
            "scenario": sc.name,
            "agents": sc.total_agents(),
            "days": sc.days,
            "memory_bytes": need,
            "available_bytes": free[0] if free else None,
            "fits": fits,
        }
        typer.echo(json.dumps(verdict, indent=2))
        return
    console.print(
        f"[green]ok[/]: {escape(path)} is a valid scenario '{escape(sc.name)}' with {sc.total_agents():,} agents; "
        f"a {sc.days:,}-day run needs about {limits.gib(need)} of memory",
        highlight=False,
    )
    if free is not None and not fits:
        console.print(
            f"[yellow]warning[/]: only {limits.gib(free[0])} is available here ({free[1]}): a run would be refused"
        )
