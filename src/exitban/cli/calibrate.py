"""``exitban calibrate`` and ``exitban validate``: fit a scenario to published figures, test it on held-out ones."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from exitban.cli import app
from exitban.cli.errors import err_console, user_errors
from exitban.cli.options import scale_option
from exitban.scenario.names import path_in

console = Console(width=None if sys.stdout.isatty() else 140)
TARGETS_HELP = "Targets file (default: the one shipped with exitban; `exitban targets` lists it)."
DASK_HELP = "Run on Dask: 'local:N' starts a LocalCluster of N workers; 'tcp://HOST:PORT' joins a running scheduler."
WORKERS_HELP = "Local worker processes (default: one per core; 1 runs in this process)."


@app.command("calibrate")
def calibrate_cmd(
    scenario: str = typer.Argument(..., help="A shipped scenario's name or a scenario file."),
    targets: Path | None = typer.Option(None, "--targets", help=TARGETS_HELP),
    out: Path | None = typer.Option(None, "--out", help="Calibration folder (default: calibrations/<scenario>)."),
    particles: int = typer.Option(2000, "--particles", min=10, max=1_000_000, help="Accepted particles a generation."),
    generations: int = typer.Option(6, "--generations", min=1, max=100, help="Most generations (it may stop sooner)."),
    batch: int = typer.Option(250, "--batch", min=1, max=100_000, help="Proposals stored together (resume unit)."),
    seed: int = typer.Option(0, "--seed", min=0, max=2**63 - 1, help="Root seed of every proposal and run."),
    scale: float | None = scale_option("Population scale of the runs (default: the targets file's for the scenario)."),
    workers: int | None = typer.Option(None, "--workers", min=1, max=1024, help=WORKERS_HELP),
    dask: str | None = typer.Option(None, "--dask", help=DASK_HELP),
    source: Path | None = typer.Option(
        None,
        "--from",
        help="Take the behaviour fields from another scenario's calibration folder instead of fitting "
        "(for a scenario with no published figure before the cut-off).",
    ),
) -> None:
    """Fit a scenario's assumption parameters to the published figures dated up to mid-2023 (ABC-SMC).

    Writes, in the folder: posterior.parquet (the last generation's particles and weights),
    identifiability.md and .parquet (which parameters the targets pin down), generations.parquet,
    and <scenario>-calibrated.toml (fields with provenance 'calibrated'). Interrupted, the same
    command goes on where it stopped; a larger --generations extends a finished calibration.
    """
    from exitban.calibration.folder import CalibrationFolder
    from exitban.calibration.problem import build_problem
    from exitban.calibration.record import finish
    from exitban.calibration.run import Settings, calibrate
    from exitban.calibration.targets import load_targets
    from exitban.limits import check_fits
    from exitban.scenario import Scenario
    from exitban.scenario.load import load_scenario
    from exitban.sweep.executors import SweepInterrupted, local_copies, make_executor

    with user_errors():
        base = load_scenario(scenario)
        if source is not None:
            from exitban.calibration.record import transfer

            written = transfer(base, source, out or path_in("calibrations", base.name))
            console.print(f"{base.name}: behaviour fields transferred from {source}", highlight=False)
            _print_identifiability(written.identifiability)
            console.print(f"-> {written.scenario_path}", highlight=False)
            return
        target_file, where = load_targets(targets)
        problem = build_problem(base, target_file, where, scale)
        settings = Settings(particles=particles, generations=generations, batch=batch, seed=seed)
        executor = make_executor(workers, dask)
        try:  # every run this machine holds at once must fit before the folder or a proposal is made
            check_fits(Scenario.model_validate(problem.scenario), copies=local_copies(executor))
            folder = CalibrationFolder.open(out or path_in("calibrations", base.name), problem.manifest(settings))
        except BaseException:
            executor.close()
            raise
        console.print(
            f"[bold]calibrate {escape(base.name)}[/]: {len(problem.priors.names)} parameters, "
            f"{len(problem.targets)} targets ({', '.join(problem.targets)}), {particles} particles, "
            f"up to {generations} generations, scale {problem.scenario['scale']}, "
            f"{problem.scenario['days']} days a run, on {executor.label}",
            highlight=False,
        )
        try:
            outcome = _with_progress(lambda p: calibrate(problem, settings, folder, executor, p))
        except SweepInterrupted as exc:
            err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(code=1) from None
        finally:
            executor.close()
            folder.close()
        written = finish(folder, base, problem, outcome)
    console.print(f"stopped: {outcome.stopped}", highlight=False)
    _print_identifiability(written.identifiability)
    if not outcome.simulations:
        console.print(f"every generation was stored already: nothing to run -> {folder.root}/", highlight=False)
        return
    outside = 1 - outcome.simulate_s / max(outcome.elapsed_s * max(1, getattr(executor, "workers", 1)), 1e-9)
    console.print(
        f"{outcome.simulations} runs in {outcome.elapsed_s:.0f} s (about {max(outside, 0):.0%} of the workers' time "
        f"outside simulation) -> {folder.root}/ ({written.scenario_path.name}, posterior.parquet, identifiability.md)",
        highlight=False,
    )


def _with_progress(work):  # type: ignore[no-untyped-def]
    """Run ``work(progress)`` under a Rich bar per generation (accepted of wanted, proposals so far)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (
        TextColumn("generation {task.fields[gen]}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("accepted of {task.fields[proposed]} proposals, epsilon {task.fields[eps]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as bar:
        tasks: dict[int, int] = {}

        def progress(gen: int, accepted: int, wanted: int, proposed: int, epsilon: float) -> None:
            if gen not in tasks:
                tasks[gen] = bar.add_task("gen", total=wanted, gen=gen, proposed=0, eps=f"{epsilon:.3g}")
            bar.update(tasks[gen], completed=accepted, proposed=proposed)

        return work(progress)


def _print_identifiability(table) -> None:  # type: ignore[no-untyped-def]
    shown = Table(title="identifiability (posterior 90% width over prior 90% width)")
    for col in ("parameter", "prior", "posterior median", "posterior 90%", "width", "verdict"):
        shown.add_column(col)
    for r in table.iter_rows(named=True):
        shown.add_row(
            r["parameter"],
            f"[{r['prior_low']:.3g}, {r['prior_high']:.3g}]",
            f"{r['posterior_median']:.3g}",
            f"[{r['posterior_q05']:.3g}, {r['posterior_q95']:.3g}]",
            f"{r['width_ratio']:.2f}",
            r["verdict"],
        )
    console.print(shown)


@app.command("targets")
def targets_cmd(
    targets: Path | None = typer.Option(None, "--targets", help=TARGETS_HELP),
) -> None:
    """List the published figures of a targets file: range, period, source, scenario, fitted or held out,
    and whether each is independent evidence."""
    from exitban.calibration.targets import load_targets

    with user_errors():
        target_file, where = load_targets(targets)
    shown = Table(title=f"{where} (fitted: dated up to {target_file.fit_until})")
    for col in ("key", "role", "independent", "scenario", "figure", "range", "period", "source"):
        shown.add_column(col, no_wrap=col in ("key", "role", "independent", "scenario"))
    for key, t in target_file.targets.items():
        span = f"{t.low:,.4g} to {t.high:,.4g}" + ("" if t.point is None else f" (point {t.point:,.4g})")
        independent = "yes" if t.independent else "no"
        shown.add_row(key, t.role, independent, t.scenario, t.figure, span, t.period, t.source)
    console.print(shown)


@app.command("validate")
def validate_cmd(
    scenarios: list[str] = typer.Argument(
        None,
        help="Calibrated scenarios (names or files; default: every shipped '-calibrated' scenario, and every "
        "shipped scenario with figures but no calibration, at its own values).",
    ),
    targets: Path | None = typer.Option(None, "--targets", help=TARGETS_HELP),
    runs: int | None = typer.Option(None, "--runs", min=2, max=10_000, help="Runs each (default: the targets file's)."),
    scale: float | None = scale_option("Population scale (default: the targets file's for the scenario)."),
    seed: int = typer.Option(0, "--seed", min=0, max=2**63 - 1, help="Root seed of the draws and runs."),
    doc: Path | None = typer.Option(
        None, "--doc", help="Also write the table as a Markdown page (docs/validation.md)."
    ),
    workers: int | None = typer.Option(None, "--workers", min=1, max=1024, help=WORKERS_HELP),
    dask: str | None = typer.Option(None, "--dask", help=DASK_HELP),
) -> None:
    """Run calibrated scenarios with posterior draws and set the model's 90% interval beside each published figure.

    Held-out figures (dated after the fit, and the sources' qualitative patterns) decide hit or
    miss by the strict rule (the published point inside the model's 90% interval, or the model's
    median inside a published range), with the 90% interval score beside; only independent ones
    count. Fitted figures are listed as a check, not as evidence.
    """
    from exitban.calibration.page import render_page, score, validate_all
    from exitban.calibration.targets import load_targets
    from exitban.calibration.validate import COLUMNS
    from exitban.sweep.executors import make_executor

    with user_errors():
        target_file, _ = load_targets(targets)
        executor = make_executor(workers, dask)
        try:
            results = validate_all(scenarios or None, target_file, runs, scale, seed, executor, console)
        finally:
            executor.close()
        shown = Table(title="validation: the model's 90% interval against each published figure")
        for col in ("scenario", *COLUMNS):
            shown.add_column(col)
        for name, found in results:
            for row in found:
                shown.add_row(name, *row)
        console.print(shown)
        console.print(score(results), highlight=False)
        if doc is not None:
            from exitban.atomic import atomic_write

            page = render_page(results, target_file, seed)
            atomic_write(doc, lambda p: Path(p).write_text(page, encoding="utf-8"))
            console.print(f"wrote {doc}", highlight=False)
