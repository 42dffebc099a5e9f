"""The day of every unit: a dispatcher over the rules of ``engine.rules``, parallel over units.

A unit's members are processed in order by one thread, so the unit's commander acts on
them deterministically; units are independent within a day because they read only
yesterday's signals. Every draw is ``uniform(seed, day, person, stream)``, so results do
not depend on the thread count.
"""

from __future__ import annotations

import numba as nb
import numpy as np

from exitban.engine import codes as c
from exitban.engine import streams as s
from exitban.engine.rng import uniform
from exitban.engine.rules.census import count_acted_gone, count_gone, count_person
from exitban.engine.rules.choice import ask_permit, choose_move, start_move
from exitban.engine.rules.commander import handle_request
from exitban.engine.rules.contract import contract_end
from exitban.engine.rules.decree import demobilization_start, is_banned, under_decree
from exitban.engine.rules.display import deterrence, perceived_risk, update_display
from exitban.engine.rules.events import mourn
from exitban.engine.rules.flows import recruit, retire
from exitban.engine.rules.hazards import background_hazards
from exitban.engine.rules.private_state import drift
from exitban.engine.rules.retention import stay_value, years_served
from exitban.engine.rules.stages import continue_stage
from exitban.engine.signals import clear_unit
from exitban.engine.units import DAYS_PER_YEAR, daily

# The parallel loop receives the scenario's numbers as one named tuple (``RuleParams``), which Numba
# unpacks into the loop's arguments only up to this many fields (default 100); the rules read more.
nb.config.PARFOR_MAX_TUPLE_SIZE = max(nb.config.PARFOR_MAX_TUPLE_SIZE, 256)


@nb.njit(cache=True, _nrt=False)
def step_unit(u, day, seed, P, inst, ban_active, p_corruption, p_offence, p_reward, recruits, people, signals, tally):
    """One unit's day: its positions in order, each holder through the rules of ODD 7.2-7.12."""
    tally[u, :] = 0.0
    clear_unit(signals, u)
    k = people.unit_inst[u]
    decree = under_decree(P, inst, k, day)  # for those it holds, the decree is the ban (C:3)
    banned = 1.0 if is_banned(ban_active, inst, k, decree) else 0.0
    reservist = inst.reservist[k] > 0.0
    graduates = inst.graduates_to[k] >= 0.0
    age_cutoff = inst.age_limit[k] - day / DAYS_PER_YEAR  # ages are kept as of day 0
    p_casualty = daily(inst.casualty_per_year[k])
    odds = signals.recruit_odds[k]
    demob_start = demobilization_start(P, inst, k)
    pay_raised = P.pay_rise_day >= 0.0 and day >= P.pay_rise_day
    pay_premium = inst.pay_premium[k] + (P.pay_rise if pay_raised else 0.0)  # a pay rise (7.14 via 7.13)
    pension_years = inst.pension_years[k]
    travel_controlled = P.travel_control * inst.travel_restricted[k] > 0.0
    p_trip = inst.trips_per_year[k] / DAYS_PER_YEAR if travel_controlled else 0.0  # ordinary trips need a permit (R7)
    closed = int(inst.closed_moves[k])
    resignation_case = inst.resignation_case[k] > 0.0
    military = inst.military_law[k] > 0.0  # the military articles apply (R13)
    insist_article = c.ART_DISOBEDIENCE if military else c.ART_OTHER
    neglect_article = c.ART_DISOBEDIENCE if military else c.ART_NEGLIGENCE
    contract_days = max(1.0, inst.contract_years[k] * DAYS_PER_YEAR)
    # mobilization adds to the drift of those the decree holds (7.14)
    drift_daily = (inst.desire_drift_per_year[k] + (P.mobilization_drift_per_year if decree else 0.0)) / DAYS_PER_YEAR
    casualty_share = signals.unit_casualty_share[u]
    w = P.peer_weight_unit
    peer = w * signals.unit_share[u] + (1.0 - w) * signals.inst_share[k]
    perceived = perceived_risk(P, signals.unit_case_share[u])
    for i in range(people.unit_start[u], people.unit_start[u + 1]):
        if people.status[i] != c.SERVING:
            if not recruit(i, k, day, seed, odds, contract_days, recruits, people, signals, tally, u):
                count_gone(i, people, tally, signals, u)
                continue
        elif background_hazards(
            i, day, seed, P, decree, p_corruption, p_offence, p_casualty, p_reward, people, signals, tally, u
        ):
            continue
        if retire(i, day, age_cutoff, people, tally, u):
            continue
        if contract_end(
            i, k, day, seed, P, contract_days, resignation_case, decree, reservist, graduates, demob_start,
            pay_premium, pension_years, recruits, people, signals, tally, u,
        ):  # fmt: skip
            continue
        mourn(i, P, casualty_share, people)
        wants = drift(i, P, drift_daily, resignation_case, people)
        # what one stands to lose by leaving (7.13), needed only by those who want out
        stake = stay_value(years_served(i, day, people), pay_premium, pension_years, P) if wants else 0.0
        deter = deterrence(i, perceived, people)
        displayed = update_display(i, P, wants, banned, peer, deter, stake, people)
        stage = people.stage[i]
        if stage == c.QUIET:
            if wants and uniform(seed, day, i, s.DECIDE) < P.decision_rate:
                mv = choose_move(
                    i, P, banned, military, closed, deter, displayed, stake, day, seed, people, signals.utility[u]
                )
                if start_move(i, mv, day, seed, P, banned, decree, travel_controlled, people, tally, signals, u):
                    continue
            elif p_trip > 0.0 and uniform(seed, day, i, s.TRIP_WISH) < p_trip:
                ask_permit(i, day, people, signals.entered, u)
        elif stage == c.REQUESTED:
            if handle_request(
                i, day, seed, P, banned, decree, military, insist_article, people, tally, signals.entered, u
            ):
                continue
        elif continue_stage(i, stage, day, seed, P, wants, banned, decree, neglect_article, people, tally, u):
            continue
        count_person(i, day, P, resignation_case, people, tally, signals, u)
    count_acted_gone(signals, tally, u)


# The rules are inlined (inline="always") into the serial ``step_unit``, never into the parallel
# loop itself: Numba 0.68 miscompiles an inlined write through a named tuple's array inside a
# prange body (a flag set there was lost). One call per unit keeps the call overhead negligible.
# ``step_unit`` runs without reference counting (``_nrt=False``: it allocates nothing): each
# inlined call copies the ``people`` tuple, and counting references to its 28 arrays on every
# copy made the day 5-15 times slower.
@nb.njit(parallel=True, cache=True)
def step_units(day, seed, P, inst, ban_active, recruits, people, signals, tally):
    """Advance every unit by one day (ODD 3, step 3); tallies go to ``tally[u]``, signals to ``signals``."""
    p_corruption = daily(P.corruption_dismissal_per_year)
    p_offence = daily(P.offence_per_year)
    p_reward = daily(P.reward_per_year)
    for u in nb.prange(people.unit_inst.shape[0]):
        # the parallel loop's index is unsigned inside the loop: passing it as one keeps step_unit to a single
        # compiled specialization (int64 and uint64 made two: a quarter of the first compile)
        step_unit(
            np.uint64(u),
            day,
            seed,
            P,
            inst,
            ban_active,
            p_corruption,
            p_offence,
            p_reward,
            recruits,
            people,
            signals,
            tally,
        )
