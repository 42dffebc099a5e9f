"""The day loop: regime decision, central queues, the units' step, then the day's tallies.

Order within a day (all of it deterministic):
1. the regime sets each institution's ban from yesterday's displayed share (R1);
2. the central queues serve the people who entered on earlier days (R7, R9, R11);
3. every unit steps in parallel (``kernel.step_units``) and counts its end-of-day state;
4. today's entrants join the queues; tallies are summed per institution; tomorrow's shares are set.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numba as nb
import numpy as np

from exitban.engine import params as p
from exitban.engine.columns import N_TALLIES
from exitban.engine.kernel import step_units
from exitban.engine.rng import seed_key
from exitban.engine.rules.decree import under_decree
from exitban.engine.rules.flows import commission, recruitment_odds
from exitban.engine.rules.queues import enqueue, new_queues, serve
from exitban.engine.rules.regime import ban_for_day
from exitban.engine.signals import N_QUEUES, new_signals, update_shares
from exitban.scenario import Scenario
from exitban.state import Population, Recruits, recruit_pool


class Regime(NamedTuple):
    """The ban's state and the central offices: policy (I,) int8, active (I,) int8, queue rates and credit (3,),
    ring buffers (3, N + 1) and their head/tail counters (3, 2); cursor (I,) int64: where the search for a
    vacant post for graduates resumes in each institution; legal_rate: the lawyers' daily intake."""

    policy: np.ndarray
    active: np.ndarray
    rates: np.ndarray
    credit: np.ndarray
    q_who: np.ndarray
    q_day: np.ndarray
    q_ends: np.ndarray
    cursor: np.ndarray
    legal_rate: float  # new clients lawyers and support groups take on a day, scaled with the population (E4)


@nb.njit(cache=True)
def sum_units(tally, unit_inst, out):
    """Add each unit's tallies to its institution's row (serial: a fixed summation order)."""
    for u in range(tally.shape[0]):
        k = unit_inst[u]
        for j in range(tally.shape[1]):
            out[k, j] += tally[u, j]


@nb.njit(cache=True)
def record_bans(day, P, inst, active, out):
    """O7's ``ban_active``: the regime's ban, or the decree where it holds (for them the decree is the ban, C:3)."""
    for k in range(active.shape[0]):
        out[k] = 1 if active[k] or under_decree(P, inst, k, day) else 0


@nb.njit(cache=True)
def run_span(
    first, last, key, P, inst, trigger, lift_day, regime, recruits, people, signals, size0, unit_tally, series, bans
):  # fmt: skip
    """Days ``first`` to ``last - 1`` in one compiled call: Python is not re-entered between days."""
    for day in range(first, last):
        ban_for_day(regime.policy, regime.active, signals.inst_share, trigger, day, lift_day)
        today = series[day]
        commission(day, inst, people, signals, regime.cursor, today)
        serve(day, key, P, inst, regime.rates, regime.credit, regime.active, people, regime.q_who, regime.q_day,
              regime.q_ends, today)  # fmt: skip
        step_units(day, key, P, inst, regime.active, recruits, people, signals, unit_tally)
        enqueue(day, signals.entered, people, regime.q_who, regime.q_day, regime.q_ends)
        sum_units(unit_tally, people.unit_inst, today)
        update_shares(signals, people.unit_inst, people.unit_size0, size0, regime.legal_rate)
        recruitment_odds(day + 1, P, inst, regime.active, people, signals, signals.recruit_odds)
        record_bans(day, P, inst, regime.active, bans[day])


PARALLEL_MIN_AGENTS = 5_000  # below this a parallel launch costs more than it saves (benchmarks/engine.py)
DAYS_PER_CALL = 30


def run_days(
    scenario: Scenario,
    pop: Population,
    seed: int,
    days: int,
    on_day: Callable[[int], None] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Run ``days`` days in place on ``pop``.

    Returns the tallies, shape (days, institutions, N_TALLIES), and the ban state, (days, institutions).
    """
    key = seed_key(seed)
    P = p.rule_params(scenario)
    inst = p.institution_params(scenario)
    n_inst = len(scenario.institutions)
    q_who, q_day, q_ends = new_queues(pop.n)
    regime = Regime(
        policy=np.full(n_inst, p.BAN_POLICY[scenario.regime.resignation_ban], dtype=np.int8),
        active=np.zeros(n_inst, dtype=np.int8),
        rates=p.queue_capacities(scenario),
        credit=np.zeros(N_QUEUES),
        q_who=q_who,
        q_day=q_day,
        q_ends=q_ends,
        cursor=pop.inst_start[:-1].copy(),
        legal_rate=scenario.behaviour.legal_help_capacity_per_day * scenario.scale,
    )
    recruits: Recruits = recruit_pool(scenario, seed)
    signals = new_signals(pop.n_units, n_inst)
    unit_tally = np.zeros((pop.n_units, N_TALLIES), dtype=np.float64)
    series = np.zeros((days, n_inst, N_TALLIES), dtype=np.float64)
    bans = np.zeros((days, n_inst), dtype=np.int8)
    size0 = pop.inst_size0.astype(np.float64)
    trigger, lift_day = scenario.regime.ban_trigger_share, scenario.regime.ban_lift_day
    threads = nb.get_num_threads()
    if pop.n < PARALLEL_MIN_AGENTS:
        nb.set_num_threads(1)  # results do not depend on the thread count, only the speed does
    # a few dozen compiled calls per run: each returns so the progress bar can move
    span = max(1, min(DAYS_PER_CALL, days // 20))
    try:
        for first in range(0, days, span):
            last = min(days, first + span)
            run_span(
                first, last, key, P, inst, trigger, lift_day, regime, recruits, pop, signals, size0, unit_tally,
                series, bans,
            )  # fmt: skip
            if on_day is not None:
                for day in range(first, last):
                    on_day(day)
    finally:
        nb.set_num_threads(threads)
    return series, bans
