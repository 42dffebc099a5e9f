"""Small helpers shared by the tests: run a scenario with dotted overrides, sum an output."""

from __future__ import annotations

import datetime
from typing import Any

import polars as pl

import exitban


def scenario(name: str, scale: float = 0.005, days: int = 120, **params: Any) -> exitban.Scenario:
    """A shipped scenario, scaled down, with dotted overrides: ``scenario("army-officers-2019", **{"regime.x": 1})``."""
    base = exitban.load_scenario(name).with_overrides(scale=scale, days=days)
    return base.with_params(params) if params else base


def phases(name: str, *changes: tuple[int, str, Any]) -> dict[str, Any]:
    """``{"phases": [...]}`` for ``scenario(name, **phases(name, (day, field, value)))``: each change on the day
    counted from the scenario's start."""
    start = exitban.load_scenario(name).start
    return {
        "phases": [
            {"date": start + datetime.timedelta(days=day), "field": field, "value": value, "provenance": "test"}
            for day, field, value in changes
        ]
    }


def total(result: exitban.Result, column: str, institution: str | None = None) -> float:
    """Sum of a daily output over all days (and institutions, unless one is named)."""
    ts = result.timeseries
    if institution is not None:
        ts = ts.filter(pl.col("institution") == institution)
    return float(ts[column].sum())


def final(result: exitban.Result, column: str, institution: str) -> float:
    """The value of an output on the last day for one institution."""
    ts = result.timeseries.filter(pl.col("institution") == institution)
    return float(ts[column][-1])


def paired(
    base: exitban.Scenario, changed: exitban.Scenario, measure, seeds: range = range(10)
) -> list[tuple[float, float]]:
    """(measure of base, measure of changed) for each seed: the same seed drives both runs."""
    return [(measure(exitban.simulate(base, seed=s)), measure(exitban.simulate(changed, seed=s))) for s in seeds]


def target(low: float, high: float, **fields: Any) -> Any:
    """A calibration target with placeholder metadata: only its range (and any field given) matters."""
    from exitban.calibration.targets import Measure, Target

    defaults: dict[str, Any] = {
        "figure": "test figure",
        "scale": "linear",
        "date": "2020-01-01",
        "period": "test",
        "source": "test",
        "scenario": "test",
        "role": "fit",
        "measure": Measure(columns=["x"], days=(0, 1)),
        "independent": False,
        "independent_why": "test",
    }
    return Target(low=low, high=high, **{**defaults, **fields})


def seal(folder: object, *names: str) -> None:
    """List ``names`` in ``folder``'s checksums.json (default: a new list of every file under it), as exitban would.

    For tests of the checks behind the list: a folder someone prepared with a list that vouches for
    a bad file must still be refused by what the file holds.
    """
    from pathlib import Path

    from exitban.checksums import NAME, Checksums

    folder = Path(folder)
    listed = Checksums.load_or_empty(folder, "") if names and (folder / NAME).is_file() else Checksums(folder)
    chosen = names or tuple(
        p.relative_to(folder).as_posix() for p in sorted(folder.rglob("*")) if p.is_file() and p.name != NAME
    )
    for name in chosen:
        listed.put(name, (folder / name).read_bytes())
    listed.save()


def changed_from_parent(name: str) -> list[str]:
    """The fields a shipped scenario that ``extends`` another sets to other values than its parent."""
    from exitban.scenario.fields import leaf_values

    child = exitban.load_scenario(name)
    a, b = leaf_values(exitban.load_scenario(child.extends)), leaf_values(child)
    return [k for k in a if a[k] != b[k] and k not in {"name", "title", "description", "extends"}]


def is_view(name: str) -> bool:
    """A view (war-2022-2025-officials) extends a scenario and says so in the provenance of all it changes: the
    same model at other sizes, neither a counterfactual nor a set of rules to dock again."""
    from exitban.scenario import resolve_provenance

    if not exitban.load_scenario(name).extends:
        return False
    provenance = resolve_provenance(exitban.load_scenario(name))
    return all(provenance[k][1].startswith("view") for k in changed_from_parent(name))
