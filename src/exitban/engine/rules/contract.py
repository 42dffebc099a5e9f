"""Contract end and mobilization (ODD 7.3; R4, P1)."""

from __future__ import annotations

import numba as nb
import numpy as np

from exitban.engine import codes as c
from exitban.engine.rules.actions import clear_flag, leave
from exitban.engine.rules.flows import graduate, rotate_draftee
from exitban.engine.rules.retention import retention_gain, signs_again, years_served


@nb.njit(inline="always", cache=True)
def contract_end(i, day, seed, P, today, recruits, people, signals, tally, u):
    """On or after the contract's last day: a draftee is released and another called up in his place, an
    academy member graduates (``today.graduates``), the decree holds a contract serviceman (his contract
    runs on), anyone else weighs signing again against leaving (``retention.signs_again``, RAND's DRM).

    A mobilized reservist has no contract: held while the decree lasts, released ``contract_end[i]``
    days (drawn over ``demobilization_days``) after ``today.demob_start``. Returns True if the person left.

    writes: people.flags, people.status, people.stage, people.exit_day, people.contract_end, people.desire,
    people.loyalty, people.fear, people.risk_aversion, people.competence, people.health, people.family,
    people.means, people.reach, people.threshold, people.junior, people.age, people.seniority,
    people.pressure, people.n_requests, people.case_article, people.stage_day, people.request_day,
    people.case_day, people.help, people.station, people.station_day, people.days_away; signals.acted_gone; tally
    """
    decree, demob_start = today.decree, today.demob_start
    if today.reservist:
        if decree:
            people.flags[i] |= c.F_HELD_PAST_CONTRACT
            return False
        if demob_start >= 0.0 and day >= demob_start + people.contract_end[i]:
            leave(i, c.EXIT_DEMOBILIZED, day, people, tally, u)
            return True
        return False
    if day < people.contract_end[i]:
        return False
    if not today.can_resign:  # a draftee's term ends and a new draftee takes the place
        rotate_draftee(i, day, seed, today, recruits, people, signals, tally, u)
    elif today.graduates:  # B:26-28: the academy does not let a cadet go; at the end of the term he is posted
        graduate(i, day, people, tally, u)
        return True
    elif decree:
        people.flags[i] |= c.F_HELD_PAST_CONTRACT
    else:
        gain = retention_gain(i, years_served(i, day, people), today.pay_premium, today.pension_years, P, people)
        if not signs_again(i, day, seed, P, gain, people):
            leave(i, c.EXIT_CONTRACT_END, day, people, tally, u)
            return True
        people.contract_end[i] += np.int32(today.contract_days)
        clear_flag(people, i, c.F_HELD_PAST_CONTRACT)
    return False
