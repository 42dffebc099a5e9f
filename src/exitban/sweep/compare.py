"""Compare scenarios over replications: each output's mean and 95% interval, and the differences.

Replicate r of every scenario runs with the same seed (common random numbers), so the
difference of a scenario from the first is estimated from paired runs: its interval is
the paired t-interval over replicates, usually much narrower than the two intervals suggest.

With parameter draws (a calibration's posterior, drawn by the caller) the design is nested:
P parameter sets x S seeds, replicate ``r = p * S + s`` taking set ``p`` and seed ``r`` in
every scenario alike (paired draws and seeds). Each difference then also has its 90% band (the
5-95% quantiles of the paired differences over all P x S pairs: what the answer may be, given
what the calibration leaves open and chance) and the band's variance split by a one-way
analysis of variance: within a draw the differences vary by chance alone (W, the mean
within-draw variance); the per-draw means vary by the parameters and by chance, so the
parameters' part is B = max(0, var(per-draw means) - W / S), and the shares are B / (B + W)
and W / (B + W).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
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
    draws: Sequence[dict[str, float]] | None = None,
    drawn_from: str = "",
) -> tuple[list[RunTask], dict[str, object]]:
    """One task per (scenario, replicate); design point k is the k-th scenario. Also the store manifest.

    ``scenarios`` are shipped names, files or ``Scenario`` objects; ``sets`` (``FIELD=VALUE`` as on
    the command line) change every scenario alike; ``at_least`` is how many scenarios there must be
    (1 for ``exitban.replicate``). With ``draws`` (P parameter sets, dotted field to value) the
    design is nested: each set runs with ``replications`` seeds, replicate ``p * replications + s``
    takes set ``p`` in every scenario; ``drawn_from`` names where the sets came from (a posterior's
    path and digest, for the manifest and the drawn fields' provenance).
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
    sets_of = list(draws) if draws else [{}]
    per_scenario = len(sets_of) * replications
    largest = max(resolved, key=lambda sc: len(sc.model_dump_json()))
    check_sweep_size("compare", len(resolved), per_scenario, largest.model_dump(mode="json"))
    for sc in resolved:
        check_fits(sc)
    tasks = []
    for k, sc in enumerate(resolved):
        for p, params in enumerate(sets_of):
            drawn = sc.with_params(params, where=drawn_from or "a parameter draw") if params else sc
            data = drawn.model_dump(mode="json")
            recorded: dict[str, float | int] = {**params, "draw": p} if draws else {}
            for s in range(replications):
                r = p * replications + s
                tasks.append(RunTask(run_id(k, r), k, r, derive_seed(root_seed, r), dict(recorded), data))
    ident: dict[str, object] = {
        "scenarios": [sc.content_hash() for sc in resolved],
        "replications": replications,
        "seed": root_seed,
    }
    if draws:  # the drawn values are the runs' identity (a store without draws keeps the one it always had)
        ident["draws"] = [sorted(d.items()) for d in sets_of]
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
    if draws:
        man.update(draws=len(sets_of), seeds_per_draw=replications, drawn_from=drawn_from)
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


BAND = (0.05, 0.95)  # the difference's 90% band: its 5% and 95% quantiles over the paired runs


@dataclass(frozen=True)
class Spread:
    """A difference over P draws x S seeds: its 90% band and the band's variance split into parameters and chance."""

    low: float
    high: float
    parameters: float  # B, the variance of the per-draw means less their chance part (at least 0)
    chance: float  # W, the mean variance within a draw

    @property
    def parameters_share(self) -> float:
        total = self.parameters + self.chance
        return self.parameters / total if total > 0 else math.nan

    @property
    def chance_share(self) -> float:
        total = self.parameters + self.chance
        return self.chance / total if total > 0 else math.nan


def nested_spread(d: np.ndarray) -> Spread:
    """The band and variance split of differences ``d`` laid out as (draws, seeds), S >= 2 seeds a draw.

    One-way random-effects analysis of variance: W = the mean of the within-draw variances; the
    variance of the per-draw means is B + W / S, so B = max(0, var(means) - W / S).
    """
    if d.ndim != 2 or d.shape[1] < 2:
        raise ValueError(f"a nested spread needs (draws, seeds) with 2 or more seeds a draw, got shape {d.shape}")
    low, high = (float(q) for q in np.quantile(d, BAND))
    within = float(np.mean(np.var(d, axis=1, ddof=1)))
    between = float(np.var(d.mean(axis=1), ddof=1)) if d.shape[0] > 1 else 0.0
    return Spread(low, high, max(0.0, between - within / d.shape[1]), within)


def compare_runs(
    runs: pl.DataFrame,
    scenarios: list[str],
    outputs: list[str],
    conf: float = 0.95,
    seeds_per_draw: int | None = None,
) -> pl.DataFrame:
    """Per output and scenario: n, mean and interval; and the paired difference from the first scenario.

    With ``seeds_per_draw`` (a nested design of parameter draws, replicate ``p * S + s``), each
    difference also has its 90% band (``band_low``, ``band_high``) and the shares of the band's
    variance from the parameters and from chance (``from_parameters``, ``from_chance``); pairs
    whose draw lost a run are left out of the split.
    """
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
                if seeds_per_draw:
                    row.update(_spread({r: by[k][r] - by[0][r] for r in paired}, seeds_per_draw))
            if seeds_per_draw and k == 0:
                row.update(band_low=None, band_high=None, from_parameters=None, from_chance=None)
            rows.append(row)
    floats = ("mean", "low", "high", "diff", "diff_low", "diff_high")
    if seeds_per_draw:
        floats += SPREAD_COLUMNS
    schema = {"output": pl.String, "scenario": pl.String, "n": pl.Int64, **{c: pl.Float64 for c in floats}}
    return pl.DataFrame(rows, schema=schema)


SPREAD_COLUMNS = ("band_low", "band_high", "from_parameters", "from_chance")


def _spread(diffs: dict[int, float], seeds: int) -> dict[str, float]:
    """The nested spread of paired differences by replicate, over the draws that kept all their seeds."""
    by_draw: dict[int, list[float]] = {}
    for r in sorted(diffs):
        by_draw.setdefault(r // seeds, []).append(diffs[r])
    whole = [v for v in by_draw.values() if len(v) == seeds]
    if not whole or seeds < 2:
        return dict.fromkeys(SPREAD_COLUMNS, math.nan)
    spread = nested_spread(np.array(whole, dtype=np.float64))
    return {
        "band_low": spread.low,
        "band_high": spread.high,
        "from_parameters": spread.parameters_share,
        "from_chance": spread.chance_share,
    }


def default_out(scenarios: list[str]) -> Path:
    stem = "-vs-".join(Path(s).stem for s in scenarios)
    return path_in("sweeps", f"compare-{stem}")
