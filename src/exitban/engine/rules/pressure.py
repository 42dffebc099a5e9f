"""The pressure ladder (ODD 7.7; R12): persuasion, then threats that climb one rung at a time."""

from __future__ import annotations

import numba as nb

from exitban.engine import codes as c
from exitban.engine.columns import T
from exitban.engine.rules.actions import clamp01

THREATS, FAMILIES, PERSUASIONS = T["threats"], T["families_pressured"], T["persuasions"]
# the rungs, in the order B:13,32-34,48,60-66 tell them
PERSUASION, THREAT, PARENTS, SIBLING, TRANSFER, CONFINEMENT = 1, 2, 3, 4, 5, 6


@nb.njit(inline="always", cache=True)
def climb_ladder(i, P, people, tally, u):
    """Climb one rung (up to ``ladder_top``) and apply its effect. Returns the rung."""
    rung = min(int(P.ladder_top), people.pressure[i] + 1)
    people.pressure[i] = rung
    tf = P.threat_fear
    if rung == PERSUASION:  # loyal people are talked round more easily
        people.desire[i] = clamp01(people.desire[i] - P.persuasion_effect * (P.persuasion_base + people.loyalty[i]))
        tally[u, PERSUASIONS] += 1.0
        return rung
    tally[u, THREATS] += 1.0
    if rung == THREAT:  # "we will put you in jail"
        people.fear[i] = clamp01(people.fear[i] + tf)
    elif rung in (PARENTS, SIBLING):
        people.fear[i] = clamp01(people.fear[i] + tf * people.family[i] * P.family_threat_weight)
        tally[u, FAMILIES] += 1.0
    elif rung == TRANSFER:  # a remote post without internet: less reach
        people.reach[i] = people.reach[i] * P.transfer_reach_factor
        people.fear[i] = clamp01(people.fear[i] + P.transfer_fear_weight * tf)
    elif rung == CONFINEMENT:  # confined to base, followed by military police
        people.flags[i] |= c.F_CONFINED
        people.fear[i] = clamp01(people.fear[i] + P.confinement_fear_weight * tf)
    else:  # physical threats
        people.fear[i] = clamp01(people.fear[i] + P.physical_threat_weight * tf)
    people.loyalty[i] = clamp01(people.loyalty[i] - P.threat_loyalty_loss)
    return rung
