"""The regime's ban (ODD 7.1; R1)."""

from __future__ import annotations

import numba as nb

from exitban.engine.codes import BAN_AUTO, BAN_OFF, BAN_ON


@nb.njit(cache=True)
def ban_for_day(policy, active, acted_share, trigger, day, lift_day):
    """'on' holds the ban; 'auto' imposes it once the share who have shown the wish to leave, serving or
    gone (yesterday's, over the starting size), passes the trigger: many wanted to resign (A:13).

    writes: active
    """
    for k in range(policy.shape[0]):
        if lift_day >= 0 and day >= lift_day:
            active[k] = 0
        elif policy[k] == BAN_ON or (policy[k] == BAN_AUTO and acted_share[k] >= trigger):
            active[k] = 1
        elif policy[k] == BAN_OFF:
            active[k] = 0
