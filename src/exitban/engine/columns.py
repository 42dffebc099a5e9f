"""Per-unit daily tallies the kernel writes; ``observe`` turns them into the output table."""

from __future__ import annotations

from exitban.engine.codes import ARTICLES, EXIT_CHANNELS

TALLIES = (
    "headcount",  # listed as serving (O1, O9 reported)
    "present",  # serving and at work: not absent, not moonlighting (O9 true)
    "want_out",  # privately want out (O1)
    "displayed",  # openly show the wish to leave (R3)
    "acted",  # displayed now or when they left: the Granovetter share's numerator (O7)
    "would_defend",  # loyalty above the defend cut-off (O2)
    "capacity",  # competence-weighted work minus sabotage (O3)
    "sabotaging",  # in neglect (E5)
    "moonlighting",  # working elsewhere, still listed (E7)
    "absent",  # absent from service (E8)
    "confined",  # confined to base, under watch (R12, A4)
    "backlog_unit",  # requests waiting for a unit signature (O5)
    "backlog_ministry",  # signed requests waiting at the ministry (O5, R9)
    "backlog_appeals",  # appeals waiting at the prosecutor (O5, R11)
    "in_court",  # lawsuits under way (E3)
    "at_medical",  # before the medical commission (E11)
    "backlog_travel",  # travel permits waiting for the top reviewer (O8)
    "pending_age_sum",  # days since first request, summed over pending requests (O5)
    "threats",  # threats made today (O6)
    "families_pressured",  # relatives threatened today (O6)
    "persuasions",  # persuasion talks today (R12)
    "cases_opened",  # criminal cases opened today (O6)
    "cases_open",  # criminal cases open (O6)
    "requests_filed",  # resignation requests filed today (E1)
    "appeals_filed",  # appeals and lawsuits filed today (E3)
    "viral_posts",  # public posts that went viral today (E3)
    "legal_help_new",  # people taken on by lawyers and support groups today (O10: intake, not demand)
    "legal_help_active",  # serving people with a lawyer (O10)
    "extortions",  # payment demands by superiors today (R6)
    "held_past_contract",  # kept although their contract ended (R4)
    "recruited",  # new contracts today, into vacant positions (P1)
    "called_up",  # draftees called up today, each into the place of one released (P1)
    "commissioned",  # graduates posted today from an academy (P1)
    "released",  # draftees whose term ended today (P1: not resignation cases)
    "graduated",  # academy members who finished their term today and await a post (P1)
    "awaiting_posting",  # graduates waiting for a vacant post at the end of the day
    "fear_sum",
    "loyalty_sum",
    "desire_sum",
    "wait_sum",  # days from first request to release, over today's releases by request
    "wait_n",
    "served_travel",  # permits the top reviewer decided today (O8)
    "permits_granted",
    "moonlight_caught",  # moonlighters caught and disciplined today (E7: no criminal case)
    "rewards",  # rewards and promotions today (7.14: loyalty up, the wish to leave down)
    "coopted",  # people whose waiting request the commander bought off with a post or perk today (7.14)
    "sentences_suspended",  # convictions today whose sentence was suspended: the person serves on (R5)
    *(f"cases_{a}" for a in ARTICLES),  # cases opened today, by article (O6)
    *(f"convictions_{a}" for a in ARTICLES),  # convictions today, by article, suspended or not
    *(f"exits_{c}" for c in EXIT_CHANNELS),
    # the front (rules.front): all zero where no front is modelled
    "deployed",  # at the front and not absent: those the war's casualties fall on (P1)
    "on_leave",  # on leave from the front
    "in_hospital",  # wounded in hospital, who will return to service
    "hospitalized",  # wounded sent to hospital today, to return (the rest are exits_wounded)
    # the military-justice pipeline (rules.justice)
    "desertion_episodes",  # servicemen past the absence limit today: men who left their units, a ministry's count
    "absences_noticed",  # absentees their unit noticed today (returned without a case, or reported)
    "absences_reported",  # noticed absences the commander reported to the investigators today
    "backlog_investigators",  # reported absentees, still away, waiting for the investigators' queue
    "sent_to_front",  # returned without a case, or given a suspended sentence, and sent to the front today
    "absence_sentences_suspended",  # absence convictions today whose graded sentence was suspended
    # help (E4; rules.help for E8, E9): demand and intake apart
    "legal_help_requests",  # people who sought a lawyer or support group today (demand; legal_help_new is intake)
    "help_requests",  # people choosing absence or flight today who asked the helpers (demand)
    "help_intake",  # of them, those the helpers took on (intake, at most the helpers' capacity)
    "knows_help",  # serving people who know that help for leaving exists (the Bass diffusion's stock)
    # officials (issue 22, item 3): the central office that decides a senior resignation (A:19)
    "backlog_central",  # resignations waiting for the central office
    "central_decided",  # resignations the central office decided today
    "central_refused",  # of them, refused (A:19: governors tried and were prohibited)
)
N_TALLIES = len(TALLIES)
T = {name: i for i, name in enumerate(TALLIES)}
EXIT_COL0 = T["exits_approved"]
CASES_COL0 = T[f"cases_{ARTICLES[0]}"]
CONVICTIONS_COL0 = T[f"convictions_{ARTICLES[0]}"]
