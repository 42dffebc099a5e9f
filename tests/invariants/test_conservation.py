"""Headcount is conserved exactly: start = serving + every exit channel, every day."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

import exitban
from exitban.engine.codes import EXIT_CHANNELS
from exitban.observe import EXIT_COLUMNS

pytestmark = pytest.mark.mechanism("O4", "P1")


@pytest.mark.parametrize("seed", range(10))
def test_start_equals_serving_plus_exits_every_day(army_small: exitban.Scenario, seed: int) -> None:
    """For every institution and day, serving + cumulative exits equals the starting headcount."""
    result = exitban.simulate(army_small, seed=seed)
    ts = result.timeseries.sort("institution", "day")
    check = ts.with_columns(
        cum=pl.sum_horizontal(EXIT_COLUMNS).cum_sum().over("institution"),
    )
    start = {name: n for name, n in zip(army_small.institutions, result.population.inst_size0, strict=True)}
    for name, group in check.group_by("institution"):
        total = group["headcount"] + group["cum"]
        assert (total == start[name[0]]).all(), f"{name}: headcount + exits drifts from {start[name[0]]}"
    assert result.summary["serving"] + result.summary["exits_total"] == result.summary["agents"]


def test_exit_days_and_status_agree(army_small: exitban.Scenario) -> None:
    """Everyone who left has an exit day; everyone serving has none."""
    pop = exitban.simulate(army_small, seed=3).population
    left = pop.status != 0
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
