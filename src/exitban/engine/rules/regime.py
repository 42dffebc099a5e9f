"""The regime's ban (ODD 7.1; R1)."""

from __future__ import annotations

import numba as nb

from exitban.engine.params import BAN_AUTO, BAN_OFF, BAN_ON


@nb.njit(cache=True)
def ban_for_day(policy, active, displayed_share, trigger, day, lift_day):
    """'on' holds the ban; 'auto' imposes it once yesterday's displayed wish to leave passes the trigger."""
    for k in range(policy.shape[0]):
        if lift_day >= 0 and day >= lift_day:
            active[k] = 0
        elif policy[k] == BAN_ON or (policy[k] == BAN_AUTO and displayed_share[k] >= trigger):
            active[k] = 1
        elif policy[k] == BAN_OFF:
            active[k] = 0
