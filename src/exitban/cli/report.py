"""``exitban report``: a self-contained HTML report with plots, from a run directory or a scenario."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console

from exitban.cli import app
from exitban.cli.errors import user_errors
from exitban.loader import load_scenario
from exitban.names import path_in
from exitban.report import RunData, bands, replicate, write_report
from exitban.runfolder import probe_writable
from exitban.simulate import simulate

console = Console(width=None if sys.stdout.isatty() else 140, stderr=True)
DEFAULT_SCALE = 0.1


def _progress(name: str, seed: int) -> None:
    console.print(f"running {name} (seed {seed})", markup=False, highlight=False)


@app.command("report")
def report_cmd(
    target: str = typer.Argument(..., help="Run directory (from `exitban run`), or a scenario name or TOML file."),
    compare: list[str] = typer.Option(
        [], "--compare", help="Scenario or run directory to set side by side (repeat for several)."
    ),
    out: Path | None = typer.Option(
        None, "--out", help="HTML file to write [default: RUN_DIR/report.html, or runs/NAME-report.html]."
    ),
    seed: int | None = typer.Option(
        None, "--seed", min=0, help="Seed of the run, and first seed of the replications [default: 0, or the run's]."
    ),
    days: int | None = typer.Option(None, "--days", min=1, max=36_500, help="Days [default: the scenario's]."),
    scale: float | None = typer.Option(
        None,
        "--scale",
        min=1e-6,
        max=10.0,
        help=f"Population scale of the runs this command makes [default: {DEFAULT_SCALE}, or the run directory's].",
    ),
    replications: int = typer.Option(
        5, "--replications", min=1, max=100, help="Seeds per scenario with --compare (for the 5-95% bands)."
    ),
) -> None:
    """Write one HTML file (opens offline) with a plain-language summary and plots, plus the plots as PNGs.

    Given a run directory, the report reads it and runs nothing, unless --compare asks for
    replications. Given a scenario, it runs it first.
    """
    with user_errors():
        target_dir = Path(target)
        if target_dir.is_dir():
            run = RunData.from_dir(target_dir)
            out = out or target_dir / "report.html"
            source = str(target_dir)
            run_scale = float(run.summary.get("scale", run.scenario.scale))
            base = run.scenario.with_overrides(scale=scale or run_scale, days=days or run.summary["days"])
            seed = run.summary["seed"] if seed is None else seed
            reuse = scale in (None, run_scale) and days in (None, run.summary["days"]) and seed == run.summary["seed"]
        else:
            seed = seed or 0
            base = load_scenario(target)
            base = base.with_overrides(scale=scale or DEFAULT_SCALE, days=days or base.days)
            out = out or path_in("runs", base.name, "-report.html")
            probe_writable(out.parent)  # before the runs: a report is never computed only to be lost
            _progress(base.name, seed)
            run = RunData.from_result(simulate(base, seed=seed))
            source = f"a fresh run of {target}"
            reuse = True
        band = None
        if compare:
            seeds = list(range(seed, seed + replications))
            first = [run] if reuse else []
            name, rest = replicate(base, seeds[len(first) :], label=run.label, on_run=_progress)
            groups = [(name, first + rest)]
            for other in compare:
                if Path(other).is_dir():
                    groups.append((other, [RunData.from_dir(other)]))
                else:
                    sc = load_scenario(other).with_overrides(scale=base.scale, days=base.days)
                    groups.append(replicate(sc, seeds, on_run=_progress))
            labels = [label for label, _ in groups]
            if len(set(labels)) != len(labels):
                raise ValueError(f"--compare names a scenario twice: {', '.join(labels)}")
            band = bands(groups)
        files = write_report(run, out, bands=band, source=source)
    plots = files.html.parent / f"{files.html.stem}-plots"
    console.print(f"report -> {files.html} (plots as PNG in {plots}/)", markup=False, highlight=False)
