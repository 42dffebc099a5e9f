"""Held-out validation: run a calibrated scenario with parameters drawn from its posterior, and set
the model's 90% interval of each figure beside the published range.

The rule is strict. A figure that gives its published ``point`` is a *hit* when the point lies
inside the model's 5-95% interval; a figure given as a range alone is a hit when the model's
median lies inside the range. Otherwise it is a *miss*, and *not measured* when some run cannot
give it at the scale used (a ratio whose denominator window is empty). The ratio is the model's
median over the middle of the range (the geometric middle for counts).

Beside the verdict stands the 90% interval score (Gneiting & Raftery 2007, eq. 43 with alpha =
0.1) of the model's 5-95% interval ``[l, u]`` against the published figure ``x`` (the point, or
the range's middle): ``(u - l) + 20 (l - x)+ + 20 (x - u)+``, divided by the point (or, for a
range, by its width) so that figures of different sizes compare. Lower is better: a narrow
interval around the figure scores its own width; a miss pays twenty times its distance.

Fitted figures are shown too, as a posterior predictive check, and are marked as such: a figure
used to calibrate is not evidence of validity. Each figure says whether it is independent
evidence (the targets file's ``independent``); only independent held-out hits count.
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

ALPHA = 0.1  # the interval is the model's 5-95%: a central 1 - alpha interval


def interval_score(low: float, high: float, x: float, alpha: float = ALPHA) -> float:
    """The interval score of a central (1 - alpha) interval ``[low, high]`` at the observation ``x``.

    Gneiting & Raftery (2007), eq. 43: the width plus 2 / alpha times the distance outside.
    """
    return (high - low) + (2 / alpha) * max(0.0, low - x) + (2 / alpha) * max(0.0, x - high)


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
        """The strict rule: the published point inside the model's 5-95% interval, or, for a range
        alone, the model's median inside the range."""
        if not self.measurable:
            return False
        q05, q50, q95 = self.interval
        t = self.target
        if t.point is not None:
            return q05 <= t.point <= q95
        return t.low <= q50 <= t.high

    @property
    def verdict(self) -> str:
        return "hit" if self.hit else "miss" if self.measurable else "not measured"

    @property
    def ratio(self) -> float:
        middle = self.target.middle
        return self.interval[1] / middle if middle > 0 else math.nan

    @property
    def score(self) -> float:
        """The 90% interval score against the point (or the range's middle), over the point (or the range's width).

        NaN when not measured; a point of 0 is scaled by the range's width instead.
        """
        if not self.measurable:
            return math.nan
        q05, _, q95 = self.interval
        t = self.target
        x = t.point if t.point is not None else t.middle
        per = abs(t.point) if t.point is not None and t.point != 0 else t.high - t.low
        return interval_score(q05, q95, x) / per

    @property
    def held_out(self) -> bool:
        return self.target.role == "holdout"

    @property
    def independent(self) -> bool:
        """Independent evidence: held out, and no input was chosen to produce it."""
        return self.held_out and self.target.independent


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


COLUMNS = (
    "figure",
    "period",
    "published",
    "model median [90%]",
    "ratio",
    "interval score",
    "verdict",
    "role",
    "independent",
)
VERDICT, ROLE, INDEPENDENT = COLUMNS.index("verdict"), COLUMNS.index("role"), COLUMNS.index("independent")
HELD_OUT = "held out"


def _published(t: Target) -> str:
    span = f"{_num(t.low)} to {_num(t.high)}"
    return span if t.point is None else f"{_num(t.point)} ({span})"


def rows(found: list[Check]) -> list[tuple[str, ...]]:
    """One row per figure, in the order of ``COLUMNS``: held-out ones first, independent ones first among them."""
    out = []
    for c in sorted(found, key=lambda c: (not c.held_out, not c.independent, c.key)):
        q05, q50, q95 = c.interval
        out.append(
            (
                c.target.figure,
                c.target.period,
                _published(c.target),
                f"{_num(q50)} [{_num(q05)}, {_num(q95)}]",
                f"{c.ratio:.2g}",
                f"{c.score:.3g}",
                c.verdict,
                HELD_OUT if c.held_out else "fitted (not evidence)",
                "yes" if c.independent else "no",
            )
        )
    return out
