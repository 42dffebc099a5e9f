"""Compare scenarios over replications: each output's mean and 95% interval, and the differences.

Replicate r of every scenario runs with the same seed (common random numbers), so the
difference of a scenario from the first is estimated from paired runs: its interval is
the paired t-interval over replicates, usually much narrower than the two intervals suggest.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import polars as pl

from exitban._version import __version__
from exitban.errors import ScenarioError
from exitban.limits import check_fits
from exitban.scenario import Scenario
from exitban.scenario.edit import apply_sets
from exitban.scenario.load import load_scenario
from exitban.scenario.names import path_in
from exitban.sweep.outputs import check_outputs
from exitban.sweep.sizing import check_sweep_size
from exitban.sweep.spec import RunTask, derive_seed, run_id


def compare_tasks(
    scenarios: Sequence[str | Path | Scenario],
    replications: int,
    root_seed: int,
    days: int | None,
    scale: float | None,
    sets: list[str] | None = None,
    at_least: int = 2,
) -> tuple[list[RunTask], dict[str, object]]:
    """One task per (scenario, replicate); design point k is the k-th scenario. Also the store manifest.

    ``scenarios`` are shipped names, files or ``Scenario`` objects; ``sets`` (``FIELD=VALUE`` as on
    the command line) change every scenario alike; ``at_least`` is how many scenarios there must be
    (1 for ``exitban.replicate``).
    """
    if len(scenarios) < at_least:
        raise ScenarioError("compare needs at least two scenarios")
    resolved: list[Scenario] = []
    for name in scenarios:
        sc = apply_sets(name if isinstance(name, Scenario) else load_scenario(name), sets or [])
        changes = {k: v for k, v in (("days", days), ("scale", scale)) if v is not None}
        resolved.append(sc.with_overrides(**changes) if changes else sc)
    labels = [sc.name for sc in resolved]
    if len(set(labels)) != len(labels):
        raise ScenarioError(f"compare got the same scenario twice: {labels}")
    largest = max(resolved, key=lambda sc: len(sc.model_dump_json()))
    check_sweep_size("compare", len(resolved), replications, largest.model_dump(mode="json"))
    for sc in resolved:
        check_fits(sc)
    tasks = [
        RunTask(run_id(k, r), k, r, derive_seed(root_seed, r), {}, sc.model_dump(mode="json"))
        for k, sc in enumerate(resolved)
        for r in range(replications)
    ]
    ident = {"scenarios": [sc.content_hash() for sc in resolved], "replications": replications, "seed": root_seed}
    spec_hash = hashlib.sha256(json.dumps(ident, sort_keys=True).encode()).hexdigest()
    man = {
        "kind": "compare",
        "name": " vs ".join(labels),
        "spec_hash": spec_hash,
        "version": __version__,
        "runs": len(tasks),
        "scenarios": labels,
        # each scenario as it ran (sets, days and scale applied): what a report needs to derive shares
        "resolved": [sc.model_dump(mode="json") for sc in resolved],
        "replications": replications,
        "root_seed": root_seed,
    }
    return tasks, man


def _t(df: int, conf: float) -> float:
    from scipy.stats import t

    return float(t.ppf(0.5 + conf / 2, df)) if df >= 1 else math.nan


def _interval(values: np.ndarray, conf: float) -> tuple[float, float, float]:
    n = values.size
    mean = float(values.mean()) if n else math.nan
    if n < 2:
        return mean, math.nan, math.nan
    half = _t(n - 1, conf) * float(values.std(ddof=1)) / math.sqrt(n)
    return mean, mean - half, mean + half


def compare_runs(runs: pl.DataFrame, scenarios: list[str], outputs: list[str], conf: float = 0.95) -> pl.DataFrame:
    """Per output and scenario: n, mean and interval; and the paired difference from the first scenario."""
    check_outputs(runs, outputs)
    ok = runs.filter(pl.col("status") == "ok")
    rows: list[dict[str, object]] = []
    for out in outputs:
        by = {
            k: dict(zip(g["replicate"].to_list(), g[out].cast(pl.Float64).to_list(), strict=True))
            for k in range(len(scenarios))
            for g in [ok.filter(pl.col("point") == k)]
        }
        for k, name in enumerate(scenarios):
            vals = np.array(list(by[k].values()), dtype=np.float64)
            mean, lo, hi = _interval(vals, conf)
            row: dict[str, object] = {"output": out, "scenario": name, "n": int(vals.size)}
            row.update(mean=mean, low=lo, high=hi)
            if k == 0:
                row.update(diff=None, diff_low=None, diff_high=None)
            else:
                paired = sorted(set(by[k]) & set(by[0]))
                d = np.array([by[k][r] - by[0][r] for r in paired], dtype=np.float64)
                dm, dlo, dhi = _interval(d, conf)
                row.update(diff=dm, diff_low=dlo, diff_high=dhi)
            rows.append(row)
    schema = {
        "output": pl.String,
        "scenario": pl.String,
        "n": pl.Int64,
        **{c: pl.Float64 for c in ("mean", "low", "high", "diff", "diff_low", "diff_high")},
    }
    return pl.DataFrame(rows, schema=schema)


def default_out(scenarios: list[str]) -> Path:
    stem = "-vs-".join(Path(s).stem for s in scenarios)
    return path_in("sweeps", f"compare-{stem}")
