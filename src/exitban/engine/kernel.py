"""The day of every unit: a dispatcher over the rules of ``engine.rules``, parallel over units.

A unit's members are processed in order by one thread, so the unit's commander acts on
them deterministically; units are independent within a day because they read only
yesterday's signals. Every draw is ``uniform(seed, day, person, stream)``, so results do
not depend on the thread count.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

from exitban.engine import codes as c
from exitban.engine import streams as s
from exitban.engine.rng import uniform
from exitban.engine.rules.census import count_acted_gone, count_gone, count_person, count_station
from exitban.engine.rules.choice import ask_permit, choose_move, start_move
from exitban.engine.rules.commander import handle_request
from exitban.engine.rules.contract import contract_end
from exitban.engine.rules.display import deterrence, may_show, update_display
from exitban.engine.rules.events import mourn
from exitban.engine.rules.flows import recruit, retire
from exitban.engine.rules.front import change_station, exposed
from exitban.engine.rules.hazards import background_hazards
from exitban.engine.rules.help import count_knowers, learn_of_help
from exitban.engine.rules.private_state import drift
from exitban.engine.rules.retention import stake_today
from exitban.engine.rules.stages import continue_stage, release_confined
from exitban.engine.rules.today import unit_day
from exitban.engine.signals import clear_unit

# The parallel loop receives the scenario's numbers as one named tuple (``RuleParams``), which Numba
# unpacks into the loop's arguments only up to this many fields (default 100); the rules read more.
nb.config.PARFOR_MAX_TUPLE_SIZE = max(nb.config.PARFOR_MAX_TUPLE_SIZE, 256)


@nb.njit(cache=True, _nrt=False)
def step_unit(u, day, seed, P, institution_days, recruits, people, signals, tally):
    """One unit's day: its positions in order, each holder through the rules of ODD 7.2-7.14."""
    tally[u, :] = 0.0
    clear_unit(signals, u)
    today = unit_day(u, P, institution_days, people, signals)
    # an unsigned position index: Numba then indexes the arrays as they are, without its check for a negative
    # index (a load of the array's length and a masked add on every one of a person's reads and writes)
    for i in range(np.uint64(people.unit_start[u]), np.uint64(people.unit_start[u + 1])):
        if people.status[i] != c.SERVING:
            if not recruit(i, day, seed, today, recruits, people, signals, tally, u):
                count_gone(i, people, tally, signals, u)
                continue
        elif background_hazards(i, day, seed, P, today, people, signals, tally, u):
            continue
        if today.stations:
            change_station(i, day, seed, today, people)
        if retire(i, day, today.age_cutoff, people, tally, u):
            continue
        if contract_end(i, day, seed, P, today, recruits, people, signals, tally, u):
            continue
        mourn(i, P, today.casualty_share, people)
        drift_daily = today.drift_daily
        if today.front and exposed(i, today, people):
            drift_daily += today.front_drift_daily  # the combat drift (rules.front)
        wants = drift(i, P, drift_daily, today.can_resign, people)
        deter = deterrence(i, today.perceived, people)
        # What one stands to lose by leaving (7.13) costs a power to work out, and is read only by one weighing
        # whether to show the wish under a ban (or to go on showing it: the choice is made again each day, 7.5),
        # or choosing a move. Until it is worked out the pay premium, its floor, stands in: where even that
        # makes showing too costly, the wish is not shown (may_show).
        stake = today.pay_premium
        staked = False
        if wants and today.banned and may_show(i, P, today.peer, deter, stake, people):
            stake = stake_today(i, day, today, P, people)
            staked = True
        displayed = update_display(i, P, wants, today.banned, today.peer, deter, stake, people)
        release_confined(i, day, P, people)  # A4: confinement ends after confinement_days
        learn_of_help(i, day, seed, today, people)  # Bass: knowledge of help spreads (7.16)
        stage = people.stage[i]
        # A:37-39: where the permit lists are reviewed at the top, one waiting for a permit can still act
        waiting_permit = stage == c.TRAVEL and P.permit_list_review_days > 0.0
        # A:23,25: one whose resignation waits for the central office can still go another way (pay, a medical
        # release); a move taken leaves the queue's entry stale, and the office drops it (queues.serve)
        waiting_central = stage == c.CENTRAL and P.central_waiting_acts > 0.0
        if stage == c.QUIET or waiting_permit or waiting_central:
            if wants and uniform(seed, day, i, s.DECIDE) < P.decision_rate:
                if not staked:
                    stake = stake_today(i, day, today, P, people)
                mv = choose_move(i, day, seed, P, today, deter, displayed, stake, people, signals.utility[u])
                if start_move(i, mv, day, seed, P, today, people, tally, signals, u):
                    continue
            elif stage == c.QUIET and today.p_trip > 0.0 and uniform(seed, day, i, s.TRIP_WISH) < today.p_trip:
                ask_permit(i, day, people, signals.entered, u)
        elif stage == c.REQUESTED:
            if handle_request(i, day, seed, P, today, people, tally, signals.entered, u):
                continue
        elif continue_stage(i, stage, day, seed, P, wants, today, people, tally, signals.entered, u):
            continue
        count_person(i, day, P, today.can_resign, people, tally, signals, u)
        count_knowers(i, people, tally, signals, u)
        if today.stations:
            count_station(i, people, tally, u)
    count_acted_gone(signals, tally, u)


# The rules are inlined (inline="always") into the serial ``step_unit``, never into the parallel
# loop itself: Numba 0.68 miscompiles an inlined write through a named tuple's array inside a
# prange body (a flag set there was lost). One call per unit keeps the call overhead negligible.
# ``step_unit`` runs without reference counting (``_nrt=False``: it allocates nothing): each
# inlined call copies the ``people`` tuple, and counting references to each of its arrays on every
# copy made the day 5-15 times slower.
#
# The parallel loop hands each thread an equal, contiguous share of its range. Units cost more or less by
# institution (a conscript never weighs a move), and the institutions lie one after the other, so in unit
# order one thread would get the dear ones and wait for the other. The loop runs over blocks of units in a
# spread order instead: each thread gets blocks from everywhere, each block in unit order (the memory is
# then read in long runs). Units are independent within a day, so the order changes nothing but the time.
BLOCKS_PER_RUN = 256  # blocks of units to spread over the threads, at most (a few hundred balance two threads)
MAX_BLOCK_UNITS = 64  # units of a block, at most: a long run of memory for the prefetcher
SPREAD = 0.6180339887498949  # the golden ratio's fraction: a stride that leaves no two nearby blocks together


@nb.njit(cache=True)
def block_stride(n_blocks):
    """The first whole number from ``SPREAD * n_blocks`` that shares no factor with ``n_blocks``: stepping by it
    modulo ``n_blocks`` visits every block once."""
    stride = max(1, int(SPREAD * n_blocks))
    while math.gcd(stride, n_blocks) != 1:
        stride += 1
    return stride


@nb.njit(parallel=True, cache=True)
def step_units(day, seed, P, institution_days, recruits, people, signals, tally):
    """Advance every unit by one day (ODD 3, step 3); tallies go to ``tally[u]``, signals to ``signals``."""
    n_units = people.unit_inst.shape[0]
    size = min(MAX_BLOCK_UNITS, max(1, n_units // BLOCKS_PER_RUN))
    n_blocks = (n_units + size - 1) // size
    stride = block_stride(n_blocks)
    for b in nb.prange(n_blocks):
        first = ((np.int64(b) * stride) % n_blocks) * size
        for u in range(first, min(n_units, first + size)):
            # the unit index passed as unsigned keeps step_unit to a single compiled specialization (the
            # parallel loop's index is unsigned inside the loop: int64 and uint64 made two)
            step_unit(np.uint64(u), day, seed, P, institution_days, recruits, people, signals, tally)
