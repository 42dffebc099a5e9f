"""The day's signals (``state.Signals``): cleared before a unit steps, turned into tomorrow's shares after.

The census writes these counts beside the output tallies, and tomorrow's rules read the shares
derived from them here.
"""

from __future__ import annotations

import numba as nb
import numpy as np


@nb.njit(cache=True)
def clear_unit(signals, u):
    signals.acted[u] = 0.0
    signals.headcount[u] = 0.0
    signals.cases_open[u] = 0.0
    signals.awaiting[u] = 0.0
    signals.casualties[u] = 0.0
    signals.legal_sought[u] = 0.0
    signals.help_known[u] = 0.0
    signals.help_sought[u] = 0.0
    signals.entered[u, :] = 0
    signals.hidden[u] = 0.0
    signals.viral[u] = 0.0


@nb.njit(cache=True)
def update_shares(signals, unit_inst, unit_size0, inst_size0, legal_rate, help_rate, scale):
    """Tomorrow's peer shares (Granovetter; the regime's trigger, R1), perceived case share (Epstein), the
    unit's losses (7.14), the chance that lawyers take on one more client (E4), and the help network's
    share who know, viral posts at full size and chance that the helpers take on one more (rules.help)."""
    acted = np.zeros(inst_size0.shape[0])
    sought = 0.0
    help_sought = 0.0
    viral = 0.0
    for u in range(unit_inst.shape[0]):  # serial: a fixed summation order
        k = unit_inst[u]
        sought += signals.legal_sought[u]
        help_sought += signals.help_sought[u]
        viral += signals.viral[u]  # the day's viral posts (census.count_acted_gone)
        signals.unit_help_share[u] = signals.help_known[u] / unit_size0[u]
        acted[k] += signals.acted[u]
        signals.unit_share[u] = signals.acted[u] / unit_size0[u]
        signals.unit_case_share[u] = signals.cases_open[u] / max(1.0, signals.headcount[u])
        signals.unit_casualty_share[u] = signals.casualties[u] / unit_size0[u]
    for k in range(inst_size0.shape[0]):
        signals.inst_share[k] = acted[k] / inst_size0[k]
    signals.legal_odds[0] = min(1.0, legal_rate / sought) if sought > 0.0 else 1.0
    signals.help_odds[0] = min(1.0, help_rate / help_sought) if help_sought > 0.0 else 1.0
    signals.viral_yesterday[0] = viral / scale


@nb.njit(cache=True)
def update_peers(signals, unit_inst, inst_size0, viral_peer_weight, public_memory_days):
    """Tomorrow's peer shares for the rule of showing the wish (7.5; Granovetter, Kuran): among those who want
    out, or wanted out and left, the share who have said so, per unit and per institution; and what the
    institution's viral posts add, from a stock that fades at ``1 / public_memory_days`` a day (E3).

    writes: signals.unit_peer, signals.inst_peer, signals.public_posts, signals.public_share
    """
    n_inst = inst_size0.shape[0]
    acted = np.zeros(n_inst)
    hidden = np.zeros(n_inst)
    viral = np.zeros(n_inst)
    for u in range(unit_inst.shape[0]):  # serial: a fixed summation order
        k = unit_inst[u]
        a, h = signals.acted[u], signals.hidden[u]
        acted[k] += a
        hidden[k] += h
        viral[k] += signals.viral[u]
        signals.unit_peer[u] = a / (a + h) if a + h > 0.0 else 0.0
    fade = 1.0 - 1.0 / public_memory_days
    for k in range(n_inst):
        a, h = acted[k], hidden[k]
        signals.inst_peer[k] = a / (a + h) if a + h > 0.0 else 0.0
        signals.public_posts[k] = signals.public_posts[k] * fade + viral[k]
        signals.public_share[k] = min(1.0, viral_peer_weight * signals.public_posts[k] / inst_size0[k])
