"""What rules do to a person: leave, face a criminal case, be frustrated (ODD 7.2, 7.10)."""

from __future__ import annotations

import numba as nb
import numpy as np

from exitban.engine import codes as c
from exitban.engine.columns import CASES_COL0, EXIT_COL0, T

CASES_OPENED = T["cases_opened"]


@nb.njit(inline="always", cache=True)
def clamp01(x: float) -> float:
    """writes: nothing"""
    return min(1.0, max(0.0, x))


@nb.njit(inline="always", cache=True)
def leave(i, channel, day, people, tally, row):
    """Person ``i`` leaves by ``channel`` (a codes.EXIT_*), counted in ``tally[row]`` (O4).

    writes: people.exit_day, people.stage, people.status; tally
    """
    people.status[i] = channel
    people.stage[i] = c.QUIET
    people.exit_day[i] = day
    tally[row, EXIT_COL0 + channel - 1] += 1.0


@nb.njit(inline="always", cache=True)
def open_case(i, article, day, people, tally, u):
    """A criminal case under ``article`` (a codes.ART_*; R2, R13): at most one open at a time,
    resolved by ``hazards.resolve_case``.

    writes: people.case_article, people.case_day, people.flags; tally
    """
    if people.flags[i] & c.F_CASE:
        return
    people.flags[i] |= c.F_CASE
    people.case_day[i] = day
    people.case_article[i] = article
    tally[u, CASES_OPENED] += 1.0
    tally[u, CASES_COL0 + article] += 1.0


@nb.njit(inline="always", cache=True)
def frustrate(i, P, people):
    """A blocked exit (RAND DRM, ODD 7.10): the wish to leave grows and loyalty shrinks.

    writes: people.desire, people.loyalty
    """
    people.desire[i] = clamp01(people.desire[i] + P.frustration)
    people.loyalty[i] = clamp01(people.loyalty[i] - P.frustration)


@nb.njit(inline="always", cache=True)
def clear_flag(people, i, flag):
    """writes: people.flags"""
    people.flags[i] &= ~np.uint8(flag)


@nb.njit(inline="always", cache=True)
def join_queue(i, stage, q, day, people, entered, u):
    """Wait in central queue ``q`` (a ``state.Q_*``) in ``stage`` from today; ``entered`` counts the unit's entrants.

    writes: people.stage, people.stage_day; entered
    """
    people.stage[i] = stage
    people.stage_day[i] = day
    entered[u, q] += 1


@nb.njit(inline="always", cache=True)
def confine(i, day, people):
    """R12, E8: confined to base, under watch, from today (``stages.release_confined`` ends it).

    writes: people.flags, people.confined_day
    """
    people.flags[i] |= c.F_CONFINED
    people.confined_day[i] = day
