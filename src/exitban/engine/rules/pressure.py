"""The pressure ladders (ODD 7.7; R12): persuasion, then threats that climb one rung at a time.

Servicemen climb the army's ladder of B:13,32-34,48,60-66; civil officials their own: a career
threat, a hint of prosecution that may become a corruption case (A:19-21), frozen assets and
pressure on the family. Neither confines an official to base or sends him to a remote post.
"""

from __future__ import annotations

import numba as nb

from exitban.engine import codes as c
from exitban.engine import streams as s
from exitban.engine.columns import T
from exitban.engine.rng import uniform
from exitban.engine.rules.actions import clamp01, confine, open_case

THREATS, FAMILIES, PERSUASIONS = T["threats"], T["families_pressured"], T["persuasions"]
# The army's rungs, in the order B:13,32-34,48,60-66 tell them (``people.pressure``; 0: not pressed yet).
# PHYSICAL is the top (pressure.ladder_top may stop the climb lower).
PERSUASION = 1
THREAT = 2
PARENTS = 3
SIBLING = 4
TRANSFER = 5
CONFINEMENT = 6
PHYSICAL = 7
# An official's rungs after persuasion (A:19-21 names the hint of prosecution; the others are assumptions).
# FAMILY is the top, repeated.
CAREER = 2
PROSECUTION = 3
ASSETS = 4
FAMILY = 5


@nb.njit(inline="always", cache=True)
def persuade(i, P, people, tally, u):
    """The first rung of both ladders: loyal people are talked round more easily.

    writes: people.desire; tally
    """
    people.desire[i] = clamp01(people.desire[i] - P.persuasion_effect * (P.persuasion_base + people.loyalty[i]))
    tally[u, PERSUASIONS] += 1.0


@nb.njit(inline="always", cache=True)
def threaten_family(i, P, people, tally, u):
    """Threats to parents or a sibling's career: they weigh with the person's family exposure.

    writes: people.fear; tally
    """
    people.fear[i] = clamp01(people.fear[i] + P.threat_fear * people.family[i] * P.family_threat_weight)
    tally[u, FAMILIES] += 1.0


@nb.njit(inline="always", cache=True)
def climb_ladder(i, day, P, people, tally, u):
    """Climb one rung (up to ``ladder_top``) and apply its effect.

    writes: people.pressure, people.desire, people.fear, people.reach, people.flags, people.confined_day,
    people.loyalty; tally
    """
    rung = min(int(P.ladder_top), people.pressure[i] + 1)
    people.pressure[i] = rung
    tf = P.threat_fear
    if rung == PERSUASION:
        persuade(i, P, people, tally, u)
        return
    tally[u, THREATS] += 1.0
    if rung == THREAT:  # "we will put you in jail"
        people.fear[i] = clamp01(people.fear[i] + tf)
    elif rung in (PARENTS, SIBLING):
        threaten_family(i, P, people, tally, u)
    elif rung == TRANSFER:  # a remote post without internet: less reach
        people.reach[i] = people.reach[i] * P.transfer_reach_factor
        people.fear[i] = clamp01(people.fear[i] + P.transfer_fear_weight * tf)
    elif rung == CONFINEMENT:  # confined to base, followed by military police
        confine(i, day, people)
        people.fear[i] = clamp01(people.fear[i] + P.confinement_fear_weight * tf)
    else:  # PHYSICAL: physical threats
        people.fear[i] = clamp01(people.fear[i] + P.physical_threat_weight * tf)
    people.loyalty[i] = clamp01(people.loyalty[i] - P.threat_loyalty_loss)


@nb.njit(inline="always", cache=True)
def climb_official_ladder(i, day, seed, P, people, tally, u):
    """An official's ladder: persuasion, a career threat, a hinted prosecution (a corruption case with
    probability ``prosecution_threat``), frozen assets, the family (the top rung, repeated).

    writes: people.pressure, people.desire, people.fear, people.flags, people.case_day, people.case_article,
    people.means, people.loyalty; tally
    """
    rung = min(int(P.ladder_top), FAMILY, people.pressure[i] + 1)
    people.pressure[i] = rung
    tf = P.threat_fear
    if rung == PERSUASION:
        persuade(i, P, people, tally, u)
        return
    tally[u, THREATS] += 1.0
    if rung == CAREER:
        people.fear[i] = clamp01(people.fear[i] + tf)
    elif rung == PROSECUTION:  # "hinted that they could face criminal prosecution"
        people.fear[i] = clamp01(people.fear[i] + tf)
        if uniform(seed, day, i, s.KOMPROMAT) < P.prosecution_threat:
            open_case(i, c.ART_CORRUPTION, day, people, tally, u)
    elif rung == ASSETS:  # no money left to pay one's way out (E6)
        people.means[i] = people.means[i] * P.asset_freeze_factor
        people.fear[i] = clamp01(people.fear[i] + tf)
    else:  # FAMILY
        threaten_family(i, P, people, tally, u)
    people.loyalty[i] = clamp01(people.loyalty[i] - P.threat_loyalty_loss)
