"""Experiments over many runs: sweeps with replications, sensitivity analysis, scenario comparison.

``load_spec`` -> ``run_sweep`` -> a ``Store`` (Parquet + a runs table, queryable with DuckDB
or Polars) -> ``analyze_runs`` / ``compare_runs``. Seeds are fixed per run before dispatch,
so serial, process and Dask execution give the same bytes.
"""

from exitban.sweep.compare import compare_runs, compare_tasks
from exitban.sweep.executors import DaskExecutor, ProcessExecutor, SerialExecutor, make_executor
from exitban.sweep.runner import SweepReport, execute, run_sweep
from exitban.sweep.sensitivity import analyze_runs
from exitban.sweep.spec import RunTask, SweepSpec, build_tasks, derive_seed, load_spec
from exitban.sweep.store import Store, open_store

__all__ = [
    "DaskExecutor",
    "ProcessExecutor",
    "RunTask",
    "SerialExecutor",
    "Store",
    "SweepReport",
    "SweepSpec",
    "analyze_runs",
    "build_tasks",
    "compare_runs",
    "compare_tasks",
    "derive_seed",
    "execute",
    "load_spec",
    "make_executor",
    "open_store",
    "run_sweep",
]
