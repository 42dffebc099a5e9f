"""The front (ODD 7.15; P1, E7, E8): where a serviceman serves, and what it exposes him to.

Each serving person has a station (codes.STATION_*): the rear, a tour at the front, a leave from it,
or hospital after a wound. Only an institution with ``front_share`` above 0 sends anyone to the
front; everywhere else everyone stays in the rear and the rules read as if there were no front.
A tour ends at the daily hazard 1 / ``tour_days`` and a rear spell at 1 / ``rear_days``, so that
``front_share`` of the rotation is spent at the front; memoryless, so that a front opened by a dated
phase, or a cohort of newcomers, fills toward its share without a wave. One at the front may
go on leave (``leave_per_year``) and is back at the front after ``leave_days``; a wounded man who
returns (``wounded_return_share``) is in hospital for ``hospital_days``, then in the rear. Casualties
and the combat drift fall only on those at the front (``exposed``); going absent there is rarer
(``front_absence_factor``: ``rules.choice``) and a second job impossible. An absent man's station
waits for his return.
"""

from __future__ import annotations

import numba as nb

from exitban.engine import codes as c
from exitban.engine import streams as s
from exitban.engine.columns import T
from exitban.engine.rng import uniform

HOSPITALIZED = T["hospitalized"]


@nb.njit(cache=True)
def rear_days(front_share: float, tour_days: float) -> float:
    """The mean rear spell between two tours: ``front_share`` of the rotation is then spent at the front.

    writes: nothing
    """
    if front_share <= 0.0:
        return 0.0
    return tour_days * (1.0 - front_share) / front_share


@nb.njit(inline="always", cache=True)
def away(i, people):
    """Whether person ``i`` is away from service: absent, or absent and reported (``rules.justice``).

    writes: nothing
    """
    return people.stage[i] == c.ABSENT or people.stage[i] == c.REPORTED


@nb.njit(inline="always", cache=True)
def exposed(i, today, people):
    """Whether person ``i`` faces the war today: everyone where no front is modelled, else one at the
    front and not absent from it.

    writes: nothing
    """
    if not today.front:
        return True
    return people.station[i] == c.STATION_FRONT and not away(i, people)


@nb.njit(inline="always", cache=True)
def _move(i, station, day, people):
    """writes: people.station, people.station_day"""
    people.station[i] = station
    people.station_day[i] = day


@nb.njit(inline="always", cache=True)
def hospitalize(i, day, people, tally, u):
    """A wounded man who will return goes to hospital today (counted in hospitalized).

    writes: people.station, people.station_day; tally
    """
    _move(i, c.STATION_HOSPITAL, day, people)
    tally[u, HOSPITALIZED] += 1.0


@nb.njit(inline="always", cache=True)
def start_station(i, day, people):
    """A newcomer starts in the rear today: his first tour comes after a rear spell.

    writes: people.station, people.station_day
    """
    _move(i, c.STATION_REAR, day, people)


@nb.njit(inline="always", cache=True)
def change_station(i, day, seed, today, people):
    """One day of person ``i``'s station: a tour may end or a leave begin, a rear spell may end (one draw),
    a leave or hospital stay ends after its days. Sent to the front, a moonlighter's second job ends.

    writes: people.station, people.station_day, people.stage
    """
    stage = people.stage[i]
    if away(i, people):
        return  # away: his station waits for his return
    station = people.station[i]
    held = day - people.station_day[i]
    if station == c.STATION_FRONT:
        r = uniform(seed, day, i, s.STATION)
        if r < today.p_rotate:
            _move(i, c.STATION_REAR, day, people)
        elif r < today.p_rotate + today.p_leave:
            _move(i, c.STATION_LEAVE, day, people)
        return
    if station == c.STATION_REAR:
        if not today.front or uniform(seed, day, i, s.STATION) >= today.p_deploy:
            return
    elif station == c.STATION_LEAVE:
        if held < today.leave_days:
            return
    else:  # in hospital, then back to the rear
        if held >= today.hospital_days:
            _move(i, c.STATION_REAR, day, people)
        return
    if today.front:  # to the front, from the rear or back from leave
        _move(i, c.STATION_FRONT, day, people)
        if stage == c.MOONLIGHT:
            people.stage[i] = c.QUIET  # no second job at the front
    else:
        _move(i, c.STATION_REAR, day, people)
