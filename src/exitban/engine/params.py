"""Pack a validated scenario into the flat float arrays the compiled kernel reads.

``G`` holds the regime-wide numbers, ``IP`` one row per institution. The index
constants below are module globals so Numba folds them in at compile time.
"""

from __future__ import annotations

import numpy as np

from exitban.scenario import Scenario

# ---- G: regime-wide ---------------------------------------------------------------------------
(
    G_PROSECUTION,
    G_UNITY,
    G_MOBILIZATION,
    G_CENTRALIZED,
    G_TRAVEL_CONTROL,
    G_SABOTAGE_TOLERANCE,
    G_ABSENCE_LIMIT,
    G_BRIBE_PRICE,
    G_EXTORTION,
    G_SIGN_FREE,
    G_SIGN_BANNED,
    G_LOSS,
    G_MINISTRY_APPROVE_FREE,
    G_MINISTRY_APPROVE_BANNED,
    G_ANSWER_FREE,
    G_ANSWER_BANNED,
    G_PERMIT,
    G_COURT_DAYS,
    G_COURT_WIN,
    G_LEGAL_BONUS,
    G_MEDICAL_DAYS,
    G_HEALTH_RELEASE,
    G_CORRUPTION_DAILY,
    G_OFFENCE_DAILY,
    G_CASE_DAYS,
    G_CONVICTION,
    G_BRIBE_ACCEPT,
    G_PRESSURE_RATE,
    G_PERSUASION,
    G_THREAT_FEAR,
    G_THREAT_LOYALTY,
    G_CASE_RATE,
    G_ABSENCE_CATCH,
    G_DESERT_DAYS,
    G_MOONLIGHT_DETECT,
    G_SABOTAGE_FIRE,
    G_SABOTAGE_DAMAGE,
    G_FEAR_DECAY,
    G_DECISION_RATE,
    G_B_DESIRE,
    G_B_LOYALTY,
    G_B_FEAR,
    G_B_MEANS,
    G_VOICE_BIAS,
    G_NEGLECT_BIAS,
    G_MOONLIGHT_BIAS,
    G_ABSENCE_BIAS,
    G_PAY_BIAS,
    G_DEFECT_BIAS,
    G_HEALTH_BIAS,
    G_LOOPHOLE_BIAS,
    G_STAY_BIAS,
    G_FREE_EXIT_BONUS,
    G_LOOPHOLE_BONUS,
    G_DEFECT_SUCCESS,
    G_VIRAL,
    G_LEGAL_UPTAKE,
    G_FRUSTRATION,
    G_PEER_UNIT,
    G_CASE_DETERRENCE,
    G_WANT_CUTOFF,
    G_DEFEND_CUTOFF,
    G_B_INVESTMENT,
    N_G,
) = range(64)

# ---- IP: per institution ----------------------------------------------------------------------
(
    I_COVERED,
    I_MOBILIZED,
    I_TRAVEL_RESTRICTED,
    I_RESIGNATION_CASE,
    I_CONTRACT_DAYS,
    I_DRIFT_DAILY,
    N_I,
) = range(7)

# ---- ban policy codes -----------------------------------------------------------------------------
BAN_OFF, BAN_ON, BAN_AUTO = 0, 1, 2
BAN_POLICY = {"off": BAN_OFF, "on": BAN_ON, "auto": BAN_AUTO}


def regime_vector(s: Scenario) -> np.ndarray:
    """The regime-wide parameters as the kernel's ``G`` vector."""
    r, b, p, h, o = s.regime, s.bureaucracy, s.pressure, s.behaviour, s.outputs
    g = np.zeros(N_G, dtype=np.float64)
    g[G_PROSECUTION] = r.prosecution_threat
    g[G_UNITY] = r.unity_pressure
    g[G_MOBILIZATION] = r.mobilization
    g[G_CENTRALIZED] = r.centralized_approvals
    g[G_TRAVEL_CONTROL] = r.travel_control
    g[G_SABOTAGE_TOLERANCE] = r.sabotage_tolerance
    g[G_ABSENCE_LIMIT] = r.absence_limit_days
    g[G_BRIBE_PRICE] = r.bribe_price
    g[G_EXTORTION] = r.extortion_rate
    g[G_SIGN_FREE] = b.sign_prob_free
    g[G_SIGN_BANNED] = b.sign_prob_banned
    g[G_LOSS] = b.request_loss_prob
    g[G_MINISTRY_APPROVE_FREE] = b.ministry_approve_free
    g[G_MINISTRY_APPROVE_BANNED] = b.ministry_approve_banned
    g[G_ANSWER_FREE] = b.appeal_answer_free
    g[G_ANSWER_BANNED] = b.appeal_answer_banned
    g[G_PERMIT] = b.permit_grant_prob
    g[G_COURT_DAYS] = b.court_days
    g[G_COURT_WIN] = b.court_win_prob
    g[G_LEGAL_BONUS] = b.legal_help_bonus
    g[G_MEDICAL_DAYS] = b.medical_days
    g[G_HEALTH_RELEASE] = b.health_release_prob
    g[G_CORRUPTION_DAILY] = 1.0 - (1.0 - b.corruption_dismissal_per_year) ** (1 / 365)
    g[G_OFFENCE_DAILY] = 1.0 - (1.0 - b.offence_per_year) ** (1 / 365)
    g[G_CASE_DAYS] = b.case_days
    g[G_CONVICTION] = b.conviction_prob
    g[G_BRIBE_ACCEPT] = b.bribe_acceptance
    g[G_PRESSURE_RATE] = p.pressure_rate
    g[G_PERSUASION] = p.persuasion_effect
    g[G_THREAT_FEAR] = p.threat_fear
    g[G_THREAT_LOYALTY] = p.threat_loyalty_loss
    g[G_CASE_RATE] = p.case_rate
    g[G_ABSENCE_CATCH] = p.absence_catch_prob
    g[G_DESERT_DAYS] = p.desert_days
    g[G_MOONLIGHT_DETECT] = p.moonlight_detect_prob
    g[G_SABOTAGE_FIRE] = p.sabotage_fire_rate
    g[G_SABOTAGE_DAMAGE] = p.sabotage_damage
    g[G_FEAR_DECAY] = p.fear_decay
    g[G_DECISION_RATE] = h.decision_rate
    g[G_B_DESIRE] = h.beta_desire
    g[G_B_LOYALTY] = h.beta_loyalty
    g[G_B_FEAR] = h.beta_fear
    g[G_B_MEANS] = h.beta_means
    g[G_VOICE_BIAS] = h.voice_bias
    g[G_NEGLECT_BIAS] = h.neglect_bias
    g[G_MOONLIGHT_BIAS] = h.moonlight_bias
    g[G_ABSENCE_BIAS] = h.absence_bias
    g[G_PAY_BIAS] = h.pay_bias
    g[G_DEFECT_BIAS] = h.defect_bias
    g[G_HEALTH_BIAS] = h.health_bias
    g[G_LOOPHOLE_BIAS] = h.loophole_bias
    g[G_STAY_BIAS] = h.stay_bias
    g[G_FREE_EXIT_BONUS] = h.free_exit_bonus
    g[G_LOOPHOLE_BONUS] = h.loophole_bonus
    g[G_DEFECT_SUCCESS] = h.defect_success_prob
    g[G_VIRAL] = h.viral_prob
    g[G_LEGAL_UPTAKE] = h.legal_help_uptake
    g[G_FRUSTRATION] = h.frustration
    g[G_PEER_UNIT] = h.peer_weight_unit
    g[G_CASE_DETERRENCE] = h.case_deterrence
    g[G_WANT_CUTOFF] = o.want_out_cutoff
    g[G_DEFEND_CUTOFF] = o.defend_cutoff
    g[G_B_INVESTMENT] = h.beta_investment
    return g


def institution_matrix(s: Scenario) -> np.ndarray:
    """One row of per-institution parameters for the kernel, in the scenario's institution order."""
    rows = []
    for inst in s.institutions.values():
        row = np.zeros(N_I, dtype=np.float64)
        row[I_COVERED] = inst.covered_by_ban
        row[I_MOBILIZED] = inst.mobilized
        row[I_TRAVEL_RESTRICTED] = inst.travel_restricted
        row[I_RESIGNATION_CASE] = inst.resignation_case
        row[I_CONTRACT_DAYS] = inst.contract_years * 365.0
        row[I_DRIFT_DAILY] = inst.desire_drift_per_year / 365.0
        rows.append(row)
    return np.vstack(rows)


def queue_capacities(s: Scenario) -> np.ndarray:
    """Daily service rate of the ministry, prosecutor and top-reviewer queues, scaled with the population.

    Rates may be fractional (0.05 a day at 1% scale of a 5-a-day office): the queues carry the
    fraction over, so a scaled-down run keeps the load per person of the real one.
    """
    b = s.bureaucracy
    caps = (b.ministry_capacity_per_day, b.prosecutor_capacity_per_day, b.top_reviewer_capacity_per_day)
    return np.array([c * s.scale for c in caps], dtype=np.float64)
