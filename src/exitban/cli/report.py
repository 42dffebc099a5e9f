"""``exitban report``: a self-contained HTML report with plots, from a run directory, a store or a scenario."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer
from rich.console import Console

from exitban.cli import app
from exitban.cli.errors import user_errors
from exitban.cli.options import (
    REPLICATIONS,
    days_option,
    draws_option,
    replications_option,
    scale_option,
    set_option,
)
from exitban.errors import ScenarioError
from exitban.scenario.edit import apply_sets, parse_sets

if TYPE_CHECKING:
    from exitban.report import ReportFiles, RunData
    from exitban.scenario import Scenario

console = Console(width=None if sys.stderr.isatty() else 140, stderr=True)
DEFAULT_SCALE = 0.1
_T = TypeVar("_T")
WORKERS_HELP = "Local worker processes for the replications (default: one per core; 1 runs in this process)."


@app.command("report")
def report_cmd(
    target: str = typer.Argument(
        ...,
        metavar="TARGET",
        help="Run directory (from `exitban run`), sweep or comparison store, or a scenario name or TOML file.",
    ),
    compare: list[str] = typer.Option(
        [], "--compare", help="Scenario or run directory to set side by side (repeat for several)."
    ),
    out: Path | None = typer.Option(
        None, "--out", help="HTML file to write (default: RUN_DIR/report.html, or runs/NAME-report.html)."
    ),
    seed: int | None = typer.Option(
        None, "--seed", min=0, help="Seed of the run, and first seed of the replications (default: 0, or the run's)."
    ),
    days: int | None = days_option("Days (default: the scenario's, or the run directory's)."),
    scale: float | None = scale_option(
        f"Population scale of the runs this command makes (default: {DEFAULT_SCALE}, or the run directory's)."
    ),
    replications: int | None = replications_option(
        help="Seeds per scenario: with --compare, for its 5-95% bands; alone, N > 1 shades every plot's lines "
        "with their 5-95% band over N seeds (from --seed on) and adds the spread's plot; 1 keeps it a single run. "
        "With a posterior (see --posterior), runs 2 to N also draw their parameters from it.",
        unset_text=" with --compare, else 1",
    ),
    workers: int | None = typer.Option(None, "--workers", min=1, max=1024, help=WORKERS_HELP),
    sets: list[str] = set_option(),
    outcome: str | None = typer.Option(
        None, "--outcome", help="Sweep store: the output scenario discovery explains (default: the spec's first)."
    ),
    threshold: float | None = typer.Option(
        None,
        "--threshold",
        help="Sweep store: runs with the outcome at or above this are the cases of interest "
        "(default: its 75th percentile).",
    ),
    below: bool = typer.Option(False, "--below", help="Sweep store: look for outcomes at or below the threshold."),
    posterior: Path | None = typer.Option(
        None,
        "--posterior",
        metavar="FILE.parquet",
        help="A calibration's posterior (default: the calibrated scenario's own, if it has one): with -n N, "
        "runs 2 to N draw their parameters from it, and the bands are posterior predictive; with --compare, "
        "--draws parameter sets from it run with -n seeds each in every compared scenario.",
    ),
    draws: int | None = draws_option(
        "With --compare and a posterior: parameter sets drawn from it, each run with -n seeds in every "
        "scenario alike (default: 10; 0: over seeds alone, the scenarios' own values)."
    ),
) -> None:
    """Write one HTML file (opens offline) with a plain-language summary and plots, plus the plots as PNGs.

    Given a run directory, the report reads it and runs nothing, unless --compare or -n asks for
    replications. Given a scenario, it runs it first. Given a sweep or comparison store, it
    plots response curves, sensitivity indices and scenario discovery from the stored runs.
    A calibrated scenario's -n N bands (or any scenario's, with --posterior) are posterior
    predictive: runs 2 to N draw their parameters from the calibration's posterior. Compared
    with --compare, a calibrated scenario answers with its uncertainty: P parameter sets from
    the posterior x N seeds, paired across the scenarios, and each difference's 90% band with
    the shares of its variance from the parameters and from chance.
    """
    with user_errors():
        target_dir = Path(target)
        if (target_dir / "manifest.json").is_file():
            runs_options = [*compare, *sets, *([str(posterior)] if posterior else []), *([f"{draws}"] if draws else [])]
            html = _store_report(target_dir, out, outcome, threshold, below, runs_options)
            console.print(
                f"report -> {html} (plots as PNG in {html.parent / (html.stem + '-plots')}/)",
                markup=False,
                highlight=False,
            )
            return
        files = _run_report(target, compare, out, seed, days, scale, replications, workers, sets, posterior, draws)
    plots = files.html.parent / f"{files.html.stem}-plots"
    console.print(f"report -> {files.html} (plots as PNG in {plots}/)", markup=False, highlight=False)


def _store_report(
    root: Path, out: Path | None, outcome: str | None, threshold: float | None, below: bool, runs_options: list[str]
) -> Path:
    """The report of a sweep or comparison store: it reads the stored runs and runs nothing."""
    from exitban.report.store import load_store
    from exitban.report.store_page import write_store_report

    if runs_options:
        raise ScenarioError(f"{root} is a store, read as it was written: --compare, --set and --posterior are for runs")
    data = load_store(root)
    return write_store_report(data, out or root / "report.html", outcome, threshold, below)


def _run_report(
    target: str,
    compare: list[str],
    out: Path | None,
    seed: int | None,
    days: int | None,
    scale: float | None,
    replications: int | None,
    workers: int | None,
    sets: list[str],
    posterior: Path | None = None,
    draws: int | None = None,
) -> ReportFiles:
    from exitban.report import RunData, bands, write_report
    from exitban.report.bands import Seeds
    from exitban.report.differences import differences
    from exitban.runfolder import probe_writable, vouch_report
    from exitban.scenario.load import load_scenario
    from exitban.scenario.names import path_in
    from exitban.simulate import simulate

    target_dir = Path(target)
    run = None
    if target_dir.is_dir():
        if sets:
            raise ScenarioError(
                f"--set: {target} is a run directory, read as it was written; give the scenario's name to run it changed"
            )
        run = RunData.from_dir(target_dir, warn=_warn)
        out = out or target_dir / "report.html"
        source = str(target_dir)
        run_scale = float(run.summary.get("scale", run.scenario.scale))
        base = run.scenario.with_overrides(scale=scale or run_scale, days=days or run.summary["days"])
        seed = run.summary["seed"] if seed is None else seed
        reuse = scale in (None, run_scale) and days in (None, run.summary["days"]) and seed == run.summary["seed"]
    else:
        seed = seed or 0
        base = apply_sets(load_scenario(target), sets)
        base = base.with_overrides(scale=scale or DEFAULT_SCALE, days=days or base.days)
        out = out or path_in("runs", base.name, "-report.html")
        source = f"a fresh run of {target}"
        reuse = True
    n = replications or 1
    drawn = _posterior_draws(target, base, posterior, compare, n, seed, sets)  # checked before any run
    paired = _compare_draws(target, base, posterior, compare, draws, seed, sets) if compare else None
    if draws is not None and not compare:
        raise ScenarioError(f"--draws {draws}: for --compare; alone, -n N draws N-1 parameter sets from a posterior")
    if paired is not None and (replications or REPLICATIONS) < 2:
        raise ScenarioError(
            f"-n {replications}: each parameter set drawn needs 2 or more seeds, to split a difference's band "
            "between the parameters and chance"
        )
    if run is None:
        probe_writable(out.parent)  # before the runs: a report is never computed only to be lost
        console.print(f"running {base.name} (seed {seed})", markup=False, highlight=False)
        run = RunData.from_result(simulate(base, seed=seed))
    band = over_seeds = split = None
    if compare:
        seeds = list(range(seed, seed + (replications or REPLICATIONS)))
        groups = [(run.label, base)]
        others: list[tuple[str, RunData]] = []
        for other in compare:
            if Path(other).is_dir():
                others.append((other, RunData.from_dir(other, warn=_warn)))
            else:
                sc = apply_sets(load_scenario(other), sets).with_overrides(scale=base.scale, days=base.days)
                groups.append((sc.name, sc))
        labels = [label for label, _ in groups] + [label for label, _ in others]
        if len(set(labels)) != len(labels):
            raise ScenarioError(f"--compare names a scenario twice: {', '.join(labels)}")
        probe_writable(out.parent)
        if paired is None:
            replicated = _replicate(groups, seeds, workers)
            if reuse:  # the run already made is replicate 0 of the first scenario: same seed, same bytes
                replicated[0][1][0] = run
        else:  # run r = p * S + s: parameter set p and seed seed + r, in every scenario alike
            sets_of, where = paired
            per_draw = len(seeds)
            runs = [
                (
                    label,
                    [
                        (sc.with_params(d, where=where), seed + p * per_draw + s)
                        for p, d in enumerate(sets_of)
                        for s in range(per_draw)
                    ],
                )
                for label, sc in groups
            ]
            replicated = _replicate_pairs(runs, workers, where)
            split = differences(replicated, per_draw, where)
        band = bands([*replicated, *((label, [r]) for label, r in others)])
    elif n > 1:  # every line's 5-95% band over seeds (or posterior draws), and their spread
        probe_writable(out.parent)
        if not reuse:  # the lines are a run like the replications around them, not the directory's
            console.print(f"running {base.name} (seed {seed})", markup=False, highlight=False)
            run = RunData.from_result(simulate(base, seed=seed), label=run.label)
            source = f"a fresh run of {source}'s scenario (scale {base.scale:g}, {base.days} days)"
        more = list(range(seed + 1, seed + n))  # the run is the first seed's
        if drawn is None:
            ((_, replicas),) = _replicate([(run.label, base)], more, workers)
            over_seeds = Seeds((run, *replicas))
        else:
            path, scenarios = drawn
            replicas = _replicate_draws(run.label, list(zip(scenarios, more, strict=True)), workers, path)
            over_seeds = Seeds((run, *replicas), posterior=str(path))
    files = write_report(run, out, bands=band, source=source, seeds=over_seeds, differences=split)
    if target_dir.is_dir():  # a report written into the run folder joins its checksums.json
        vouch_report(target_dir, files.html)
    return files


def _warn(line: str) -> None:
    console.print(f"warning: {line}", markup=False, highlight=False)


def _posterior_draws(
    target: str,
    base: Scenario,
    posterior: Path | None,
    compare: list[str],
    n: int,
    seed: int,
    sets: list[str],
) -> tuple[Path, list[Scenario]] | None:
    """The posterior the bands draw from, and the N-1 scenarios drawn for runs 2 to N (None: bands over seeds).

    ``--posterior`` names one; otherwise a calibrated scenario (a name or TOML, not a run
    directory) brings its own. Run k (k >= 1) takes the k-th of N draws, deterministic in the
    first seed; the first run, the report's lines, stays the scenario itself.
    """
    from exitban.calibration.record import find_posterior
    from exitban.report.posterior import drawn_scenarios

    if compare:
        return None  # a comparison draws its own (``_compare_draws``)
    if posterior is not None and n < 2:
        raise ScenarioError(f"--posterior {posterior}: posterior predictive bands need -n N with N > 1")
    path = posterior or (None if Path(target).is_dir() or compare else find_posterior(target))
    if path is None or n < 2:
        return None
    fixed = parse_sets(sets) if sets else {}
    scenarios = drawn_scenarios(base, path, n, seed, fixed)[1:]  # draw 0 would be the first run's: it keeps its own
    console.print(f"posterior: {path} (runs 2 to {n} draw their parameters from it)", markup=False, highlight=False)
    return path, scenarios


def _compare_draws(
    target: str,
    base: Scenario,
    posterior: Path | None,
    compare: list[str],
    draws: int | None,
    seed: int,
    sets: list[str],
) -> tuple[list[dict[str, float]], str] | None:
    """The parameter sets a comparison draws and where from (``workflow.posterior_draws``); None: over seeds.

    A compared run directory is read as it was written, so it cannot run the draws: refused.
    """
    from exitban.workflow import posterior_draws

    named = [x for x in compare if not Path(x).is_dir()]
    read_only = [x for x in compare if Path(x).is_dir()]
    first: str | Scenario = base if Path(target).is_dir() else target
    found = posterior_draws([first, *named], posterior, draws, seed, sets)
    if found is not None and read_only:
        raise ScenarioError(
            f"--compare {read_only[0]}: a run directory is read as it was written and cannot run the "
            "posterior's parameter sets; give its scenario's name instead, or --draws 0"
        )
    if found is not None:
        console.print(
            f"posterior: {found[1]} ({len(found[0])} parameter sets, paired across the scenarios)",
            markup=False,
            highlight=False,
        )
    return found


def _replicate_pairs(
    groups: list[tuple[str, list[tuple[Scenario, int]]]], workers: int | None, posterior: str
) -> list[tuple[str, list[RunData]]]:
    """Every scenario's (drawn scenario, seed) runs on local worker processes, with a progress bar."""
    from exitban.report.bands import run_all

    what = f"comparison over posterior draws: {len(groups[0][1])} runs x {len(groups)} scenarios ({posterior})"
    total = sum(len(pairs) for _, pairs in groups)
    return _with_progress(what, total, workers, lambda ex, done: run_all(groups, ex, done))


def _replicate(
    groups: list[tuple[str, Scenario]], seeds: list[int], workers: int | None
) -> list[tuple[str, list[RunData]]]:
    """Every scenario's replications on local worker processes, with a progress bar (and log lines when piped)."""
    from exitban.report.bands import replicate_all

    what = f"replications: {len(seeds)} seeds x {len(groups)} scenarios"
    return _with_progress(
        what, len(groups) * len(seeds), workers, lambda ex, done: replicate_all(groups, seeds, ex, done)
    )


def _replicate_draws(
    label: str, runs: list[tuple[Scenario, int]], workers: int | None, posterior: Path
) -> list[RunData]:
    """Runs of drawn scenarios (one seed each) on local worker processes, with the same progress bar."""
    from exitban.report.bands import run_all

    what = f"posterior predictive runs: {len(runs)}, parameters drawn from {posterior}"
    ((_, replicas),) = _with_progress(what, len(runs), workers, lambda ex, done: run_all([(label, runs)], ex, done))
    return replicas


def _with_progress(
    what: str, total: int, workers: int | None, work: Callable[[Any, Callable[[int, int], None]], _T]
) -> _T:
    """``work(executor, on_done)`` on local worker processes, with a progress bar (and log lines when piped)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from exitban.sweep.executors import make_executor

    executor = make_executor(workers, None, n_tasks=total)
    console.print(f"{what} on {executor.label}", markup=False, highlight=False)
    columns = (TextColumn("runs"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    step = max(1, total // 10)
    try:
        with Progress(*columns, console=console) as bar:
            task = bar.add_task("runs", total=total)

            def on_done(done: int, total: int) -> None:
                bar.update(task, completed=done)
                if not console.is_terminal and (done % step == 0 or done == total):
                    bar.console.print(f"  {done}/{total} runs done")

            return work(executor, on_done)
    finally:
        executor.close()
