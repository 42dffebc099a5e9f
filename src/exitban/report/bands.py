"""Replications over seeds, summarised per day as a mean, a median and a 5-95% band.

Comparisons (scenarios side by side) draw the mean; a single run's report draws the median.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, NamedTuple

import numpy as np
import polars as pl

from exitban.errors import ExitbanError
from exitban.report.rundata import RunData
from exitban.scenario import Scenario
from exitban.simulate import simulate


class Metric(NamedTuple):
    """How a compared metric is shown: its title, its unit, and the factor from the column to that unit."""

    title: str
    unit: str
    factor: float = 1.0  # 100: a share shown in %, as every single-run plot shows shares


# metric (a column of RunData.totals) -> how it is shown; normalised so different scales compare.
COMPARE_METRICS: dict[str, Metric] = {
    "serving_share": Metric("still serving", "% of the start", 100.0),
    "want_out_share": Metric("privately want out", "% of those serving", 100.0),
    "exits_per_1000": Metric("exits (cumulative)", "per 1,000 at the start"),
    "backlog_per_1000": Metric("requests waiting", "per 1,000 at the start"),
    "capacity_share": Metric("effective capacity", "full-time equivalents per head serving"),
    "defend_share": Metric("would defend the regime", "% of those serving", 100.0),
}
LOW, HIGH = 5.0, 95.0


@dataclass(frozen=True)
class Bands:
    """Long table: label, metric, day, mean, median, lo (5th percentile), hi (95th), replications."""

    labels: list[str]
    table: pl.DataFrame

    def final(self) -> pl.DataFrame:
        """The last day's row of each label and metric."""
        last = self.table.group_by("label", "metric").agg(pl.col("day").max().alias("_last"))
        return self.table.join(last, on=["label", "metric"]).filter(pl.col("day") == pl.col("_last")).drop("_last")


@dataclass(frozen=True)
class Seeds:
    """One scenario's replications over seeds: the report shades each line's 5-95% band over them.

    With ``posterior`` (the file they were drawn from), the replications also differ in their
    parameters, drawn from a calibration's posterior: the band is posterior predictive.
    """

    runs: tuple[RunData, ...]
    posterior: str = ""

    @cached_property
    def totals(self) -> tuple[pl.DataFrame, ...]:
        """Each replication's daily totals (``RunData.totals``), made once."""
        return tuple(r.totals for r in self.runs)

    def institution(self, name: str) -> tuple[pl.DataFrame, ...]:
        """Each replication's daily rows of one institution, by day."""
        return tuple(r.timeseries.filter(pl.col("institution") == name).sort("day") for r in self.runs)

    def seeds(self) -> list[int]:
        """The replications' seeds, in order."""
        return [int(r.summary["seed"]) for r in self.runs]


def band_frames(label: str, totals: Sequence[pl.DataFrame]) -> list[pl.DataFrame]:
    """Mean and 5-95% band over replications' daily totals, one frame per compare metric."""
    days = min(t.height for t in totals)
    day = totals[0]["day"].to_numpy()[:days]
    frames = []
    for metric in COMPARE_METRICS:
        stack = np.vstack([t[metric].to_numpy()[:days].astype(np.float64) for t in totals])
        frames.append(
            pl.DataFrame(
                {
                    "label": label,
                    "metric": metric,
                    "day": day,
                    "mean": stack.mean(axis=0),
                    "median": np.median(stack, axis=0),
                    "lo": np.percentile(stack, LOW, axis=0),
                    "hi": np.percentile(stack, HIGH, axis=0),
                    "replications": len(totals),
                }
            )
        )
    return frames


def bands(groups: Sequence[tuple[str, Sequence[RunData]]]) -> Bands:
    """Mean and 5-95% band over each group's replications, day by day, for every compare metric."""
    frames = []
    for label, runs in groups:
        if not runs:
            raise ValueError(f"'{label}': no runs to compare")
        frames += band_frames(label, [r.totals for r in runs])
    return Bands([label for label, _ in groups], pl.concat(frames))


def replicate(
    scenario: Scenario,
    seeds: Sequence[int],
    label: str | None = None,
    on_run: Callable[[str, int], None] | None = None,
) -> tuple[str, list[RunData]]:
    """Run ``scenario`` once per seed (serially) and keep each run's tables."""
    name = label or scenario.name
    runs = []
    for seed in seeds:
        if on_run is not None:
            on_run(name, seed)
        runs.append(RunData.from_result(simulate(scenario, seed=seed), label=name))
    return name, runs


def replicate_all(
    groups: Sequence[tuple[str, Scenario]],
    seeds: Sequence[int],
    executor: Any = None,
    on_done: Callable[[int, int], None] | None = None,
) -> list[tuple[str, list[RunData]]]:
    """Run every (label, scenario) once per seed on a sweep executor (default: in this process).

    Replicate r of every scenario uses ``seeds[r]``, so the runs are the ones ``replicate`` makes,
    in any order and on any number of workers. ``on_done(done, total)`` follows the progress.
    """
    return run_all([(label, [(sc, seed) for seed in seeds]) for label, sc in groups], executor, on_done)


def run_all(
    groups: Sequence[tuple[str, Sequence[tuple[Scenario, int]]]],
    executor: Any = None,
    on_done: Callable[[int, int], None] | None = None,
) -> list[tuple[str, list[RunData]]]:
    """Run each group's (scenario, seed) pairs on a sweep executor; each run keeps its own scenario.

    A group's runs may differ in their scenarios too (parameters drawn from a posterior): every
    task carries its run's full scenario, so the executor runs them as it runs seeds.
    """
    from exitban.sweep.executors import SerialExecutor
    from exitban.sweep.spec import RunTask, run_id
    from exitban.sweep.worker import unflatten

    tasks = [
        RunTask(run_id(k, r), k, r, seed, {}, sc.model_dump(mode="json"))
        for k, (_, pairs) in enumerate(groups)
        for r, (sc, seed) in enumerate(pairs)
    ]
    runs: dict[int, dict[int, RunData]] = {k: {} for k in range(len(groups))}
    for done, (record, tables) in enumerate((executor or SerialExecutor()).map_unordered(tasks), 1):
        label, pairs = groups[record["point"]]
        if record["status"] != "ok" or tables is None:
            raise ExitbanError(f"run of '{label}' with seed {record['seed']} failed: {record.get('error')}")
        ts, tallies = (pl.read_parquet(io.BytesIO(blob)).drop("run_id") for blob in tables)
        sc = pairs[record["replicate"]][0]
        runs[record["point"]][record["replicate"]] = RunData(sc, unflatten(record), ts, tallies, None, label)
        if on_done is not None:
            on_done(done, len(tasks))
    return [(label, [runs[k][r] for r in sorted(runs[k])]) for k, (label, _) in enumerate(groups)]
