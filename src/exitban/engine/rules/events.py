"""Events that move the private state both ways (ODD 7.14; P3, O2): the regime's carrots, the war's losses.

Rewards and promotions come as a rare daily event, and a commander may co-opt one whose
request waits (a post, a perk) instead of pressing (R12): both raise loyalty and lower the
wish to leave. Mobilization adds to the drift of the wish to leave of those the decree holds
(7.4), and yesterday's casualties in one's unit raise it and erode loyalty. A pay rise works
through the value of staying (7.13); threats erode loyalty (7.7).
"""

from __future__ import annotations

import numba as nb

from exitban.engine.rules.actions import clamp01


@nb.njit(inline="always", cache=True)
def reward(i, P, people, tally, u, column):
    """A reward, a promotion or a co-opting offer: loyalty rises, the wish to leave falls; counted in ``column``.

    writes: people.desire, people.loyalty; tally
    """
    people.loyalty[i] = clamp01(people.loyalty[i] + P.reward_loyalty_gain)
    people.desire[i] = clamp01(people.desire[i] - P.reward_desire_relief)
    tally[u, column] += 1.0


@nb.njit(inline="always", cache=True)
def mourn(i, P, casualty_share, people):
    """Yesterday's losses in one's unit (a share of its starting size) raise the wish to leave and erode loyalty.

    writes: people.desire, people.loyalty
    """
    if casualty_share > 0.0:
        d, lo = people.desire[i], people.loyalty[i]
        people.desire[i] = clamp01(d + P.casualty_desire_weight * casualty_share * (1.0 - d))
        people.loyalty[i] = clamp01(lo - P.casualty_loyalty_weight * casualty_share * lo)
