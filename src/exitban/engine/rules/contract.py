"""Contract end and mobilization (ODD 7.3; R4, P1)."""

from __future__ import annotations

import numba as nb
import numpy as np

from exitban.engine import codes as c
from exitban.engine.columns import T
from exitban.engine.rules.actions import clear_flag, leave

ROTATED = T["rotated"]


@nb.njit(inline="always", cache=True)
def contract_end(i, day, P, contract_days, resignation_case, decree, reservist, demob_start, people, tally, u):
    """On or after the contract's last day: a draftee is replaced in place, the decree holds a contract
    serviceman (his contract runs on), one who wants out leaves, anyone else signs again.

    A mobilized reservist has no contract: held while the decree lasts, released ``contract_end[i]``
    days (drawn over ``demobilization_days``) after ``demob_start``. Returns True if the person left.
    """
    if reservist:
        if decree:
            people.flags[i] |= c.F_HELD_PAST_CONTRACT
            return False
        if day >= demob_start + people.contract_end[i]:
            leave(i, c.EXIT_DEMOBILIZED, day, people, tally, u)
            return True
        return False
    if day < people.contract_end[i]:
        return False
    if not resignation_case:  # a draftee's term ends and a new draftee takes the place
        people.contract_end[i] += np.int32(contract_days)
        tally[u, ROTATED] += 1.0
    elif decree:
        people.flags[i] |= c.F_HELD_PAST_CONTRACT
    elif people.desire[i] >= P.want_out_cutoff:
        leave(i, c.EXIT_CONTRACT_END, day, people, tally, u)
        return True
    else:
        people.contract_end[i] += np.int32(contract_days)
        clear_flag(people, i, c.F_HELD_PAST_CONTRACT)
    return False
