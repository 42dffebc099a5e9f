"""``exitban run``: run a scenario with a progress bar and write its results."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.markup import escape

from exitban import runfolder
from exitban.cli import app
from exitban.cli.errors import user_errors
from exitban.cli.options import days_option, json_option, scale_option, set_option
from exitban.scenario.edit import apply_sets
from exitban.simulate import Result, simulate, warmup  # light: the engine itself loads on the first run

if TYPE_CHECKING:
    from exitban.scenario import Scenario

console = Console(width=None if sys.stdout.isatty() else 140)
err_console = Console(width=None if sys.stderr.isatty() else 140, stderr=True)


@app.command("run")
def run_cmd(
    scenario: str = typer.Argument(
        ..., metavar="SCENARIO", help="Shipped scenario name or path to a scenario TOML file."
    ),
    seed: int = typer.Option(0, "--seed", min=0, help="Random seed: same seed, same bytes out."),
    days: int | None = days_option(),
    until: str | None = typer.Option(
        None,
        "--until",
        metavar="DATE",
        help="Run up to this date, not included (YYYY-MM-DD): --days counted from start.",
    ),
    scale: float | None = scale_option(),
    out: Path = typer.Option(
        Path("runs/latest"), "--out", help="Directory for timeseries.parquet, summary.json, scenario.toml."
    ),
    overwrite: bool = typer.Option(
        False, "--overwrite", help="Write into a folder that holds files exitban did not write (they are kept)."
    ),
    sets: list[str] = set_option(),
    as_json: bool = json_option("the summary (summary.json)"),
) -> None:
    """Run a scenario and write its daily outputs (O1-O10) and summary."""
    from exitban.limits import check_fits
    from exitban.scenario.load import load_scenario

    say = err_console if as_json else console
    with user_errors():
        sc = apply_sets(load_scenario(scenario), sets)
        if until is not None:
            days = days_until(sc, until, days)
        n_days = days if days is not None else sc.days
        # refuse a run too large for the memory before the header and progress bar (simulate checks too)
        check_fits(sc.with_overrides(scale=scale) if scale is not None else sc, sc.spin_up_days + n_days)
        created = not out.exists() and not out.is_symlink()
        runfolder.prepare(out, overwrite)  # fail now, not after the run: results are never computed only to be lost
        try:
            warm_up(sc, say)  # before the header: the header means "simulating now" (tests/unit/test_interrupt.py)
            say.print(
                f"[bold]{escape(sc.name)}[/]: {round(sc.total_agents() * (scale or sc.scale) / sc.scale):,} agents, {n_days} days, seed {seed}"
            )
            started = time.perf_counter()
            result = _run_with_progress(sc, seed, days, scale, n_days, say)
            elapsed = time.perf_counter() - started
            result.write(out)
        except BaseException:  # a full disk, a signal: the folder this command made goes too (untouched)
            if created:
                runfolder.remove_if_empty(out)
            raise
    agent_days = result.summary["agents"] * n_days
    say.print(f"simulated in {seconds(elapsed)} ({agent_days / max(elapsed, 1e-9) / 1e6:.1f} M agent-days/s) -> {out}/")
    if as_json:
        typer.echo(json.dumps(result.summary, indent=2, sort_keys=True))
    else:
        print_summary(result)


def days_until(sc: Scenario, until: str, days: int | None) -> int:
    """``--until DATE`` as a number of days from the scenario's start (one-line errors for a bad date)."""
    import datetime

    from exitban.errors import ScenarioError
    from exitban.scenario.run_size import DAYS_MAX, DAYS_MIN

    if days is not None:
        raise ScenarioError("--until and --days both set the run's length: give one of them")
    try:
        end = datetime.date.fromisoformat(until)
    except ValueError:
        raise ScenarioError(f"--until {until!r}: not a date (allowed: YYYY-MM-DD, e.g. 2023-07-01)") from None
    n = (end - sc.start).days
    if not DAYS_MIN <= n <= DAYS_MAX:
        raise ScenarioError(
            f"--until {until}: {n:,} days from the scenario's start {sc.start} (allowed: {DAYS_MIN:,} to {DAYS_MAX:,} days, "
            f"a date after the start)"
        )
    return n


def seconds(x: float) -> str:
    """A duration people can read: '0.04 s', '3.2 s', '95 s' (never '0.0 s')."""
    if x < 0.01:
        return "under 0.01 s"
    return f"{x:.2f} s" if x < 1 else f"{x:.1f} s" if x < 60 else f"{x:.0f} s"


def warm_up(sc: Scenario, say: Console, tell_warm: bool = False) -> None:
    """Load the compiled engine with a tiny run; announce a first compile, on a terminal and in logs alike."""
    from exitban.compiled import FIRST_COMPILE, engine_compiled

    cold = engine_compiled() is False
    if cold:
        say.print(
            f"compiling the engine: the first run on this machine (after installing or upgrading) does this once, "
            f"{FIRST_COMPILE}; later runs start at once",
            highlight=False,
        )
    with say.status("loading the compiled engine"):
        took = warmup(sc)
    if cold:
        say.print(f"compiled in {seconds(took)} (kept in Numba's cache for later runs)")
    elif tell_warm:
        say.print(f"the engine was compiled already: loaded from Numba's cache in {seconds(took)}")


@app.command("warmup")
def warmup_cmd() -> None:
    """Compile the engine now (once per machine, after installing or upgrading), so that later runs start at once."""
    from exitban.compiled import cache_locations, engine_compiled
    from exitban.scenario.load import load_scenario

    with user_errors():
        warm_up(load_scenario("army-officers-2019"), console, tell_warm=True)
    where = sorted({str(p.parent) if p.name == "__pycache__" else str(p) for p in cache_locations()})
    console.print(f"Numba's cache: {escape(', '.join(where)) or 'not visible (this Numba hides its layout)'}")
    if engine_compiled() is False:  # a cache that cannot be written: every process compiles again
        err_console.print(
            "[yellow]warning:[/] the compiled engine was not kept; set NUMBA_CACHE_DIR to a writable folder"
        )


def _run_with_progress(
    sc: Scenario, seed: int, days: int | None, scale: float | None, n_days: int, say: Console
) -> Result:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("simulating"), BarColumn(), MofNCompleteColumn(), TextColumn("days"), TimeRemainingColumn())
    with Progress(*columns, console=say, transient=False) as bar:
        task = bar.add_task("days", total=n_days)
        step = max(1, n_days // 10)

        def on_day(day: int) -> None:
            bar.update(task, completed=day + 1)
            if not say.is_terminal and (day + 1) % step == 0:
                bar.console.print(f"day {day + 1}/{n_days}")  # CI logs see no live bar

        return simulate(sc, seed=seed, days=days, scale=scale, on_day=on_day)


def print_summary(result: Result) -> None:
    from exitban.cli.tables import fitted, folding
    from exitban.engine.codes import EXIT_CHANNELS
    from exitban.report.framing import framing

    s: dict[str, Any] = result.summary
    for line in framing(result.scenario, s).lines():  # what the table is, before a reader copies a number
        console.print(line, markup=False, highlight=False)
    scale = float(s.get("scale", 1.0))
    at = "real size" if scale == 1 else f"scale {scale:g}: x {1 / scale:,.4g} for real size"
    head = ["institution", "start", "serving", "want out", "would defend", "capacity/head", "backlog", "wait (y)"]
    rows = [
        [
            name, f"{v['start']:,}", f"{v['serving']:,}", f"{v['want_out_share']:.1%}", f"{v['defend_share']:.1%}",
            f"{v['capacity_share']:.2f}", f"{v['backlog']:,}", f"{v['pending_wait_years']:.2f}",
            f"{v['threats']:,}", f"{v['cases_opened']:,}",
        ]
        for name, v in s["institutions"].items()
    ]  # fmt: skip
    spun = f", after {s['spin_up_days']:,} spin-up days" if s["spin_up_days"] else ""
    title = (
        f"{s['scenario']} after {s['days']} days, {s['start']} to {s['end']}{spun}: simulated, "
        f"one seed ({s['seed']}), {at}"
    )
    console.print(fitted(console, [*head, "threats", "cases"], rows, title))
    # the channels down the page, in pairs of columns: sixteen across would cut their names
    half = -(-len(EXIT_CHANNELS) // 2)
    pairs = [
        [EXIT_CHANNELS[k], f"{s['exits'][EXIT_CHANNELS[k]]:,}", *(
            [EXIT_CHANNELS[k + half], f"{s['exits'][EXIT_CHANNELS[k + half]]:,}"] if k + half < len(EXIT_CHANNELS)
            else ["", ""]
        )]
        for k in range(half)
    ]  # fmt: skip
    exits = folding("channel", "exits", "channel ", "exits ", right=("exits", "exits "), title="exits by channel (O4)")
    for r in pairs:
        exits.add_row(*r)
    console.print(exits)
