"""Stages under way (ODD 7.9): a lawsuit, sabotage, moonlighting, absence (``rules.justice``), a medical
commission; confinement.

Each function is one day of its stage and returns True if the person left. The ministry,
appeal and travel stages wait for the central queues (``rules.queues``).
"""

from __future__ import annotations

import numba as nb

from exitban.engine import codes as c
from exitban.engine import streams as s
from exitban.engine.columns import T
from exitban.engine.rng import uniform
from exitban.engine.rules.actions import clamp01, clear_flag, frustrate, leave, open_case
from exitban.engine.rules.decree import odds
from exitban.engine.rules.justice import absent, reported

MOONLIGHT_CAUGHT = T["moonlight_caught"]


@nb.njit(inline="always", cache=True)
def in_court(i, day, seed, P, today, people, tally, u):
    """E3, E4: after ``court_days`` the court decides, ban or no ban; a lawyer and a viral case help. A loss
    frustrates. Under the decree a court cannot order a release (R4). Under the ban a suit against the central
    office's refusal of a senior resignation (A:19) wins at ``central_appeal_win_banned``: no source reports one.

    writes: people.status, people.stage, people.exit_day, people.desire, people.loyalty; tally
    """
    if day - people.stage_day[i] < P.court_days:
        return False
    court = P.central_appeal_win_banned if today.central and today.banned else P.court_win_prob
    court = court * (1.0 + P.legal_help_bonus * ((people.flags[i] & c.F_LEGAL) != 0))
    win = odds(today.decree, today.banned, court, court)
    if people.flags[i] & c.F_VIRAL:
        win = win * P.viral_court_factor
    if uniform(seed, day, i, s.STAGE) < win:
        leave(i, c.EXIT_COURT, day, people, tally, u)
        return True
    people.stage[i] = c.QUIET
    frustrate(i, P, people)
    return False


@nb.njit(inline="always", cache=True)
def spell_ends(i, day, seed, spell_days):
    """A covert spell (sabotage, moonlighting) ends today with the hazard 1 / ``spell_days``: a mean spell of
    ``spell_days`` days, after which one is quiet and chooses again (A3; ODD 7.9).

    writes: nothing
    """
    return uniform(seed, day, i, s.SPELL_END) * spell_days < 1.0


@nb.njit(inline="always", cache=True)
def sabotaging(i, day, seed, P, wants, today, people, tally, u):
    """E5, R14: sabotage until caught, tired (``sabotage_spell_days``) or no longer wanting out; caught under
    the ban it may be prosecuted (``today.neglect_article``) instead of fired. The decree allows no
    dismissal: one not prosecuted is disciplined and stays. At the front (``rules.front``) the daily chance
    of being caught is ``front_sabotage_catch_factor`` times the rear's.

    writes: people.stage, people.flags, people.case_day, people.case_article, people.status, people.exit_day,
    people.desire, people.loyalty; tally
    """
    if not wants:
        people.stage[i] = c.QUIET
        return False
    caught = (1.0 - P.sabotage_tolerance) * P.sabotage_fire_rate
    if today.front and people.station[i] == c.STATION_FRONT:  # under fire an ignored order is seen at once
        caught = min(1.0, caught * today.front_sabotage_catch)
    if uniform(seed, day, i, s.STAGE) < caught:
        if today.banned and uniform(seed, day, i, s.PROSECUTE) < P.prosecution_threat:
            open_case(i, today.neglect_article, day, people, tally, u)  # punished, not released
        elif today.decree:
            people.stage[i] = c.QUIET
            frustrate(i, P, people)
            return False
        else:
            leave(i, c.EXIT_DISMISSED, day, people, tally, u)
            return True
    if spell_ends(i, day, seed, P.sabotage_spell_days):
        people.stage[i] = c.QUIET  # a tired saboteur is not a saboteur for life: back to work, to choose again
    return False


@nb.njit(inline="always", cache=True)
def moonlighting(i, day, seed, P, wants, people, tally, u):
    """E7: work elsewhere while listed, showing up often enough to stay clear of the absence article.

    A catch is a disciplinary matter, not a crime (no source says otherwise): back to work, afraid. A
    second job also ends of itself (``moonlight_spell_days``): back to work, to choose again.

    writes: people.fear, people.stage; tally
    """
    if not wants:
        people.stage[i] = c.QUIET
    elif uniform(seed, day, i, s.STAGE) < P.moonlight_detect_prob:
        people.stage[i] = c.QUIET
        people.fear[i] = clamp01(people.fear[i] + P.threat_fear)
        tally[u, MOONLIGHT_CAUGHT] += 1.0
    elif spell_ends(i, day, seed, P.moonlight_spell_days):
        people.stage[i] = c.QUIET
    return False


@nb.njit(inline="always", cache=True)
def release_confined(i, day, P, people):
    """A4: confinement ends ``confinement_days`` after it began; one may then moonlight or go absent again.

    writes: people.flags
    """
    if (people.flags[i] & c.F_CONFINED) and day - people.confined_day[i] >= P.confinement_days:
        clear_flag(people, i, c.F_CONFINED)


@nb.njit(inline="always", cache=True)
def at_medical(i, day, seed, P, people, tally, u):
    """E11, R5: after ``medical_days`` the commission releases, more readily the worse one's health.

    writes: people.exit_day, people.stage, people.status; tally
    """
    if day - people.stage_day[i] < P.medical_days:
        return False
    release = clamp01(P.health_release_prob * P.ill_health_release_weight * (1.0 - people.health[i]))
    if uniform(seed, day, i, s.STAGE) < release:
        leave(i, c.EXIT_HEALTH, day, people, tally, u)
        return True
    people.stage[i] = c.QUIET
    return False


@nb.njit(inline="always", cache=True)
def continue_stage(i, stage, day, seed, P, wants, today, people, tally, entered, u):
    """One day of the stage under way. Returns True if the person left. ``entered`` counts the unit's entrants
    to the central queues (a reported absence joins the investigators').

    writes: people.stage, people.stage_day, people.flags, people.case_day, people.case_article, people.status,
    people.exit_day, people.desire, people.loyalty, people.fear, people.confined_day, people.days_away, people.help,
    people.station, people.station_day; entered; tally
    """
    if stage == c.COURT:
        return in_court(i, day, seed, P, today, people, tally, u)
    if stage == c.SABOTAGE:
        return sabotaging(i, day, seed, P, wants, today, people, tally, u)
    if stage == c.MOONLIGHT:
        return moonlighting(i, day, seed, P, wants, people, tally, u)
    if stage == c.ABSENT:
        return absent(i, day, seed, P, today, people, tally, entered, u)
    if stage == c.REPORTED:
        return reported(i, day, P, people, tally, u)
    if stage == c.MEDICAL:
        return at_medical(i, day, seed, P, people, tally, u)
    return False
