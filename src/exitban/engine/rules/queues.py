"""The central queues (ODD 7.8): the ministry (R9), the prosecutor (R11) and the top reviewer of travel lists (R7).

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
from exitban.engine.rules.actions import frustrate, leave
from exitban.engine.rules.decree import is_banned, under_decree
from exitban.engine.signals import N_QUEUES, Q_APPEALS, Q_MINISTRY

QUEUE_STAGE = np.array([c.MINISTRY, c.APPEAL, c.TRAVEL], dtype=np.uint8)  # indexed by Q_*
WAIT_SUM, WAIT_N = T["wait_sum"], T["wait_n"]
SERVED_TRAVEL, PERMITS = T["served_travel"], T["permits_granted"]
HEAD, TAIL = 0, 1  # columns of the queues' counters: next to serve, next free slot


def new_queues(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Empty ring buffers: (person ids, entry days) of shape (3, n + 1), and head/tail counters."""
    return (
        np.zeros((N_QUEUES, n + 1), dtype=np.int32),
        np.zeros((N_QUEUES, n + 1), dtype=np.int32),
        np.zeros((N_QUEUES, TAIL + 1), dtype=np.int64),
    )


@nb.njit(cache=True)
def enqueue(day, entered, people, q_who, q_day, q_ends):
    """Append today's entrants to each queue, unit by unit, in person order."""
    size = q_who.shape[1]
    unit_start = people.unit_start
    for u in range(unit_start.shape[0] - 1):
        for q in range(N_QUEUES):
            if entered[u, q] == 0:
                continue
            for i in range(unit_start[u], unit_start[u + 1]):
                if people.stage[i] == QUEUE_STAGE[q] and people.stage_day[i] == day:
                    tail = q_ends[q, TAIL]
                    q_who[q, tail % size] = i
                    q_day[q, tail % size] = day
                    q_ends[q, TAIL] = tail + 1


@nb.njit(inline="always", cache=True)
def decide(q, i, k, day, seed, P, banned, decree, resignation_case, people, out):
    """A central office decides on person ``i`` of institution ``k``; under the decree neither the ministry
    nor an answered appeal may release (R4). Returns True if the person left."""
    r = uniform(seed, day, i, s.QUEUE)
    if q == Q_MINISTRY:
        ok = 0.0 if decree else (P.ministry_approve_banned if banned else P.ministry_approve_free)
        if r < ok:
            out[k, WAIT_SUM] += day - people.request_day[i]
            out[k, WAIT_N] += 1.0
            leave(i, c.EXIT_APPROVED, day, people, out, k)
            return True
    elif q == Q_APPEALS:
        # Hirschman: voice is answered while exit is a credible threat
        ok = 0.0 if decree else (P.appeal_answer_banned if banned else P.appeal_answer_free)
        if people.flags[i] & c.F_LEGAL:
            ok = ok * (1.0 + P.legal_help_bonus)
        if r < ok:
            leave(i, c.EXIT_COURT, day, people, out, k)
            return True
    else:
        out[k, SERVED_TRAVEL] += 1.0
        if r < P.permit_grant_prob:
            out[k, PERMITS] += 1.0
            wants = resignation_case and people.desire[i] >= P.want_out_cutoff  # others just travel (R7)
            if wants and uniform(seed, day, i, s.TRIP) < P.defect_success_prob:
                leave(i, c.EXIT_DEFECTION, day, people, out, k)
                return True
            people.stage[i] = c.QUIET  # travelled and came back
            return False
    people.stage[i] = c.QUIET  # refused, passed down or unanswered
    frustrate(i, P, people)
    return False


@nb.njit(cache=True)
def serve(day, seed, P, inst, rates, credit, ban_active, people, q_who, q_day, q_ends, out):
    """Serve each queue at its daily rate (``credit`` carries fractions); outcomes are tallied per institution in ``out``."""
    size = q_who.shape[1]
    for q in range(N_QUEUES):
        credit[q] += rates[q]  # a fraction of a case carries over to the next day
        while credit[q] >= 1.0 and q_ends[q, HEAD] < q_ends[q, TAIL]:
            slot = q_ends[q, HEAD] % size
            i = q_who[q, slot]
            entered = q_day[q, slot]
            q_ends[q, HEAD] += 1
            if people.status[i] != c.SERVING or people.stage[i] != QUEUE_STAGE[q] or people.stage_day[i] != entered:
                continue  # stale entry: left the stage meanwhile
            credit[q] -= 1.0
            k = people.inst[i]
            decree = under_decree(P, inst, k, day)
            banned = is_banned(ban_active, inst, k, decree)
            decide(q, i, k, day, seed, P, banned, decree, inst.resignation_case[k] > 0.0, people, out)
        if credit[q] >= 1.0:  # the queue ran dry: idle capacity is not saved up, only the fraction
            credit[q] -= math.floor(credit[q])
