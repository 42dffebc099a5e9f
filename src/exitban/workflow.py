"""One call from a scenario to a table: ``replicate`` and ``compare`` (the CLI's ``compare`` is a client).

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

    from exitban.scenario import Scenario
    from exitban.sweep.spec import RunTask
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
    days, scale:
        Override the scenario's period and population scale (1 = the real size).
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
) -> pl.DataFrame:
    """Compare scenarios over ``n`` paired replications: each output's mean and interval, and the differences.

    Replicate r of every scenario runs with the same seed (common random numbers), so a scenario's
    difference from the first is a paired t-interval: the numbers ``exitban compare`` prints.

    Parameters
    ----------
    scenarios:
        Two or more shipped names, scenario files or ``Scenario`` objects; the first is the reference.
    n:
        Replications per scenario (at least 2 for an interval).
    seed, days, scale, sets, out, workers, dask, progress:
        As in ``replicate``; ``sets`` change every scenario alike.
    outputs:
        Summary outputs to compare (default: ``serving, exits_total, want_out, defend_share``);
        an unknown name is refused before any run, with the list of outputs.
    conf:
        The intervals' confidence level.
    runner:
        How the runs are carried out, ``runner(tasks, store, title)`` (the CLI's draws its own bar);
        default: on ``workers`` or ``dask``.

    Returns
    -------
    polars.DataFrame
        One row per (output, scenario): ``n, mean, low, high``, and ``diff, diff_low, diff_high``
        (null for the first scenario). With ``out`` it is also written to ``OUT/compare.parquet``.
    """
    from exitban.scenario import Scenario
    from exitban.sweep.compare import compare_runs, compare_tasks
    from exitban.sweep.outputs import check_known_outputs
    from exitban.sweep.spec import DEFAULT_OUTPUTS

    chosen = list(outputs) if outputs is not None else list(DEFAULT_OUTPUTS)
    tasks, man = compare_tasks(list(scenarios), n, seed, days, scale, sets=list(sets))
    labels = list(man["scenarios"])  # type: ignore[call-overload]
    check_known_outputs(chosen, Scenario.model_validate(tasks[0].scenario))
    with _store(out, man) as store:
        (runner or _runner(workers, dask, progress))(tasks, store, f"compare {' vs '.join(labels)}")
        table = compare_runs(store.runs(), labels, chosen, conf)
        if out is not None:
            store.write_table("compare", table)
    return table


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
