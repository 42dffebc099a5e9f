"""One call from a scenario or a sweep spec to a table: ``replicate``, ``compare``, ``sweep_runs``, ``sensitivity``.

(``sweep_runs``, not ``sweep``: ``exitban.sweep`` is the subpackage that runs them.)

The CLI's ``compare``, ``sweep`` and ``sensitivity`` are clients of these functions.

Each builds the same run tasks as the command line (seeds from the root seed, replicate r with the
same seed in every scenario), runs them on the sweep executors into a store, and returns a Polars
frame (``.to_pandas()`` is one call away). Without ``out`` the store is a temporary folder, removed
when the call returns; with ``out`` it stays, can be queried (``exitban query``), and a second call
with the same arguments runs only what is missing.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import polars as pl
    from matplotlib.figure import Figure

    from exitban.scenario import Scenario
    from exitban.simulate import Result
    from exitban.sweep.spec import RunTask, SweepSpec
    from exitban.sweep.store import Store

# How a call's runs are carried out: (tasks, store, title) -> None. The default runs them on
# make_executor(workers, dask); the CLI passes its own, which draws its progress bar and messages.
Runner = Callable[["list[RunTask]", "Store", str], Any]


def replicate(
    scenario: str | Path | Scenario,
    n: int = 5,
    *,
    seed: int = 0,
    days: int | None = None,
    scale: float | None = None,
    sets: Sequence[str] = (),
    out: str | Path | None = None,
    workers: int | None = 1,
    dask: str | None = None,
    progress: bool = False,
) -> pl.DataFrame:
    """Run one scenario ``n`` times (seeds from ``seed``) and return the runs table.

    Parameters
    ----------
    scenario:
        A shipped scenario's name, a scenario TOML file, or a ``Scenario``.
    n:
        Replications: replicate r runs with ``derive_seed(seed, r)``, the seed replicate r has in
        ``compare`` and ``exitban compare``, so the runs are the same ones.
    seed:
        The root seed (0 to 2**63 - 1).
    days:
        Override the scenario's number of days (default: its own).
    scale:
        Override the scenario's population scale (default: its own; 1 = the real size).
    sets:
        ``"FIELD=VALUE"`` changes, as ``--set`` on the command line (e.g. ``"regime.resignation_ban=off"``).
    out:
        A store folder to keep the runs in (default: a temporary one, removed on return).
    workers:
        Local worker processes (1, the default, runs in this process; None: one per core).
    dask:
        ``"local:N"`` or ``"tcp://HOST:PORT"`` to run on Dask instead.
    progress:
        Show a progress bar (Rich: a live bar in a terminal, an updating output in a notebook).

    Returns
    -------
    polars.DataFrame
        One row per run: ``run_id, point, replicate, seed, scenario, status, error``, then every
        summary output (``serving``, ``exits_total``, ``exits.approved``, ...), ``scenario_hash`` and ``version``.
    """
    from exitban.sweep.compare import compare_tasks

    tasks, man = compare_tasks([scenario], n, seed, days, scale, sets=list(sets), at_least=1)
    man = {**man, "kind": "replicate"}
    with _store(out, man) as store:
        _runner(workers, dask, progress)(tasks, store, f"replicate {man['name']}")
        return store.runs()


def compare(
    scenarios: Sequence[str | Path | Scenario],
    n: int = 5,
    *,
    seed: int = 0,
    days: int | None = None,
    scale: float | None = None,
    sets: Sequence[str] = (),
    outputs: Sequence[str] | None = None,
    conf: float = 0.95,
    out: str | Path | None = None,
    workers: int | None = 1,
    dask: str | None = None,
    progress: bool = False,
    runner: Runner | None = None,
    posterior: str | Path | None = None,
    draws: int | None = None,
) -> pl.DataFrame:
    """Compare scenarios over ``n`` paired replications: each output's mean and interval, and the differences.

    Replicate r of every scenario runs with the same seed (common random numbers), so a scenario's
    difference from the first is a paired t-interval: the numbers ``exitban compare`` prints.

    A calibrated scenario brings its posterior (or give ``posterior``): then ``draws`` parameter
    sets are drawn from it by weight (deterministic in ``seed``) and each runs with ``n`` seeds,
    every scenario alike (paired draws and seeds), so a difference also carries its 90% band over
    the posterior and chance, and the shares of the band's variance from each
    (``sweep.compare.nested_spread``).

    Parameters
    ----------
    scenarios:
        Two or more shipped names, scenario files or ``Scenario`` objects; the first is the reference.
    n:
        Replications per scenario (at least 2 for an interval).
    seed:
        The root seed, as in ``replicate``.
    days:
        Override every scenario's number of days.
    scale:
        Override every scenario's population scale.
    sets:
        ``"FIELD=VALUE"`` changes, as in ``replicate``, applied to every scenario alike.
    outputs:
        Summary outputs to compare (default: ``serving, exits_total, want_out, defend_share``);
        an unknown name is refused before any run, with the list of outputs.
    conf:
        The intervals' confidence level.
    out:
        A store folder to keep the runs and ``compare.parquet`` in (default: a temporary one).
    workers:
        Local worker processes, as in ``replicate``.
    dask:
        A Dask cluster, as in ``replicate``.
    progress:
        Show a progress bar, as in ``replicate``.
    runner:
        How the runs are carried out, ``runner(tasks, store, title)`` (the CLI's draws its own bar);
        default: on ``workers`` or ``dask``.
    posterior:
        A calibration's ``posterior.parquet`` to draw parameter sets from (default: the one a
        compared calibrated scenario ships with, if any).
    draws:
        Parameter sets to draw (default: ``DEFAULT_DRAWS`` when there is a posterior; 0 compares
        over seeds alone, with the scenarios' own values).

    Returns
    -------
    polars.DataFrame
        One row per (output, scenario): ``n, mean, low, high``, and ``diff, diff_low, diff_high``
        (null for the first scenario); with draws also ``band_low, band_high`` (the difference's
        5-95% band) and ``from_parameters, from_chance`` (the shares of its variance). With ``out``
        it is also written to ``OUT/compare.parquet``.
    """
    from exitban.scenario import Scenario
    from exitban.sweep.compare import compare_runs, compare_tasks
    from exitban.sweep.outputs import check_known_outputs
    from exitban.sweep.spec import DEFAULT_OUTPUTS

    chosen = list(outputs) if outputs is not None else list(DEFAULT_OUTPUTS)
    drawn = posterior_draws(scenarios, posterior, draws, seed, sets)
    sets_of, where = drawn if drawn is not None else (None, "")
    tasks, man = compare_tasks(list(scenarios), n, seed, days, scale, sets=list(sets), draws=sets_of, drawn_from=where)
    labels = list(man["scenarios"])  # type: ignore[call-overload]
    check_known_outputs(chosen, Scenario.model_validate(tasks[0].scenario))
    with _store(out, man) as store:
        (runner or _runner(workers, dask, progress))(tasks, store, f"compare {' vs '.join(labels)}")
        table = compare_runs(store.runs(), labels, chosen, conf, seeds_per_draw=n if sets_of else None)
        if out is not None:
            store.write_table("compare", table)
    return table


DEFAULT_DRAWS = 10  # parameter sets a comparison of a calibrated scenario draws from its posterior


def posterior_draws(
    scenarios: Sequence[str | Path | Scenario],
    posterior: str | Path | None,
    draws: int | None,
    seed: int,
    sets: Sequence[str] = (),
) -> tuple[list[dict[str, float]], str] | None:
    """The parameter sets a comparison draws, and where from (path and SHA-256); None: over seeds alone.

    The posterior is ``posterior`` or else the one the compared calibrated scenarios ship with (two
    different ones are refused: name one). Its columns must be real-valued fields of every
    compared scenario, and none a field that ``sets`` fixes (a draw would silently undo it).
    """
    import hashlib

    from exitban.calibration.posterior import check_parameters, read_posterior
    from exitban.calibration.record import draw_parameters, find_posterior
    from exitban.errors import ScenarioError
    from exitban.scenario import Scenario
    from exitban.scenario.edit import apply_sets, parse_sets
    from exitban.scenario.load import load_scenario

    if draws == 0:
        if posterior is not None:
            raise ScenarioError(f"--posterior {posterior}: --draws 0 compares over seeds alone; give --draws P > 0")
        return None
    if posterior is None:
        found = {str(p) for p in (find_posterior(s) for s in scenarios if not isinstance(s, Scenario)) if p}
        if len(found) > 1:
            raise ScenarioError(
                f"the compared scenarios bring different posteriors ({', '.join(sorted(found))}): "
                "choose one with --posterior, or --draws 0"
            )
        if not found:
            if draws:
                raise ScenarioError(f"--draws {draws}: no compared scenario is calibrated; give --posterior FILE")
            return None
        posterior = found.pop()
    path = Path(posterior)
    table = read_posterior(path)
    for s in scenarios:
        check_parameters(table, apply_sets(s if isinstance(s, Scenario) else load_scenario(s), list(sets)), path)
    chosen = draw_parameters(table, draws or DEFAULT_DRAWS, seed)
    clash = sorted(set(parse_sets(list(sets))).intersection(chosen[0])) if sets else []
    if clash:
        raise ScenarioError(f"{path}: draws {', '.join(clash)}, which --set also fixes; drop the --set or --draws 0")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return chosen, f"{path} (sha256 {digest[:16]})"


def sweep_runs(
    spec: str | Path | dict[str, Any] | SweepSpec,
    *,
    out: str | Path | None = None,
    workers: int | None = 1,
    dask: str | None = None,
    progress: bool = False,
    runner: Runner | None = None,
) -> pl.DataFrame:
    """Run a sweep spec's design with its replications and return the runs table (``exitban sweep``).

    Parameters
    ----------
    spec:
        A sweep spec: a TOML file (as ``exitban sweep`` takes), its content as a dict
        (``{"name": ..., "base": ..., "design": "grid", "parameters": {...}}``) or a ``SweepSpec``.
        A dict's or a ``SweepSpec``'s ``base`` is a shipped scenario name or a file path.
    out:
        A store folder to keep the runs in (default: a temporary one); a second call with the same
        spec and ``out`` runs only what is missing.
    workers:
        Local worker processes, as in ``replicate``.
    dask:
        A Dask cluster, as in ``replicate``.
    progress:
        Show a progress bar, as in ``replicate``.
    runner:
        How the runs are carried out, as in ``compare``.

    Returns
    -------
    polars.DataFrame
        One row per run: ``run_id, point, replicate, seed, scenario, status, error``, each swept
        parameter, then every summary output.
    """
    from exitban.sweep.spec import build_tasks, manifest

    sweep_spec, path = _spec(spec)
    tasks = build_tasks(sweep_spec, path)
    title = f"sweep '{sweep_spec.name}' ({sweep_spec.design}, {sweep_spec.replications} replications)"
    with _store(out, manifest(sweep_spec, tasks)) as store:
        (runner or _runner(workers, dask, progress))(tasks, store, title)
        return store.runs()


def sensitivity(
    spec: str | Path | dict[str, Any] | SweepSpec,
    outputs: Sequence[str] | None = None,
    *,
    out: str | Path | None = None,
    workers: int | None = 1,
    dask: str | None = None,
    progress: bool = False,
    runner: Runner | None = None,
    targets: str | Path | None = None,
) -> pl.DataFrame:
    """Run a Sobol or Morris spec and return its indices with confidence intervals (``exitban sensitivity``).

    Parameters
    ----------
    spec:
        As in ``sweep_runs``, with ``design = "sobol"`` or ``"morris"``.
    outputs:
        Summary outputs to analyse (default: the spec's ``[sensitivity] outputs``); an unknown
        name is refused before any run. ``target:NAME`` is a published figure of the targets file,
        read off each run as the calibration reads it: a screen of what the figures can identify.
    out:
        A store folder, as in ``sweep_runs``; the table is also written to ``OUT/sensitivity.parquet``.
    workers:
        Local worker processes, as in ``replicate``.
    dask:
        A Dask cluster, as in ``replicate``.
    progress:
        Show a progress bar, as in ``replicate``.
    runner:
        How the runs are carried out, as in ``compare``.
    targets:
        The targets file the ``target:`` outputs name (default: the shipped one).

    Returns
    -------
    polars.DataFrame
        One row per (output, parameter): Sobol ``S1``/``ST`` with ``_low``/``_high``, or Morris
        ``mu_star`` (with its interval), ``mu`` and ``sigma``; ``method`` and ``conf_level``.
    """
    from exitban.calibration.screen import chosen_targets, split_outputs, with_target_outputs
    from exitban.calibration.targets import load_targets
    from exitban.errors import ScenarioError
    from exitban.sweep.outputs import check_known_outputs
    from exitban.sweep.sensitivity import analyze_runs
    from exitban.sweep.spec import build_tasks, manifest, resolve_base

    sweep_spec, path = _spec(spec)
    if sweep_spec.design not in ("sobol", "morris"):
        raise ScenarioError(
            f"{path or 'spec'}: field 'design' must be 'sobol' or 'morris' for sensitivity, got '{sweep_spec.design}'"
        )
    chosen = list(outputs) if outputs else list(sweep_spec.sensitivity.outputs)
    base = resolve_base(sweep_spec, path)
    plain, names = split_outputs(chosen)
    figures = {}
    if names:
        if "scale" in sweep_spec.parameters:
            raise ScenarioError(f"{path or 'spec'}: 'target:' outputs need one scale for all runs; 'scale' is swept")
        targets_file, targets_path = load_targets(targets)
        figures = chosen_targets(names, targets_file, str(targets_path), base)
    if plain:
        check_known_outputs(plain, base)  # before the runs, not after them
    tasks = build_tasks(sweep_spec, path)
    title = f"sweep '{sweep_spec.name}' ({sweep_spec.design}, {sweep_spec.replications} replications)"
    with _store(out, manifest(sweep_spec, tasks)) as store:
        (runner or _runner(workers, dask, progress))(tasks, store, title)
        runs = with_target_outputs(store.runs(), store.timeseries(), figures, base.scale)
        table = analyze_runs(sweep_spec, runs, chosen)
        if out is not None:
            store.write_table("sensitivity", table)
    return table


def discover(
    runs: pl.DataFrame,
    parameters: Sequence[str],
    outcome: str,
    threshold: float | None = None,
    above: bool = True,
) -> pl.DataFrame:
    """Scenario discovery: boxes of parameter ranges where ``outcome`` reaches ``threshold`` (as the store report).

    Parameters
    ----------
    runs:
        A runs table (``sweep_runs``, ``replicate`` or a store's ``runs.parquet``).
    parameters:
        The swept parameters to search over (numeric or true/false columns of ``runs``).
    outcome:
        The output whose cases of interest the boxes hold (e.g. ``"exits_total"``).
    threshold:
        Cases of interest are runs at or above it (below, with ``above=False``); default: the
        outcome's 75th percentile over the runs.
    above:
        True: the cases of interest are the runs at or above ``threshold``; False: at or below it.

    Returns
    -------
    polars.DataFrame
        One row per box, densest first: ``box`` (its description), ``runs``, ``coverage`` (share of
        all cases of interest inside it), ``density`` (share of its runs that are cases), and
        ``PARAM_low``/``PARAM_high`` for each parameter (-inf/inf where the box leaves it free).
        Needs scikit-learn (the ``discovery`` extra).
    """
    import polars as pl

    from exitban.report.discovery import discover as find_boxes

    found = find_boxes(runs, list(parameters), outcome, threshold, above)
    rows = []
    for box in found.boxes:
        row: dict[str, object] = {"box": box.describe(), "runs": box.runs}
        row.update(coverage=box.coverage, density=box.density)
        for name in found.parameters:
            low, high = box.bounds.get(name, (float("-inf"), float("inf")))
            row.update({f"{name}_low": float(low), f"{name}_high": float(high)})
        rows.append(row)
    schema = {"box": pl.String, "runs": pl.Int64, "coverage": pl.Float64, "density": pl.Float64}
    schema.update({f"{n}_{end}": pl.Float64 for n in found.parameters for end in ("low", "high")})
    return pl.DataFrame(rows, schema=schema)


def plot(result: Result, name: str = "headcount") -> Figure:
    """One of the run report's figures for a result (``exitban report`` draws the same functions).

    Parameters
    ----------
    result:
        What ``simulate`` returned.
    name:
        ``headcount``, ``institutions``, ``exits``, ``backlog``, ``waits``, ``loyalty_fear``,
        ``capacity``, ``pressure`` or ``reported`` (``exitban.report.figures.PLOTS`` lists them with the
        outputs they show).

    Returns
    -------
    matplotlib.figure.Figure
        A figure made with matplotlib's object API (no pyplot state); a notebook shows it as a cell's
        value, ``fig.savefig(path)`` writes it.
    """
    from exitban.errors import ExitbanError
    from exitban.report.figures import PLOTS
    from exitban.report.rundata import RunData

    by_name = {p.name: p for p in PLOTS}
    if name not in by_name:
        raise ExitbanError(f"plot: no figure {name!r} (figures: {', '.join(by_name)})")
    return by_name[name].draw(RunData.from_result(result))


def _spec(spec: str | Path | dict[str, Any] | SweepSpec) -> tuple[SweepSpec, Path | None]:
    """A validated spec and its file (None for a dict or a SweepSpec: its base is a name or a path)."""
    from pydantic import ValidationError

    from exitban.errors import ScenarioError
    from exitban.scenario.messages import format_validation_error
    from exitban.sweep.spec import SweepSpec, load_spec

    if isinstance(spec, SweepSpec):
        return spec, None
    if isinstance(spec, dict):
        try:
            return SweepSpec.model_validate(spec), None
        except ValidationError as exc:
            raise ScenarioError(format_validation_error("spec", exc, root=SweepSpec)) from None
    return load_spec(spec)


@contextlib.contextmanager
def _store(out: str | Path | None, manifest: dict[str, Any]) -> Iterator[Store]:
    """The store at ``out`` (kept), or in a temporary folder removed afterwards."""
    from exitban.sweep.store import Store

    if out is not None:
        store = Store.open(out, manifest)
        try:
            yield store
        finally:
            store.close()
        return
    with tempfile.TemporaryDirectory(prefix="exitban-") as tmp:
        store = Store.open(Path(tmp) / "store", manifest)
        try:
            yield store
        finally:
            store.close()


def _runner(workers: int | None, dask: str | None, progress: bool) -> Runner:
    """Run what the store lacks on ``make_executor(workers, dask)``, with a Rich bar if ``progress``."""

    def run(tasks: list[RunTask], store: Store, title: str) -> None:
        from exitban.sweep.executors import make_executor
        from exitban.sweep.runner import execute

        todo = len(tasks) - len(store.finished() & {t.run_id for t in tasks})
        executor = make_executor(workers, dask, n_tasks=todo)
        try:
            if not progress:
                execute(tasks, store, executor)
                return
            from rich.progress import Progress

            with Progress(transient=False) as bar:
                task = bar.add_task(title, total=len(tasks))
                execute(tasks, store, executor, lambda done, failed, total: bar.update(task, completed=done))
        finally:
            executor.close()

    return run
