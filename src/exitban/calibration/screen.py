"""Published figures as the outputs of a sensitivity analysis: a screen of what the figures of a targets
file can identify, before choosing which parameters to fit (pattern-oriented modelling; issue 23).

An output named ``target:NAME`` is target ``NAME`` of the targets file, read off each run's daily
table exactly as the calibration reads it (``measures.measure_value``), so a screen and a fit see
the same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import polars as pl

from exitban.calibration.measures import check_measures, measure_value
from exitban.calibration.targets import Target, TargetsFile
from exitban.errors import ScenarioError
from exitban.scenario import Scenario

PREFIX = "target:"


def split_outputs(outputs: Sequence[str]) -> tuple[list[str], list[str]]:
    """``(summary outputs, target names)``: an output ``target:NAME`` names target ``NAME``."""
    plain = [o for o in outputs if not o.startswith(PREFIX)]
    return plain, [o[len(PREFIX) :] for o in outputs if o.startswith(PREFIX)]


def chosen_targets(names: Sequence[str], targets: TargetsFile, where: str, base: Scenario) -> dict[str, Target]:
    """The named targets, refused (one line naming the file and the target) where ``base``'s runs cannot give
    them: an unknown name, a column or institution the scenario lacks, a window past the run's last day."""
    unknown = [n for n in names if n not in targets.targets]
    if unknown:
        mine = sorted(k for k, t in targets.targets.items() if t.scenario == base.name)
        allowed = ", ".join(f"target:{k}" for k in mine) or "none of this file's targets is of this scenario"
        raise ScenarioError(f"--outputs: {where} has no target {', '.join(map(repr, unknown))} (allowed: {allowed})")
    chosen = {n: targets.targets[n] for n in names}
    check_measures(chosen, base, where)
    for name, target in chosen.items():
        needs = target.measure.last_day(base.start)
        if needs > base.days:
            raise ScenarioError(
                f"--outputs: target:{name} of {where} reads day {needs} of the run, past the sweep's {base.days} "
                f"days (allowed: a spec with days >= {needs})"
            )
    return chosen


def with_target_outputs(
    runs: pl.DataFrame, timeseries: pl.LazyFrame, chosen: dict[str, Target], scale: float
) -> pl.DataFrame:
    """``runs`` with a column ``target:NAME`` per chosen target: its figure in each completed run (a run
    that failed, or whose window holds nothing to divide by, has NaN)."""
    if not chosen:
        return runs
    ids = runs.filter(pl.col("status") == "ok")["run_id"].to_list()
    tables = timeseries.filter(pl.col("run_id").is_in(ids)).collect().partition_by("run_id", as_dict=True)
    values: dict[str, list[float]] = {f"{PREFIX}{n}": [] for n in chosen}
    for run_id in runs["run_id"].to_list():
        table = tables.get((run_id,))
        for name, target in chosen.items():
            value = measure_value(target.measure, table, scale) if table is not None else math.nan
            values[f"{PREFIX}{name}"].append(value if math.isfinite(value) else math.nan)
    return runs.with_columns(pl.Series(k, v, dtype=pl.Float64) for k, v in values.items())
