"""Run a list of tasks into a store: skip what is finished, store each result as it arrives."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from exitban.sweep.executors import Executor, make_executor
from exitban.sweep.spec import RunTask, SweepSpec, build_tasks, manifest
from exitban.sweep.store import Store

Progress = Callable[[int, int, int], None]  # (done, failed, total) after each stored run


@dataclass
class SweepReport:
    """What one command did: how many runs there are, how many it ran, how many failed."""

    store: Store
    total: int
    skipped: int
    ran: int
    failed: int
    elapsed_s: float
    damaged: dict[str, str] = field(default_factory=dict)  # runs that had a record but not whole data: run again


def execute(
    tasks: list[RunTask],
    store: Store,
    executor: Executor,
    progress: Progress | None = None,
    table_every_s: float = 10.0,
) -> SweepReport:
    """Run the tasks that have no record yet; the runs table is refreshed now and then and at the end."""
    started = time.perf_counter()
    held = store.inventory()
    finished = held.stored
    todo = [t for t in tasks if t.run_id not in finished]
    skipped = len(tasks) - len(todo)
    failed_before = sum(1 for r in store.records() if r.get("status") == "failed") if skipped else 0
    ran = failed = 0
    last_table = time.monotonic()
    if progress:
        progress(skipped, failed_before, len(tasks))
    try:
        for record, tables in executor.map_unordered(todo):
            store.save(record, tables)
            ran += 1
            failed += record["status"] != "ok"
            if progress:
                progress(skipped + ran, failed_before + failed, len(tasks))
            if time.monotonic() - last_table > table_every_s:
                t0 = time.monotonic()
                store.write_runs_table()
                last_table = time.monotonic()
                # Rebuilding reads every record: keep it under ~5% of the time in big sweeps.
                table_every_s = max(table_every_s, 20 * (last_table - t0))
    finally:
        store.write_runs_table()
    return SweepReport(store, len(tasks), skipped, ran, failed, time.perf_counter() - started, held.damaged)


def run_sweep(
    spec: SweepSpec,
    out: str | Path,
    spec_path: Path | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    dask: str | None = None,
) -> SweepReport:
    """Build every task (seeds fixed), open the store and run what is missing."""
    tasks = build_tasks(spec, spec_path)
    store = Store.open(out, manifest(spec, tasks))
    own = executor is None
    try:
        ex = executor or make_executor(workers, dask, n_tasks=len(tasks) - len(store.finished()))
        try:
            return execute(tasks, store, ex, progress)
        finally:
            if own:
                ex.close()
    finally:
        store.close()  # the writer lock; the returned store can still be read
