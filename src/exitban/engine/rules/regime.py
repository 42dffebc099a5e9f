"""The regime's ban (ODD 7.1; R1)."""

from __future__ import annotations

import numba as nb

from exitban.engine.codes import BAN_AUTO, BAN_OFF, BAN_ON


@nb.njit(cache=True)
def ban_for_day(policy, active, acted_share, trigger):
    """'on' holds the ban; 'auto' imposes it once the share who have shown the wish to leave, serving or
    gone (yesterday's, over the starting size), passes the trigger: many wanted to resign (A:13); 'off'
    lifts it (a phase sets the policy from a date: the ban lifted mid-run, O7).

    writes: active
    """
    for k in range(policy.shape[0]):
        if policy[k] == BAN_ON or (policy[k] == BAN_AUTO and acted_share[k] >= trigger):
            active[k] = 1
        elif policy[k] == BAN_OFF:
            active[k] = 0
