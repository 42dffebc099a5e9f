"""The move choice (ODD 7.6; E1-E11): which way out a quiet person who wants out tries today, and its start.

The choice is Rusbult's EVLN typology as a multinomial logit: desire pushes toward every
move out, loyalty toward staying and voice, perceived risk (Epstein) away from the risky
moves, the value of staying over the outside option toward staying (RAND's retention model). Overt moves need the wish to
be shown (R3).
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

from exitban.engine import codes as c
from exitban.engine import streams as s
from exitban.engine.columns import T
from exitban.engine.rng import uniform
from exitban.engine.rules.actions import clamp01, clear_flag, frustrate, join_queue, leave, open_case
from exitban.engine.rules.commander import has_grounds
from exitban.engine.rules.decree import odds
from exitban.engine.rules.help import ask_for_help, escape_chance, help_ends
from exitban.engine.rules.retention import outside_value
from exitban.engine.state import Q_APPEALS, Q_CENTRAL, Q_TRAVEL

REQUESTS, APPEALS, VIRAL, LEGAL_NEW = T["requests_filed"], T["appeals_filed"], T["viral_posts"], T["legal_help_new"]
LEGAL_REQUESTS = T["legal_help_requests"]


@nb.njit(inline="always", cache=True)
def choose_move(i, day, seed, P, today, deter, displayed, stake, people, utility):
    """The EVLN logit over the moves open to person ``i`` today. Returns a codes.MOVE_*.

    Going absent is open to servicemen only (``today.military``): for a civil official the absence
    article does not exist, and staying away is neglect. ``utility`` is scratch space of length
    ``codes.N_MOVES`` (the kernel allocates nothing). ``today.closed`` has a bit per move that does not
    exist in the person's institution (``codes.MOVES`` order). At the front (``rules.front``) there is no second
    job, going absent has its odds times ``front_absence_factor`` and sabotage's risk is
    ``front_sabotage_catch_factor`` times the rear's (as its chance of being caught, ``stages.sabotaging``). ``stake`` is
    what the person stands to lose by leaving (``retention.stay_value``): staying is weighed against the
    outside option (RAND's DRM). Voice and the loophole are fights against a ban: where leaving is legal one
    asks instead, and one who has asked without grounds (``commander.has_grounds``) does not ask again.

    writes: utility
    """
    banned, closed = today.banned, today.closed
    d = people.desire[i]
    lo = people.loyalty[i]
    m = people.means[i]
    bd = P.beta_desire * d
    bf = P.beta_fear * deter
    bl = P.beta_loyalty * lo
    confined = (people.flags[i] & c.F_CONFINED) != 0
    passport_held = today.passports_surrendered or (people.flags[i] & c.F_PASSPORT_HELD) != 0
    utility[:] = -np.inf
    gain = stake - outside_value(i, P, people)  # the DRM: staying over the outside job
    utility[c.MOVE_STAY] = P.stay_bias + bl + bf + P.beta_retention * gain
    # A:19: where the central office decides (today.central) one asks it in private, without showing the wish;
    # one whose request is before it already (stage central) does not file another while he waits
    if (displayed or today.central) and people.stage[i] != c.CENTRAL:
        # where leaving is legal, one who asked and has no grounds knows the answer: he does not ask again (E1)
        if banned or people.request_day[i] < 0 or has_grounds(i, seed, P, people):
            utility[c.MOVE_REQUEST] = bd + (0.0 if banned else P.free_exit_bonus)
    if displayed:
        if banned:  # voice is a fight to be let go: where leaving is legal one asks (Hirschman; B:72-78)
            utility[c.MOVE_VOICE] = P.voice_bias + bd + P.voice_loyalty_weight * bl
            utility[c.MOVE_LOOPHOLE] = P.loophole_bias + bd + P.beta_means * people.competence[i]
    at_front = today.front and people.station[i] == c.STATION_FRONT  # rules.front: no second job, absence rarer
    # at the front an ignored order is seen at once: sabotage is riskier there by front_sabotage_catch
    catch = today.front_sabotage_catch if at_front else 1.0
    utility[c.MOVE_SABOTAGE] = P.neglect_bias + bd - bl - bf * (1.0 - P.sabotage_tolerance) * catch
    if not confined:
        if not at_front:
            utility[c.MOVE_MOONLIGHT] = P.moonlight_bias + bd + P.beta_means * people.competence[i] - bf
        if today.military:
            utility[c.MOVE_ABSENT] = P.absence_bias + bd - P.absence_fear_weight * bf
            if at_front:
                utility[c.MOVE_ABSENT] += today.front_absence_bias
    if m >= P.bribe_price:
        utility[c.MOVE_PAY] = P.pay_bias + bd + P.beta_means * (m - P.bribe_price)
    if not passport_held:
        utility[c.MOVE_DEFECT] = P.defect_bias + bd + P.beta_means * m - bf - bl
    utility[c.MOVE_HEALTH] = P.health_bias + bd + P.ill_health_weight * (1.0 - people.health[i])
    utility[c.MOVE_TRANSFER] = P.transfer_bias + bd + bl  # the loyal are moved, not let go
    top = -np.inf
    for k in range(c.N_MOVES):
        if (closed >> k) & 1:
            utility[k] = -np.inf
        top = max(top, utility[k])
    total = 0.0
    for k in range(c.N_MOVES):
        utility[k] = math.exp(utility[k] - top) if utility[k] > -np.inf else 0.0
        total += utility[k]
    r = uniform(seed, day, i, s.CHOICE) * total
    acc = 0.0
    for k in range(c.N_MOVES):
        acc += utility[k]
        if r < acc and utility[k] > 0.0:
            return k
    return c.MOVE_STAY


@nb.njit(inline="always", cache=True)
def _begin(i, stage, day, people):
    """writes: people.stage, people.stage_day"""
    people.stage[i] = stage
    people.stage_day[i] = day


@nb.njit(inline="always", cache=True)
def ask_permit(i, day, people, entered, u):
    """R7: a trip abroad under travel control waits for the top reviewer's permit.

    writes: people.stage, people.stage_day; entered
    """
    join_queue(i, c.TRAVEL, Q_TRAVEL, day, people, entered, u)


@nb.njit(inline="always", cache=True)
def start_move(i, mv, day, seed, P, today, people, tally, signals, u):
    """Start move ``mv``: a stage under way, a queue, or an exit on the spot (R6, E6, E9).

    ``signals.entered[u, q]`` counts today's entrants to central queue ``q``. Returns True if the person left.

    writes: people.stage, people.stage_day, people.n_requests, people.request_day, people.flags, people.means,
    people.status, people.exit_day, people.case_day, people.case_article, people.desire, people.loyalty,
    people.help; signals.legal_sought, signals.entered, signals.help_sought; tally
    """
    if mv == c.MOVE_REQUEST or mv == c.MOVE_LOOPHOLE:  # E1, E2
        _begin(i, c.REQUESTED, day, people)
        if people.n_requests[i] < 255:  # uint8: saturates
            people.n_requests[i] += 1
        if people.request_day[i] < 0:
            people.request_day[i] = day
        if mv == c.MOVE_LOOPHOLE:
            people.flags[i] |= c.F_LOOPHOLE
        tally[u, REQUESTS] += 1.0
        # insisting is "earning a criminal case" (R2): weighed when one files again under the ban, once a
        # filing, not every day a request waits (a daily hazard over waits of years made disobedience the
        # commonest article, where the courts' counts are dominated by absence)
        if (
            today.banned
            and people.n_requests[i] >= P.requests_before_case
            and uniform(seed, day, i, s.PROSECUTE) < P.case_rate * P.prosecution_threat
        ):
            open_case(i, today.insist_article, day, people, tally, u)
        if today.central and not today.decree:  # A:19: a senior resignation is the central office's decision
            clear_flag(people, i, c.F_LOOPHOLE)
            join_queue(i, c.CENTRAL, Q_CENTRAL, day, people, signals.entered, u)
    elif mv == c.MOVE_VOICE:  # E3, E4
        tally[u, APPEALS] += 1.0
        if not (people.flags[i] & c.F_LEGAL):  # E4: seek a lawyer; taken on while they have room
            r = uniform(seed, day, i, s.LEGAL)
            if r < P.legal_help_uptake:
                signals.legal_sought[u] += 1.0
                tally[u, LEGAL_REQUESTS] += 1.0  # demand; LEGAL_NEW below is the intake
                if r < P.legal_help_uptake * signals.legal_odds[0]:
                    people.flags[i] |= c.F_LEGAL
                    tally[u, LEGAL_NEW] += 1.0
        if uniform(seed, day, i, s.VIRAL) < P.viral_prob * people.reach[i] * P.viral_reach_scale:
            people.flags[i] |= c.F_VIRAL
            clear_flag(people, i, c.F_CONFINED)  # B:66-68: after the post he was no longer held
            tally[u, VIRAL] += 1.0
        if (people.flags[i] & c.F_LEGAL) and uniform(seed, day, i, s.VOICE) < P.court_share:
            _begin(i, c.COURT, day, people)
        else:
            join_queue(i, c.APPEAL, Q_APPEALS, day, people, signals.entered, u)
    elif mv == c.MOVE_SABOTAGE:
        _begin(i, c.SABOTAGE, day, people)
    elif mv == c.MOVE_MOONLIGHT:
        _begin(i, c.MOONLIGHT, day, people)
    elif mv == c.MOVE_ABSENT:  # E8: one who knows of help asks for it (rules.help)
        _begin(i, c.ABSENT, day, people)
        ask_for_help(i, day, seed, P, people, tally, signals, u)
    elif mv == c.MOVE_HEALTH:
        _begin(i, c.MEDICAL, day, people)
    elif mv == c.MOVE_PAY:  # E6, R6
        people.means[i] = clamp01(people.means[i] - P.bribe_price)
        if uniform(seed, day, i, s.PAY) < P.bribe_acceptance:
            leave(i, c.EXIT_PAYMENT, day, people, tally, u)
            return True
        if today.banned and uniform(seed, day, i, s.PROSECUTE) < P.prosecution_threat * P.bribe_case_factor:
            open_case(i, c.ART_CORRUPTION, day, people, tally, u)
    elif mv == c.MOVE_TRANSFER:  # E1: a post elsewhere, granted or refused at once; the decree allows none
        grant = odds(today.decree, today.banned, P.transfer_grant_banned, P.transfer_grant_free)
        if uniform(seed, day, i, s.TRANSFER) < grant:
            leave(i, c.EXIT_TRANSFERRED, day, people, tally, u)
            return True
        frustrate(i, P, people)
    elif mv == c.MOVE_DEFECT:  # E9: under travel control a permit comes first (R7)
        ask_for_help(i, day, seed, P, people, tally, signals, u)  # one who knows of help asks for it (rules.help)
        if today.travel_controlled:
            help_ends(i, people)  # the help does not replace the permit (C:18-19; A:37)
            ask_permit(i, day, people, signals.entered, u)
        elif uniform(seed, day, i, s.DEFECT) < escape_chance(i, P, people, P.defect_success_prob):
            leave(i, c.EXIT_DEFECTION, day, people, tally, u)
            return True
        else:
            help_ends(i, people)  # stopped: the help was for this attempt
    return False
