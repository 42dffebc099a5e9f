"""Decree 647 as written (ODD 7.3; R4): while mobilization lasts, servicemen of mobilized institutions
may not resign, their contracts run on, and release is only for age, health or a custodial sentence."""

from __future__ import annotations

import numba as nb


@nb.njit(inline="always", cache=True)
def mobilization_on(P, day):
    """The decree holds while ``mobilization`` is on: from the start, or from a phase's date, until the day
    ``mobilization_end_day`` a phase turns it off (-1 never; C:6: no end is announced).

    The end is read from ``mobilization_end_day`` as well as from the switch, so the day before it already
    knows tomorrow's (``flows.recruitment_odds`` asks about tomorrow).

    writes: nothing
    """
    return P.mobilization > 0.0 and (P.mobilization_end_day < 0.0 or day < P.mobilization_end_day)


@nb.njit(inline="always", cache=True)
def under_decree(P, inst, k, day):
    """Whether institution ``k``'s servicemen are held by the decree today: for them the decree is the ban (C:3).

    writes: nothing
    """
    return mobilization_on(P, day) and inst.mobilized[k] > 0.0 and inst.resignation_case[k] > 0.0


@nb.njit(inline="always", cache=True)
def is_banned(ban_active, inst, k, decree):
    """Whether leaving is banned for institution ``k`` today: the regime's ban where it covers ``k``, or the decree.

    writes: nothing
    """
    return decree or ban_active[k] * inst.covered_by_ban[k] > 0.0


@nb.njit(inline="always", cache=True)
def odds(decree, banned, if_banned, if_free):
    """The model's central idea: a way out's chance today is none under the decree, else the rate under the ban
    or without it (R4, R1).

    writes: nothing
    """
    return 0.0 if decree else (if_banned if banned else if_free)


@nb.njit(inline="always", cache=True)
def demobilization_start(P, inst, k):
    """The day the mobilized of institution ``k`` start to be released: the decree's end (the day a phase
    turned mobilization off), or day 0 without one; -1 while no end is set (they are held by the decree meanwhile).

    writes: nothing
    """
    if (P.mobilization > 0.0 or P.mobilization_end_day >= 0.0) and inst.mobilized[k] > 0.0:
        return P.mobilization_end_day
    return 0.0
