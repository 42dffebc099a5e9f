"""Help for illegal exits (ODD 7.16; E4 with E8, E9): who knows of it, who asks, who is taken on, and what it changes.

Knowledge of help for leaving spreads as in Bass's (1969) diffusion: a serviceman who does not know
hears of it today with the chance ``help_publicity_per_day`` (p, publicity) plus
``help_imitation_per_day`` (q) times the share of his unit who know (imitation through peers), plus
``help_viral_per_post`` for each viral post of yesterday (E3), counted at full size. Knowing is kept
while one serves. One who chooses absence or flight abroad (E8, E9) and knows asks for help; the
helpers take on as many a day as their capacity allows (``help_capacity_per_day``, scaled), as the
lawyers do (E4). Being helped changes the odds of getting away in one place only: ``caught_chance``.
"""

from __future__ import annotations

import numba as nb
import numpy as np

from exitban.engine import codes as c
from exitban.engine import streams as s
from exitban.engine.columns import T
from exitban.engine.rng import uniform

HELP_REQUESTS, HELP_INTAKE, KNOWS_HELP = T["help_requests"], T["help_intake"], T["knows_help"]


@nb.njit(inline="always", cache=True)
def learn_of_help(i, day, seed, today, people):
    """Bass: a serviceman who does not know of help hears of it today, by publicity, from his unit's peers who
    know (yesterday's share) or from yesterday's viral posts. Civil officials are outside the helpers' reach
    (the groups help servicemen). Nothing is drawn where all three coefficients are 0.

    writes: people.help
    """
    if not today.military or (people.help[i] & c.H_KNOWS):
        return
    hazard = today.help_hazard  # help_hazard: the same for the whole unit today
    if hazard > 0.0 and uniform(seed, day, i, s.HELP_LEARN) < hazard:
        people.help[i] |= np.uint8(c.H_KNOWS)


@nb.njit(inline="always", cache=True)
def help_hazard(P, signals, u):
    """Bass's hazard of hearing of help today in unit ``u``: publicity, the unit's peers who knew yesterday and
    yesterday's viral posts. Worked out once a unit a day (``rules.today.unit_day``): nothing it reads changes
    while the unit steps.

    writes: nothing
    """
    return (
        P.help_publicity_per_day
        + P.help_imitation_per_day * signals.unit_help_share[u]
        + P.help_viral_per_post * signals.viral_yesterday[0]
    )


@nb.njit(inline="always", cache=True)
def ask_for_help(i, day, seed, P, people, tally, signals, u):
    """ODD+D: one who has chosen absence or flight (E8, E9) and knows of help asks for it with the chance
    ``help_request_share``; the helpers take him on with today's ``signals.help_odds`` (their capacity over
    yesterday's requests). Demand and intake are counted apart.

    writes: people.help; signals.help_sought; tally
    """
    if not (people.help[i] & c.H_KNOWS) or (people.help[i] & c.H_HELPED):
        return
    if uniform(seed, day, i, s.HELP_ASK) >= P.help_request_share:
        return
    signals.help_sought[u] += 1.0
    tally[u, HELP_REQUESTS] += 1.0
    if uniform(seed, day, i, s.HELP_TAKEN) < signals.help_odds[0]:
        people.help[i] |= np.uint8(c.H_HELPED)
        tally[u, HELP_INTAKE] += 1.0


@nb.njit(inline="always", cache=True)
def caught_chance(i, P, people, chance):
    """THE one place help changes the odds of getting away: ``chance`` (an absentee's daily chance of being
    caught and brought back, or the chance a flight abroad is stopped) times ``help_catch_factor`` for one the
    helpers took on, unchanged for anyone else.

    writes: nothing
    """
    if people.help[i] & c.H_HELPED:
        return chance * P.help_catch_factor
    return chance


@nb.njit(inline="always", cache=True)
def escape_chance(i, P, people, success):
    """The chance a flight abroad succeeds, ``success`` unhelped: one minus the chance it is stopped, through
    ``caught_chance``.

    writes: nothing
    """
    if people.help[i] & c.H_HELPED:
        return 1.0 - caught_chance(i, P, people, 1.0 - success)
    return success


@nb.njit(inline="always", cache=True)
def help_ends(i, people):
    """The attempt the help was for is over (caught, stopped, or the flight turned into a permit request).

    writes: people.help
    """
    people.help[i] &= ~np.uint8(c.H_HELPED)


@nb.njit(inline="always", cache=True)
def count_knowers(i, people, tally, signals, u):
    """The day's stock of serving people who know of help (the output ``knows_help``; tomorrow's peer share).

    writes: signals.help_known; tally
    """
    if people.help[i] & c.H_KNOWS:
        tally[u, KNOWS_HELP] += 1.0
        signals.help_known[u] += 1.0
