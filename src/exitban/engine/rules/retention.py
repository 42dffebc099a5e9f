"""The value of staying (ODD 7.13; E10, R4): RAND's Dynamic Retention Model, reduced to one comparison.

Staying is worth the pay premium over a civilian job plus the service pension, which vests
only at ``pension_years`` of service and is discounted by the years still to serve: its
weight climbs toward the vesting year and drops to nothing after it (the pension is then
earned whether one stays or goes). Leaving is worth the outside option, better for the
more competent. The same comparison weighs staying in the move choice (7.6), makes the
wish costly to show under a ban (7.5: what one stands to lose) and decides re-signing at
contract end (7.3).
"""

from __future__ import annotations

import math

import numba as nb

from exitban.engine import streams as s
from exitban.engine.rng import uniform
from exitban.engine.units import DAYS_PER_YEAR


@nb.njit(inline="always", cache=True)
def years_served(i, day, people):
    """Years person ``i`` has served on ``day`` (seniority is kept as of day 0).

    writes: nothing
    """
    return people.seniority[i] + day / DAYS_PER_YEAR


@nb.njit(inline="always", cache=True)
def stay_value(served, pay_premium, pension_years, P):
    """What one stands to lose by leaving: the pay premium and the unvested pension, discounted.

    writes: nothing
    """
    to_go = pension_years - served
    pension = P.pension_value * P.pension_discount**to_go if to_go > 0.0 else 0.0
    return pay_premium + pension


@nb.njit(inline="always", cache=True)
def stake_today(i, day, today, P, people):
    """What person ``i`` stands to lose by leaving today (``stay_value`` of his years served, today's pay).

    writes: nothing
    """
    return stay_value(years_served(i, day, people), today.pay_premium, today.pension_years, P)


@nb.njit(inline="always", cache=True)
def outside_value(i, P, people):
    """The outside job's worth: better for the more competent.

    writes: nothing
    """
    return P.outside_weight * people.competence[i]


@nb.njit(inline="always", cache=True)
def retention_gain(i, served, pay_premium, pension_years, P, people):
    """The value of staying over the outside option (negative when the outside job is worth more).

    writes: nothing
    """
    return stay_value(served, pay_premium, pension_years, P) - outside_value(i, P, people)


@nb.njit(inline="always", cache=True)
def signs_again(i, day, seed, P, gain, people):
    """At contract end: a logit between signing again and leaving (the DRM's decision at each term's end).

    Staying is worth ``renewal_bias + stay_bias + beta_loyalty * loyalty + beta_retention * gain``,
    leaving ``beta_desire * desire``; the draw is the person's own.

    writes: nothing
    """
    stay = P.renewal_bias + P.stay_bias + P.beta_loyalty * people.loyalty[i] + P.beta_retention * gain
    go = P.beta_desire * people.desire[i]
    p_leave = 1.0 / (1.0 + math.exp(stay - go))
    return uniform(seed, day, i, s.RENEW) >= p_leave
