"""The random streams: one per decision, so adding a rule never shifts another rule's draws.

A draw is ``uniform(seed, day, person, stream)``; the numbers are part of every result's
identity, so a stream keeps its number for good and a new rule takes the next free one.
"""

from __future__ import annotations

RARE = 0  # background hazards: corruption dismissal, offence (R5)
DECIDE = 1  # whether a quiet person reconsiders today
CHOICE = 2  # which move (the EVLN logit)
SIGN = 3  # the commander signs, loses or sits on a request (R8, R10)
PRESSURE = 4  # a rung of the pressure ladder today (R12)
WITHDRAW = 5  # withdrawing a request after pressure (E10)
CASE = 6  # a case ends in conviction (R2, R13)
EXTORT = 7  # a superior demands payment (R6)
STAGE = 8  # the day's outcome of a stage under way (court, neglect, moonlight, absence, medical)
LEGAL = 9  # taking up legal help (E4)
VIRAL = 10  # a public post goes viral (E3)
VOICE = 11  # suing rather than appealing (E3)
PAY = 12  # a payment is accepted (E6)
DEFECT = 13  # a defection succeeds without travel control (E9)
PROSECUTE = 14  # a case opens: insisting, a refused payment, a caught saboteur (R2)
QUEUE = 15  # a central office decides (R7, R9, R11)
TRIP = 16  # a permitted trip becomes a defection (E9, R7)
RECRUIT = 17  # a vacant position is filled today (P1)
TEMPLATE = 18  # which newcomer of the institution's pool takes it (P1)
RENEW = 19  # signing again or leaving at contract end (the DRM's logit, R4)
COOPT = 20  # the commander co-opts one whose request waits (7.14)
TRIP_WISH = 21  # an ordinary trip abroad that needs a permit under travel control (R7)
TRANSFER = 22  # a transfer to another post is granted (E1)
KOMPROMAT = 23  # an official's pressure ladder opens a corruption case (R12)
STATION = 24  # rotation out of the front or a leave from it today (rules.front)
SPELL_END = 25  # a covert spell (sabotage, moonlighting) ends of itself today (A3)
GROUNDS = 26  # where leaving is legal, whether one has grounds for release during this contract (E1)
# the military-justice pipeline (rules.justice): streams 27-29
NOTICE = 27  # an absentee's unit notices his absence today (justice.notice_prob)
REPORT = 28  # the commander, having noticed, reports the absence rather than returning him without a case
SENTENCE = 29  # the court's sentence for an absence conviction: its length, hence custodial or suspended
# the help network for illegal exits (rules.help; E8, E9)
HELP_LEARN = 30  # one who does not know of help hears of it today (Bass: publicity, peers, viral posts)
HELP_ASK = 31  # one who chooses absence or flight and knows of help asks for it
HELP_TAKEN = 32  # the helpers take on one who asks, while they have room
# officials (issue 22, item 3): 33-35
CENTRAL_THREAT = 33  # the central office's refusal comes with a hint of prosecution (A:19-21)
