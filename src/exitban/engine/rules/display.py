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
def display_cost(P, banned, deter, stake):
    """Kuran: the cost of showing the wish with no peer showing it, added to one's Granovetter threshold.

    In every regime it holds the unity the regime demands (``unity_pressure``: C:12) and, where the regime treats
    the wish as betrayal with or without a formal ban (A:17: officials from the war's start), ``betrayal_cost``;
    so it is never zero where the wish is betrayal. Under the ban insisting is an offence (A:11): the cost adds
    deterrence and what one stands to lose (``stake``), so it is highest there.

    writes: nothing
    """
    cost = P.unity_pressure + P.betrayal_cost
    if banned:
        cost += deter + P.display_stake_weight * stake
    return cost


@nb.njit(inline="always", cache=True)
def may_show(i, P, peer, deter, stake_floor, people):
    """Under a ban, whether one who hides the wish could show it today, with ``stake_floor`` at or below what
    one stands to lose (the pay premium: the pension adds to it, never takes away). The cost of showing
    never falls as the stake grows (``display_stake_weight`` >= 0, and rounding keeps the order), so where
    this says no, ``update_display`` says no with the stake itself.

    writes: nothing
    """
    return peer >= people.threshold[i] + display_cost(P, True, deter, stake_floor) * max(0.0, 1.0 - peer)


@nb.njit(inline="always", cache=True)
def update_display(i, P, wants, banned, peer, deter, stake, people):
    """R3, in every regime: one who wants out shows it once the share of the peers who want out and have shown
    it (``peer``, with what public signals add) reaches one's threshold plus the cost of showing
    (``display_cost``), a cost that falls as more peers show it. Where the cost is nothing this is Granovetter's
    map r(t+1) = F(r(t)). One who no longer wants out stops. Returns whether the wish is shown.

    writes: people.flags
    """
    if wants:
        if not (people.flags[i] & c.F_DISPLAYED):
            cost = display_cost(P, banned, deter, stake) * max(0.0, 1.0 - peer)
            if peer >= people.threshold[i] + cost:
                people.flags[i] |= c.F_DISPLAYED
    elif people.flags[i] & c.F_DISPLAYED:
        clear_flag(people, i, c.F_DISPLAYED)
    return (people.flags[i] & c.F_DISPLAYED) != 0
