"""The private state's daily drift (ODD 7.4; P3)."""

from __future__ import annotations

import numba as nb

from exitban.engine.rules.actions import clamp01


@nb.njit(inline="always", cache=True)
def drift(i, P, drift_daily, can_resign, people):
    """The wish to leave grows toward 1 at the institution's drift; fear fades.

    Returns whether the person privately wants out (a resignation case at or above the cut-off).

    writes: people.desire, people.fear
    """
    people.desire[i] = clamp01(people.desire[i] + drift_daily * (1.0 - people.desire[i]))
    people.fear[i] = people.fear[i] * (1.0 - P.fear_decay)
    return can_resign and people.desire[i] >= P.want_out_cutoff
