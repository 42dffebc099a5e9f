"""``exitban sweep``, ``exitban sensitivity`` and ``exitban compare``: experiments over many runs."""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from exitban.cli import app
from exitban.cli.errors import err_console, user_errors
from exitban.loader import ScenarioError
from exitban.names import path_in
from exitban.sweep.compare import compare_runs, compare_tasks, default_out
from exitban.sweep.executors import SweepInterrupted, make_executor
from exitban.sweep.runner import SweepReport, execute
from exitban.sweep.sensitivity import analyze_runs
from exitban.sweep.spec import DEFAULT_OUTPUTS, RunTask, SweepSpec, build_tasks, load_spec, manifest
from exitban.sweep.store import Store, open_store

console = Console(width=None if sys.stdout.isatty() else 140)

WORKERS_HELP = "Local worker processes (default: one per core; 1 runs in this process)."
DASK_HELP = (
    "Run on Dask: 'local:N' starts a LocalCluster of N workers; 'tcp://HOST:PORT' joins a running scheduler "
    "(an address that does not answer as a Dask scheduler within 10 s is refused)."
)


def _run_all(tasks: list[RunTask], store: Store, workers: int | None, dask: str | None, title: str) -> SweepReport:
    """Run what the store lacks, with a progress bar (runs done, failed, ETA)."""
    held = store.inventory()
    todo = len(tasks) - len(held.stored & {t.run_id for t in tasks})
    if held.damaged:
        n = len(held.damaged)
        console.print(
            f"[yellow]{n} stored run(s) lost data or are damaged and run again: {escape(_listed(held.damaged))}[/]"
        )
    executor = make_executor(workers, dask, n_tasks=todo)
    console.print(
        f"[bold]{title}[/]: {len(tasks)} runs, {len(tasks) - todo} already stored, {todo} to run on {executor.label}"
    )
    columns = (
        TextColumn("runs"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("failed {task.fields[failed]}"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    plain = not sys.stdout.isatty()
    step = max(1, len(tasks) // 10)
    try:
        with Progress(*columns, console=console, transient=False) as bar:
            task = bar.add_task("runs", total=len(tasks), completed=len(tasks) - todo, failed=0)

            def progress(done: int, failed: int, total: int) -> None:
                bar.update(task, completed=done, failed=failed)
                if plain and done and (done % step == 0 or done == total):
                    console.print(f"  {done}/{total} runs done, {failed} failed")

            report = execute(tasks, store, executor, progress)
    except SweepInterrupted as exc:
        err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(code=1) from None
    finally:
        executor.close()
    rate = report.ran / report.elapsed_s if report.elapsed_s > 0 else 0.0
    console.print(
        f"{report.ran} runs in {report.elapsed_s:.1f} s ({rate:.2f} runs/s), {report.failed} failed -> {store.root}/"
    )
    if report.failed:
        console.print(f"[yellow]failed runs are listed in {store.root}/runs.parquet (status = 'failed', error)[/]")
    return report


def _listed(damaged: dict[str, str], shown: int = 3) -> str:
    """``p000001-r0000 (timeseries file missing); ... and 4 more``."""
    text = "; ".join(f"{rid} ({why})" for rid, why in list(damaged.items())[:shown])
    return text + (f" and {len(damaged) - shown} more" if len(damaged) > shown else "")


def _outputs(option: str | None, default: list[str]) -> list[str]:
    return [o.strip() for o in option.split(",") if o.strip()] if option else default


def _sweep(spec_path: Path, out: Path | None, workers: int | None, dask: str | None) -> tuple[SweepSpec, Store]:
    spec, path = load_spec(spec_path)
    tasks = build_tasks(spec, path)
    store = Store.open(out or path_in("sweeps", spec.name), manifest(spec, tasks))
    _run_all(tasks, store, workers, dask, f"sweep '{spec.name}' ({spec.design}, {spec.replications} replications)")
    return spec, store


@app.command("sweep")
def sweep_cmd(
    spec: Path = typer.Argument(..., help="Sweep spec (TOML): base scenario, parameters, design, replications, seed."),
    out: Path | None = typer.Option(None, "--out", help="Store directory (default: sweeps/<spec name>)."),
    workers: int | None = typer.Option(None, "--workers", min=1, max=1024, help=WORKERS_HELP),
    dask: str | None = typer.Option(None, "--dask", help=DASK_HELP),
) -> None:
    """Run a parameter sweep with replications into a queryable store; run again to finish missing runs."""
    with user_errors():
        _, store = _sweep(spec, out, workers, dask)
    console.print(f'query: exitban query {store.root} "SELECT status, count(*) FROM runs GROUP BY status"')


@app.command("sensitivity")
def sensitivity_cmd(
    spec: Path = typer.Argument(..., help="Sweep spec with design = 'sobol' or 'morris'."),
    out: Path | None = typer.Option(None, "--out", help="Store directory (default: sweeps/<spec name>)."),
    outputs: str | None = typer.Option(
        None, "--outputs", help="Comma-separated summary outputs (default: the spec's)."
    ),
    workers: int | None = typer.Option(None, "--workers", min=1, max=1024, help=WORKERS_HELP),
    dask: str | None = typer.Option(None, "--dask", help=DASK_HELP),
) -> None:
    """Sobol (first/total order) or Morris indices with confidence intervals for chosen outputs."""
    with user_errors():
        sweep_spec, path = load_spec(spec)
        if sweep_spec.design not in ("sobol", "morris"):
            raise ScenarioError(
                f"{path}: field 'design' must be 'sobol' or 'morris' for sensitivity, got '{sweep_spec.design}'"
            )
        sweep_spec, store = _sweep(spec, out, workers, dask)
        table = analyze_runs(sweep_spec, store.runs(), _outputs(outputs, sweep_spec.sensitivity.outputs))
        target = store.write_table("sensitivity", table)
    _print_sensitivity(table)
    console.print(f"-> {target}")


def _ci(value: float, low: float, high: float) -> str:
    return f"{value:.3f} [{low:.3f}, {high:.3f}]"


def _print_sensitivity(table: pl.DataFrame) -> None:
    method = table["method"][0]
    conf = f"{table['conf_level'][0]:.0%}"
    if method == "sobol":
        grid = Table("output", "parameter", f"S1 [{conf} CI]", f"ST [{conf} CI]", title="Sobol indices")
        for r in table.iter_rows(named=True):
            grid.add_row(
                r["output"],
                r["parameter"],
                _ci(r["S1"], r["S1_low"], r["S1_high"]),
                _ci(r["ST"], r["ST_low"], r["ST_high"]),
            )
    else:
        grid = Table("output", "parameter", f"mu* [{conf} CI]", "mu", "sigma", title="Morris elementary effects")
        for r in table.iter_rows(named=True):
            grid.add_row(
                r["output"], r["parameter"], _ci(r["mu_star"], r["mu_star_low"], r["mu_star_high"]),
                f"{r['mu']:.4g}", f"{r['sigma']:.4g}",
            )  # fmt: skip
    console.print(grid)


@app.command("compare")
def compare_cmd(
    scenarios: list[str] = typer.Argument(..., help="Two or more shipped scenario names or scenario files."),
    replications: int = typer.Option(10, "--replications", "-n", min=2, max=100_000, help="Runs per scenario."),
    seed: int = typer.Option(0, "--seed", min=0, help="Root seed; replicate r uses the same seed in every scenario."),
    days: int | None = typer.Option(
        None, "--days", min=1, max=36_500, help="Days to simulate (default: each scenario's)."
    ),
    scale: float | None = typer.Option(
        None, "--scale", min=1e-6, max=10.0, help="Population scale for every scenario."
    ),
    outputs: str | None = typer.Option(
        None, "--outputs", help=f"Comma-separated summary outputs (default: {','.join(DEFAULT_OUTPUTS)})."
    ),
    out: Path | None = typer.Option(None, "--out", help="Store directory (default: sweeps/compare-<names>)."),
    workers: int | None = typer.Option(None, "--workers", min=1, max=1024, help=WORKERS_HELP),
    dask: str | None = typer.Option(None, "--dask", help=DASK_HELP),
) -> None:
    """Compare scenarios over replications: mean and 95% interval of each output, and differences from the first."""
    with user_errors():
        tasks, man = compare_tasks(scenarios, replications, seed, days, scale)
        labels = list(man["scenarios"])  # type: ignore[call-overload]
        store = Store.open(out or default_out(scenarios), man)
        _run_all(tasks, store, workers, dask, f"compare {' vs '.join(labels)}")
        table = compare_runs(store.runs(), labels, _outputs(outputs, DEFAULT_OUTPUTS))
        target = store.write_table("compare", table)
    grid = Table(
        "output", "scenario", "n", "mean [95% CI]", f"difference from {labels[0]} [95% CI]", title="comparison"
    )
    for r in table.iter_rows(named=True):
        diff = "" if r["diff"] is None else _ci(r["diff"], r["diff_low"], r["diff_high"])
        grid.add_row(r["output"], r["scenario"], str(r["n"]), _ci(r["mean"], r["low"], r["high"]), diff)
    console.print(grid)
    console.print(f"-> {target}")


@app.command("query")
def query_cmd(
    store: Path = typer.Argument(..., help="A store written by sweep, sensitivity or compare."),
    sql: str = typer.Argument(..., help="DuckDB SQL over the views 'runs' and 'timeseries'."),
    limit: int = typer.Option(50, "--limit", min=1, help="Rows to print at most."),
) -> None:
    """Query a sweep store with one DuckDB SELECT (views: runs, timeseries); reads only the store, writes nothing."""
    with user_errors():
        opened = open_store(store)
        damaged = opened.inventory().damaged
        if damaged:
            err_console.print(
                f"[yellow]warning:[/] {len(damaged)} run(s) in {escape(str(opened.root))} are not stored whole: "
                f"{escape(_listed(damaged))}; run the same sweep command again to re-run them",
                highlight=False,
                soft_wrap=True,
            )
        frame = opened.query(sql)
    grid = Table(*frame.columns)
    for row in frame.head(limit).iter_rows():
        grid.add_row(*(f"{v:.6g}" if isinstance(v, float) else str(v) for v in row))
    console.print(grid)
    if frame.height > limit:
        console.print(f"({frame.height - limit} more rows; use --limit)")
