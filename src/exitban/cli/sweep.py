"""``exitban sweep``, ``exitban sensitivity``, ``exitban compare`` and ``exitban query``: experiments over many runs."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from exitban.cli import app
from exitban.cli.errors import err_console, user_errors
from exitban.cli.options import (
    csv_option,
    days_option,
    draws_option,
    json_option,
    machine_format,
    replications_option,
    scale_option,
    set_option,
)
from exitban.scenario.names import path_in

if TYPE_CHECKING:
    import polars as pl

    from exitban.sweep.runner import SweepReport
    from exitban.sweep.spec import RunTask
    from exitban.sweep.store import Store

console = Console(width=None if sys.stdout.isatty() else 140)

WORKERS_HELP = "Local worker processes (default: one per core; 1 runs in this process)."
DASK_HELP = (
    "Run on Dask: 'local:N' starts a LocalCluster of N workers; 'tcp://HOST:PORT' joins a running scheduler "
    "(an address that does not answer as a Dask scheduler within 10 s is refused)."
)


def _run_all(
    tasks: list[RunTask], store: Store, workers: int | None, dask: str | None, title: str, say: Console = console
) -> SweepReport:
    """Run what the store lacks, with a progress bar (runs done, failed, ETA); messages go to ``say``."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from exitban.sweep.executors import SweepInterrupted, local_copies, make_executor
    from exitban.sweep.runner import execute

    held = store.inventory()
    todo = len(tasks) - len(held.stored & {t.run_id for t in tasks})
    if held.damaged:
        n = len(held.damaged)
        say.print(
            f"[yellow]{n} stored run(s) lost data or are damaged and run again: {escape(_listed(held.damaged))}[/]"
        )
    executor = make_executor(workers, dask, n_tasks=todo)
    if todo:  # the biggest run, as many times as this machine holds at once, must fit before any starts
        from exitban.limits import check_fits
        from exitban.scenario import Scenario

        biggest = max(tasks, key=lambda t: float(t.scenario["scale"]) * int(t.scenario["days"]))
        try:
            check_fits(Scenario.model_validate(biggest.scenario), copies=local_copies(executor))
        except BaseException:
            executor.close()
            raise
    say.print(
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
    plain = not say.is_terminal
    step = max(1, len(tasks) // 10)
    try:
        with Progress(*columns, console=say, transient=False) as bar:
            task = bar.add_task("runs", total=len(tasks), completed=len(tasks) - todo, failed=0)

            def progress(done: int, failed: int, total: int) -> None:
                bar.update(task, completed=done, failed=failed)
                if plain and done and (done % step == 0 or done == total):
                    say.print(f"  {done}/{total} runs done, {failed} failed")

            report = execute(tasks, store, executor, progress)
    except SweepInterrupted as exc:
        err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(code=1) from None
    finally:
        executor.close()
    rate = report.ran / report.elapsed_s if report.elapsed_s > 0 else 0.0
    say.print(
        f"{report.ran} runs in {report.elapsed_s:.1f} s ({rate:.2f} runs/s), {report.failed} failed -> {store.root}/"
    )
    if report.failed:
        say.print(f"[yellow]failed runs are listed in {store.root}/runs.parquet (status = 'failed', error)[/]")
    return report


def _listed(damaged: dict[str, str], shown: int = 3) -> str:
    """``p000001-r0000 (timeseries file missing); ... and 4 more``."""
    text = "; ".join(f"{rid} ({why})" for rid, why in list(damaged.items())[:shown])
    return text + (f" and {len(damaged) - shown} more" if len(damaged) > shown else "")


def _outputs(option: str | None, default: list[str]) -> list[str]:
    return [o.strip() for o in option.split(",") if o.strip()] if option else default


@app.command("sweep")
def sweep_cmd(
    spec: Path = typer.Argument(
        ..., metavar="SPEC", help="Sweep spec (TOML): base scenario, parameters, design, replications, seed."
    ),
    out: Path | None = typer.Option(None, "--out", help="Store directory (default: sweeps/<spec name>)."),
    workers: int | None = typer.Option(None, "--workers", min=1, max=1024, help=WORKERS_HELP),
    dask: str | None = typer.Option(None, "--dask", help=DASK_HELP),
) -> None:
    """Run a parameter sweep with replications into a queryable store; run again to finish missing runs."""
    from exitban.sweep.spec import load_spec
    from exitban.workflow import sweep_runs

    with user_errors():
        root = out or path_in("sweeps", load_spec(spec)[0].name)
        sweep_runs(spec, out=root, runner=lambda tasks, store, title: _run_all(tasks, store, workers, dask, title))
    console.print(f'query: exitban query {root} "SELECT status, count(*) FROM runs GROUP BY status"')
    console.print(f"report: exitban report {root}")


@app.command("sensitivity")
def sensitivity_cmd(
    spec: Path = typer.Argument(..., metavar="SPEC", help="Sweep spec with design = 'sobol' or 'morris'."),
    out: Path | None = typer.Option(None, "--out", help="Store directory (default: sweeps/<spec name>)."),
    outputs: str | None = typer.Option(
        None,
        "--outputs",
        help="Comma-separated summary outputs (default: the spec's); target:NAME is a published figure of the "
        "targets file, read off each run as the calibration reads it.",
    ),
    targets: Path | None = typer.Option(
        None, "--targets", help="The targets file that target:NAME outputs name (default: the shipped one)."
    ),
    workers: int | None = typer.Option(None, "--workers", min=1, max=1024, help=WORKERS_HELP),
    dask: str | None = typer.Option(None, "--dask", help=DASK_HELP),
    as_json: bool = json_option("the indices"),
    as_csv: bool = csv_option("the indices"),
) -> None:
    """Sobol (first/total order) or Morris indices with confidence intervals for chosen outputs."""
    from exitban.sweep.spec import load_spec
    from exitban.workflow import sensitivity

    with user_errors():
        fmt = machine_format(as_json, as_csv)
        say = err_console if fmt else console
        sweep_spec, _ = load_spec(spec)
        root = out or path_in("sweeps", sweep_spec.name)
        table = sensitivity(
            spec,
            _outputs(outputs, sweep_spec.sensitivity.outputs),
            out=root,
            runner=lambda tasks, store, title: _run_all(tasks, store, workers, dask, title, say),
            targets=targets,
        )
        target = root / "sensitivity.parquet"
    if fmt:
        emit(table, fmt)
    else:
        _print_sensitivity(table)
    say.print(f"-> {target}")


def check_outputs(outputs: list[str], scenario: object) -> None:
    """Refuse unknown output names before any run (``exitban.sweep.outputs.check_known_outputs``)."""
    from exitban.sweep.outputs import check_known_outputs

    check_known_outputs(outputs, scenario)


def emit(frame: pl.DataFrame, fmt: str) -> None:
    """A table on stdout as JSON (a list of rows; NaN as null) or CSV."""
    if fmt == "json":
        typer.echo(frame.write_json())
    else:
        typer.echo(frame.write_csv(), nl=False)


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
    scenarios: list[str] = typer.Argument(
        ..., metavar="SCENARIO...", help="Two or more shipped scenario names or scenario files."
    ),
    replications: int = replications_option(minimum=2),
    seed: int = typer.Option(0, "--seed", min=0, help="Root seed; replicate r uses the same seed in every scenario."),
    days: int | None = days_option("Days to simulate (default: each scenario's)."),
    scale: float | None = scale_option("Population scale for every scenario; 1 = real size."),
    outputs: str | None = typer.Option(
        None, "--outputs", help="Comma-separated summary outputs (default: serving,exits_total,want_out,defend_share)."
    ),
    out: Path | None = typer.Option(None, "--out", help="Store directory (default: sweeps/compare-<names>)."),
    workers: int | None = typer.Option(None, "--workers", min=1, max=1024, help=WORKERS_HELP),
    dask: str | None = typer.Option(None, "--dask", help=DASK_HELP),
    sets: list[str] = set_option(),
    posterior: Path | None = typer.Option(
        None,
        "--posterior",
        metavar="FILE.parquet",
        help="A calibration's posterior to draw parameter sets from (default: a compared calibrated scenario's own).",
    ),
    draws: int | None = draws_option(
        "Parameter sets drawn from the posterior, each run with -n seeds in every scenario "
        "(default: 10 with a posterior; 0: over seeds alone, the scenarios' own values)."
    ),
    as_json: bool = json_option("the comparison table"),
    as_csv: bool = csv_option("the comparison table"),
) -> None:
    """Compare scenarios over replications: mean and 95% interval of each output, and differences from the first.

    --set changes every compared scenario alike (e.g. all at a harsher prosecution threat).
    A calibrated scenario (or --posterior) answers with its uncertainty: P parameter sets drawn
    from the posterior x N seeds, paired across the scenarios; each difference gets its 90% band
    and the shares of the band's variance that come from the parameters and from chance.
    """
    from exitban.sweep.compare import default_out
    from exitban.sweep.spec import DEFAULT_OUTPUTS
    from exitban.workflow import DEFAULT_DRAWS, compare

    with user_errors():
        fmt = machine_format(as_json, as_csv)
        say = err_console if fmt else console
        root = out or default_out(scenarios)
        table = compare(
            scenarios,
            replications,
            seed=seed,
            days=days,
            scale=scale,
            sets=sets,
            outputs=_outputs(outputs, DEFAULT_OUTPUTS),
            out=root,
            runner=lambda tasks, store, title: _run_all(tasks, store, workers, dask, title, say),
            posterior=posterior,
            draws=draws,
        )
        labels = table["scenario"].unique(maintain_order=True).to_list()
        target = root / "compare.parquet"
    if fmt:
        emit(table, fmt)
        say.print(f"-> {target}")
        return
    drawn = "band_low" in table.columns
    columns = ["output", "scenario", "n", "mean [95% CI]", f"difference from {labels[0]} [95% CI]"]
    if drawn:
        columns += ["difference's 90% band", "its variance: parameters / chance"]
    grid = Table(*columns, title="comparison" + (" over posterior draws and seeds" if drawn else ""))
    for r in table.iter_rows(named=True):
        diff = "" if r["diff"] is None else _ci(r["diff"], r["diff_low"], r["diff_high"])
        cells = [r["output"], r["scenario"], str(r["n"]), _ci(r["mean"], r["low"], r["high"]), diff]
        if drawn:
            cells += _band_cells(r)
        grid.add_row(*cells)
    console.print(grid)
    if drawn:
        from exitban.calibration.record import find_posterior

        n_draws = draws or DEFAULT_DRAWS
        source = posterior or next(p for p in map(find_posterior, scenarios) if p is not None)
        console.print(
            f"{n_draws} parameter sets drawn from the posterior ({source}) x {replications} seeds, the same in "
            "every scenario. "
            "The band is the 5-95% range of the paired differences: what the answer may be, given what the "
            "calibration leaves open (parameters) and the runs' luck (chance).",
            highlight=False,
        )
    console.print(f"-> {target}")


def _band_cells(r: dict[str, Any]) -> list[str]:
    """The band and the variance split of one row ('' for the reference scenario)."""
    if r["band_low"] is None:
        return ["", ""]
    share = r["from_parameters"], r["from_chance"]
    split = "n/a" if any(v is None or v != v for v in share) else f"{share[0]:.0%} / {share[1]:.0%}"
    return [f"[{r['band_low']:.4g}, {r['band_high']:.4g}]", split]


@app.command("query")
def query_cmd(
    store: Path = typer.Argument(..., metavar="STORE", help="A store written by sweep, sensitivity or compare."),
    sql: str = typer.Argument(..., metavar="SQL", help="DuckDB SQL over the views 'runs' and 'timeseries'."),
    limit: int = typer.Option(50, "--limit", min=1, help="Rows to print at most (as a table; --json/--csv print all)."),
    as_json: bool = json_option("the rows"),
    as_csv: bool = csv_option("the rows"),
) -> None:
    """Query a sweep store with one DuckDB SELECT (views: runs, timeseries); reads only the store, writes nothing."""
    from exitban.sweep.store import open_store

    with user_errors():
        fmt = machine_format(as_json, as_csv)
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
    if fmt:
        emit(frame, fmt)
        return
    grid = Table(*frame.columns)
    for row in frame.head(limit).iter_rows():
        grid.add_row(*(f"{v:.6g}" if isinstance(v, float) else str(v) for v in row))
    console.print(grid)
    if frame.height > limit:
        console.print(f"({frame.height - limit} more rows; use --limit)")
