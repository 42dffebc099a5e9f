"""Background hazards and criminal cases (ODD 7.2; R5, R2, R13)."""

from __future__ import annotations

import numba as nb

from exitban.engine import codes as c
from exitban.engine import streams as s
from exitban.engine.columns import CONVICTIONS_COL0, T
from exitban.engine.rng import uniform
from exitban.engine.rules.actions import clamp01, clear_flag, leave, open_case
from exitban.engine.rules.events import reward
from exitban.engine.rules.flows import casualty
from exitban.engine.rules.front import exposed
from exitban.engine.rules.justice import absence_suspended, send_to_front

SUSPENDED, REWARDS = T["sentences_suspended"], T["rewards"]
ABSENCE_SUSPENDED = T["absence_sentences_suspended"]


@nb.njit(inline="always", cache=True)
def resolve_case(i, day, seed, P, today, people, tally, u):
    """An open case ends after ``case_days`` in a conviction or an acquittal (R5, R13).

    A conviction is counted under its article; a custodial sentence ends service (B:9), a
    suspended one sends the person back to serve, afraid, as does an acquittal. An absence sentence is
    graded by the days away (``justice.absence_suspended``; a suspended absentee is sent to the front where
    one is modelled); under the other articles ``suspended_share`` of sentences are suspended. Returns True
    if the person left.

    writes: people.exit_day, people.fear, people.flags, people.stage, people.status, people.station,
    people.station_day; tally
    """
    if day - people.case_day[i] < P.case_days:
        return False
    clear_flag(people, i, c.F_CASE)
    r = uniform(seed, day, i, s.CASE)
    if r < P.conviction_prob:
        article = people.case_article[i]
        tally[u, CONVICTIONS_COL0 + article] += 1.0
        if article == c.ART_ABSENCE:
            if not absence_suspended(i, day, seed, P, people):
                leave(i, c.EXIT_CONVICTION, day, people, tally, u)
                return True
            tally[u, ABSENCE_SUSPENDED] += 1.0
            send_to_front(i, day, today.front, people, tally, u)
        elif r >= P.suspended_share * P.conviction_prob:  # the same draw, rescaled to [0, 1), decides
            leave(i, c.EXIT_CONVICTION, day, people, tally, u)
            return True
        tally[u, SUSPENDED] += 1.0
    people.fear[i] = clamp01(people.fear[i] + P.threat_fear)
    return False


@nb.njit(inline="always", cache=True)
def background_hazards(i, day, seed, P, today, people, signals, tally, u):
    """R5: one draw a day, on disjoint intervals: dismissal for corruption (under the decree, not a ground
    for release: a corruption case instead), an offence that opens a case, a wartime casualty (P1, counted
    for the unit's mourning; only at the front where one is modelled, ``rules.front``) or a reward (7.14).

    Then an open case may end. Returns True if the person left.

    writes: people.flags, people.case_day, people.case_article, people.status, people.stage, people.exit_day,
    people.loyalty, people.desire, people.fear, people.station, people.station_day; signals.casualties; tally
    """
    p_corruption, p_offence = today.p_corruption, today.p_offence
    p_casualty = today.p_casualty if exposed(i, today, people) else 0.0
    r0 = uniform(seed, day, i, s.RARE)
    if r0 < p_corruption:
        if today.decree:
            open_case(i, c.ART_CORRUPTION, day, people, tally, u)
        else:
            leave(i, c.EXIT_CORRUPTION, day, people, tally, u)
            return True
    elif r0 < p_corruption + p_offence:
        open_case(i, c.ART_OTHER, day, people, tally, u)
    elif r0 < p_corruption + p_offence + p_casualty:
        signals.casualties[u] += 1.0
        if casualty(i, (r0 - p_corruption - p_offence) / p_casualty, day, P, today.wounded_return, people, tally, u):
            return True
    elif r0 < p_corruption + p_offence + p_casualty + today.p_reward:
        reward(i, P, people, tally, u, REWARDS)
    if people.flags[i] & c.F_CASE:
        return resolve_case(i, day, seed, P, today, people, tally, u)
    return False
