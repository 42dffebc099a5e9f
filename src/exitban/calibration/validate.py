"""Held-out validation: run a calibrated scenario with parameters drawn from its posterior, and set
the model's 90% interval of each figure beside the published range.

A figure is a *hit* when the model's 5-95% interval overlaps the published range, a *miss*
otherwise, and *not measured* when some run cannot give it at the scale used (a ratio whose
denominator window is empty); the ratio is the model's median over the middle of the range (the geometric middle
for counts). Fitted figures are shown too, as a posterior predictive check, and are marked as
such: a figure used to calibrate is not evidence of validity.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import polars as pl

from exitban.calibration.measures import check_measures
from exitban.calibration.record import draw_parameters
from exitban.calibration.targets import Target, TargetsFile
from exitban.calibration.worker import ParticleTask, run_particle
from exitban.scenario import Scenario
from exitban.sweep.executors import Executor, SerialExecutor
from exitban.sweep.spec import derive_seed


@dataclass(frozen=True)
class Check:
    """One figure: the published range, the model's values over the runs, and the verdict."""

    key: str
    target: Target
    values: tuple[float, ...]

    @property
    def interval(self) -> tuple[float, float, float]:
        q05, q50, q95 = np.quantile(np.array(self.values), [0.05, 0.5, 0.95])
        return float(q05), float(q50), float(q95)

    @property
    def measurable(self) -> bool:
        """False when some run could not give the figure (a ratio over a window with none at this scale)."""
        return all(math.isfinite(v) for v in self.values)

    @property
    def hit(self) -> bool:
        q05, _, q95 = self.interval
        return self.measurable and q05 <= self.target.high and q95 >= self.target.low

    @property
    def verdict(self) -> str:
        return "hit" if self.hit else "miss" if self.measurable else "not measured"

    @property
    def ratio(self) -> float:
        t = self.target
        middle = math.sqrt(t.low * t.high) if t.scale == "log" and t.low > 0 else (t.low + t.high) / 2
        return self.interval[1] / middle if middle > 0 else math.nan


def checks(
    scenario: Scenario,
    base_name: str,
    targets: TargetsFile,
    posterior: pl.DataFrame | None,
    runs: int,
    scale: float,
    seed: int = 0,
    executor: Executor | None = None,
) -> list[Check]:
    """Every figure of ``base_name`` (held out and fitted), from ``runs`` runs of ``scenario``.

    Run k draws parameter set k from the posterior (none: the scenario's own values) and its
    own seed; all runs last as long as the latest window needs.
    """
    chosen = {k: t for k, t in targets.targets.items() if t.scenario == base_name}
    if not chosen:
        return []
    check_measures(chosen, scenario, "the targets file")
    days = max(t.measure.last_day(scenario.start) for t in chosen.values())
    data = scenario.with_overrides(scale=scale, days=days).model_dump(mode="json")
    draws = draw_parameters(posterior, runs, seed) if posterior is not None else [{}] * runs
    measures = tuple(t.measure for t in chosen.values())
    tasks = [ParticleTask(f"v{k:05d}", derive_seed(seed, k), data, params, measures) for k, params in enumerate(draws)]
    values: dict[str, list[float]] = {k: [] for k in chosen}
    results = sorted((executor or SerialExecutor()).map_unordered(tasks, fn=run_particle), key=lambda r: r[0]["run_id"])
    for record, _ in results:
        if record["status"] != "ok":
            raise RuntimeError(f"a validation run of {scenario.name} failed: {record['error']}")
        for k, v in zip(chosen, record["values"], strict=True):
            values[k].append(v)
    return [Check(k, chosen[k], tuple(values[k])) for k in chosen]


def _num(value: float) -> str:
    if not math.isfinite(value):
        return str(value)
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def rows(found: list[Check]) -> list[tuple[str, ...]]:
    """One row per figure (figure, period, published, model, ratio, verdict, role): held-out ones first."""
    out = []
    for c in sorted(found, key=lambda c: (c.target.role != "holdout", c.key)):
        q05, q50, q95 = c.interval
        out.append(
            (
                c.target.figure,
                c.target.period,
                f"{_num(c.target.low)} to {_num(c.target.high)}",
                f"{_num(q50)} [{_num(q05)}, {_num(q95)}]",
                f"{c.ratio:.2g}",
                c.verdict,
                "held out" if c.target.role == "holdout" else "fitted (not evidence)",
            )
        )
    return out
