"""A comparison's answer with its uncertainty: each scenario's last-day difference from the first.

The runs are a nested design, as ``exitban compare`` makes them: P parameter sets drawn from a
calibration's posterior x S seeds, run r = p * S + s taking set p and seed r in every scenario
alike, so each difference is paired. Its 90% band and the shares of the band's variance from the
parameters and from chance are ``sweep.compare.nested_spread``'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from exitban.report.bands import COMPARE_METRICS
from exitban.report.rundata import RunData
from exitban.sweep.compare import nested_spread


@dataclass(frozen=True)
class Differences:
    """Per compared scenario and metric: the mean difference from ``reference``, its band and its variance split.

    ``table`` columns: label, metric, mean, band_low, band_high, from_parameters, from_chance
    (the metrics' own units, as ``COMPARE_METRICS`` shows them).
    """

    reference: str
    posterior: str
    draws: int
    seeds: int
    table: pl.DataFrame

    def parameters_range(self) -> tuple[float, float]:
        """The smallest and largest share of a band's variance that the parameters make."""
        shares = self.table["from_parameters"].drop_nans().drop_nulls()
        return (float(shares.min()), float(shares.max())) if shares.len() else (np.nan, np.nan)


def _last_day(run: RunData, metric: str) -> float:
    return float(run.totals[metric][-1]) * COMPARE_METRICS[metric].factor


def differences(groups: Sequence[tuple[str, Sequence[RunData]]], seeds: int, posterior: str) -> Differences:
    """The paired differences of every group from the first, its runs laid out as P draws x ``seeds`` seeds.

    Each group holds the same P x S runs in replicate order (``bands.run_all`` returns them so).
    """
    (reference, first), rest = groups[0], groups[1:]
    if seeds < 2 or not first or len(first) % seeds:
        raise ValueError(f"a nested design needs S >= 2 seeds a draw and P x S runs, got {len(first)} runs, S={seeds}")
    draws = len(first) // seeds
    rows = []
    for label, runs in rest:
        if len(runs) != len(first):
            raise ValueError(f"'{label}': {len(runs)} runs, where '{reference}' has {len(first)}: not paired")
        for metric in COMPARE_METRICS:
            d = np.array([_last_day(b, metric) - _last_day(a, metric) for a, b in zip(first, runs, strict=True)])
            spread = nested_spread(d.reshape(draws, seeds))
            rows.append(
                {
                    "label": label,
                    "metric": metric,
                    "mean": float(d.mean()),
                    "band_low": spread.low,
                    "band_high": spread.high,
                    "from_parameters": spread.parameters_share,
                    "from_chance": spread.chance_share,
                }
            )
    return Differences(reference, posterior, draws, seeds, pl.DataFrame(rows))
