"""Per-person distributions at the end of a run, as small histogram tables (O2, O5).

A run directory keeps aggregates only; these histograms (a few hundred rows, whatever the
population size) let a report show the spread of loyalty, fear and waiting times without
storing a million rows.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from exitban.engine import codes
from exitban.engine.state import Population
from exitban.engine.units import DAYS_PER_YEAR
from exitban.scenario import Scenario

TRAIT_BINS = 20  # bins on [0, 1] for loyalty, fear and desire
WAIT_BIN_DAYS = 30  # about a month per bin for waiting times
TRAITS = ("loyalty", "fear", "desire")
WAITS = ("wait_released_years", "wait_pending_years")
SCHEMA = {
    "institution": pl.String,
    "quantity": pl.String,
    "bin_lo": pl.Float64,
    "bin_hi": pl.Float64,
    "count": pl.Int64,
}


def population_histograms(scenario: Scenario, pop: Population, days: int) -> pl.DataFrame:
    """Histograms per institution of the serving people's traits and of waiting times (years).

    Quantities: ``loyalty``, ``fear``, ``desire`` (serving people, 20 bins on [0, 1]);
    ``wait_released_years`` (first request to release, people released by request) and
    ``wait_pending_years`` (first request to the last day, requests still pending), in bins of 30 days.
    """
    trait_edges = np.linspace(0.0, 1.0, TRAIT_BINS + 1)
    wait_edges_days = np.arange(0, days + WAIT_BIN_DAYS, WAIT_BIN_DAYS, dtype=np.float64)
    last_day = days - 1
    rows: dict[str, list] = {k: [] for k in SCHEMA}

    def add(name: str, quantity: str, values: np.ndarray, edges: np.ndarray, scale: float = 1.0) -> None:
        counts, _ = np.histogram(values, bins=edges)
        n = len(counts)
        rows["institution"] += [name] * n
        rows["quantity"] += [quantity] * n
        rows["bin_lo"] += (edges[:-1] / scale).tolist()
        rows["bin_hi"] += (edges[1:] / scale).tolist()
        rows["count"] += counts.tolist()

    for k, name in enumerate(scenario.institutions):
        mine = pop.inst == k
        serving = mine & (pop.status == codes.SERVING)
        for trait in TRAITS:
            add(name, trait, getattr(pop, trait)[serving].astype(np.float64), trait_edges)
        released = mine & (pop.status == codes.EXIT_APPROVED) & (pop.request_day >= 0) & (pop.exit_day >= 0)
        add(
            name,
            WAITS[0],
            (pop.exit_day[released] - pop.request_day[released]).astype(np.float64),
            wait_edges_days,
            DAYS_PER_YEAR,
        )
        pending = serving & ((pop.stage == codes.REQUESTED) | (pop.stage == codes.MINISTRY)) & (pop.request_day >= 0)
        add(name, WAITS[1], (last_day - pop.request_day[pending]).astype(np.float64), wait_edges_days, DAYS_PER_YEAR)
    return pl.DataFrame(rows, schema=SCHEMA)
