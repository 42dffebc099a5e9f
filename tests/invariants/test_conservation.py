"""Headcount is conserved exactly: serving = start + inflows - every exit channel and outflow, every day."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

import exitban
from exitban.engine import codes
from exitban.engine.codes import EXIT_CHANNELS
from exitban.observe import EXIT_COLUMNS

INFLOWS = ["recruited", "called_up", "commissioned"]
OUTFLOWS = [*EXIT_COLUMNS, "released", "graduated"]


def balance(summary: dict) -> int:
    """Start + inflows - outflows from a summary: what serving must equal."""
    flows = summary["flows"]
    inflow = sum(flows[c] for c in INFLOWS)
    outflow = summary["exits_total"] + flows["released"] + flows["graduated"]
    return summary["agents"] + inflow - outflow


pytestmark = pytest.mark.mechanism("O4", "P1")


@pytest.mark.parametrize("seed", range(10))
def test_start_equals_serving_plus_exits_every_day(army_small: exitban.Scenario, seed: int) -> None:
    """For every institution and day, serving = start + cumulative inflows - cumulative exits and outflows."""
    result = exitban.simulate(army_small, seed=seed)
    ts = result.timeseries.sort("institution", "day")
    check = ts.with_columns(
        net=(pl.sum_horizontal(INFLOWS) - pl.sum_horizontal(OUTFLOWS)).cum_sum().over("institution"),
    )
    start = dict(zip(army_small.institutions, result.population.inst_size0.tolist(), strict=True))
    for name, group in check.group_by("institution"):
        assert (group["headcount"] == start[name[0]] + group["net"]).all(), f"{name}: headcount drifts"
    assert result.summary["serving"] == balance(result.summary)


def test_exit_days_and_status_agree(army_small: exitban.Scenario) -> None:
    """Everyone who left or graduated has an exit day; everyone serving, and every position never held, has none."""
    pop = exitban.simulate(army_small, seed=3).population
    left = (pop.status != 0) & (pop.status != codes.VACANT)
    assert np.all(pop.exit_day[left] >= 0)
    assert np.all(pop.exit_day[~left] == -1)


def test_every_exit_channel_is_used_by_some_shipped_scenario() -> None:
    """Across the shipped scenarios, a year at small scale produces exits through every channel of O4."""
    seen = dict.fromkeys(EXIT_CHANNELS, 0)
    for name in exitban.list_scenarios():
        exits = exitban.simulate(name, seed=0, days=365, scale=0.01).summary["exits"]
        for channel, n in exits.items():
            seen[channel] += n
    assert all(n > 0 for n in seen.values()), seen
