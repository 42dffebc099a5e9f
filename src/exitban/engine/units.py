"""Conversions between the units scenario files use and the engine's day step."""

from __future__ import annotations

import numba as nb

DAYS_PER_YEAR = 365.0


@nb.njit(cache=True)
def daily(per_year: float) -> float:
    """A yearly probability as the daily one that compounds to it."""
    return 1.0 - (1.0 - per_year) ** (1.0 / DAYS_PER_YEAR)
