"""The central queues: the ministry (R9), the prosecutor (R11) and the top reviewer of travel lists (R7).

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
from exitban.engine import params as p
from exitban.engine.columns import T
from exitban.engine.kernel import S_QUEUE, frustrate, leave
from exitban.engine.rng import uniform

Q_MINISTRY, Q_APPEALS, Q_TRAVEL = 0, 1, 2
N_QUEUES = 3
QUEUE_STAGE = np.array([c.MINISTRY, c.APPEAL, c.TRAVEL], dtype=np.uint8)
ENTER_COLS = np.array([T["enter_ministry"], T["enter_appeals"], T["enter_travel"]], dtype=np.int64)
WAIT_SUM, WAIT_N = T["wait_sum"], T["wait_n"]
SERVED_TRAVEL, PERMITS = T["served_travel"], T["permits_granted"]


def new_queues(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Empty ring buffers: (person ids, entry days) of shape (3, n + 1), and head/tail counters."""
    return (
        np.zeros((N_QUEUES, n + 1), dtype=np.int32),
        np.zeros((N_QUEUES, n + 1), dtype=np.int32),
        np.zeros((N_QUEUES, 2), dtype=np.int64),
    )


@nb.njit(cache=True)
def enqueue(day, tally, unit_start, stage, stage_day, q_who, q_day, q_ends):
    """Append today's entrants to each queue, unit by unit, in person order."""
    size = q_who.shape[1]
    for u in range(unit_start.shape[0] - 1):
        for q in range(N_QUEUES):
            if tally[u, ENTER_COLS[q]] == 0.0:
                continue
            for i in range(unit_start[u], unit_start[u + 1]):
                if stage[i] == QUEUE_STAGE[q] and stage_day[i] == day:
                    tail = q_ends[q, 1]
                    q_who[q, tail % size] = i
                    q_day[q, tail % size] = day
                    q_ends[q, 1] = tail + 1


@nb.njit(cache=True)
def serve(
    day,
    seed,
    G,
    IP,
    rates,
    credit,
    ban_active,
    inst,
    status,
    stage,
    stage_day,
    request_day,
    exit_day,
    flags,
    desire,
    loyalty,
    q_who,
    q_day,
    q_ends,
    out,
):
    """Serve each queue at its daily rate (``credit`` carries fractions); outcomes are tallied per institution in ``out``."""
    size = q_who.shape[1]
    for q in range(N_QUEUES):
        credit[q] += rates[q]  # a fraction of a case carries over to the next day
        while credit[q] >= 1.0 and q_ends[q, 0] < q_ends[q, 1]:
            slot = q_ends[q, 0] % size
            i = q_who[q, slot]
            entered = q_day[q, slot]
            q_ends[q, 0] += 1
            if status[i] != c.SERVING or stage[i] != QUEUE_STAGE[q] or stage_day[i] != entered:
                continue  # stale entry: left the stage meanwhile
            credit[q] -= 1.0
            k = inst[i]
            banned = ban_active[k] * IP[k, p.I_COVERED] > 0.0
            r = uniform(seed, day, i, S_QUEUE)
            if q == Q_MINISTRY:
                ok = G[p.G_MINISTRY_APPROVE_BANNED] if banned else G[p.G_MINISTRY_APPROVE_FREE]
                if r < ok:
                    out[k, WAIT_SUM] += day - request_day[i]
                    out[k, WAIT_N] += 1.0
                    leave(i, c.EXIT_APPROVED, day, status, stage, exit_day, out, k)
                    continue
            elif q == Q_APPEALS:
                # Hirschman: voice is answered while exit is a credible threat
                ok = G[p.G_ANSWER_BANNED] if banned else G[p.G_ANSWER_FREE]
                if flags[i] & c.F_LEGAL:
                    ok = ok * (1.0 + G[p.G_LEGAL_BONUS])
                if r < ok:
                    leave(i, c.EXIT_COURT, day, status, stage, exit_day, out, k)
                    continue
            else:
                out[k, SERVED_TRAVEL] += 1.0
                if r < G[p.G_PERMIT]:
                    out[k, PERMITS] += 1.0
                    if uniform(seed, day, i, S_QUEUE + 1) < G[p.G_DEFECT_SUCCESS]:
                        leave(i, c.EXIT_DEFECTION, day, status, stage, exit_day, out, k)
                        continue
                    stage[i] = c.QUIET  # travelled and came back
                    continue
            stage[i] = c.QUIET  # refused, passed down or unanswered
            frustrate(i, G, desire, loyalty)
        if credit[q] >= 1.0:  # the queue ran dry: idle capacity is not saved up, only the fraction
            credit[q] -= math.floor(credit[q])
