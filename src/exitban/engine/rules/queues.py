"""The central queues (ODD 7.8): the ministry (R9), the prosecutor (R11), the top reviewer of travel lists (R7),
the military investigators (``rules.justice``: reported absences, R13) and the central office that decides a
senior official's resignation (A:19; issue 22, item 3).

Each is a first-in-first-out ring buffer served up to its daily capacity. Entrants are
appended unit by unit in person order, so the order, and therefore every outcome, is
the same however many threads ran the day's kernel. An entry whose person has since
left the stage (released, convicted...) is dropped without using capacity.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

from exitban.engine import codes as c
from exitban.engine import streams as s
from exitban.engine.columns import T
from exitban.engine.rng import uniform
from exitban.engine.rules.actions import clamp01, frustrate, leave
from exitban.engine.rules.commander import has_grounds
from exitban.engine.rules.decree import is_banned, odds, under_decree
from exitban.engine.rules.justice import bring_in
from exitban.engine.state import HEAD, N_QUEUES, Q_APPEALS, Q_CENTRAL, Q_INVESTIGATORS, Q_MINISTRY, Q_TRAVEL, TAIL

QUEUE_STAGE = np.array([c.MINISTRY, c.APPEAL, c.TRAVEL, c.REPORTED, c.CENTRAL], dtype=np.uint8)  # indexed by Q_*
CENTRAL_DECIDED, CENTRAL_REFUSED, THREATS = T["central_decided"], T["central_refused"], T["threats"]
WAIT_SUM, WAIT_N = T["wait_sum"], T["wait_n"]
SERVED_TRAVEL, PERMITS = T["served_travel"], T["permits_granted"]


@nb.njit(cache=True)
def enqueue(day, entered, people, offices):
    """Append today's entrants to each queue, unit by unit, in person order.

    writes: offices.q_who, offices.q_day, offices.q_ends
    """
    size = offices.q_who.shape[1]
    unit_start = people.unit_start
    for u in range(unit_start.shape[0] - 1):
        for q in range(N_QUEUES):
            if entered[u, q] == 0:
                continue
            for i in range(unit_start[u], unit_start[u + 1]):
                if people.stage[i] == QUEUE_STAGE[q] and people.stage_day[i] == day:
                    tail = offices.q_ends[q, TAIL]
                    offices.q_who[q, tail % size] = i
                    offices.q_day[q, tail % size] = day
                    offices.q_ends[q, TAIL] = tail + 1


@nb.njit(inline="always", cache=True)
def approve(i, k, day, people, out):
    """An office's order releases a request (the ministry's, R9, or the central office's, A:19): the wait since
    the first request is recorded and the person leaves by approval.

    writes: people.status, people.stage, people.exit_day; out
    """
    out[k, WAIT_SUM] += day - people.request_day[i]
    out[k, WAIT_N] += 1.0
    leave(i, c.EXIT_APPROVED, day, people, out, k)


@nb.njit(inline="always", cache=True)
def decide(q, i, k, day, seed, P, banned, decree, can_resign, central, people, out):
    """A central office decides on person ``i`` of institution ``k``; under the decree neither the ministry
    nor an answered appeal may release (R4); where leaving is legal the ministry releases only one with grounds
    (``commander.has_grounds``). ``central``: a resignation in ``k`` is the central office's decision (A:19), so
    where the wish is betrayal the office lets few go even before a ban, and under the ban an appeal against it
    is answered at ``central_appeal_win_banned``. Returns True if the person left.

    The investigators bring a reported absentee in and open his case (``justice.bring_in``): no draw.

    writes: people.status, people.stage, people.exit_day, people.desire, people.loyalty, people.fear,
    people.days_away, people.flags, people.confined_day, people.case_day, people.case_article; out
    """
    if q == Q_INVESTIGATORS:
        bring_in(i, day, people, out, k)
        return False
    r = uniform(seed, day, i, s.QUEUE)
    if q == Q_MINISTRY:
        # where leaving is legal the ministry too releases only on grounds (E1: the free baseline's anchor)
        free = P.ministry_approve_free if has_grounds(i, seed, P, people) else 0.0
        if r < odds(decree, banned, P.ministry_approve_banned, free):
            approve(i, k, day, people, out)
            return True
    elif q == Q_CENTRAL:
        # A:19: the central office decides a senior resignation; under the ban it refuses and hints at a case
        out[k, CENTRAL_DECIDED] += 1.0
        # A:17: the office that sees the wish as betrayal lets few go, with or without the ban
        lets_go = P.central_approve_betrayal if P.betrayal_cost > 0.0 else P.central_approve_free
        free = lets_go if has_grounds(i, seed, P, people) else 0.0
        if r < odds(decree, banned, P.central_approve_banned, free):
            approve(i, k, day, people, out)
            return True
        out[k, CENTRAL_REFUSED] += 1.0
        if banned and uniform(seed, day, i, s.CENTRAL_THREAT) < P.central_threat_prob:
            people.fear[i] = clamp01(people.fear[i] + P.threat_fear)  # A:19-21: prosecution hinted at
            out[k, THREATS] += 1.0
    elif q == Q_APPEALS:
        # Hirschman: voice is answered while exit is a credible threat
        # no source reports an official released on appeal (A:19-23): against the centre it has its own odds
        ok = odds(
            decree, banned, P.central_appeal_win_banned if central else P.appeal_answer_banned, P.appeal_answer_free
        )
        if people.flags[i] & c.F_LEGAL:
            ok = ok * (1.0 + P.legal_help_bonus)
        if r < ok:
            leave(i, c.EXIT_COURT, day, people, out, k)
            return True
    else:
        out[k, SERVED_TRAVEL] += 1.0
        if r < P.permit_grant_prob:
            out[k, PERMITS] += 1.0
            wants = can_resign and people.desire[i] >= P.want_out_cutoff  # others just travel (R7)
            if wants and uniform(seed, day, i, s.TRIP) < P.defect_success_prob:
                leave(i, c.EXIT_DEFECTION, day, people, out, k)
                return True
            people.stage[i] = c.QUIET  # travelled and came back
            return False
    people.stage[i] = c.QUIET  # refused, passed down or unanswered
    frustrate(i, P, people)
    return False


@nb.njit(cache=True)
def serve(day, seed, P, inst, rates, offices, people, out):
    """Serve each queue at its daily rate (``offices.credit`` carries fractions); outcomes are tallied per
    institution in ``out``. With ``permit_list_review_days`` above 0 the travel permits are a list the top
    reviews every that many days, the whole list at once (A:37-39); the central office decides a request no
    sooner than ``central_review_days`` after it was filed (A:19).

    writes: offices.credit, offices.q_ends; people.status, people.stage, people.exit_day, people.desire,
    people.loyalty, people.fear, people.days_away, people.flags, people.confined_day, people.case_day,
    people.case_article; out
    """
    credit, q_who, q_day, q_ends = offices.credit, offices.q_who, offices.q_day, offices.q_ends
    size = q_who.shape[1]
    review = int(P.permit_list_review_days)
    for q in range(N_QUEUES):
        if q == Q_TRAVEL and review > 0:
            if day % review == 0:  # A:37-39: the lists are reviewed at the top, the whole list at once
                credit[q] = float(q_ends[q, TAIL] - q_ends[q, HEAD]) + 1.0
            else:
                continue
        offices.credit[q] += rates[q]  # a fraction of a case carries over to the next day
        while credit[q] >= 1.0 and q_ends[q, HEAD] < q_ends[q, TAIL]:
            slot = q_ends[q, HEAD] % size
            i = q_who[q, slot]
            entered = q_day[q, slot]
            if q == Q_CENTRAL and day - entered < P.central_review_days:
                break  # first in, first out: the rest filed later still (a political decision takes time)
            offices.q_ends[q, HEAD] += 1
            if people.status[i] != c.SERVING or people.stage[i] != QUEUE_STAGE[q] or people.stage_day[i] != entered:
                continue  # stale entry: left the stage meanwhile
            offices.credit[q] -= 1.0
            k = people.inst[i]
            decree = under_decree(P, inst, k, day)
            banned = is_banned(offices.active, inst, k, decree)
            can_resign, central = inst.resignation_case[k] > 0.0, inst.central_resignation[k] > 0.0
            decide(q, i, k, day, seed, P, banned, decree, can_resign, central, people, out)
        if credit[q] >= 1.0:  # the queue ran dry: idle capacity is not saved up, only the fraction
            offices.credit[q] -= math.floor(credit[q])
