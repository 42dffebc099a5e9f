"""The day loop: regime decision, central queues, the units' step, then the day's tallies.

Order within a day (all of it deterministic):
1. the regime sets each institution's ban from yesterday's displayed share (R1);
2. the central queues serve the people who entered on earlier days (R7, R9, R11);
3. every unit steps in parallel (``kernel.step_units``) and tallies its end-of-day state;
4. today's entrants join the queues; tallies are summed per institution.
"""

from __future__ import annotations

from collections.abc import Callable

import numba as nb
import numpy as np

from exitban.engine import params as p
from exitban.engine import queues as q
from exitban.engine.columns import N_TALLIES, T
from exitban.engine.kernel import step_units
from exitban.engine.rng import seed_key
from exitban.scenario import Scenario
from exitban.state import Population

ACTED, CASES_OPEN, HEADCOUNT, DISPLAYED = T["acted"], T["cases_open"], T["headcount"], T["displayed"]


@nb.njit(cache=True)
def sum_units(tally, unit_inst, out):
    """Add each unit's tallies to its institution's row (serial: a fixed summation order)."""
    for u in range(tally.shape[0]):
        k = unit_inst[u]
        for j in range(tally.shape[1]):
            out[k, j] += tally[u, j]


@nb.njit(cache=True)
def peer_shares(tally, unit_size0, inst_tally, inst_size0, unit_share, inst_share, unit_case_share):
    """Yesterday's acted shares (unit and institution) and open-case shares, read by tomorrow's step."""
    for u in range(tally.shape[0]):
        unit_share[u] = tally[u, ACTED] / unit_size0[u]
        unit_case_share[u] = tally[u, CASES_OPEN] / max(1.0, tally[u, HEADCOUNT])
    for k in range(inst_tally.shape[0]):
        inst_share[k] = inst_tally[k, ACTED] / inst_size0[k]


@nb.njit(cache=True)
def ban_for_day(policy, active, displayed_share, trigger, day, lift_day):
    """R1: 'on' holds the ban; 'auto' imposes it once the displayed wish to leave passes the trigger."""
    for k in range(policy.shape[0]):
        if lift_day >= 0 and day >= lift_day:
            active[k] = 0
        elif policy[k] == p.BAN_ON or (policy[k] == p.BAN_AUTO and displayed_share[k] >= trigger):
            active[k] = 1
        elif policy[k] == p.BAN_OFF:
            active[k] = 0


@nb.njit(cache=True)
def run_span(
    first, last, key, G, IP, rates, credit, policy, active, trigger, lift_day, displayed_share,
    unit_share, inst_share, unit_case_share, unit_tally, size0, series, bans, q_who, q_day, q_ends,
    inst, unit_start, unit_inst, unit_size0, junior, seniority, contract_end, desire, loyalty, fear,
    risk_aversion, competence, health, family, means, reach, threshold, status, stage, flags, pressure,
    n_requests, stage_day, request_day, case_day, exit_day,
):  # fmt: skip
    """Days ``first`` to ``last - 1`` in one compiled call: Python is not re-entered between days."""
    n_inst = IP.shape[0]
    for day in range(first, last):
        ban_for_day(policy, active, displayed_share, trigger, day, lift_day)
        today = series[day]
        q.serve(
            day, key, G, IP, rates, credit, active, inst, status, stage, stage_day, request_day,
            exit_day, flags, desire, loyalty, q_who, q_day, q_ends, today,
        )  # fmt: skip
        step_units(
            day, key, G, IP, active, unit_share, inst_share, unit_case_share, unit_start, unit_inst,
            junior, seniority, contract_end, desire, loyalty, fear, risk_aversion, competence,
            health, family, means, reach, threshold, status, stage, flags,
            pressure, n_requests, stage_day, request_day, case_day, exit_day, unit_tally,
        )  # fmt: skip
        q.enqueue(day, unit_tally, unit_start, stage, stage_day, q_who, q_day, q_ends)
        sum_units(unit_tally, unit_inst, today)
        peer_shares(unit_tally, unit_size0, today, size0, unit_share, inst_share, unit_case_share)
        for k in range(n_inst):
            displayed_share[k] = today[k, DISPLAYED] / size0[k]
            bans[day, k] = active[k]


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
    G = p.regime_vector(scenario)
    IP = p.institution_matrix(scenario)
    rates = p.queue_capacities(scenario)
    credit = np.zeros(q.N_QUEUES)
    n_inst = IP.shape[0]
    policy = np.full(n_inst, p.BAN_POLICY[scenario.regime.resignation_ban], dtype=np.int8)
    active = np.zeros(n_inst, dtype=np.int8)
    q_who, q_day, q_ends = q.new_queues(pop.n)
    unit_tally = np.zeros((pop.n_units, N_TALLIES), dtype=np.float64)
    unit_share = np.zeros(pop.n_units)
    unit_case_share = np.zeros(pop.n_units)
    inst_share = np.zeros(n_inst)
    displayed_share = np.zeros(n_inst)
    series = np.zeros((days, n_inst, N_TALLIES), dtype=np.float64)
    bans = np.zeros((days, n_inst), dtype=np.int8)
    size0 = pop.inst_size0.astype(np.float64)
    threads = nb.get_num_threads()
    if pop.n < PARALLEL_MIN_AGENTS:
        nb.set_num_threads(1)  # results do not depend on the thread count, only the speed does
    # a few dozen compiled calls per run: each returns so the progress bar can move
    span = max(1, min(DAYS_PER_CALL, days // 20))
    try:
        for first in range(0, days, span):
            last = min(days, first + span)
            run_span(
                first, last, key, G, IP, rates, credit, policy, active, scenario.regime.ban_trigger_share,
                scenario.regime.ban_lift_day, displayed_share, unit_share, inst_share, unit_case_share,
                unit_tally, size0, series, bans, q_who, q_day, q_ends, pop.inst, pop.unit_start, pop.unit_inst,
                pop.unit_size0, pop.junior, pop.seniority, pop.contract_end, pop.desire, pop.loyalty, pop.fear,
                pop.risk_aversion, pop.competence, pop.health, pop.family, pop.means, pop.reach, pop.threshold,
                pop.status, pop.stage, pop.flags, pop.pressure, pop.n_requests, pop.stage_day, pop.request_day,
                pop.case_day, pop.exit_day,
            )  # fmt: skip
            if on_day is not None:
                for day in range(first, last):
                    on_day(day)
    finally:
        nb.set_num_threads(threads)
    return series, bans
