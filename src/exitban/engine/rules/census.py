"""The end-of-day census (ODD 7.11): a unit's output tallies, and the signals tomorrow's rules read.

The tallies are outputs only (``observe`` turns them into O1-O10); the engine's own next
steps read the separate per-unit ``Signals`` (``engine.signals``), so an output can be
renamed or dropped without changing the model.
"""

from __future__ import annotations

import numba as nb

from exitban.engine import codes as c
from exitban.engine.columns import T

HEADCOUNT, PRESENT, WANT_OUT, DISPLAYED, ACTED = (
    T[k] for k in ("headcount", "present", "want_out", "displayed", "acted")
)
WOULD_DEFEND, CAPACITY, SABOTAGING, MOONLIGHTING, ABSENT_N = (
    T[k] for k in ("would_defend", "capacity", "sabotaging", "moonlighting", "absent")
)
BACKLOG_UNIT, BACKLOG_MINISTRY, BACKLOG_APPEALS, IN_COURT, AT_MEDICAL, BACKLOG_TRAVEL = (
    T[k] for k in ("backlog_unit", "backlog_ministry", "backlog_appeals", "in_court", "at_medical", "backlog_travel")
)
PENDING_AGE, CASES_OPEN, LEGAL_ACTIVE, HELD = (
    T[k] for k in ("pending_age_sum", "cases_open", "legal_help_active", "held_past_contract")
)
FEAR_SUM, LOYALTY_SUM, DESIRE_SUM = (T[k] for k in ("fear_sum", "loyalty_sum", "desire_sum"))
CONFINED = T["confined"]
VIRAL_POSTS = T["viral_posts"]
AWAITING = T["awaiting_posting"]
DEPLOYED, ON_LEAVE, IN_HOSPITAL = (T[k] for k in ("deployed", "on_leave", "in_hospital"))
BACKLOG_INVESTIGATORS = T["backlog_investigators"]
BACKLOG_CENTRAL = T["backlog_central"]


@nb.njit(inline="always", cache=True)
def count_gone(i, people, tally, signals, u):
    """One who left after showing the wish still counts toward the acted share (Granovetter, O7);
    a graduate waiting for a post is counted as waiting.

    writes: signals.acted, signals.awaiting; tally
    """
    if people.status[i] == c.GRADUATING:
        tally[u, AWAITING] += 1.0
        signals.awaiting[u] += 1.0
    if people.flags[i] & c.F_DISPLAYED:
        tally[u, ACTED] += 1.0
        signals.acted[u] += 1.0


@nb.njit(inline="always", cache=True)
def count_acted_gone(signals, tally, u):
    """Those who acted and left, whose positions others now hold, still count toward the acted share; the
    unit's viral posts of the day go to the public signal (7.5).

    writes: signals.acted, signals.viral; tally
    """
    tally[u, ACTED] += signals.acted_gone[u]
    signals.acted[u] += signals.acted_gone[u]
    signals.viral[u] = tally[u, VIRAL_POSTS]


@nb.njit(inline="always", cache=True)
def count_station(i, people, tally, u):
    """Count where a serving person is (``rules.front``): at the front and present, on leave, in hospital.

    writes: tally
    """
    station = people.station[i]
    if station == c.STATION_FRONT:
        if people.stage[i] != c.ABSENT and people.stage[i] != c.REPORTED:
            tally[u, DEPLOYED] += 1.0
    elif station == c.STATION_LEAVE:
        tally[u, ON_LEAVE] += 1.0
    elif station == c.STATION_HOSPITAL:
        tally[u, IN_HOSPITAL] += 1.0


@nb.njit(inline="always", cache=True)
def count_person(i, day, P, can_resign, people, tally, signals, u):
    """Count a serving person's end-of-day state into the unit's tallies and signals; one who wants out and
    has not shown it is counted among the hidden (the peer share's denominator, 7.5).

    writes: signals.acted, signals.cases_open, signals.headcount, signals.hidden; tally
    """
    st = people.stage[i]
    tally[u, HEADCOUNT] += 1.0
    signals.headcount[u] += 1.0
    if st == c.ABSENT or st == c.REPORTED:
        tally[u, ABSENT_N] += 1.0
        if st == c.REPORTED:
            tally[u, BACKLOG_INVESTIGATORS] += 1.0  # reported, still away, waiting for the investigators
    elif st == c.MOONLIGHT:
        tally[u, MOONLIGHTING] += 1.0
    else:  # at work
        tally[u, PRESENT] += 1.0
        if st == c.SABOTAGE:
            tally[u, CAPACITY] -= P.sabotage_damage * people.competence[i]
            tally[u, SABOTAGING] += 1.0
        else:
            tally[u, CAPACITY] += people.competence[i]
    # Who wants out, shows it and would defend the regime depends on the person's own draws: a branch there is
    # one the processor cannot predict, so these add 1 or 0 (adding 0 leaves a count exactly as it is)
    shown = (people.flags[i] & c.F_DISPLAYED) != 0
    wants = people.desire[i] >= P.want_out_cutoff and can_resign
    one_wants = 1.0 if wants else 0.0
    one_shown = 1.0 if shown else 0.0
    tally[u, WANT_OUT] += one_wants
    signals.hidden[u] += one_wants - one_wants * one_shown  # wants out and has not shown it
    tally[u, DISPLAYED] += one_shown
    tally[u, ACTED] += one_shown
    signals.acted[u] += one_shown
    tally[u, WOULD_DEFEND] += 1.0 if people.loyalty[i] >= P.defend_cutoff else 0.0
    if st == c.REQUESTED or st == c.MINISTRY:
        tally[u, PENDING_AGE] += day - people.request_day[i]
        if st == c.REQUESTED:
            tally[u, BACKLOG_UNIT] += 1.0
        else:
            tally[u, BACKLOG_MINISTRY] += 1.0
    elif st == c.APPEAL:
        tally[u, BACKLOG_APPEALS] += 1.0
    elif st == c.COURT:
        tally[u, IN_COURT] += 1.0
    elif st == c.MEDICAL:
        tally[u, AT_MEDICAL] += 1.0
    elif st == c.TRAVEL:
        tally[u, BACKLOG_TRAVEL] += 1.0
    elif st == c.CENTRAL:
        tally[u, BACKLOG_CENTRAL] += 1.0
    if people.flags[i] & c.F_CASE:
        tally[u, CASES_OPEN] += 1.0
        signals.cases_open[u] += 1.0
    if people.flags[i] & c.F_LEGAL:
        tally[u, LEGAL_ACTIVE] += 1.0
    if people.flags[i] & c.F_HELD_PAST_CONTRACT:
        tally[u, HELD] += 1.0
    if people.flags[i] & c.F_CONFINED:
        tally[u, CONFINED] += 1.0
    tally[u, FEAR_SUM] += people.fear[i]
    tally[u, LOYALTY_SUM] += people.loyalty[i]
    tally[u, DESIRE_SUM] += people.desire[i]
