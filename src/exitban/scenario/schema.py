"""The scenario schema: institutions, the regime's levers and the behavioural rates.

Every field's default carries its provenance (a source line such as ``B:18`` from
the brief, or ``assumption: ...``); a scenario file can add or override provenance
for the values it sets in its ``[provenance]`` table. ``resolve_provenance`` joins
the two so ``exitban show`` can print where every number comes from.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from exitban.scenario.edit import set_fields
from exitban.scenario.fields import default_provenance, leaf_values
from exitban.scenario.names import check_name, check_text
from exitban.scenario.phases import check_phases, replaced_field_message
from exitban.scenario.run_size import DAYS_MAX, DAYS_MIN, SCALE_MAX

Probability = Annotated[float, Field(ge=0, le=1)]  # a share or a probability: its range comes with the type
INSTITUTION_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,63}")


def sourced(default: Any, source: str, unit: str = "", **limits: Any) -> Any:
    """A field whose default is a fact from the sources (e.g. ``source='B:18'``), in ``unit``."""
    return Field(default, json_schema_extra={"provenance": f"source {source}", "unit": unit}, **limits)


def assumed(default: Any, why: str, unit: str = "", **limits: Any) -> Any:
    """A field whose default is a modelling assumption, with the reason, in ``unit``."""
    return Field(default, json_schema_extra={"provenance": f"assumption: {why}", "unit": unit}, **limits)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


MoveName = Literal[
    "request", "loophole", "voice", "sabotage", "moonlight", "absent", "pay", "defect", "health", "transfer"
]
InstitutionKind = Literal[
    "civil_official",
    "special_services",
    "military_officer",
    "contract_soldier",
    "cadet",
    "conscript",
    "mobilized_reservist",
]


class Institution(_Strict):
    """One institution: its size, its structure and the starting distribution of its people (P1-P3)."""

    kind: InstitutionKind
    label: str = ""
    size: int = assumed(10_000, "placeholder; every shipped scenario sets it", "people", ge=1, le=50_000_000)
    unit_size: int = assumed(100, "a company / department of about a hundred", "people", ge=2, le=100_000)
    covered_by_ban: bool = sourced(True, "A:11,29; B:16")
    mobilized: bool = sourced(False, "A:29-31; C:3")
    travel_restricted: bool = sourced(False, "A:33-37")
    resignation_case: bool = sourced(True, "P1: conscripts serve a fixed draft and are not resignation cases (B:16)")
    junior_share: Probability = sourced(0.2, "B:76 (lieutenants); share is an assumption", "share of members")
    contract_years: float = assumed(5.0, "typical contract term", "years", gt=0, le=40)
    seniority_years_max: float = assumed(
        20.0, "a career of up to twenty years; B:72 gives only the range of one lawyer's clients (junior officers to twenty-year veterans), not a distribution of seniority", "years", ge=0, le=50,
    )  # fmt: skip
    desire_mean: Probability = assumed(0.35, "private wish to leave, before the war drift", "desire (0 to 1 scale)")
    desire_sd: float = assumed(0.2, "spread of private wish to leave", "desire (0 to 1 scale)", ge=0, le=1)
    desire_drift_per_year: float = assumed(
        0.1, "yearly growth of the wish to leave (war, blocked careers)", "desire a year", ge=-1, le=5
    )
    loyalty_mean: Probability = assumed(0.5, "loyalty to the regime", "loyalty (0 to 1 scale)")
    loyalty_sd: float = assumed(0.2, "spread of loyalty", "loyalty (0 to 1 scale)", ge=0, le=1)
    threshold_mean: float = assumed(
        0.2, "Granovetter (1978) threshold, drawn normal: the share of one's peers who want out that must have "
        "shown it before one shows it (7.5); no source gives the distribution. With the spread of 0.3 a quarter "
        "have a threshold of 0 or less, so where leaving is legal r = F(r) has no low fixed point (none below "
        "0.9 at a unity pressure up to 0.3): free regimes stay open, as in peacetime, when people leave freely",
        "share of peers", ge=-1, le=2,
    )  # fmt: skip
    threshold_sd: float = assumed(
        0.3, "spread of the Granovetter thresholds (normal); with the mean, it sets F(0), the share who show the "
        "wish with no peer", "share of peers", ge=0, le=2,
    )  # fmt: skip
    risk_aversion_mean: Probability = assumed(0.5, "Epstein (2002) risk aversion", "risk aversion (0 to 1 scale)")
    competence_mean: Probability = assumed(0.6, "competence", "competence (0 to 1 scale)")
    health_mean: Probability = assumed(0.85, "health", "health (0 to 1 scale)")
    family_exposure_mean: Probability = sourced(
        0.5, "B:32-34,48 (parents, siblings threatened); level assumed", "exposure (0 to 1 scale)"
    )
    means_mean: Probability = assumed(0.3, "ability to pay, as a share of the top price", "share of the top price")
    reach_mean: Probability = sourced(0.1, "B:5-7,56 (posts that went viral); level assumed", "reach (0 to 1 scale)")
    passports_held: Probability = sourced(0.0, "A:37 (passports confiscated); share assumed", "share of members")
    trips_per_year: float = sourced(
        0.0, "A:37 (no one goes abroad without a permit): ordinary foreign trips a year that need one under "
        "travel control; the number is assumed", "per year", ge=0, le=365,
    )  # fmt: skip
    closed_moves: list[MoveName] = assumed(
        [], "ways out that do not exist in this institution (at the front no second job: 'moonlight')", "moves"
    )
    junior_years: float = sourced(
        3.0, "B:76 (lieutenants fresh from the academies); years assumed", "years", ge=0, le=50
    )
    risk_aversion_concentration: float = assumed(
        6.0, "spread of risk aversion: Beta concentration", "Beta a + b", ge=0.01, le=1000
    )
    competence_concentration: float = assumed(
        6.0, "spread of competence: Beta concentration", "Beta a + b", ge=0.01, le=1000
    )
    health_concentration: float = assumed(
        10.0, "health varies less than the other traits", "Beta a + b", ge=0.01, le=1000
    )
    family_exposure_concentration: float = assumed(
        6.0, "spread of family exposure: Beta concentration", "Beta a + b", ge=0.01, le=1000
    )
    means_concentration: float = assumed(
        3.0, "ability to pay is spread wide: few can pay the top price", "Beta a + b", ge=0.01, le=1000
    )
    reach_concentration: float = assumed(
        3.0, "public reach is spread wide: a few have large audiences", "Beta a + b", ge=0.01, le=1000
    )

    accession_per_year: float = assumed(
        0.0,
        "new contracts a year as a share of the size, filling vacant positions only; 0 closes the "
        "institution to newcomers (the shipped scenarios set it)",
        "share of size a year", ge=0, le=60,  # a call-up of a whole cohort in six weeks is about 9 a year
    )  # fmt: skip
    held_at_start: Probability = sourced(
        1.0, "C:3-5 (the mobilized were called up from 21 Sep 2022): the share of the members who serve on the "
        "start date; the rest of the posts start vacant and fill by accession. 0 for a cohort called up later; "
        "the share is the scenario's", "share of size",
    )  # fmt: skip
    positions_per_member: float = assumed(
        1.0, "authorized positions per starting member: above 1 the institution starts under strength", "×",
        ge=1, le=3,
    )  # fmt: skip
    graduates_to: str = sourced(
        "", "B:26-28 (cadets who finish the academy are posted as lieutenants): the institution a member joins "
        "at the end of the term; empty for none",
    )  # fmt: skip
    entry_age: float = assumed(22.0, "age on joining", "years", ge=14, le=80)
    entry_age_spread: float = assumed(4.0, "ages on joining spread evenly over this many years", "years", ge=0, le=50)
    age_limit: float = assumed(
        60.0, "age at which service ends by law (decree 647 keeps it as a ground); the law's limits by rank are "
        "not in the sources", "years", ge=18, le=100,
    )  # fmt: skip
    pay_premium: float = assumed(
        0.0, "RAND DRM: the pay and bonuses of the post over the outside job, in units of the outside option; "
        "the sources give no pay figures", "×", ge=-5, le=5,
    )  # fmt: skip
    pension_years: float = assumed(
        20.0, "RAND DRM: years of service at which the service pension vests (the Russian law's 20 years for "
        "servicemen; not in the sources)", "years", ge=0, le=50,
    )  # fmt: skip
    casualty_per_year: float = assumed(
        0.0, "wartime casualties (killed, missing, wounded) a year per person exposed: everyone where no front "
        "is modelled (front_share 0), else only those at the front; wartime only, no source",
        "share a year", ge=0, le=1,
    )  # fmt: skip
    # The front (rules.front): who is exposed to the war. front_share 0 (the default) models no front.
    front_share: Probability = assumed(
        0.0, "share of the servicemen on a tour at the front at a time, leave and hospital aside (the sources "
        "report the war, C:4, but no deployment); 0: no front is modelled and casualties fall on everyone",
        "share",
    )  # fmt: skip
    tour_days: float = assumed(
        180.0, "mean length of a tour at the front before rotation to the rear (ended at a constant hazard); "
        "a rear spell lasts tour_days × (1 - front_share) / front_share on average (also at a constant hazard); "
        "no source", "days", ge=1, le=3650,
    )  # fmt: skip
    leave_per_year: float = assumed(
        0.0, "leaves a year granted to one at the front, who returns to the front after it; no source",
        "per year", ge=0, le=52,
    )  # fmt: skip
    leave_days: int = assumed(14, "length of a leave from the front; no source", "days", ge=1, le=365)
    hospital_days: int = assumed(
        45, "stay in hospital of a wounded man who returns, then back to the rear; no source", "days", ge=1, le=3650
    )
    wounded_return_share: Probability = assumed(
        0.0, "share of the wounded (the casualties neither killed nor missing) who go to hospital and return to "
        "service; the rest are discharged; 0: every casualty ends service; no source", "share of the wounded",
    )  # fmt: skip
    front_drift_per_year: float = assumed(
        0.0, "added to the yearly drift of the wish to leave while at the front (combat); no source gives a size",
        "per year", ge=0, le=5,
    )  # fmt: skip
    front_absence_factor: Probability = assumed(
        0.2, "the odds of going absent (B:40) at the front relative to the rear, leave or hospital, where one can "
        "walk away; no source gives a level", "×",
    )  # fmt: skip
    front_sabotage_catch_factor: float = assumed(
        5.0, "the daily chance that sabotage (C:7, neglected orders) is caught at the front relative to the "
        "rear, and the risk a saboteur weighs there: under fire a refused or ignored order is seen at once and "
        "falls under the disobedience article (R14); no source gives a level", "×", ge=1, le=100,
    )  # fmt: skip
    # officials (issue 22, item 3)
    central_resignation: bool = sourced(
        False, "A:19 (governors who tried to leave were prohibited by the presidential administration's Internal "
        "Policy Department): a resignation here is a political decision of the central office, not the unit's "
        "signature",
    )  # fmt: skip

    _label_is_text = field_validator("label")(lambda value: check_text(value))

    @property
    def military_law(self) -> bool:
        """Servicemen answer to the military articles (absence, desertion, disobedience); civil officials do not."""
        return self.kind != "civil_official"

    @property
    def reservist(self) -> bool:
        """Mobilized reservists have no contract: they serve until mobilization ends (decree 647)."""
        return self.kind == "mobilized_reservist"

    @model_validator(mode="after")
    def _unit_fits(self) -> Institution:
        # the default (100) simply caps at a small size (the unit is the whole institution); any other
        # unit_size must fit. Read off the value, not off which fields were set: a copy validated again
        # (``with_overrides``, ``--set``) has every field set, and must be accepted as the file was
        default = type(self).model_fields["unit_size"].default
        if self.unit_size != default and self.unit_size > self.size:
            raise ValueError(
                f"unit_size {self.unit_size:,} is larger than the institution's size {self.size:,} "
                f"(allowed: unit_size from 2 to size)"
            )
        if self.front_share > 0 and not self.military_law:
            raise ValueError(
                f"front_share {self.front_share:g} for a civil_official: civil officials are not sent to the front "
                f"(allowed: 0 for kind civil_official)"
            )
        return self


class Regime(_Strict):
    """The regime's policy levers (R1-R15): what a counterfactual scenario changes."""

    resignation_ban: Literal["on", "off", "auto"] = sourced("on", "A:11,13")
    ban_trigger_share: Probability = sourced(
        0.1, "A:13 (imposed after many wanted out); level assumed", "share of those serving who want out"
    )
    prosecution_threat: Probability = sourced(0.3, "A:11,19-21; B:13; level assumed", "probability")
    unity_pressure: float = sourced(0.15, "A:17; C:12; level assumed", "utility", ge=0, le=2)
    mobilization: bool = sourced(False, "A:29-31; C:3-6")
    recruitment_ban_factor: float = assumed(
        1.0, "recruitment while a ban or the decree holds, relative to without (a lever: a ban may deter "
        "recruits or be met with a drive)", "×", ge=0, le=5,
    )  # fmt: skip
    demobilization_days: int = assumed(
        90, "once mobilization ends, the mobilized are released evenly over this many days", "days", ge=1, le=3650
    )
    pay_rise: float = assumed(
        0.0, "a lever: pay added to every post's premium (7.14), from a date when a phase sets it; no source "
        "reports one", "×", ge=0, le=5,
    )  # fmt: skip
    centralized_approvals: bool = sourced(False, "B:76")
    travel_control: bool = sourced(False, "A:33-39")
    passport_surrender: bool = sourced(
        False, "calibration-targets.md (decree of Nov 2023: from 11 Dec 2023 anyone under a travel ban hands in "
        "the passport within 5 days); A:37 (some passports held already): under travel control no one of a "
        "travel-restricted institution holds a passport, so no one chooses to defect (a permitted trip still may end abroad)",
    )  # fmt: skip
    sabotage_tolerance: Probability = sourced(0.5, "C:7-11; level assumed", "share of saboteurs let be")
    denial: bool = assumed(
        False, "R15: the regime's reports deny what the counts show only where a scenario's source reports it "
        "(B:84-88 for the army); by default they are taken at face value",
    )  # fmt: skip
    absence_limit_days: int = sourced(10, "B:40", "days", ge=1, le=365)
    wartime_law: bool = sourced(
        False,
        "Criminal Code art. 337 as amended on 24 Sep 2022 (calibration-targets.md): in mobilization or war, "
        "absence of 2 days or more is an offence",
    )
    bribe_price: Probability = sourced(0.7, "A:25 (a high price); level assumed", "share of the top price")
    extortion_rate: Probability = sourced(0.002, "B:36,64; daily rate assumed", "per day")
    # Kuran and Granovetter in every regime (7.5): a public event that shows the wish
    public_event_signal: Probability = sourced(
        0.0, "C:17 (the June 2023 mutiny, a public challenge all could see); size assumed: the share added to "
        "everyone's peer share (those who want out and have shown it) while a phase sets it; 0 when nothing "
        "public happens", "share of peers",
    )  # fmt: skip
    # ---- the officials as the record has them (issue 22, item 3) ----
    ban_trigger_window_days: int = assumed(
        0, "0: an 'auto' ban comes once the acted share (serving or gone) reaches ban_trigger_share (the stock); "
        "above 0: once the wishes shown to the regime in the last this many days (requests and appeals filed, over "
        "the starting size) reach it (the flow: A:13, the ban answered many expressing the wish, before they left)",
        "days", ge=0, le=3650,
    )  # fmt: skip
    betrayal_cost: float = sourced(
        0.0, "A:17 (the wish to resign is seen as betrayal; officials are told to show unity): the cost of showing "
        "the wish to leave, with or without a formal ban, in the units of the threshold (a share of peers); 0 where "
        "the regime does not treat the wish as betrayal (then, without a ban, showing it is free); level assumed, "
        "set per regime phase", "share of peers", ge=0, le=2,
    )  # fmt: skip


class Bureaucracy(_Strict):
    """Queues, capacities and the odds of each official step (R5, R7-R11)."""

    sign_prob_free: Probability = assumed(
        0.05, "about three weeks to decide a request when leaving is allowed", "per day"
    )
    grant_share_free: Probability = sourced(
        0.48, "calibration-targets.md: 169 of 353 pre-war alternative-service applications granted (Movement of "
        "Conscientious Objectors, 2015-2018), an input-anchor for the share of those who ask to leave whom a formal "
        "channel lets go when the law allows the request; not a validation", "share of applicants",
    )  # fmt: skip
    sign_prob_banned: Probability = sourced(0.0008, "B:20 (waits of years); daily rate assumed", "per day")
    request_loss_prob: Probability = sourced(0.002, "B:62 (requests 'lost'); daily rate assumed", "per day")
    ministry_capacity_per_day: int = sourced(
        20, "B:52,76 (a lieutenant is dismissed only by the ministry's order, which the division does not want to "
        "seek); the ministry's own capacity, orders it decides a day after the commander's signature: level assumed",
        "requests a day", ge=1, le=10_000_000,
    )  # fmt: skip
    ministry_approve_free: Probability = assumed(0.9, "ministry approves when leaving is allowed", "probability")
    ministry_approve_banned: Probability = sourced(
        0.1, "B:76 ('no one wants to deal with that'); level assumed", "probability"
    )
    prosecutor_capacity_per_day: int = sourced(50, "B:20,42,50; level assumed", "appeals a day", ge=1, le=10_000_000)
    appeal_answer_free: Probability = assumed(0.5, "Hirschman: voice answered while exit is credible", "probability")
    appeal_answer_banned: Probability = sourced(
        0.03, "B:42 (passed down, refused, unanswered); level assumed", "probability"
    )
    top_reviewer_capacity_per_day: int = sourced(
        30, "A:39 (one reviewer at the top); level assumed", "permits a day", ge=1, le=10_000_000
    )
    permit_grant_prob: Probability = sourced(0.5, "A:37; level assumed", "probability")
    transfer_grant_free: Probability = assumed(
        0.3, "a transfer to a post outside the institution granted when leaving is allowed; no source says a "
        "transfer is a way out of the institution, nor gives a rate", "probability",
    )  # fmt: skip
    transfer_grant_banned: Probability = assumed(
        0.02, "a transfer out of the institution granted under the ban; B:5 says only that officers are not let "
        "transfer between posts, not that a transfer is a way out; level assumed", "probability",
    )  # fmt: skip
    court_days: int = sourced(180, "B:68 (fighting the case in court); length assumed", "days", ge=1, le=3650)
    court_win_prob: Probability = assumed(0.15, "courts rarely side with servicemen", "probability")
    legal_help_bonus: float = sourced(0.5, "B:72-78; size assumed", "share added to the odds", ge=0, le=5)
    medical_days: int = sourced(60, "A:23; length assumed", "days", ge=1, le=3650)
    health_release_prob: Probability = sourced(0.5, "A:23; level assumed", "probability")
    corruption_dismissal_per_year: Probability = sourced(0.002, "A:23; rate assumed", "per year")
    offence_per_year: Probability = assumed(
        0.001, "ordinary offences that open a case (article 'other'); B:9 names an offence only as a way out",
        "per year",
    )  # fmt: skip
    case_days: int = assumed(120, "investigation and trial", "days", ge=1, le=3650)
    investigator_capacity_per_day: float = assumed(
        100.0, "reported absences the military investigators bring in and open a case on a day, at full size "
        "(rules.justice; a phase may change it). No source gives it; the level is set above the uncalibrated "
        "scenarios' flow of reports, so that the queue alone does not set the count of absence cases (at 30 a "
        "day it did from 2023 in war-2022-2025); the calibration issue fits it", "absences a day",
        ge=0, le=10_000_000,
    )  # fmt: skip
    conviction_prob: Probability = assumed(0.6, "share of cases ending in a conviction", "probability")
    bribe_acceptance: Probability = sourced(0.5, "A:25; B:64; level assumed", "probability")
    viral_court_factor: float = sourced(
        1.5, "B:5-7,56 (cases that went public); a viral case wins half as often again, assumed", "×", ge=0, le=10
    )
    ill_health_release_weight: float = assumed(
        2.0,
        "release odds rise with ill health: at health 0.5 the commission releases at its full rate",
        "×",
        ge=0,
        le=20,
    )

    # ---- the officials as the record has them (issue 22, item 3) ----
    central_office_capacity_per_day: float = assumed(
        5.0, "resignations of senior officials the central office (A:19: the presidential administration's "
        "Internal Policy Department) decides a day; no source gives a number", "requests a day", gt=0, le=10_000_000,
    )  # fmt: skip
    central_review_days: int = assumed(
        30, "a political decision takes time: the central office decides a resignation no sooner than this many days "
        "after it was filed (A:19 gives no length)", "days", ge=0, le=3650,
    )  # fmt: skip
    central_approve_free: Probability = assumed(
        0.9, "the central office lets go one with grounds when leaving is allowed (as the ministry)", "probability"
    )
    central_approve_banned: Probability = sourced(
        0.0, "A:19-21 (at least two governors tried and were prohibited): under the ban the office refuses; "
        "level assumed", "probability",
    )  # fmt: skip
    central_approve_betrayal: Probability = sourced(
        0.0, "A:17,19: the office that decides a senior resignation is the presidential administration's (A:19), "
        "and the Kremlin sees the wish to resign as betrayal (A:17): where the regime treats the wish as betrayal "
        "(regime.betrayal_cost above 0) and no ban holds yet, the office lets go one with grounds with this chance, "
        "in place of central_approve_free; level assumed", "probability",
    )  # fmt: skip
    central_appeal_win_banned: Probability = assumed(
        0.0, "no source reports an official released by an appeal or a court: A:19-23 report the central office's "
        "refusal, and name health and corruption as the only exceptions to the ban. Under the ban an appeal answered "
        "or a lawsuit won by one whose resignation is the central office's (central_resignation) releases with this "
        "chance, in place of appeal_answer_banned and court_win_prob (source B's, for servicemen); the legal-help "
        "and viral factors still apply; level assumed", "probability",
    )  # fmt: skip
    central_threat_prob: Probability = sourced(
        0.5, "A:19-21 (a refusal came with hints of criminal prosecution): the share of refusals under the ban "
        "that come with a threat (fear up by pressure.threat_fear); level assumed", "probability",
    )  # fmt: skip
    central_waiting_acts: bool = sourced(
        False, "A:23,25 (officials leave quietly, by payment or on health grounds, while the ban holds): true lets "
        "one whose resignation waits for the central office still decide and go another way (pay, a medical "
        "release), as one waiting on a permit list can (A:37-39); false freezes him in the queue until the office "
        "decides (in officials-2023 about 6,600 requests a year meet 1,675 decisions). Off by default until the "
        "officials' exit biases are fitted on their own patterns (issue 23): on, with today's unfitted biases, "
        "senior officials leave by payment and defection at about 6% a year each and officials-2023 falls below "
        "the loss-of-control line (A:15) within five years",
    )  # fmt: skip
    permit_list_review_days: int = sourced(
        0, "A:37-39 (the special services keep lists of those who need permits; the lists are reviewed at the "
        "top): 0 reviews each trip at top_reviewer_capacity_per_day; above 0 the whole list waiting is decided "
        "every this many days, and one waiting for a permit can still act (resign, appeal, pay); interval "
        "assumed", "days", ge=0, le=365,
    )  # fmt: skip


class Pressure(_Strict):
    """The pressure ladder and prosecution (R2, R12, R13)."""

    pressure_rate: Probability = sourced(0.02, "B:32-34,48,60-66; daily rate assumed", "per day")
    persuasion_effect: float = sourced(
        0.15, "B:26,32 (persuaded to stay); size assumed", "desire (0 to 1 scale)", ge=0, le=1
    )
    threat_fear: float = sourced(0.15, "B:13,32; size assumed", "fear (0 to 1 scale)", ge=0, le=1)
    threat_loyalty_loss: float = assumed(0.08, "threats erode loyalty", "loyalty (0 to 1 scale)", ge=0, le=1)
    case_rate: Probability = sourced(
        0.1, "A:19-21; B:13 (a case for insisting); the chance, at the threat's full strength, that filing a "
        "request again under the ban brings a case, assumed: weighed once a filing, not daily while a request "
        "waits (issue 22: a daily hazard over waits of years made disobedience the commonest article)",
        "per repeated request",
    )  # fmt: skip
    absence_catch_prob: Probability = assumed(
        0.05, "the daily chance that an absentee's unit notices and finds him (rules.justice.notice_prob); no "
        "source gives it (B:40 says only that absence past the limit is an offence)", "per day",
    )  # fmt: skip
    desert_days: int = assumed(60, "days of absence before one counts as gone", "days", ge=1, le=3650)
    moonlight_detect_prob: Probability = sourced(
        0.0005, "B:40 (shows up often enough to stay clear of the absence article); daily rate of a "
        "disciplinary catch assumed", "per day",
    )  # fmt: skip
    wartime_absence_days: int = sourced(
        2, "art. 337 from 24 Sep 2022: 2-10 days of absence in mobilization or war (calibration-targets.md)",
        "days", ge=1, le=365,
    )  # fmt: skip
    suspended_share: Probability = assumed(
        0.5, "the share of sentences suspended under the articles other than absence (disobedience, corruption, "
        "other), for which no source gives sentences; absence sentences are graded instead (rules.justice: "
        "suspension_max_years) and their suspended share is an output, checked against Mediazona's third to 60% "
        "(calibration-targets.md)", "share of convictions",
    )  # fmt: skip
    sabotage_fire_rate: Probability = sourced(0.004, "C:7-8; daily rate when not tolerated, assumed", "per day")
    confinement_days: int = assumed(
        30, "A4: confinement to base ends after this many days; B:60-62,66 tell of confinement but not its length",
        "days", ge=1, le=3650,
    )  # fmt: skip
    sabotage_damage: float = sourced(0.5, "C:11; size assumed", "× competence", ge=0, le=5)
    fear_decay: Probability = assumed(0.01, "fear fades by 1% a day", "share a day")
    reward_per_year: Probability = assumed(
        0.05, "rewards and promotions a year per person (7.14); no source gives a rate", "share a year"
    )
    reward_loyalty_gain: Probability = assumed(
        0.05, "loyalty gained from a reward or a co-opting offer", "loyalty (0 to 1 scale)"
    )
    reward_desire_relief: Probability = assumed(
        0.05, "wish to leave lost to a reward or a co-opting offer", "desire (0 to 1 scale)"
    )
    cooptation_rate: Probability = assumed(
        0.002, "daily chance the commander buys off one whose request waits, under the ban (7.14)", "per day",
    )  # fmt: skip
    ladder_top: int = sourced(
        7, "B:13,32-34,48,60-66 (persuasion, threats, parents, sibling, transfer, confinement, physical threats)",
        "rung", ge=1, le=7,
    )  # fmt: skip
    persuasion_base: float = assumed(
        0.5, "persuasion moves everyone a little and the loyal more: effect × (base + loyalty)", "desire", ge=0, le=5
    )
    family_threat_weight: float = sourced(
        2.0, "B:32-34,48 (parents and a sibling threatened); a threat to kin weighs double, assumed", "×", ge=0, le=10
    )
    transfer_fear_weight: float = sourced(
        0.5, "B:48 (threatened with a transfer far away); half a threat's fear, assumed", "×", ge=0, le=10
    )
    transfer_reach_factor: Probability = sourced(0.5, "B:48 (a post without internet); reach halved, assumed", "×")
    confinement_fear_weight: float = sourced(
        0.5, "B:60-62,66 (confined to base, followed); half a threat's fear, assumed", "×", ge=0, le=10
    )
    physical_threat_weight: float = sourced(
        2.0, "B:60,64 (physical threats); twice a threat's fear, assumed", "×", ge=0, le=10
    )
    viral_pressure_factor: Probability = assumed(
        0.5, "the commander's pressure on one whose post went viral, as a share of the usual; B:66-68 say the "
        "post was written while he was held and that he was later no longer held, not that the post freed him or "
        "restrained the commander", "×",
    )  # fmt: skip
    asset_freeze_factor: Probability = assumed(
        0.5, "an official's means left after the ladder's asset freeze (R12); the sources name only the threat "
        "of prosecution for officials (A:19-21)", "×",
    )  # fmt: skip
    withdraw_fear_weight: float = assumed(
        0.2,
        "after a rung of pressure one withdraws the request with probability weight × fear",
        "per fear",
        ge=0,
        le=10,
    )
    requests_before_case: int = sourced(
        2, "A:19-21; B:13 (a case for insisting); two filings before one, assumed", "requests", ge=1, le=255
    )
    bribe_case_factor: Probability = assumed(
        0.1, "a refused payment opens a case at a tenth of the prosecution threat", "×"
    )
    # --- the military-justice pipeline (rules.justice; R13, E8): absent, noticed, returned or reported, the
    # investigators' queue (bureaucracy.investigator_capacity_per_day), the court, a graded sentence
    return_without_case_share: Probability = assumed(
        0.5, "share of noticed absentees past the limit whom the commander returns without a case (to the unit, "
        "or to the front where one is modelled) rather than reporting: a unit that reports absences reports its "
        "own losses; no source gives the share", "share of noticed absences",
    )  # fmt: skip
    absence_mid_days: int = sourced(
        10, "art. 337 from 24 Sep 2022 (calibration-targets.md): absence of 2-10 days is the first grade, up to "
        "5 years", "days", ge=1, le=3650,
    )  # fmt: skip
    absence_long_days: int = sourced(
        30, "art. 337 from 24 Sep 2022 (calibration-targets.md): 10 days to a month is the second grade, up to 7 "
        "years; over a month the third, 5 to 10 years", "days", ge=1, le=3650,
    )  # fmt: skip
    absence_term_short_years: float = sourced(
        5.0, "art. 337 (calibration-targets.md): 2-10 days, up to 5 years", "years", ge=0, le=30
    )
    absence_term_mid_years: float = sourced(
        7.0, "art. 337 (calibration-targets.md): 10 days to a month, up to 7 years", "years", ge=0, le=30
    )
    absence_term_long_min_years: float = sourced(
        5.0, "art. 337 (calibration-targets.md): over a month, 5 to 10 years (the floor)", "years", ge=0, le=30
    )
    absence_term_long_years: float = sourced(
        10.0, "art. 337 (calibration-targets.md): over a month, 5 to 10 years (the ceiling)", "years", ge=0, le=30
    )
    penalty_scale: float = assumed(
        1.0, "the courts' severity: a sentence is the grade's floor plus this share of its range times an even "
        "draw (1: sentences spread evenly over the range the article allows); no source gives sentence lengths",
        "× the article's range", ge=0, le=2,
    )  # fmt: skip
    suspension_max_years: float = assumed(
        3.0, "the longest absence sentence a court suspends rather than has served: the suspended share of "
        "absence sentences comes out of the grades and this cut, not from an input share; no source gives it",
        "years", ge=0, le=30,
    )  # fmt: skip


class Behaviour(_Strict):
    """The choice among exit, voice, loyalty and neglect moves (E1-E11)."""

    decision_rate: Probability = assumed(0.05, "one reconsiders about every three weeks", "per day")
    beta_desire: float = assumed(
        4.0, "EVLN: dissatisfaction pushes to exit and neglect", "utility per unit of the trait", ge=0, le=50
    )
    beta_loyalty: float = assumed(
        3.0, "EVLN: loyalty pushes to staying and voice", "utility per unit of the trait", ge=0, le=50
    )
    beta_fear: float = assumed(
        3.0, "Epstein: perceived risk deters the risky moves", "utility per unit of the trait", ge=0, le=50
    )
    beta_means: float = assumed(
        3.0, "RAND DRM: better alternatives pull outward", "utility per unit of the trait", ge=0, le=50
    )
    beta_retention: float = assumed(
        1.0,
        "RAND DRM: weight of the value of staying over the outside option (7.13)",
        "utility per unit of the trait",
        ge=0,
        le=50,
    )
    voice_bias: float = sourced(-0.5, "B:5-7,42,50; level assumed", "utility", ge=-20, le=20)
    neglect_bias: float = sourced(-1.0, "C:2-8; level assumed", "utility", ge=-20, le=20)
    moonlight_bias: float = sourced(-3.0, "B:40; level assumed", "utility", ge=-20, le=20)
    absence_bias: float = sourced(-3.0, "B:40; level assumed", "utility", ge=-20, le=20)
    pay_bias: float = sourced(-1.0, "A:25; level assumed", "utility", ge=-20, le=20)
    defect_bias: float = sourced(-3.0, "C:18-19; level assumed", "utility", ge=-20, le=20)
    health_bias: float = sourced(-3.0, "A:23; level assumed", "utility", ge=-20, le=20)
    loophole_bias: float = sourced(-2.0, "B:30; level assumed", "utility", ge=-20, le=20)
    transfer_bias: float = assumed(-4.0, "a transfer to another post (E1); level assumed", "utility", ge=-20, le=20)
    stay_bias: float = sourced(1.0, "A:17; B:26,32; level assumed", "utility", ge=-20, le=20)
    free_exit_bonus: float = assumed(
        3.0, "RAND DRM: the value of leaving when leaving is allowed", "utility", ge=0, le=50
    )
    loophole_bonus: Probability = sourced(
        0.2, "B:30 (did not produce results); size assumed", "share added to the odds"
    )
    defect_success_prob: Probability = assumed(0.3, "one trip abroad in three becomes a defection", "probability")
    viral_prob: Probability = sourced(0.01, "B:5-7,56; daily rate at full reach, assumed", "per day")
    legal_help_uptake: Probability = sourced(0.3, "B:72-78; level assumed", "probability")
    legal_help_capacity_per_day: float = sourced(
        10.0, "B:72-78 (a lawyer with many clients; a support group of over 3,000 members): new clients the "
        "lawyers and support groups take on a day; level assumed", "people a day", ge=0, le=1_000_000,
    )  # fmt: skip
    frustration: float = assumed(
        0.05,
        "a blocked exit raises the wish to leave and lowers loyalty; neither the sources nor RAND's DRM (which has "
        "no frustration term) give it",
        "desire and loyalty (0 to 1 scale)",
        ge=0,
        le=1,
    )
    peer_weight_unit: Probability = assumed(0.7, "peers in the unit weigh more than the institution", "weight (0 to 1)")
    case_deterrence: float = assumed(
        2.0, "open cases in one's unit raise the perceived risk of prosecution: neither source says so (B:13 lists "
        "threats), and in Epstein (2002) the arrest probability depends on police per active rebel nearby, not on "
        "cases", "× per share of the unit with a case", ge=0, le=50,
    )  # fmt: skip
    pension_value: float = assumed(
        1.0,
        "RAND DRM: the service pension's worth at vesting, in units of the outside option",
        "× outside option",
        ge=0,
        le=20,
    )
    pension_discount: Probability = assumed(
        0.85, "RAND DRM: yearly discount of a pension still years away", "factor a year"
    )
    outside_weight: float = assumed(
        0.5, "RAND DRM: the outside job's worth per unit of competence", "outside option per competence", ge=0, le=20
    )
    renewal_bias: float = assumed(
        0.0,
        "RAND DRM: the pull of signing again at contract end over the choice's stay utility",
        "utility",
        ge=-20,
        le=20,
    )
    mobilization_drift_per_year: float = sourced(
        0.1, "C:2-3,7 (under mobilization staff want out and sabotage); size assumed: added to the yearly drift "
        "of the wish to leave of those the decree holds (7.14)", "per year", ge=0, le=5,
    )  # fmt: skip
    casualty_desire_weight: float = assumed(
        2.0, "wish to leave gained per unit of yesterday's losses in one's unit (a share of its size); no source", "desire per share of the unit lost",
        ge=0, le=100,
    )  # fmt: skip
    casualty_loyalty_weight: float = assumed(
        1.0,
        "loyalty lost per unit of yesterday's losses in one's unit; no source",
        "loyalty per share of the unit lost",
        ge=0,
        le=100,
    )
    display_stake_weight: float = assumed(
        1.0,
        "Kuran: the cost of showing the wish per unit of what one stands to lose (7.5)",
        "utility per stake",
        ge=0,
        le=50,
    )
    voice_loyalty_weight: float = assumed(
        0.5, "EVLN: loyalty pulls toward voice at half its pull toward staying", "× beta_loyalty", ge=0, le=10
    )
    absence_fear_weight: float = assumed(
        2.0, "Epstein: absence is itself the offence, so deterrence weighs double", "× beta_fear", ge=0, le=20
    )
    ill_health_weight: float = assumed(
        4.0, "poor health makes a health discharge attractive: utility per unit of ill health", "utility", ge=0, le=50
    )
    viral_reach_scale: float = assumed(
        10.0, "reach is relative to 0.1 (the mean): viral chance = viral_prob × reach × scale", "×", ge=0, le=100
    )
    court_share: Probability = assumed(
        0.5, "with legal help, half of those who raise their voice sue rather than appeal", "probability"
    )
    sabotage_spell_days: float = assumed(
        10.0, "A3: mean length of a spell of sabotage, which ends of itself at 1/spell a day (reprimanded or tired, "
        "the saboteur is quiet again and chooses again); C:2-8 report sabotage increasing among those who want "
        "out, not a large share of the force in it; no source gives a length: set so no force has over 10% in "
        "sabotage (the plausibility bound of the model review)", "days", ge=1, le=36500,
    )  # fmt: skip
    moonlight_spell_days: float = assumed(
        20.0, "A3: mean length of a second job held while listed, which ends of itself at 1/spell a day, about as "
        "often as a quiet person reconsiders (decision_rate); B:40 tells of moonlighting but not for how long; "
        "set so no force has over 10% moonlighting", "days", ge=1, le=36500,
    )  # fmt: skip
    # --- the help network for illegal exits (E8, E9; issue 22 item 2; rules.help) ---------------------------
    # Knowledge of help spreads as in Bass (1969): a publicity rate p, plus imitation q through the unit's peers
    # who know, plus the viral posts of yesterday (E3). Off (0) by default: the desertion-help groups of the
    # calibration targets are wartime ones; a scenario sets them. The record's requests and helped are targets,
    # never inputs: no value here is set from them.
    help_publicity_per_day: Probability = assumed(
        0.0, "Bass's innovation coefficient p, the daily chance that a serviceman who does not know of help "
        "for leaving hears of it from publicity (media, the groups' own posts); 0 where no such help exists; "
        "a war scenario sets the meta-analytic mean p of about 0.03 a year (Sultan, Farley & Lehmann 1990), "
        "not a figure of the record", "per day",
    )  # fmt: skip
    help_imitation_per_day: float = assumed(
        0.0, "Bass's imitation coefficient q: the daily chance of hearing of help per unit of the share of "
        "one's unit who know of it (word of mouth among peers, Granovetter's unit peers); a war scenario sets the "
        "meta-analytic mean q of about 0.38 a year (Sultan, Farley & Lehmann 1990)", "per day per share of the unit",
        ge=0, le=1,
    )  # fmt: skip
    help_viral_per_post: float = assumed(
        0.0, "the daily chance that one viral post of yesterday (E3: posts from servicemen asking to be let go, "
        "B:66,78) tells a serviceman who does not know of help that it exists; counted per post at full size "
        "(posts / scale); no source gives a reach", "per day per post", ge=0, le=1,
    )  # fmt: skip
    help_request_share: Probability = assumed(
        1.0, "one who chooses absence or flight abroad (E8, E9) and knows of help asks for it", "probability"
    )
    help_capacity_per_day: float = assumed(
        10.0, "people the helpers (groups helping servicemen leave) can take on a day at full size: the level "
        "of the lawyers' legal_help_capacity_per_day (B:72-78), for want of a source on the helpers' capacity; "
        "not set from the record's helped counts", "people a day", ge=0, le=1_000_000,
    )  # fmt: skip
    help_catch_factor: Probability = assumed(
        0.5, "help (a route, a place to hide, documents) multiplies a helped absentee's daily chance of being "
        "caught and brought back, and the chance a helped flight abroad is stopped; halved, for want of a "
        "source; 1 is help that changes nothing", "×",
    )  # fmt: skip
    # Kuran and Granovetter in every regime (7.5): viral posts feed everyone's peer share
    viral_peer_weight: float = sourced(
        100.0, "B:7,56 (after a post went viral, others held against their will came forward); size assumed: the "
        "shown wishes one viral post stands for in the peer share of its institution (a post seen by all counts "
        "as this many peers who said so)", "peers per post", ge=0, le=100_000,
    )  # fmt: skip
    public_memory_days: float = assumed(
        30.0, "a viral post is remembered for about a month: the stock of posts fades at 1/memory a day; no "
        "source gives a length", "days", ge=1, le=36500,
    )  # fmt: skip


class Casualties(_Strict):
    """How the casualties of a war end service (P1): the share killed and missing; the rest are discharged wounded."""

    killed_share: Probability = assumed(0.3, "share of casualties killed; no source", "share of casualties")
    missing_share: Probability = assumed(0.1, "share of casualties missing; no source", "share of casualties")

    @model_validator(mode="after")
    def _shares_fit(self) -> Casualties:
        if self.killed_share + self.missing_share > 1.0:
            raise ValueError(
                f"killed_share + missing_share = {self.killed_share + self.missing_share:g} (allowed: at most 1)"
            )
        return self


class Outputs(_Strict):
    """Cut-offs that turn continuous state into the reported shares (O1, O2, O7).

    One of them is also a rule's threshold: ``want_out_cutoff`` is where a private desire becomes
    a wish to leave, which the rules act on (showing it, choosing a move, keeping a request), so
    changing it changes the run, not only what is reported. The others only read the state.
    """

    want_out_cutoff: Probability = assumed(0.5, "privately wants out when desire >= 0.5", "desire (0 to 1 scale)")
    defend_cutoff: Probability = sourced(0.6, "C:15-17 (who would defend); cut-off assumed", "loyalty (0 to 1 scale)")
    control_loss_share: Probability = sourced(
        0.5, "A:15 ('control will be lost'); cut-off assumed", "share of the start"
    )


PhaseValue = bool | int | float | str | list[str]


class Phase(_Strict):
    """From ``date`` on, the dotted ``field`` has ``value`` (``exitban.scenario.phases``)."""

    date: datetime.date
    field: str = Field(min_length=1, max_length=200)
    value: PhaseValue
    provenance: str = Field(min_length=1, max_length=2_000)

    _texts_are_text = field_validator("field", "provenance")(lambda value: check_text(value))


class Scenario(_Strict):
    """A complete, validated scenario."""

    name: str = Field(min_length=1, max_length=120)
    title: str = ""
    description: str = ""
    period: str = ""
    extends: str | None = None
    start: datetime.date = assumed(
        datetime.date(2023, 1, 1), "the calendar date of day 0; every shipped scenario states its own", "date"
    )
    spin_up_days: int = assumed(
        0, "days simulated before the start date and not reported: a state that has had time to form",
        "days", ge=0, le=DAYS_MAX,
    )  # fmt: skip
    days: int = assumed(365, "one year", "days", ge=DAYS_MIN, le=DAYS_MAX)
    scale: float = sourced(1.0, "P2: 1:1 runs are the normal case", "× real size", gt=0, le=SCALE_MAX)
    regime: Regime = Regime()
    bureaucracy: Bureaucracy = Bureaucracy()
    pressure: Pressure = Pressure()
    behaviour: Behaviour = Behaviour()
    flows: Casualties = Casualties()  # the file's table keeps its first name, [flows]
    outputs: Outputs = Outputs()
    institutions: dict[str, Institution] = Field(min_length=1, max_length=64)
    phases: list[Phase] = Field(
        default_factory=list,
        max_length=1_000,
        json_schema_extra={"provenance": "metadata: each phase gives its own", "unit": "dated values"},
    )
    provenance: dict[str, str] = Field(default_factory=dict)

    top_level: ClassVar[str] = "the scenario's top level"  # how messages name a field outside any table

    # printed in terminals, HTML and plots; the name may become part of a file name (exitban.scenario.names)
    _name_is_a_name = field_validator("name")(lambda value: check_name(value))
    _texts_are_text = field_validator("title", "period")(lambda value: check_text(value))
    _description_is_text = field_validator("description")(lambda value: check_text(value, multiline=True))

    @model_validator(mode="before")
    @classmethod
    def _no_negative_zero(cls, data: Any) -> Any:
        # -0.0 passes 'ge=0' but NumPy reads its sign ("scale < 0" mid-run): store it as the 0.0 it means
        data = _positive_zero(data)
        if isinstance(data, dict):
            message = replaced_field_message(data)  # ban_lift_day & co. are phases now
            if message is not None:
                raise ValueError(message)
        return data

    @field_validator("institutions")
    @classmethod
    def _names_are_keys(cls, value: dict[str, Institution]) -> dict[str, Institution]:
        # names become TOML table keys, file columns and CLI arguments: keep them plain
        for key in value:
            if not INSTITUTION_NAME.fullmatch(key):
                raise ValueError(
                    f"institution name {key!r} is not allowed (allowed: 1 to 64 letters, digits, '_' or '-', "
                    f"starting with a letter or '_')"
                )
        return value

    @model_validator(mode="after")
    def _graduates_go_somewhere(self) -> Scenario:
        for name, inst in self.institutions.items():
            target = inst.graduates_to
            if target and (target not in self.institutions or target == name):
                others = ", ".join(k for k in self.institutions if k != name) or "none"
                raise ValueError(
                    f"institutions.{name}.graduates_to = {target!r} is not another institution of this scenario "
                    f"(allowed: {others}, or empty)"
                )
        return self

    @model_validator(mode="after")
    def _provenance_keys_exist(self) -> Scenario:
        known = set(leaf_values(self))
        for key in self.provenance:
            if key not in known:
                raise ValueError(f"provenance names '{key}', which is not a field of this scenario")
        return self

    @model_validator(mode="after")
    def _phases_apply(self) -> Scenario:
        if self.phases:
            check_phases(self)
        return self

    @property
    def end(self) -> datetime.date:
        """The last reported day's date: ``start + days - 1``.

        Returns
        -------
        datetime.date
            The date of the run's last day (the spin-up days come before ``start``).
        """
        return self.start + datetime.timedelta(days=self.days - 1)

    def agents(self) -> dict[str, int]:
        """Number of agents per institution after applying ``scale`` (at least one unit's worth).

        Returns
        -------
        dict[str, int]
            ``{institution: round(size * scale)}``, at least 2 each.
        """
        return {k: max(2, round(inst.size * self.scale)) for k, inst in self.institutions.items()}

    def total_agents(self) -> int:
        """Number of agents a run of this scenario simulates, all institutions together.

        Returns
        -------
        int
            The sum of ``agents()``: what the memory check and a run's speed depend on.
        """
        return sum(self.agents().values())

    def content_hash(self) -> str:
        """SHA-256 of the resolved scenario's canonical JSON: what a run depends on.

        Title, description, ``extends`` and provenance are left out: two files that resolve to the same
        values have the same hash (``summary.json`` and the stores record it).

        Returns
        -------
        str
            64 hexadecimal digits.
        """
        payload = self.model_dump(mode="json", exclude={"provenance", "extends", "title", "description"})
        blob = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
        return hashlib.sha256(blob).hexdigest()

    def __repr__(self) -> str:
        from exitban.reprs import scenario_repr

        return scenario_repr(self)

    __str__ = __repr__

    def _repr_html_(self) -> str:
        from exitban.reprs import scenario_html

        return scenario_html(self)

    def with_overrides(self, **changes: Any) -> Scenario:
        """A copy with top-level fields changed and validated again (e.g. ``days=30``).

        Parameters
        ----------
        **changes
            Top-level fields and their new values (``days``, ``scale``, ``start``, ``spin_up_days``, ...).
            A shorter ``days`` drops the phases dated after the new end instead of refusing them.

        Returns
        -------
        Scenario
            The changed copy; this scenario is left as it was.

        Raises
        ------
        pydantic.ValidationError
            A value out of its field's range or of the wrong type.
        """
        data = self.model_dump(mode="python")
        data.update(changes)
        if "days" in changes and "phases" not in changes:
            # a shorter run never reaches the phases after its end: they are dropped, not refused
            end = data["start"] + datetime.timedelta(days=data["days"])
            data["phases"] = [p for p in data["phases"] if p["date"] < end]
        return Scenario.model_validate(data)

    def with_params(self, params: dict[str, Any], *, where: str = "with_params", strict: bool = False) -> Scenario:
        """A copy with dotted fields changed (``{"regime.prosecution_threat": 0.5}``), validated again.

        Parameters
        ----------
        params
            ``{"section.field": value}`` or ``{"institutions.NAME.field": value}``, as ``exitban show``
            names the fields and ``--set FIELD=VALUE`` takes them.
        where
            What starts each error line (``--set`` on the command line).
        strict
            Refuse ``"0.5"`` for a number, as a scenario file does (default: convert it, as ``--set`` does).

        Returns
        -------
        Scenario
            The changed copy, validated again; this scenario is left as it was.

        Raises
        ------
        ScenarioError
            One line per bad field, as ``exitban check`` prints: the field, the value and the allowed
            range, or "did you mean" for a misspelt name.
        """
        return set_fields(self, params, where=where, strict=strict)


def _positive_zero(value: Any) -> Any:
    if isinstance(value, float) and value == 0.0:
        return 0.0
    if isinstance(value, dict):
        return {k: _positive_zero(v) for k, v in value.items()}
    return value


def resolve_provenance(scenario: Scenario) -> dict[str, tuple[Any, str]]:
    """``{field: (value, provenance)}``: the file's provenance where it gives one, else the default's."""
    values = leaf_values(scenario)
    defaults = default_provenance(scenario)
    return {k: (v, scenario.provenance.get(k, defaults[k])) for k, v in values.items()}
