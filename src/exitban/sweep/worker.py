"""What a worker does with one run: simulate it and hand back plain data (a record and Parquet bytes).

The worker writes nothing: the coordinating process is the only writer of the store, so a
worker on another machine needs no shared file system, and a killed worker leaves no file.
"""

from __future__ import annotations

import io
import os
import time
import traceback
from typing import Any, NamedTuple

import polars as pl

from exitban.sweep.spec import RunTask

# Fields of a record that depend on where and when a run happened (kept out of runs.parquet).
VOLATILE = ("elapsed_s", "host_pid")


def flatten(summary: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"exits": {"approved": 3}}`` -> ``{"exits.approved": 3}``."""
    out: dict[str, Any] = {}
    for key, value in summary.items():
        if isinstance(value, dict):
            out.update(flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def unflatten(record: dict[str, Any]) -> dict[str, Any]:
    """``{"exits.approved": 3}`` -> ``{"exits": {"approved": 3}}``: a summary again (names hold no dots)."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        *parents, leaf = key.split(".")
        node = out
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return out


class RunTables(NamedTuple):
    """A completed run's tables as Parquet bytes, each with the run id as its first column."""

    timeseries: bytes
    tallies: bytes


def table_bytes(run_id: str, frame: pl.DataFrame) -> bytes:
    """A table of the run as Parquet bytes, with its run id as the first column."""
    buf = io.BytesIO()
    frame.select(pl.lit(run_id).alias("run_id"), pl.all()).write_parquet(buf, statistics=False)
    return buf.getvalue()


def run_task(task: RunTask, threads: int | None = None) -> tuple[dict[str, Any], RunTables | None]:
    """Simulate one run; a failure becomes a record with status 'failed', not an exception."""
    if threads:
        import numba

        numba.set_num_threads(min(threads, numba.config.NUMBA_NUM_THREADS))
    from exitban.scenario import Scenario
    from exitban.simulate import simulate

    record: dict[str, Any] = {
        "run_id": task.run_id,
        "point": task.point,
        "replicate": task.replicate,
        "seed": task.seed,
        "scenario": task.scenario["name"],
        **task.params,
    }
    started = time.perf_counter()
    try:
        result = simulate(Scenario.model_validate(task.scenario), seed=task.seed)
        tables = RunTables(table_bytes(task.run_id, result.timeseries), table_bytes(task.run_id, result.tallies))
        summary = {k: v for k, v in flatten(result.summary).items() if k not in record}
        record.update(status="ok", error=None, **summary)
    except Exception as exc:  # a failed run is a result too: recorded, not fatal to the sweep
        tables = None
        last = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
        where = f" at {last[0].filename}:{last[0].lineno}" if last else ""
        record.update(status="failed", error=f"{type(exc).__name__}: {exc}{where}")
    record["elapsed_s"] = round(time.perf_counter() - started, 4)
    record["host_pid"] = f"{os.uname().nodename}:{os.getpid()}"
    return record, tables


def known_outputs(scenario: Any) -> list[str]:
    """The numeric summary outputs a run of ``scenario`` reports, read from a two-day run of a few agents."""
    from exitban.simulate import simulate

    tiny = scenario.with_overrides(scale=min(scenario.scale, 100 / scenario.total_agents() * scenario.scale), days=2)
    summary = flatten(simulate(tiny, seed=0).summary)
    return [k for k, v in summary.items() if isinstance(v, int | float) and not isinstance(v, bool) and k != "seed"]
