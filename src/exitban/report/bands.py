"""Scenarios side by side: replications over seeds, summarised as a mean and a 5-95% band per day."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from exitban.report.rundata import RunData
from exitban.scenario import Scenario
from exitban.simulate import simulate

# metric (a column of RunData.totals()) -> (title, unit); normalised so different scales compare.
COMPARE_METRICS: dict[str, tuple[str, str]] = {
    "serving_share": ("still serving", "share of the start"),
    "want_out_share": ("privately want out", "share of those serving"),
    "exits_per_1000": ("exits (cumulative)", "per 1,000 at the start"),
    "backlog_per_1000": ("requests waiting", "per 1,000 at the start"),
    "capacity_share": ("effective capacity", "per head serving"),
    "defend_share": ("would defend the regime", "share of those serving"),
}
LOW, HIGH = 5.0, 95.0


@dataclass(frozen=True)
class Bands:
    """Long table: label, metric, day, mean, lo (5th percentile), hi (95th), replications."""

    labels: list[str]
    table: pl.DataFrame

    def final(self) -> pl.DataFrame:
        """The last day's row of each label and metric."""
        last = self.table.group_by("label", "metric").agg(pl.col("day").max().alias("_last"))
        return self.table.join(last, on=["label", "metric"]).filter(pl.col("day") == pl.col("_last")).drop("_last")


def bands(groups: Sequence[tuple[str, Sequence[RunData]]]) -> Bands:
    """Mean and 5-95% band over each group's replications, day by day, for every compare metric."""
    frames = []
    for label, runs in groups:
        if not runs:
            raise ValueError(f"'{label}': no runs to compare")
        totals = [r.totals() for r in runs]
        days = min(t.height for t in totals)
        day = totals[0]["day"].to_numpy()[:days]
        for metric in COMPARE_METRICS:
            stack = np.vstack([t[metric].to_numpy()[:days].astype(np.float64) for t in totals])
            frames.append(
                pl.DataFrame(
                    {
                        "label": label,
                        "metric": metric,
                        "day": day,
                        "mean": stack.mean(axis=0),
                        "lo": np.percentile(stack, LOW, axis=0),
                        "hi": np.percentile(stack, HIGH, axis=0),
                        "replications": len(runs),
                    }
                )
            )
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
