"""A unit's day (ODD 3; R1, R4, R7, R13, 7.4, 7.13, 7.14): what holds for every member of the unit today.

Decree 647 or the regime's ban, the pay with a rise once it has come, travel control and the odds of
an ordinary trip, the criminal articles that apply, the drift of the wish to leave (more under the
decree), the contract's length and the day's hazards, and what the unit saw yesterday: its peers'
shown wish, its open cases, its losses. ``institution_day`` sets each institution's part every morning
(``state.INSTITUTION_DAY``), serially, before the units step; ``unit_day`` adds the unit's part once per
unit, and the kernel hands the resulting ``Today`` to the rules.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numba as nb

from exitban.engine import codes as c
from exitban.engine.rules.decree import demobilization_start, is_banned, under_decree
from exitban.engine.rules.display import perceived_risk
from exitban.engine.rules.front import rear_days
from exitban.engine.rules.help import help_hazard
from exitban.engine.units import DAYS_PER_YEAR, daily


class Today(NamedTuple):
    """One unit's day: its institution ``k`` and everything its members' rules read besides themselves."""

    k: int  # the unit's institution
    decree: bool  # decree 647 holds the institution's servicemen: for them the decree is the ban (C:3)
    banned: bool  # leaving is banned: the regime's ban where it covers k, or the decree
    can_resign: bool  # a resignation case (conscripts serve a fixed draft instead)
    military: bool  # the military articles apply (R13)
    reservist: bool  # mobilized reservists serve until mobilization ends (R4)
    graduates: bool  # an academy: members are posted to ``graduates_to`` at the end of the term
    closed: int  # a bit per move that does not exist here (codes.MOVES order)
    insist_article: int  # the article for insisting on leaving (R2)
    neglect_article: int  # the article for caught sabotage (R14)
    contract_days: float  # a new contract's length, at least a day
    demob_start: float  # the day the mobilized start to be released; -1 while no end is set
    age_cutoff: float  # the age limit less the years since day 0 (ages are kept as of day 0)
    pay_premium: float  # the post's pay over the outside job, with the pay rise once it has come (7.13)
    pension_years: float
    drift_daily: float  # the wish to leave's daily drift, with mobilization's under the decree (7.4, 7.14)
    travel_controlled: bool  # trips abroad need the top reviewer's permit (R7)
    passports_surrendered: bool  # under travel control every passport is held (the rule of Dec 2023)
    p_trip: float  # chance of asking for an ordinary trip today, under travel control
    p_corruption: float  # the day's background hazards (R5, P1, 7.14)
    p_offence: float
    p_casualty: float
    p_reward: float
    recruit_odds: float  # chance that a vacant position is filled today (P1)
    casualty_share: float  # yesterday's losses over the unit's starting size (7.14)
    peer: float  # the shown wish the unit's members see: unit and institution, weighted, and public (Granovetter)
    perceived: float  # the prosecution threat as the unit perceives it (Epstein)
    # the front (rules.front); all zero where none is modelled
    front: bool  # the institution sends people to the front: casualties fall only on those there
    stations: bool  # stations change: a front, or wounded who return from hospital
    p_rotate: float  # chance a day that a tour at the front ends
    p_deploy: float  # chance a day that a rear spell ends: to the front
    p_leave: float  # chance a day that one at the front goes on leave
    leave_days: float
    hospital_days: float
    wounded_return: float  # share of the wounded who go to hospital and return
    front_drift_daily: float  # the combat drift of the wish to leave, added at the front
    front_absence_bias: float  # log of front_absence_factor: added to absence's utility at the front
    front_sabotage_catch: float  # front_sabotage_catch_factor where a front is modelled, else 1
    central: bool  # a resignation here is decided by the central office, not the unit (A:19; issue 22, item 3)
    help_hazard: float  # chance today that one who does not know of help hears of it (rules.help.help_hazard)


@nb.njit(cache=True)
def institution_day(day, P, inst, ban_active, out):
    """What holds for each institution's members today, into ``out[k]`` (for them the decree is the ban, C:3).

    writes: out
    """
    for k in range(out.shape[0]):
        decree = under_decree(P, inst, k, day)
        military = inst.military_law[k] > 0.0
        travel_controlled = P.travel_control * inst.travel_restricted[k] > 0.0
        today = out[k]
        today.decree = decree
        today.banned = is_banned(ban_active, inst, k, decree)
        today.can_resign = inst.resignation_case[k] > 0.0
        today.military = military
        today.reservist = inst.reservist[k] > 0.0
        today.graduates = inst.graduates_to[k] >= 0.0
        today.travel_controlled = travel_controlled
        today.passports_surrendered = travel_controlled and P.passport_surrender > 0.0
        today.closed = int(inst.closed_moves[k])
        today.insist_article = c.ART_DISOBEDIENCE if military else c.ART_OTHER
        today.neglect_article = c.ART_DISOBEDIENCE if military else c.ART_NEGLIGENCE
        today.contract_days = max(1.0, inst.contract_years[k] * DAYS_PER_YEAR)
        today.demob_start = demobilization_start(P, inst, k)
        today.age_cutoff = inst.age_limit[k] - day / DAYS_PER_YEAR
        today.pay_premium = inst.pay_premium[k] + P.pay_rise  # a pay rise, from a phase's date (7.14 via 7.13)
        today.pension_years = inst.pension_years[k]
        # mobilization adds to the drift of those the decree holds (7.14)
        today.drift_daily = (
            inst.desire_drift_per_year[k] + (P.mobilization_drift_per_year if decree else 0.0)
        ) / DAYS_PER_YEAR
        today.p_trip = inst.trips_per_year[k] / DAYS_PER_YEAR if travel_controlled else 0.0  # need a permit (R7)
        today.p_casualty = daily(inst.casualty_per_year[k])
        # the regime-wide hazards, worked out here once a day rather than by every unit (a power each)
        today.p_corruption = daily(P.corruption_dismissal_per_year)
        today.p_offence = daily(P.offence_per_year)
        today.p_reward = daily(P.reward_per_year)
        today.central = inst.central_resignation[k] > 0.0
        front_day(k, inst, out)


@nb.njit(inline="always", cache=True)
def front_day(k, inst, out):
    """The front's part of institution ``k``'s day into ``out[k]`` (``rules.front``): nothing where none is
    modelled.

    writes: out
    """
    today = out[k]
    share = inst.front_share[k]
    front = share > 0.0
    today.front = front
    today.stations = front or inst.wounded_return_share[k] > 0.0
    today.p_rotate = 1.0 / inst.tour_days[k] if front and share < 1.0 else 0.0
    rear = rear_days(share, inst.tour_days[k])
    today.p_deploy = (1.0 / rear if rear > 1.0 else 1.0) if front else 0.0
    today.p_leave = inst.leave_per_year[k] / DAYS_PER_YEAR if front else 0.0
    today.leave_days = inst.leave_days[k]
    today.hospital_days = inst.hospital_days[k]
    today.wounded_return = inst.wounded_return_share[k]
    today.front_drift_daily = inst.front_drift_per_year[k] / DAYS_PER_YEAR
    factor = inst.front_absence_factor[k]
    today.front_absence_bias = math.log(factor) if factor > 0.0 else -math.inf
    today.front_sabotage_catch = inst.front_sabotage_catch_factor[k] if front else 1.0


@nb.njit(inline="always", cache=True)
def unit_day(u, P, institution_days, people, signals):
    """Unit ``u``'s day: its institution's, the day's hazards and what the unit saw yesterday.

    writes: nothing
    """
    k = people.unit_inst[u]
    d = institution_days[k]
    w = P.peer_weight_unit
    # among those who want out, the share who have said so (unit and institution, weighted), with what public
    # signals add: the institution's viral posts and a public event (7.5)
    peer = w * signals.unit_peer[u] + (1.0 - w) * signals.inst_peer[k]
    peer = min(1.0, peer + signals.public_share[k] + P.public_event_signal)
    # positional: Numba builds a named tuple from keywords only without inline conditionals
    return Today(
        k,
        d.decree,
        d.banned,
        d.can_resign,
        d.military,
        d.reservist,
        d.graduates,
        d.closed,
        d.insist_article,
        d.neglect_article,
        d.contract_days,
        d.demob_start,
        d.age_cutoff,
        d.pay_premium,
        d.pension_years,
        d.drift_daily,
        d.travel_controlled,
        d.passports_surrendered,
        d.p_trip,
        d.p_corruption,
        d.p_offence,
        d.p_casualty,
        d.p_reward,
        signals.recruit_odds[k],
        signals.unit_casualty_share[u],
        peer,
        perceived_risk(P, signals.unit_case_share[u]),
        d.front,
        d.stations,
        d.p_rotate,
        d.p_deploy,
        d.p_leave,
        d.leave_days,
        d.hospital_days,
        d.wounded_return,
        d.front_drift_daily,
        d.front_absence_bias,
        d.front_sabotage_catch,
        d.central,
        help_hazard(P, signals, u),
    )
