"""The numbers the people, commanders and central offices act on, read straight from a scenario.

The engine packs the scenario into arrays (``engine.params``); this model reads the
same schema on its own, into plain attributes, so that the two share the scenario
but none of the code that turns it into behaviour.
"""

from __future__ import annotations

from dataclasses import dataclass

from exitban.scenario import Institution, Scenario


def daily(per_year: float) -> float:
    """A yearly probability as the daily one that compounds to it."""
    return 1.0 - (1.0 - per_year) ** (1.0 / 365.0)


@dataclass(slots=True)
class Rules:
    """Regime-wide rules (R1-R15) and behaviour (E1-E11) as plain floats."""

    prosecution: float
    unity: float
    centralized: bool
    sabotage_tolerance: float
    absence_limit: int
    bribe_price: float
    extortion: float
    sign_free: float
    sign_banned: float
    loss: float
    ministry_approve_free: float
    ministry_approve_banned: float
    answer_free: float
    answer_banned: float
    permit: float
    court_days: int
    court_win: float
    legal_bonus: float
    medical_days: int
    health_release: float
    corruption_daily: float
    offence_daily: float
    case_days: int
    conviction: float
    bribe_accept: float
    pressure_rate: float
    persuasion: float
    threat_fear: float
    threat_loyalty: float
    case_rate: float
    absence_catch: float
    desert_days: int
    moonlight_detect: float
    sabotage_fire: float
    sabotage_damage: float
    fear_decay: float
    decision_rate: float
    beta_desire: float
    beta_loyalty: float
    beta_fear: float
    beta_means: float
    beta_investment: float
    voice_bias: float
    neglect_bias: float
    moonlight_bias: float
    absence_bias: float
    pay_bias: float
    defect_bias: float
    health_bias: float
    loophole_bias: float
    stay_bias: float
    free_exit_bonus: float
    loophole_bonus: float
    defect_success: float
    viral: float
    legal_uptake: float
    frustration: float
    peer_weight_unit: float
    case_deterrence: float
    want_cutoff: float
    defend_cutoff: float

    @classmethod
    def from_scenario(cls, s: Scenario) -> Rules:
        r, b, p, h, o = s.regime, s.bureaucracy, s.pressure, s.behaviour, s.outputs
        return cls(
            prosecution=r.prosecution_threat,
            unity=r.unity_pressure,
            centralized=r.centralized_approvals,
            sabotage_tolerance=r.sabotage_tolerance,
            absence_limit=r.absence_limit_days,
            bribe_price=r.bribe_price,
            extortion=r.extortion_rate,
            sign_free=b.sign_prob_free,
            sign_banned=b.sign_prob_banned,
            loss=b.request_loss_prob,
            ministry_approve_free=b.ministry_approve_free,
            ministry_approve_banned=b.ministry_approve_banned,
            answer_free=b.appeal_answer_free,
            answer_banned=b.appeal_answer_banned,
            permit=b.permit_grant_prob,
            court_days=b.court_days,
            court_win=b.court_win_prob,
            legal_bonus=b.legal_help_bonus,
            medical_days=b.medical_days,
            health_release=b.health_release_prob,
            corruption_daily=daily(b.corruption_dismissal_per_year),
            offence_daily=daily(b.offence_per_year),
            case_days=b.case_days,
            conviction=b.conviction_prob,
            bribe_accept=b.bribe_acceptance,
            pressure_rate=p.pressure_rate,
            persuasion=p.persuasion_effect,
            threat_fear=p.threat_fear,
            threat_loyalty=p.threat_loyalty_loss,
            case_rate=p.case_rate,
            absence_catch=p.absence_catch_prob,
            desert_days=p.desert_days,
            moonlight_detect=p.moonlight_detect_prob,
            sabotage_fire=p.sabotage_fire_rate,
            sabotage_damage=p.sabotage_damage,
            fear_decay=p.fear_decay,
            decision_rate=h.decision_rate,
            beta_desire=h.beta_desire,
            beta_loyalty=h.beta_loyalty,
            beta_fear=h.beta_fear,
            beta_means=h.beta_means,
            beta_investment=h.beta_investment,
            voice_bias=h.voice_bias,
            neglect_bias=h.neglect_bias,
            moonlight_bias=h.moonlight_bias,
            absence_bias=h.absence_bias,
            pay_bias=h.pay_bias,
            defect_bias=h.defect_bias,
            health_bias=h.health_bias,
            loophole_bias=h.loophole_bias,
            stay_bias=h.stay_bias,
            free_exit_bonus=h.free_exit_bonus,
            loophole_bonus=h.loophole_bonus,
            defect_success=h.defect_success_prob,
            viral=h.viral_prob,
            legal_uptake=h.legal_help_uptake,
            frustration=h.frustration,
            peer_weight_unit=h.peer_weight_unit,
            case_deterrence=h.case_deterrence,
            want_cutoff=o.want_out_cutoff,
            defend_cutoff=o.defend_cutoff,
        )


@dataclass(slots=True)
class InstitutionRules:
    """What differs between institutions: the ban's reach, mobilization, travel control, contracts."""

    covered: bool
    mobilized: bool
    travel_controlled: bool
    resignation_case: bool
    contract_days: int
    drift_daily: float

    @classmethod
    def from_scenario(cls, s: Scenario, inst: Institution) -> InstitutionRules:
        return cls(
            covered=inst.covered_by_ban,
            mobilized=s.regime.mobilization and inst.mobilized,
            travel_controlled=s.regime.travel_control and inst.travel_restricted,
            resignation_case=inst.resignation_case,
            contract_days=int(max(1.0, inst.contract_years * 365.0)),
            drift_daily=inst.desire_drift_per_year / 365.0,
        )
