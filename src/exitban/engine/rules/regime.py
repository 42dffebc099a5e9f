"""The regime's ban (ODD 7.1; R1)."""

from __future__ import annotations

import numba as nb

from exitban.engine.codes import BAN_AUTO, BAN_OFF, BAN_ON
from exitban.engine.columns import T

SHOWN = (T["requests_filed"], T["appeals_filed"])  # the wishes the regime sees: requests and appeals filed


@nb.njit(cache=True)
def ban_for_day(day, policy, covered, active, acted_share, trigger, watch_from):
    """'on' holds the ban; 'auto' imposes it once the share who have shown the wish to leave (``trigger_share``)
    passes the trigger: many wanted to resign (A:13); 'off' lifts it (a phase sets the policy from a date: the
    ban lifted mid-run, O7). A ban is held only where it covers the institution (``covered_by_ban``): one not
    covered has none, so one that a phase covers later (the officials from 24 Feb 2022, A:11,13) gets its ban by
    its own rule from that day, not by a state carried over from before. The regime watches an institution
    for the 'auto' rule from the first day it is covered under that policy (``watch_from``): the wishes shown
    before then were not shown to a regime that would ban.

    writes: active, watch_from
    """
    for k in range(policy.shape[0]):
        if covered[k] <= 0.0 or policy[k] == BAN_OFF:
            active[k] = 0
        elif policy[k] == BAN_ON or (policy[k] == BAN_AUTO and acted_share[k] >= trigger):
            active[k] = 1
        if covered[k] <= 0.0 or policy[k] != BAN_AUTO:
            watch_from[k] = day + 1


@nb.njit(cache=True)
def trigger_share(day, P, series, inst_size0, acted_share, watch_from, out):
    """What an 'auto' ban reacts to, per institution, into ``out``: with ``ban_trigger_window_days`` 0 the stock
    (yesterday's acted share, serving or gone); above 0 the flow: the wishes shown to the regime (requests and
    appeals filed) over the last ``ban_trigger_window_days`` days before today, from the day the regime began to
    watch (``ban_for_day``'s ``watch_from``), over the starting size (A:13: the ban answered many saying they
    wanted to resign, not those already gone).

    writes: out
    """
    window = int(P.ban_trigger_window_days)
    for k in range(out.shape[0]):
        if window <= 0:
            out[k] = acted_share[k]
            continue
        shown = 0.0
        for d in range(max(0, day - window, watch_from[k]), day):
            shown += series[d, k, SHOWN[0]] + series[d, k, SHOWN[1]]
        out[k] = shown / max(1.0, inst_size0[k])
