"""The day loop: regime decision, central queues, the units' step, then the day's tallies.

Order within a day (all of it deterministic):
1. the regime sets each institution's ban from yesterday's shown wishes, where the ban covers it (R1);
2. graduates are posted, and the central queues serve the people who entered on earlier days (R7, R9, R11);
3. every unit steps in parallel (``kernel.step_units``) and counts its end-of-day state;
4. today's entrants join the queues; tallies are summed per institution; tomorrow's shares are set.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numba as nb
import numpy as np

from exitban.engine.kernel import step_units
from exitban.engine.rules.decree import under_decree
from exitban.engine.rules.flows import commission, recruitment_odds
from exitban.engine.rules.queues import enqueue, serve
from exitban.engine.rules.regime import ban_for_day, trigger_share
from exitban.engine.rules.today import institution_day
from exitban.engine.signals import update_peers, update_shares
from exitban.engine.state import EngineInputs, EngineState


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
def run_span(first, last, inputs, state, series, bans):
    """Days ``first`` to ``last - 1`` in one compiled call: Python is not re-entered between days.

    ``series[day]`` (I, N_TALLIES) is the day's row of tallies, per institution; ``bans[day]`` (I,) its bans.
    """
    key, P, inst, recruits = inputs.key, inputs.rules, inputs.inst, inputs.recruits
    people, signals, offices = state.people, state.signals, state.offices
    shown = np.zeros(inputs.inst_size0.shape[0])
    for day in range(first, last):
        trigger_share(day, P, series, inputs.inst_size0, signals.inst_share, offices.watch_from, shown)  # R1
        ban_for_day(
            day, inputs.ban_policy, inst.covered_by_ban, offices.active, shown, inputs.trigger, offices.watch_from
        )
        day_tally = series[day]
        commission(day, inst, people, signals, offices.cursor, day_tally)
        serve(day, key, P, inst, inputs.queue_rates, offices, people, day_tally)
        institution_day(day, P, inst, offices.active, state.institution_days)
        step_units(day, key, P, state.institution_days, recruits, people, signals, state.unit_tally)
        enqueue(day, signals.entered, people, offices)
        sum_units(state.unit_tally, people.unit_inst, day_tally)
        update_shares(
            signals,
            people.unit_inst,
            people.unit_size0,
            inputs.inst_size0,
            P.legal_help_capacity_per_day,
            P.help_capacity_per_day,
            P.population_scale,
        )
        update_peers(signals, people.unit_inst, inputs.inst_size0, P.viral_peer_weight, P.public_memory_days)
        recruitment_odds(day + 1, P, inst, offices.active, people, signals, signals.recruit_odds)
        record_bans(day, P, inst, offices.active, bans[day])


PARALLEL_MIN_AGENTS = 5_000  # below this a parallel launch costs more than it saves (benchmarks/engine.py)
DAYS_PER_CALL = 30


def run_days(
    inputs: EngineInputs,
    state: EngineState,
    days: int,
    on_day: Callable[[int], None] | None = None,
    phases: Sequence[tuple[int, EngineInputs]] = (),
    on_span: Callable[[int, np.ndarray, np.ndarray], None] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Run ``days`` days in place on ``state`` (``engine.build.build`` makes both).

    ``phases`` (``engine.build.phase_inputs``) are ``(day, inputs)``: from that day on the loop reads those
    inputs. A compiled span never crosses a phase's day, and the inputs keep their types, so nothing is
    compiled again. Returns the tallies, shape (days, institutions, N_TALLIES), and the ban state, (days, institutions).
    ``on_span(done, series, bans)`` is called after each compiled span, the arrays filled for days ``< done``:
    a reader of the days run so far (the dashboard's plots that fill as the run goes). It only reads them.
    """
    swaps = dict(phases)
    starts = sorted(swaps)
    n_inst = inputs.inst_size0.shape[0]
    series = np.zeros((days, n_inst, state.unit_tally.shape[1]), dtype=np.float64)
    bans = np.zeros((days, n_inst), dtype=np.int8)
    threads = nb.get_num_threads()
    if state.people.n < PARALLEL_MIN_AGENTS:
        nb.set_num_threads(1)  # results do not depend on the thread count, only the speed does
    # a few dozen compiled calls per run: each returns so the progress bar can move
    span = max(1, min(DAYS_PER_CALL, days // 20))
    try:
        first = 0
        while first < days:
            inputs = swaps.get(first, inputs)
            last = min([days, first + span, *(d for d in starts if d > first)])
            run_span(first, last, inputs, state, series, bans)
            if on_day is not None:
                for day in range(first, last):
                    on_day(day)
            if on_span is not None:
                on_span(last, series, bans)
            first = last
    finally:
        nb.set_num_threads(threads)
    return series, bans
