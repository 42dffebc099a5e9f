"""What the engine carries from one day to the next besides the people: the peer and queue signals.

Outputs never drive the model: the census writes these counts beside the output tallies,
and tomorrow's rules read the shares derived from them here.
"""

from __future__ import annotations

from typing import NamedTuple

import numba as nb
import numpy as np

from exitban.engine.codes import N_MOVES

Q_MINISTRY, Q_APPEALS, Q_TRAVEL = 0, 1, 2  # the central queues, in the order rules.queues serves them
N_QUEUES = 3


class Signals(NamedTuple):
    """Per unit (U) or institution (I); counts are today's, shares are yesterday's as read today.

    acted, headcount, cases_open (U,) float64: the census's counts (acted includes
        those who left after showing the wish).
    entered (U, 3) int64: today's entrants to each central queue, for the enqueue pass.
    utility (U, N_MOVES) float64: scratch for the move choice, one row per unit (no allocation in the kernel).
    unit_share, unit_case_share (U,) float64: acted / starting size; open cases / headcount.
    inst_share (I,) float64: acted / the institution's starting size (peers, and the regime's trigger, R1).
    awaiting (U,) float64: graduates waiting for a post, counted in the unit they left.
    acted_gone (U,) float64: people who acted and left, whose position has since gone to someone else
        (kept for good: they still count toward the acted share).
    recruit_odds (I,) float64: today's chance that a vacant position is filled (``rules.flows``).
    casualties (U,) float64: today's wartime losses in the unit; unit_casualty_share (U,) float64: yesterday's
        over the unit's starting size (``rules.events.mourn``).
    legal_sought (U,) float64: people who sought legal help today; legal_odds (1,) float64: today's chance that
        one who seeks it is taken on, from yesterday's demand and the lawyers' capacity (E4).
    """

    acted: np.ndarray
    headcount: np.ndarray
    cases_open: np.ndarray
    entered: np.ndarray
    utility: np.ndarray
    unit_share: np.ndarray
    unit_case_share: np.ndarray
    inst_share: np.ndarray
    awaiting: np.ndarray
    acted_gone: np.ndarray
    recruit_odds: np.ndarray
    casualties: np.ndarray
    unit_casualty_share: np.ndarray
    legal_sought: np.ndarray
    legal_odds: np.ndarray


def new_signals(n_units: int, n_inst: int) -> Signals:
    """All zero: on day 0 nobody has acted and no case is open."""
    return Signals(
        acted=np.zeros(n_units),
        headcount=np.zeros(n_units),
        cases_open=np.zeros(n_units),
        entered=np.zeros((n_units, N_QUEUES), dtype=np.int64),
        utility=np.zeros((n_units, N_MOVES)),
        unit_share=np.zeros(n_units),
        unit_case_share=np.zeros(n_units),
        inst_share=np.zeros(n_inst),
        awaiting=np.zeros(n_units),
        acted_gone=np.zeros(n_units),
        recruit_odds=np.zeros(n_inst),
        casualties=np.zeros(n_units),
        unit_casualty_share=np.zeros(n_units),
        legal_sought=np.zeros(n_units),
        legal_odds=np.ones(1),
    )


@nb.njit(cache=True)
def clear_unit(signals, u):
    signals.acted[u] = 0.0
    signals.headcount[u] = 0.0
    signals.cases_open[u] = 0.0
    signals.awaiting[u] = 0.0
    signals.casualties[u] = 0.0
    signals.legal_sought[u] = 0.0
    signals.entered[u, :] = 0


@nb.njit(cache=True)
def update_shares(signals, unit_inst, unit_size0, inst_size0, legal_rate):
    """Tomorrow's peer shares (Granovetter; the regime's trigger, R1), perceived case share (Epstein), the
    unit's losses (7.14) and the chance that lawyers take on one more client (E4)."""
    acted = np.zeros(inst_size0.shape[0])
    sought = 0.0
    for u in range(unit_inst.shape[0]):  # serial: a fixed summation order
        k = unit_inst[u]
        sought += signals.legal_sought[u]
        acted[k] += signals.acted[u]
        signals.unit_share[u] = signals.acted[u] / unit_size0[u]
        signals.unit_case_share[u] = signals.cases_open[u] / max(1.0, signals.headcount[u])
        signals.unit_casualty_share[u] = signals.casualties[u] / unit_size0[u]
    for k in range(inst_size0.shape[0]):
        signals.inst_share[k] = acted[k] / inst_size0[k]
    signals.legal_odds[0] = min(1.0, legal_rate / sought) if sought > 0.0 else 1.0
