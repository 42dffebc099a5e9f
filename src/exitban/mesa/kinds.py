"""The kinds of things in the Mesa twin: stages, exits, moves and pressure rungs, and two small rules of arithmetic.

A leaf module: people, offices and the model all name these, and it names none of them.
"""

from __future__ import annotations

import enum


class Stage(enum.Enum):
    """The move a serving person is in the middle of."""

    QUIET = "quiet"  # no move under way (E10 when they want out)
    REQUESTED = "requested"  # waiting for the commander's signature (E1, E2)
    MINISTRY = "ministry"  # signed, in the ministry's queue (R9)
    APPEAL = "appeal"  # in the prosecutor's queue (E3, R11)
    COURT = "court"  # lawsuit (E3, E4)
    SABOTAGE = "sabotage"  # sabotaging work to get fired (E5, the EVLN neglect)
    MOONLIGHT = "moonlight"  # working elsewhere while listed (E7)
    ABSENT = "absent"  # away from service (E8)
    MEDICAL = "medical"  # before the medical commission (E11)
    TRAVEL = "travel"  # waiting for a travel permit (E9, R7)
    REPORTED = "reported"  # absent and reported, waiting for the investigators (engine.rules.justice)
    CENTRAL = "central"  # a senior resignation before the central office (A:19; issue 22, item 3)


class Station(enum.Enum):
    """Where a serving person is (the front, ``engine.rules.front``): only a front institution leaves the rear."""

    REAR = "rear"
    FRONT = "front"  # on a tour: exposed to casualties and the combat drift; no second job
    LEAVE = "leave"  # on leave from the front, back to it afterwards
    HOSPITAL = "hospital"  # wounded, to return: then the rear


class Exit(enum.Enum):
    """How a person left (O4); the values name the output columns ``exits_<value>``."""

    APPROVED = "approved"
    HEALTH = "health"
    CORRUPTION = "corruption"
    CONVICTION = "conviction"
    PAYMENT = "payment"
    ABSENCE = "absence"
    DEFECTION = "defection"
    COURT = "court"
    CONTRACT_END = "contract_end"
    DISMISSED = "dismissed"
    DEMOBILIZED = "demobilized"
    AGE_LIMIT = "age_limit"
    KILLED = "killed"
    MISSING = "missing"
    WOUNDED = "wounded"
    TRANSFERRED = "transferred"


class Move(enum.Enum):
    """The choices of the EVLN logit."""

    STAY = "stay"
    REQUEST = "request"
    LOOPHOLE = "loophole"
    VOICE = "voice"
    SABOTAGE = "sabotage"
    MOONLIGHT = "moonlight"
    ABSENT = "absent"
    PAY = "pay"
    DEFECT = "defect"
    HEALTH = "health"
    TRANSFER = "transfer"


class Rung(enum.IntEnum):
    """The rungs of the pressure ladder (R12), in the order B:13,32-34,48,60-66 tell them."""

    PERSUASION = 1
    THREAT = 2
    PARENTS = 3
    SIBLING = 4
    TRANSFER = 5
    CONFINEMENT = 6
    PHYSICAL = 7


class OfficialRung(enum.IntEnum):
    """The rungs of an official's ladder (R12; A:19-21 names the hinted prosecution, the rest are assumed)."""

    PERSUASION = 1
    CAREER = 2
    PROSECUTION = 3
    ASSETS = 4
    FAMILY = 5


def clamp01(x: float) -> float:
    return 0.0 if x < 0.0 else 1.0 if x > 1.0 else x


def odds(decree: bool, banned: float, if_banned: float, if_free: float) -> float:
    """A way out that the decree closes (R4) and the ban narrows: nil under the decree, else the banned or free odds."""
    if decree:
        return 0.0
    return if_banned if banned else if_free
