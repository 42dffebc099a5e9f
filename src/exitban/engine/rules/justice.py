"""The military-justice pipeline (ODD 7.2, 7.9; E8, R13): an absence is an episode, not a case.

A serviceman who goes absent is away until his unit notices him (``notice_prob``, a daily chance), or
until he has been away ``desert_days`` and is gone for good (he hid or went abroad: an exit). Once he is
past the limit (2 days under the wartime article, else ``absence_limit_days``) he is counted in
``desertion_episodes``, as a ministry's count of men who left their units would count him, whatever
comes of it. Noticed, the commander returns him without a case (``return_without_case_share``: to the
unit, or to the front where the institution has one, ``rules.front``), or reports the absence: then he
is reported but still away, waiting in the investigators' queue (``bureaucracy.investigator_capacity_per_day``,
``rules.queues``); one who is gone before they reach him is wanted under the desertion article. Brought
in, he faces an absence case graded by his days away (art. 337: 2-10 days, up to 5 years; 10 days to a
month, up to 7; over a month, 5 to 10), and the court's sentence (``sentence_years``) is suspended when it
is no longer than ``suspension_max_years``: a suspended man serves on, sent to the front where there is
one. So the suspended share and the mix of articles are outputs of the pipeline.
"""

from __future__ import annotations

import numba as nb

from exitban.engine import codes as c
from exitban.engine import streams as s
from exitban.engine.columns import T
from exitban.engine.rng import uniform
from exitban.engine.rules.actions import clear_flag, confine, join_queue, leave, open_case
from exitban.engine.rules.help import caught_chance, help_ends
from exitban.engine.state import Q_INVESTIGATORS

EPISODES, NOTICED, REPORTED_N = T["desertion_episodes"], T["absences_noticed"], T["absences_reported"]
TO_FRONT = T["sent_to_front"]


@nb.njit(inline="always", cache=True)
def notice_prob(i, P, today, people):
    """The daily chance that absentee ``i``'s unit notices (and finds) him today: the one place this chance
    is made; one the helpers took on is noticed less often (``help.caught_chance``, ODD 7.16).

    writes: nothing
    """
    return caught_chance(i, P, people, P.absence_catch_prob)


@nb.njit(inline="always", cache=True)
def absence_limit(P):
    """Days one may be away before the absence is an offence: 2 under the wartime article, else the peacetime limit.

    writes: nothing
    """
    return P.wartime_absence_days if P.wartime_law > 0.0 else P.absence_limit_days


@nb.njit(inline="always", cache=True)
def send_to_front(i, day, front, people, tally, u):
    """Back in service from an absence or a suspended sentence: to the front where one is modelled.

    writes: people.station, people.station_day; tally
    """
    if front:
        people.station[i] = c.STATION_FRONT
        people.station_day[i] = day
        tally[u, TO_FRONT] += 1.0


@nb.njit(inline="always", cache=True)
def absent(i, day, seed, P, today, people, tally, entered, u):
    """E8, R13: one day away. Past the limit it is a desertion episode; ``desert_days`` away and unnoticed, one
    is gone; noticed (``notice_prob``), the commander returns him without a case or, past the limit, reports
    the absence to the investigators (``return_without_case_share``). Noticed, his help ends: it was for getting
    away unseen (``help.help_ends``). Returns True if the person left.

    writes: people.stage, people.stage_day, people.days_away, people.flags, people.confined_day, people.station,
    people.station_day, people.status, people.exit_day, people.help; entered; tally
    """
    away = day - people.stage_day[i]
    limit = absence_limit(P)
    if away == limit + 1:
        tally[u, EPISODES] += 1.0  # past the limit: a man who left his unit, as a ministry would count him
    if away >= P.desert_days:
        leave(i, c.EXIT_ABSENCE, day, people, tally, u)  # hid or went abroad, never noticed: no case
        return True
    if uniform(seed, day, i, s.NOTICE) < notice_prob(i, P, today, people):
        tally[u, NOTICED] += 1.0
        help_ends(i, people)
        if away > limit and uniform(seed, day, i, s.REPORT) >= P.return_without_case_share:
            people.days_away[i] = away
            join_queue(i, c.REPORTED, Q_INVESTIGATORS, day, people, entered, u)
            tally[u, REPORTED_N] += 1.0
        else:
            people.stage[i] = c.QUIET  # brought back by his own unit, no case: confined, or sent to the front
            confine(i, day, people)
            send_to_front(i, day, today.front, people, tally, u)
    return False


@nb.njit(inline="always", cache=True)
def reported(i, day, P, people, tally, u):
    """One day away after the report, waiting for the investigators: one away ``desert_days`` in all is gone,
    wanted under the desertion article (a case in absentia). Returns True if the person left.

    writes: people.flags, people.case_day, people.case_article, people.status, people.stage, people.exit_day; tally
    """
    if people.days_away[i] + day - people.stage_day[i] < P.desert_days:
        return False
    clear_flag(people, i, c.F_CASE)
    open_case(i, c.ART_DESERTION, day, people, tally, u)  # requalified: wanted for desertion
    leave(i, c.EXIT_ABSENCE, day, people, tally, u)
    return True


@nb.njit(inline="always", cache=True)
def bring_in(i, day, people, out, k):
    """The investigators' queue reaches a reported absentee: he is brought in, confined, and an absence case
    opens, graded by his days away (``sentence_years``).

    writes: people.days_away, people.stage, people.flags, people.confined_day, people.case_day,
    people.case_article; out
    """
    people.days_away[i] += day - people.stage_day[i]
    people.stage[i] = c.QUIET
    confine(i, day, people)
    open_case(i, c.ART_ABSENCE, day, people, out, k)


@nb.njit(inline="always", cache=True)
def sentence_years(days_away, v, P):
    """The court's sentence for an absence of ``days_away`` days (art. 337's grades), from an even draw ``v``:
    the grade's floor plus ``penalty_scale`` of its range times ``v``.

    writes: nothing
    """
    if days_away <= P.absence_mid_days:
        lo, hi = 0.0, P.absence_term_short_years
    elif days_away <= P.absence_long_days:
        lo, hi = 0.0, P.absence_term_mid_years
    else:
        lo, hi = P.absence_term_long_min_years, P.absence_term_long_years
    return lo + P.penalty_scale * (hi - lo) * v


@nb.njit(inline="always", cache=True)
def absence_suspended(i, day, seed, P, people):
    """Whether the court suspends absentee ``i``'s sentence: it does when the sentence is no longer than
    ``suspension_max_years``.

    writes: nothing
    """
    v = uniform(seed, day, i, s.SENTENCE)
    return sentence_years(people.days_away[i], v, P) <= P.suspension_max_years
