"""Integer codes shared by the kernel and the Python side: what a person is doing, and how they left."""

from __future__ import annotations

# --- status: 0 while serving, otherwise the exit channel (O4) -----------------------------
SERVING = 0
EXIT_APPROVED = 1  # request signed (E1, R8-R10) or approved by the ministry (R9)
EXIT_HEALTH = 2  # health discharge (E11, R5)
EXIT_CORRUPTION = 3  # dismissed for corruption (R5)
EXIT_CONVICTION = 4  # released after a criminal conviction (R5, R2, R13)
EXIT_PAYMENT = 5  # paid to leave quietly (E6, R6)
EXIT_ABSENCE = 6  # deserted: absent and never brought back (E8)
EXIT_DEFECTION = 7  # left abroad (E9)
EXIT_COURT = 8  # won in court, or an appeal forced the release (E3, E4, R11)
EXIT_CONTRACT_END = 9  # contract ran out and was not renewed (R4 lifts this)
EXIT_DISMISSED = 10  # fired for sabotage (E5, R14)
EXIT_DEMOBILIZED = 11  # a mobilized reservist released once mobilization ended (R4)
EXIT_AGE_LIMIT = 12  # reached the age limit of service (P1; a ground under decree 647)
EXIT_KILLED = 13  # a wartime casualty: killed (P1)
EXIT_MISSING = 14  # a wartime casualty: missing (P1)
EXIT_WOUNDED = 15  # a wartime casualty: discharged wounded (P1)
EXIT_TRANSFERRED = 16  # moved to another post outside the institution (E1: a governor's usual way out)
GRADUATING = 254  # not an exit: finished the academy, waiting for a post in ``graduates_to`` (P1)
VACANT = 255  # not an exit: a position nobody holds (never filled, or its holder moved on)

EXIT_CHANNELS = (
    "approved",
    "health",
    "corruption",
    "conviction",
    "payment",
    "absence",
    "defection",
    "court",
    "contract_end",
    "dismissed",
    "demobilized",
    "age_limit",
    "killed",
    "missing",
    "wounded",
    "transferred",
)
N_CHANNELS = len(EXIT_CHANNELS)

# --- stage: the move a serving person is in the middle of ------------------------------------
QUIET = 0  # serving, no exit move under way (E10 when they want out)
REQUESTED = 1  # resignation request waiting for the unit's signature (E1, E2)
MINISTRY = 2  # signed, waiting in the ministry's central queue (R9)
APPEAL = 3  # appeal waiting at the prosecutor / ministry (E3, R11)
COURT = 4  # lawsuit under way (E3, E4)
SABOTAGE = 5  # sabotaging work to get fired (E5: the EVLN neglect; R14)
MOONLIGHT = 6  # working elsewhere, still listed (E7)
ABSENT = 7  # absent from service (E8, R13)
MEDICAL = 8  # before the medical commission (E11)
TRAVEL = 9  # waiting for a travel permit from the top reviewer (E9, R7)
# the military-justice pipeline (rules.justice; R13, E8): stage codes 10-12 are its own
REPORTED = 10  # absent, and reported by the commander: away until the investigators' queue reaches him

STAGES = (
    "quiet",
    "requested",
    "ministry",
    "appeal",
    "court",
    "sabotage",
    "moonlight",
    "absent",
    "medical",
    "travel",
    "reported",
)

# officials (issue 22, item 3): code 13 (10-12 are the justice pipeline's; a name is reserved until it has one)
CENTRAL = 13  # a senior official's resignation before the central office (A:19: a political decision)
STAGES = (*STAGES, *(f"reserved_{n}" for n in range(len(STAGES), CENTRAL)), "central")

# --- moves of the discrete choice (EVLN) ----------------------------------------------------------
MOVE_STAY = 0
MOVE_REQUEST = 1
MOVE_LOOPHOLE = 2
MOVE_VOICE = 3
MOVE_SABOTAGE = 4  # the EVLN neglect move
MOVE_MOONLIGHT = 5
MOVE_ABSENT = 6
MOVE_PAY = 7
MOVE_DEFECT = 8
MOVE_HEALTH = 9
MOVE_TRANSFER = 10  # ask for a post elsewhere (E1)
N_MOVES = 11
MOVES = (
    "stay",
    "request",
    "loophole",
    "voice",
    "sabotage",
    "moonlight",
    "absent",
    "pay",
    "defect",
    "health",
    "transfer",
)

# --- criminal articles: what an open case is for (people.case_article; R2, R5, R13) ---------------
ART_ABSENCE = 0  # unauthorized absence (art. 337): servicemen only
ART_DESERTION = 1  # desertion (art. 338): servicemen only, opened when an absent one is gone for good
ART_CORRUPTION = 2  # offering a bribe to be let go (E6, R6); corruption under the decree (R5)
ART_DISOBEDIENCE = 3  # a serviceman who insists on leaving or sabotages (R2, R14)
ART_NEGLIGENCE = 4  # a civil official who sabotages (R14)
ART_OTHER = 5  # ordinary offences (R5), and a civil official who insists (R2: no article is named)
ARTICLES = ("absence", "desertion", "corruption", "disobedience", "negligence", "other")
N_ARTICLES = len(ARTICLES)

# --- flags (bit set) ---------------------------------------------------------------------------------
F_DISPLAYED = 1  # openly shows the wish to leave (R3 / Kuran)
F_CASE = 2  # a criminal case is open (R2, R13)
F_LEGAL = 4  # has a lawyer / support group (E4)
F_CONFINED = 8  # confined to base, under watch (R12)
F_LOOPHOLE = 16  # the pending request cites a loophole (E2)
F_PASSPORT_HELD = 32  # passport held by the security service (R7)
F_VIRAL = 64  # a public post went viral (E3)
F_HELD_PAST_CONTRACT = 128  # contract ended but mobilization keeps them (R4)

# --- station: where a serving person is (people.station; rules.front) -------------------------------------
# Only an institution with ``front_share`` above 0 sends people to the front; everyone else stays in the rear.
STATION_REAR = 0  # serving away from the fighting (and everyone where no front is modelled)
STATION_FRONT = 1  # on a tour at the front: exposed to casualties and the combat drift; no second job
STATION_LEAVE = 2  # on leave from the front, back to it when the leave ends
STATION_HOSPITAL = 3  # in hospital after a wound, then back to the rear
STATIONS = ("rear", "front", "leave", "hospital")

# --- the regime's ban policy (regime.resignation_ban; rules.regime) ------------------------------------
BAN_OFF, BAN_ON, BAN_AUTO = 0, 1, 2
BAN_POLICY = {"off": BAN_OFF, "on": BAN_ON, "auto": BAN_AUTO}

# --- help for illegal exits (people.help, a bit set; rules.help; E8, E9) ------------------------------------
H_KNOWS = 1  # knows that help for leaving exists (Bass diffusion: publicity, unit peers, viral posts)
H_HELPED = 2  # taken on by the helpers for the absence or flight under way: caught or stopped less often
