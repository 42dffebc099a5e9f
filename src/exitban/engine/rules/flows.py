"""People joining and leaving besides the ways out they choose (ODD 7.12; P1): recruits into vacant
positions, draftees called up and released, academy graduates posted, the age limit and wartime casualties.

A position (an element of ``state.Population``) outlives its holder: when one leaves, the
position falls vacant and a newcomer may take it. Recruits draw their traits (``state.TRAITS``)
from the institution's pool of newcomers (``state.Recruits``), drawn at the start from the same
distributions as the starting members.
"""

from __future__ import annotations

import numba as nb
import numpy as np

from exitban.engine import codes as c
from exitban.engine import streams as s
from exitban.engine.columns import T
from exitban.engine.rng import uniform
from exitban.engine.rules.actions import leave
from exitban.engine.rules.decree import is_banned, under_decree
from exitban.engine.rules.front import hospitalize, start_station
from exitban.engine.units import DAYS_PER_YEAR

RECRUITED, CALLED_UP, COMMISSIONED, RELEASED, GRADUATED = (
    T[k] for k in ("recruited", "called_up", "commissioned", "released", "graduated")
)


@nb.njit(inline="always", cache=True)
def copy_traits(people, i, source, j):
    """Position ``i`` takes the ``state.TRAITS`` of ``source``'s ``j`` (a newcomer of the pool, or a graduate).

    writes: people.desire, people.loyalty, people.risk_aversion, people.competence, people.health, people.family,
    people.means, people.reach, people.threshold
    """
    people.desire[i] = source.desire[j]  # written out: Numba's getattr cannot run without reference counting
    people.loyalty[i] = source.loyalty[j]
    people.risk_aversion[i] = source.risk_aversion[j]
    people.competence[i] = source.competence[j]
    people.health[i] = source.health[j]
    people.family[i] = source.family[j]
    people.means[i] = source.means[j]
    people.reach[i] = source.reach[j]
    people.threshold[i] = source.threshold[j]


@nb.njit(inline="always", cache=True)
def start_service(i, day, contract_end, people):
    """Person ``i`` starts service today: no years served, a new contract, nothing under way, in the rear.

    writes: people.seniority, people.contract_end, people.status, people.stage, people.pressure,
    people.n_requests, people.case_article, people.stage_day, people.request_day, people.case_day, people.exit_day,
    people.help, people.station, people.station_day, people.days_away
    """
    people.seniority[i] = -day / DAYS_PER_YEAR  # seniority is kept as of day 0
    people.contract_end[i] = contract_end
    people.status[i] = c.SERVING
    people.stage[i] = c.QUIET
    people.pressure[i] = 0
    people.n_requests[i] = 0
    people.case_article[i] = 0
    people.stage_day[i] = -1
    people.request_day[i] = -1
    people.case_day[i] = -1
    people.exit_day[i] = -1
    people.days_away[i] = 0
    people.help[i] = 0  # a newcomer neither knows of help nor has it (rules.help)
    start_station(i, day, people)


@nb.njit(inline="always", cache=True)
def take_newcomer(i, day, seed, today, recruits, people, signals, u):
    """Position ``i`` of institution ``today.k`` goes to a newcomer drawn from the institution's pool.

    writes: people.desire, people.loyalty, people.risk_aversion, people.competence, people.health, people.family,
    people.means, people.reach, people.threshold, people.fear, people.junior, people.flags, people.age,
    people.seniority, people.contract_end, people.status, people.stage, people.pressure, people.n_requests,
    people.case_article, people.stage_day, people.request_day, people.case_day, people.exit_day, people.help, people.station,
    people.station_day, people.days_away; signals.acted_gone
    """
    k = today.k
    if people.flags[i] & c.F_DISPLAYED:
        signals.acted_gone[u] += 1.0  # the previous holder acted and left: still counted (Granovetter)
    first = recruits.start[k]
    n = recruits.start[k + 1] - first
    j = first + min(n - 1, int(uniform(seed, day, i, s.TEMPLATE) * n))
    copy_traits(people, i, recruits, j)
    people.fear[i] = 0.0
    people.junior[i] = recruits.junior[j]
    people.flags[i] = recruits.flags[j]
    people.age[i] = recruits.age[j] - day / DAYS_PER_YEAR  # age is kept as of day 0
    end = recruits.contract_end[j] if recruits.reservist[k] else day + today.contract_days
    start_service(i, day, end, people)


@nb.njit(inline="always", cache=True)
def recruit(i, day, seed, today, recruits, people, signals, tally, u):
    """A vacant position is filled today with probability ``today.recruit_odds`` (the institution's, from
    yesterday's vacancies). Returns True if it was.

    writes: people.desire, people.loyalty, people.risk_aversion, people.competence, people.health, people.family,
    people.means, people.reach, people.threshold, people.fear, people.junior, people.flags, people.age,
    people.seniority, people.contract_end, people.status, people.stage, people.pressure, people.n_requests,
    people.case_article, people.stage_day, people.request_day, people.case_day, people.exit_day, people.help, people.station,
    people.station_day, people.days_away; signals.acted_gone; tally
    """
    odds = today.recruit_odds
    if people.status[i] == c.GRADUATING or odds <= 0.0 or uniform(seed, day, i, s.RECRUIT) >= odds:
        return False
    take_newcomer(i, day, seed, today, recruits, people, signals, u)
    tally[u, RECRUITED] += 1.0
    return True


@nb.njit(inline="always", cache=True)
def rotate_draftee(i, day, seed, today, recruits, people, signals, tally, u):
    """A draftee's term ends: he is released and a new draftee is called up into his place (P1).

    writes: people.desire, people.loyalty, people.risk_aversion, people.competence, people.health, people.family,
    people.means, people.reach, people.threshold, people.fear, people.junior, people.flags, people.age,
    people.seniority, people.contract_end, people.status, people.stage, people.pressure, people.n_requests,
    people.case_article, people.stage_day, people.request_day, people.case_day, people.exit_day, people.help, people.station,
    people.station_day, people.days_away; signals.acted_gone; tally
    """
    tally[u, RELEASED] += 1.0
    take_newcomer(i, day, seed, today, recruits, people, signals, u)
    tally[u, CALLED_UP] += 1.0


@nb.njit(inline="always", cache=True)
def graduate(i, day, people, tally, u):
    """An academy member's term ends: he leaves the academy and waits for a post (``commission``).

    writes: people.exit_day, people.stage, people.status; tally
    """
    people.status[i] = c.GRADUATING
    people.stage[i] = c.QUIET
    people.exit_day[i] = day
    tally[u, GRADUATED] += 1.0


@nb.njit(inline="always", cache=True)
def retire(i, day, age_cutoff, people, tally, u):
    """The age limit of service (P1; a ground for release under decree 647). Returns True if reached.

    ``age_cutoff`` is the age limit less the years since day 0 (ages are kept as of day 0).

    writes: people.exit_day, people.stage, people.status; tally
    """
    if people.age[i] < age_cutoff:
        return False
    leave(i, c.EXIT_AGE_LIMIT, day, people, tally, u)
    return True


@nb.njit(inline="always", cache=True)
def casualty(i, x, day, P, wounded_return, people, tally, u):
    """A wartime casualty; ``x`` in [0, 1) picks killed, missing or wounded, and among the wounded
    (rescaled) the ``wounded_return`` share who go to hospital (``rules.front``) rather than being
    discharged. Returns True if service ended.

    writes: people.exit_day, people.stage, people.status, people.station, people.station_day; tally
    """
    lost = P.killed_share + P.missing_share
    if x < P.killed_share:
        leave(i, c.EXIT_KILLED, day, people, tally, u)
    elif x < lost:
        leave(i, c.EXIT_MISSING, day, people, tally, u)
    elif wounded_return > 0.0 and (x - lost) < wounded_return * (1.0 - lost):
        hospitalize(i, day, people, tally, u)
        return False
    else:
        leave(i, c.EXIT_WOUNDED, day, people, tally, u)
    return True


@nb.njit(cache=True)
def _vacancy(people, first, last, cursor):
    """The next position from ``cursor`` that nobody holds, wrapping round once; -1 when all are held.

    writes: nothing
    """
    n = last - first
    for step in range(n):
        v = first + (cursor - first + step) % n
        if people.status[v] != c.SERVING and people.status[v] != c.GRADUATING:
            return v
    return -1


@nb.njit(cache=True)
def commission(day, inst, people, signals, cursor, out):
    """Post yesterday's and earlier graduates to vacant positions of their ``graduates_to`` institution,
    in person order; those who find none wait. Serial: a fixed order whatever the thread count.

    writes: people.age, people.case_article, people.case_day, people.competence, people.contract_end,
    people.desire, people.exit_day, people.family, people.fear, people.flags, people.health, people.junior,
    people.loyalty, people.means, people.n_requests, people.pressure, people.reach, people.request_day,
    people.risk_aversion, people.seniority, people.stage, people.stage_day, people.help, people.station, people.station_day, people.days_away,
    people.status, people.threshold; signals.acted_gone; cursor, out
    """
    for k in range(inst.graduates_to.shape[0]):
        t = int(inst.graduates_to[k])
        if t < 0:
            continue
        first, last = people.inst_start[t], people.inst_start[t + 1]
        contract_days = max(1.0, inst.contract_years[t] * DAYS_PER_YEAR)
        for i in range(people.inst_start[k], people.inst_start[k + 1]):
            if people.status[i] != c.GRADUATING or people.exit_day[i] >= day:
                continue
            v = _vacancy(people, first, last, cursor[t])
            if v < 0:
                break
            cursor[t] = v + 1
            if people.flags[v] & c.F_DISPLAYED:
                signals.acted_gone[people.unit[v]] += 1.0
            if people.flags[i] & c.F_DISPLAYED:  # he acted, and has left the academy
                signals.acted_gone[people.unit[i]] += 1.0
            # the graduate keeps who he is; he starts as a junior officer (B:76 lieutenants)
            copy_traits(people, v, people, i)
            people.fear[v] = people.fear[i]
            people.age[v] = people.age[i]
            people.junior[v] = 1
            people.flags[v] = people.flags[i] & c.F_PASSPORT_HELD
            start_service(v, day, day + contract_days, people)
            people.status[i] = c.VACANT
            people.exit_day[i] = -1
            people.flags[i] = 0
            out[t, COMMISSIONED] += 1.0


@nb.njit(cache=True)
def recruitment_odds(day, P, inst, ban_active, people, signals, odds):
    """Each institution's chance today that a vacant position is filled: expected new contracts
    (``accession_per_year`` of the starting size, times ``recruitment_ban_factor`` under a ban or the
    decree) over yesterday's vacancies, at most 1.

    writes: odds
    """
    held = np.zeros(odds.shape[0])
    for u in range(people.unit_inst.shape[0]):
        held[people.unit_inst[u]] += signals.headcount[u] + signals.awaiting[u]
    for k in range(odds.shape[0]):
        vacant = float(people.inst_start[k + 1] - people.inst_start[k]) - held[k]
        expected = inst.accession_per_year[k] / DAYS_PER_YEAR * people.inst_size0[k]
        if is_banned(ban_active, inst, k, under_decree(P, inst, k, day)):
            expected *= P.recruitment_ban_factor
        odds[k] = min(1.0, expected / vacant) if vacant > 0.0 else 0.0
