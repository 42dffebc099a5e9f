"""``exitban run``: run a scenario with a progress bar and write its results."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from exitban import runfolder
from exitban.cli import app
from exitban.cli.errors import user_errors
from exitban.engine.codes import EXIT_CHANNELS
from exitban.limits import check_fits
from exitban.loader import load_scenario
from exitban.simulate import Result, simulate

console = Console(width=None if sys.stdout.isatty() else 140)


@app.command("run")
def run_cmd(
    scenario: str = typer.Argument(..., help="Shipped scenario name or path to a scenario TOML file."),
    seed: int = typer.Option(0, "--seed", min=0, help="Random seed: same seed, same bytes out."),
    days: int | None = typer.Option(
        None, "--days", min=1, max=36_500, help="Days to simulate (default: the scenario's)."
    ),
    scale: float | None = typer.Option(None, "--scale", min=1e-6, max=10.0, help="Population scale; 1 = real size."),
    out: Path = typer.Option(
        Path("runs/latest"), "--out", help="Directory for timeseries.parquet, summary.json, scenario.toml."
    ),
    overwrite: bool = typer.Option(
        False, "--overwrite", help="Write into a folder that holds files exitban did not write (they are kept)."
    ),
) -> None:
    """Run a scenario and write its daily outputs (O1-O10) and summary."""
    with user_errors():
        sc = load_scenario(scenario)
        n_days = days if days is not None else sc.days
        # refuse a run too large for the memory before the header and progress bar (simulate checks too)
        check_fits(sc.with_overrides(scale=scale) if scale is not None else sc, n_days)
        runfolder.prepare(out, overwrite)  # fail now, not after the run: results are never computed only to be lost
        console.print(
            f"[bold]{escape(sc.name)}[/]: {round(sc.total_agents() * (scale or sc.scale) / sc.scale):,} agents, {n_days} days, seed {seed}"
        )
        with console.status("loading the compiled engine (the first run on a machine compiles it, ~20 s)"):
            simulate(sc.with_overrides(scale=min(sc.scale, 100 / sc.total_agents() * sc.scale), days=2), seed=0)
        started = time.perf_counter()
        result = _run_with_progress(sc, seed, days, scale, n_days)
        elapsed = time.perf_counter() - started
        result.write(out)
    agent_days = result.summary["agents"] * n_days
    console.print(f"done in {elapsed:.1f} s ({agent_days / elapsed / 1e6:.1f} M agent-days/s) -> {out}/")
    print_summary(result)


def _run_with_progress(sc, seed: int, days: int | None, scale: float | None, n_days: int) -> Result:
    columns = (TextColumn("simulating"), BarColumn(), MofNCompleteColumn(), TextColumn("days"), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=False) as bar:
        task = bar.add_task("days", total=n_days)
        step = max(1, n_days // 10)

        def on_day(day: int) -> None:
            bar.update(task, completed=day + 1)
            if not sys.stdout.isatty() and (day + 1) % step == 0:
                bar.console.print(f"day {day + 1}/{n_days}")  # CI logs see no live bar

        return simulate(sc, seed=seed, days=days, scale=scale, on_day=on_day)


def print_summary(result: Result) -> None:
    s = result.summary
    table = Table(title=escape(f"{s['scenario']} after {s['days']} days (seed {s['seed']})"))
    for col in (
        "institution",
        "start",
        "serving",
        "want out",
        "would defend",
        "capacity/head",
        "backlog",
        "wait (y)",
        "threats",
        "cases",
    ):
        table.add_column(col, justify="right" if col != "institution" else "left")
    for name, v in s["institutions"].items():
        table.add_row(
            name, f"{v['start']:,}", f"{v['serving']:,}", f"{v['want_out_share']:.1%}", f"{v['defend_share']:.1%}",
            f"{v['capacity_share']:.2f}", f"{v['backlog']:,}", f"{v['pending_wait_years']:.2f}",
            f"{v['threats']:,}", f"{v['cases_opened']:,}",
        )  # fmt: skip
    console.print(table)
    exits = Table(title="exits by channel (O4)")
    for ch in EXIT_CHANNELS:
        exits.add_column(ch, justify="right")
    exits.add_row(*(f"{s['exits'][ch]:,}" for ch in EXIT_CHANNELS))
    console.print(exits)
