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
    """Kuran: the part of the cost of showing the wish that falls as more peers show it (safety in numbers),
    added, times ``1 - peer``, to one's Granovetter threshold.

    In every regime it holds the unity the regime demands (``unity_pressure``: C:12). Under the ban insisting is
    an offence (A:11): the cost adds deterrence and what one stands to lose (``stake``), so it is highest there.
    The betrayal cost is apart (``betrayal_price``): it does not fall as peers show the wish.

    writes: nothing
    """
    cost = P.unity_pressure
    if banned:
        cost += deter + P.display_stake_weight * stake
    return cost


@nb.njit(inline="always", cache=True)
def betrayal_price(P):
    """Kuran: where the regime treats the wish to resign as betrayal (A:17: officials from the war's start), the
    price of showing it is the regime's judgement of each one who shows it, with or without a formal ban: it is
    added to the threshold whole, however many peers show it (A:19-21: each governor who tried was refused and
    threatened in person), so it is never zero where the wish is betrayal; 0 elsewhere.

    writes: nothing
    """
    return P.betrayal_cost


@nb.njit(inline="always", cache=True)
def shows(i, P, banned, peer, deter, stake, people):
    """The threshold rule of 7.5 for person ``i`` today: whether the peers' shown share reaches one's threshold
    plus the cost of showing.

    writes: nothing
    """
    cost = display_cost(P, banned, deter, stake) * max(0.0, 1.0 - peer) + betrayal_price(P)
    return peer >= people.threshold[i] + cost


@nb.njit(inline="always", cache=True)
def may_show(i, P, peer, deter, stake_floor, people):
    """Under a ban, whether one who wants out could show the wish today, with ``stake_floor`` at or below what
    one stands to lose (the pay premium: the pension adds to it, never takes away). The cost of showing
    never falls as the stake grows (``display_stake_weight`` >= 0, and rounding keeps the order), so where
    this says no, ``update_display`` says no with the stake itself.

    writes: nothing
    """
    return shows(i, P, True, peer, deter, stake_floor, people)


@nb.njit(inline="always", cache=True)
def update_display(i, P, wants, banned, peer, deter, stake, people):
    """R3, in every regime: one who wants out shows the wish while the share of the peers who want out and have
    shown it (``peer``, with what public signals add) reaches one's threshold plus the cost of showing
    (``display_cost``, a cost that falls as more peers show it, and the betrayal cost, which does not). Where
    the cost is nothing this is Granovetter's map r(t+1) = F(r(t)). The choice is made again every day (Kuran:
    a public preference is re-chosen when its price changes): one who showed it hides it again when the cost
    rises above what the peers' support gives (the war's betrayal cost, a ban), and one who no longer wants out
    stops. Returns whether the wish is shown.

    writes: people.flags
    """
    if wants and shows(i, P, banned, peer, deter, stake, people):
        people.flags[i] |= c.F_DISPLAYED
    elif people.flags[i] & c.F_DISPLAYED:
        clear_flag(people, i, c.F_DISPLAYED)
    return (people.flags[i] & c.F_DISPLAYED) != 0
