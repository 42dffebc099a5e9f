"""Showing the wish to leave (ODD 7.5; R3, R2): Kuran's falsification, Granovetter's thresholds,
Epstein's deterrence."""

from __future__ import annotations

import numba as nb

from exitban.engine import codes as c
from exitban.engine.rules.actions import clear_flag


@nb.njit(inline="always", cache=True)
def perceived_risk(P, unit_case_share):
    """Epstein: the prosecution threat as a unit perceives it, raised by yesterday's open cases.

    writes: nothing
    """
    return min(1.0, P.prosecution_threat * (1.0 + P.case_deterrence * unit_case_share))


@nb.njit(inline="always", cache=True)
def deterrence(i, perceived, people):
    """Epstein: risk aversion and fear times the perceived risk of prosecution (R2, E8).

    The criminal law deters with or without a ban: the ban removes the legal exit, not the law.

    writes: nothing
    """
    return perceived * (people.risk_aversion[i] + people.fear[i])


@nb.njit(inline="always", cache=True)
def update_display(i, P, wants, banned, peer, deter, stake, people):
    """R3: one who wants out shows it at once where resignation is legal and the regime does not treat the
    wish as betrayal (``betrayal_cost`` 0: showing costs nothing). Under the ban (Kuran) one shows it once
    the peers who have shown it pass one's threshold plus the cost of showing: unity pressure, deterrence,
    what one stands to lose (``stake``) and the betrayal cost, a cost that falls as more peers show it.
    Where the wish is betrayal (A:17) without a formal ban, the cost is the betrayal cost alone. One who no
    longer wants out stops. Returns whether the wish is shown.

    writes: people.flags
    """
    if wants:
        if not (people.flags[i] & c.F_DISPLAYED):
            if banned:
                cost = P.unity_pressure + deter + P.display_stake_weight * stake + P.betrayal_cost
            else:
                cost = P.betrayal_cost  # A:17: betrayal from the war's start, with or without a formal ban
            free = not banned and P.betrayal_cost <= 0.0
            if free or peer >= people.threshold[i] + cost * max(0.0, 1.0 - peer):
                people.flags[i] |= c.F_DISPLAYED
    elif people.flags[i] & c.F_DISPLAYED:
        clear_flag(people, i, c.F_DISPLAYED)
    return (people.flags[i] & c.F_DISPLAYED) != 0
