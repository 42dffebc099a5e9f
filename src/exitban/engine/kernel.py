"""The daily step for every unit: one compiled loop, parallel over units.

A unit's members are processed in order by one thread, so the unit's commander
(signatures, pressure, prosecution) acts on them deterministically; units are
independent within a day because they read only yesterday's shares. Every draw is
``uniform(seed, day, person, stream)``, so results do not depend on the thread count.

Rules, by brief ID: R1 (ban_active), R2/R13 (cases), R3 (display threshold), R4
(contract end), R5 (health, corruption, offence exits), R6 (extortion, pay),
R8/R10 (unit signatures, lost requests), R9 (ministry queue entry), R12 (pressure
ladder), R14 (sabotage firing); the moves E1-E11 come from ``choose_move``.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

from exitban.engine import codes as c
from exitban.engine import params as p
from exitban.engine.columns import EXIT_COL0, T
from exitban.engine.rng import uniform

# tally columns as compile-time constants
HEADCOUNT, PRESENT, WANT_OUT, DISPLAYED, ACTED = (
    T[k] for k in ("headcount", "present", "want_out", "displayed", "acted")
)
WOULD_DEFEND, CAPACITY, SABOTAGING, MOONLIGHTING, ABSENT_N = (
    T[k] for k in ("would_defend", "capacity", "sabotaging", "moonlighting", "absent")
)
BACKLOG_UNIT, BACKLOG_MINISTRY, BACKLOG_APPEALS, IN_COURT, AT_MEDICAL, BACKLOG_TRAVEL = (
    T[k] for k in ("backlog_unit", "backlog_ministry", "backlog_appeals", "in_court", "at_medical", "backlog_travel")
)
PENDING_AGE, THREATS, FAMILIES, PERSUASIONS, CASES_OPENED, CASES_OPEN = (
    T[k] for k in ("pending_age_sum", "threats", "families_pressured", "persuasions", "cases_opened", "cases_open")
)
REQUESTS, APPEALS, VIRAL, LEGAL_NEW, LEGAL_ACTIVE, EXTORTIONS, HELD = (
    T[k]
    for k in (
        "requests_filed",
        "appeals_filed",
        "viral_posts",
        "legal_help_new",
        "legal_help_active",
        "extortions",
        "held_past_contract",
    )
)
FEAR_SUM, LOYALTY_SUM, DESIRE_SUM, WAIT_SUM, WAIT_N = (
    T[k] for k in ("fear_sum", "loyalty_sum", "desire_sum", "wait_sum", "wait_n")
)
ENTER_MINISTRY, ENTER_APPEALS, ENTER_TRAVEL = (T[k] for k in ("enter_ministry", "enter_appeals", "enter_travel"))
ROTATED = T["rotated"]

# random streams: one per decision, so adding a rule never shifts another rule's draws
S_RARE, S_DECIDE, S_CHOICE, S_SIGN, S_PRESSURE, S_WITHDRAW, S_CASE, S_EXTORT = range(8)
S_STAGE, S_LEGAL, S_VIRAL, S_VOICE, S_PAY, S_DEFECT, S_PROSECUTE, S_QUEUE = range(8, 16)

LADDER_TOP = 7  # persuasion, threat, parents, sibling, transfer, confinement, physical threat


@nb.njit(inline="always", cache=True)
def clamp01(x: float) -> float:
    return min(1.0, max(0.0, x))


@nb.njit(inline="always", cache=True)
def leave(i, channel, day, status, stage, exit_day, tally, u):
    status[i] = channel
    stage[i] = c.QUIET
    exit_day[i] = day
    tally[u, EXIT_COL0 + channel - 1] += 1.0


@nb.njit(cache=True)
def open_case(i, day, flags, case_day, tally, u):
    """A criminal case (R2, R13): counted once, resolved after case_days by ``resolve_case``."""
    if flags[i] & c.F_CASE:
        return
    flags[i] |= c.F_CASE
    case_day[i] = day
    tally[u, CASES_OPENED] += 1.0


@nb.njit(cache=True)
def choose_move(
    i,
    G,
    banned,
    deterrence,
    displayed,
    confined,
    passport_held,
    seniority,
    desire,
    loyalty,
    means,
    competence,
    health,
    seed,
    day,
):
    """The EVLN choice as a multinomial logit (Rusbult; RAND DRM; Epstein deterrence).

    Overt moves (request, loophole, voice) need the wish to be displayed (R3): a person
    who hides it picks among the covert ones. Returns a codes.MOVE_*.
    """
    d = desire[i]
    lo = loyalty[i]
    m = means[i]
    bd = G[p.G_B_DESIRE] * d
    bf = G[p.G_B_FEAR] * deterrence
    bl = G[p.G_B_LOYALTY] * lo
    u = np.empty(c.N_MOVES)
    u[:] = -np.inf
    # Rusbult's investment / the DRM's vesting pension: years served make staying worth more
    u[c.MOVE_STAY] = G[p.G_STAY_BIAS] + bl + bf + G[p.G_B_INVESTMENT] * seniority[i] / 20.0
    if displayed:
        u[c.MOVE_REQUEST] = bd + (1.0 - banned) * G[p.G_FREE_EXIT_BONUS]
        u[c.MOVE_VOICE] = G[p.G_VOICE_BIAS] + bd + 0.5 * bl
        if banned > 0.0:
            u[c.MOVE_LOOPHOLE] = G[p.G_LOOPHOLE_BIAS] + bd + G[p.G_B_MEANS] * competence[i]
    tolerance = G[p.G_SABOTAGE_TOLERANCE]
    u[c.MOVE_NEGLECT] = G[p.G_NEGLECT_BIAS] + bd - bl - bf * (1.0 - tolerance)
    if not confined:
        u[c.MOVE_MOONLIGHT] = G[p.G_MOONLIGHT_BIAS] + bd + G[p.G_B_MEANS] * competence[i] - bf
        u[c.MOVE_ABSENT] = G[p.G_ABSENCE_BIAS] + bd - 2.0 * bf
    if m >= G[p.G_BRIBE_PRICE]:
        u[c.MOVE_PAY] = G[p.G_PAY_BIAS] + bd + G[p.G_B_MEANS] * (m - G[p.G_BRIBE_PRICE])
    if not passport_held:
        u[c.MOVE_DEFECT] = G[p.G_DEFECT_BIAS] + bd + G[p.G_B_MEANS] * m - bf - bl
    u[c.MOVE_HEALTH] = G[p.G_HEALTH_BIAS] + bd + 4.0 * (1.0 - health[i])
    top = u.max()
    total = 0.0
    for k in range(c.N_MOVES):
        u[k] = math.exp(u[k] - top) if u[k] > -np.inf else 0.0
        total += u[k]
    r = uniform(seed, day, i, S_CHOICE) * total
    acc = 0.0
    for k in range(c.N_MOVES):
        acc += u[k]
        if r < acc and u[k] > 0.0:
            return k
    return c.MOVE_STAY


@nb.njit(cache=True)
def apply_pressure(i, G, day, seed, flags, fear, loyalty, desire, reach, family, pressure, tally, u):
    """Climb one rung of the pressure ladder (R12) and apply its effect. Returns the rung."""
    rung = min(LADDER_TOP, pressure[i] + 1)
    pressure[i] = rung
    tf = G[p.G_THREAT_FEAR]
    tl = G[p.G_THREAT_LOYALTY]
    if rung == 1:  # persuasion: loyal people are talked round more easily
        desire[i] = clamp01(desire[i] - G[p.G_PERSUASION] * (0.5 + loyalty[i]))
        tally[u, PERSUASIONS] += 1.0
        return rung
    tally[u, THREATS] += 1.0
    if rung == 2:  # threat to the person: "we will put you in jail"
        fear[i] = clamp01(fear[i] + tf)
    elif rung == 3 or rung == 4:  # parents, then a sibling's career
        fear[i] = clamp01(fear[i] + tf * family[i] * 2.0)
        tally[u, FAMILIES] += 1.0
    elif rung == 5:  # transfer to a remote post without internet: less reach
        reach[i] = reach[i] * 0.5
        fear[i] = clamp01(fear[i] + 0.5 * tf)
    elif rung == 6:  # confined to base, followed by military police
        flags[i] |= c.F_CONFINED
        fear[i] = clamp01(fear[i] + 0.5 * tf)
    else:  # physical threats
        fear[i] = clamp01(fear[i] + 2.0 * tf)
    loyalty[i] = clamp01(loyalty[i] - tl)
    return rung


@nb.njit(cache=True)
def resolve_case(i, G, day, seed, status, stage, flags, case_day, exit_day, fear, tally, u):
    """An open case ends after case_days: a conviction releases (B:9), an acquittal leaves fear."""
    if day - case_day[i] < G[p.G_CASE_DAYS]:
        return False
    flags[i] &= ~np.uint8(c.F_CASE)
    if uniform(seed, day, i, S_CASE) < G[p.G_CONVICTION]:
        leave(i, c.EXIT_CONVICTION, day, status, stage, exit_day, tally, u)
        return True
    fear[i] = clamp01(fear[i] + G[p.G_THREAT_FEAR])
    return False


@nb.njit(cache=True)
def frustrate(i, G, desire, loyalty):
    """A blocked exit (RAND DRM): the wish to leave grows and loyalty shrinks."""
    desire[i] = clamp01(desire[i] + G[p.G_FRUSTRATION])
    loyalty[i] = clamp01(loyalty[i] - G[p.G_FRUSTRATION])


@nb.njit(parallel=True, cache=True)
def step_units(
    day,
    seed,
    G,
    IP,
    ban_active,
    unit_share,
    inst_share,
    unit_case_share,
    unit_start,
    unit_inst,
    junior,
    seniority,
    contract_end,
    desire,
    loyalty,
    fear,
    risk_aversion,
    competence,
    health,
    family,
    means,
    reach,
    threshold,
    status,
    stage,
    flags,
    pressure,
    n_requests,
    stage_day,
    request_day,
    case_day,
    exit_day,
    tally,
):
    """Advance every unit by one day and write its tallies into ``tally[u, :]``."""
    n_units = unit_start.shape[0] - 1
    cutoff = G[p.G_WANT_CUTOFF]
    defend = G[p.G_DEFEND_CUTOFF]
    w_unit = G[p.G_PEER_UNIT]
    p_corr = G[p.G_CORRUPTION_DAILY]
    p_off = G[p.G_OFFENCE_DAILY]
    decay = 1.0 - G[p.G_FEAR_DECAY]
    for u in nb.prange(n_units):
        tally[u, :] = 0.0
        k = unit_inst[u]
        banned = float(ban_active[k]) * IP[k, p.I_COVERED]
        mobilized = G[p.G_MOBILIZATION] * IP[k, p.I_MOBILIZED] > 0.0
        travel_ctl = G[p.G_TRAVEL_CONTROL] * IP[k, p.I_TRAVEL_RESTRICTED] > 0.0
        resign_case = IP[k, p.I_RESIGNATION_CASE] > 0.0
        drift = IP[k, p.I_DRIFT_DAILY]
        peer = w_unit * unit_share[u] + (1.0 - w_unit) * inst_share[k]
        perceived = min(1.0, G[p.G_PROSECUTION] * (1.0 + G[p.G_CASE_DETERRENCE] * unit_case_share[u]))
        for i in range(unit_start[u], unit_start[u + 1]):
            if status[i] != c.SERVING:
                if flags[i] & c.F_DISPLAYED:
                    tally[u, ACTED] += 1.0
                continue
            # ---- background hazards (R5): one draw, disjoint intervals ----
            r0 = uniform(seed, day, i, S_RARE)
            if r0 < p_corr:
                leave(i, c.EXIT_CORRUPTION, day, status, stage, exit_day, tally, u)
                continue
            if r0 < p_corr + p_off:
                open_case(i, day, flags, case_day, tally, u)
            if flags[i] & c.F_CASE:
                if resolve_case(i, G, day, seed, status, stage, flags, case_day, exit_day, fear, tally, u):
                    continue
            # ---- contract end (R4): mobilization holds people past it ----
            if day >= contract_end[i]:
                if not resign_case:  # a draftee's term ends and a new draftee takes the place
                    contract_end[i] += np.int32(max(1.0, IP[k, p.I_CONTRACT_DAYS]))
                    tally[u, ROTATED] += 1.0
                elif mobilized:
                    flags[i] |= c.F_HELD_PAST_CONTRACT
                elif desire[i] >= cutoff:
                    leave(i, c.EXIT_CONTRACT_END, day, status, stage, exit_day, tally, u)
                    continue
                else:
                    contract_end[i] += np.int32(max(1.0, IP[k, p.I_CONTRACT_DAYS]))
                    flags[i] &= ~np.uint8(c.F_HELD_PAST_CONTRACT)
            # ---- private state drifts ----
            desire[i] = clamp01(desire[i] + drift * (1.0 - desire[i]))
            fear[i] = fear[i] * decay
            wants = resign_case and desire[i] >= cutoff
            # ---- display (R3, Kuran / Granovetter, Epstein deterrence) ----
            deterrence = banned * perceived * (risk_aversion[i] + fear[i])
            if wants:
                if not (flags[i] & c.F_DISPLAYED):
                    if peer >= threshold[i] + banned * G[p.G_UNITY] + deterrence:
                        flags[i] |= c.F_DISPLAYED
            elif flags[i] & c.F_DISPLAYED:
                flags[i] &= ~np.uint8(c.F_DISPLAYED)
            displayed = (flags[i] & c.F_DISPLAYED) != 0
            confined = (flags[i] & c.F_CONFINED) != 0
            st = stage[i]
            # ---- the move under way ----
            if st == c.QUIET:
                if wants and uniform(seed, day, i, S_DECIDE) < G[p.G_DECISION_RATE]:
                    mv = choose_move(
                        i, G, banned, deterrence, displayed, confined,
                        (flags[i] & c.F_PASSPORT_HELD) != 0, seniority, desire, loyalty, means, competence, health, seed, day,
                    )  # fmt: skip
                    if mv == c.MOVE_REQUEST or mv == c.MOVE_LOOPHOLE:
                        stage[i] = c.REQUESTED
                        stage_day[i] = day
                        if n_requests[i] < 255:
                            n_requests[i] += 1
                        if request_day[i] < 0:
                            request_day[i] = day
                        if mv == c.MOVE_LOOPHOLE:
                            flags[i] |= c.F_LOOPHOLE
                        tally[u, REQUESTS] += 1.0
                    elif mv == c.MOVE_VOICE:
                        tally[u, APPEALS] += 1.0
                        if not (flags[i] & c.F_LEGAL) and uniform(seed, day, i, S_LEGAL) < G[p.G_LEGAL_UPTAKE]:
                            flags[i] |= c.F_LEGAL
                            tally[u, LEGAL_NEW] += 1.0
                        if uniform(seed, day, i, S_VIRAL) < G[p.G_VIRAL] * reach[i] * 10.0:
                            flags[i] |= c.F_VIRAL
                            tally[u, VIRAL] += 1.0
                        stage_day[i] = day
                        if (flags[i] & c.F_LEGAL) and uniform(seed, day, i, S_VOICE) < 0.5:
                            stage[i] = c.COURT
                        else:
                            stage[i] = c.APPEAL
                            tally[u, ENTER_APPEALS] += 1.0
                    elif mv == c.MOVE_NEGLECT:
                        stage[i] = c.NEGLECT
                        stage_day[i] = day
                    elif mv == c.MOVE_MOONLIGHT:
                        stage[i] = c.MOONLIGHT
                        stage_day[i] = day
                    elif mv == c.MOVE_ABSENT:
                        stage[i] = c.ABSENT
                        stage_day[i] = day
                    elif mv == c.MOVE_HEALTH:
                        stage[i] = c.MEDICAL
                        stage_day[i] = day
                    elif mv == c.MOVE_PAY:
                        means[i] = clamp01(means[i] - G[p.G_BRIBE_PRICE])
                        if uniform(seed, day, i, S_PAY) < G[p.G_BRIBE_ACCEPT]:
                            leave(i, c.EXIT_PAYMENT, day, status, stage, exit_day, tally, u)
                            continue
                        if banned > 0.0 and uniform(seed, day, i, S_PROSECUTE) < G[p.G_PROSECUTION] * 0.1:
                            open_case(i, day, flags, case_day, tally, u)
                    elif mv == c.MOVE_DEFECT:
                        if travel_ctl:
                            stage[i] = c.TRAVEL
                            stage_day[i] = day
                            tally[u, ENTER_TRAVEL] += 1.0
                        elif uniform(seed, day, i, S_DEFECT) < G[p.G_DEFECT_SUCCESS]:
                            leave(i, c.EXIT_DEFECTION, day, status, stage, exit_day, tally, u)
                            continue
            elif st == c.REQUESTED:
                # the unit's commander (R8, R10): sign, lose, or sit on it
                sign = G[p.G_SIGN_BANNED] if banned > 0.0 else G[p.G_SIGN_FREE]
                if flags[i] & c.F_LOOPHOLE:
                    sign = sign * (1.0 + G[p.G_LOOPHOLE_BONUS])
                r = uniform(seed, day, i, S_SIGN)
                if r < sign:
                    flags[i] &= ~np.uint8(c.F_LOOPHOLE)
                    if G[p.G_CENTRALIZED] > 0.0 and junior[i] == 1:
                        stage[i] = c.MINISTRY
                        stage_day[i] = day
                        tally[u, ENTER_MINISTRY] += 1.0
                    else:
                        tally[u, WAIT_SUM] += day - request_day[i]
                        tally[u, WAIT_N] += 1.0
                        leave(i, c.EXIT_APPROVED, day, status, stage, exit_day, tally, u)
                        continue
                elif banned > 0.0 and r < sign + G[p.G_LOSS]:
                    stage[i] = c.QUIET  # "accidentally lost": file again
                    flags[i] &= ~np.uint8(c.F_LOOPHOLE)
                    frustrate(i, G, desire, loyalty)
                elif banned > 0.0:
                    if uniform(seed, day, i, S_PRESSURE) < G[p.G_PRESSURE_RATE]:
                        apply_pressure(i, G, day, seed, flags, fear, loyalty, desire, reach, family, pressure, tally, u)
                        if desire[i] < cutoff or uniform(seed, day, i, S_WITHDRAW) < 0.2 * fear[i]:
                            stage[i] = c.QUIET  # persuaded or scared into withdrawing (E10)
                            flags[i] &= ~np.uint8(c.F_LOOPHOLE)
                    if (
                        n_requests[i] >= 2
                        and uniform(seed, day, i, S_PROSECUTE) < G[p.G_CASE_RATE] * G[p.G_PROSECUTION]
                    ):
                        open_case(i, day, flags, case_day, tally, u)  # insisting is "earning a criminal case"
                    if uniform(seed, day, i, S_EXTORT) < G[p.G_EXTORTION]:
                        tally[u, EXTORTIONS] += 1.0  # R6: "payment for the inconvenience"
                        if means[i] >= G[p.G_BRIBE_PRICE]:
                            means[i] = clamp01(means[i] - G[p.G_BRIBE_PRICE])
                            if uniform(seed, day, i, S_PAY) < G[p.G_BRIBE_ACCEPT]:
                                leave(i, c.EXIT_PAYMENT, day, status, stage, exit_day, tally, u)
                                continue
            elif st == c.COURT:
                if day - stage_day[i] >= G[p.G_COURT_DAYS]:
                    win = G[p.G_COURT_WIN] * (1.0 + G[p.G_LEGAL_BONUS] * ((flags[i] & c.F_LEGAL) != 0))
                    if flags[i] & c.F_VIRAL:
                        win = win * 1.5
                    if uniform(seed, day, i, S_STAGE) < win:
                        leave(i, c.EXIT_COURT, day, status, stage, exit_day, tally, u)
                        continue
                    stage[i] = c.QUIET
                    frustrate(i, G, desire, loyalty)
            elif st == c.NEGLECT:
                if not wants:
                    stage[i] = c.QUIET
                elif uniform(seed, day, i, S_STAGE) < (1.0 - G[p.G_SABOTAGE_TOLERANCE]) * G[p.G_SABOTAGE_FIRE]:
                    if banned > 0.0 and uniform(seed, day, i, S_PROSECUTE) < G[p.G_PROSECUTION]:
                        open_case(i, day, flags, case_day, tally, u)  # punished, not released
                    else:
                        leave(i, c.EXIT_DISMISSED, day, status, stage, exit_day, tally, u)
                        continue
            elif st == c.MOONLIGHT:
                if not wants:
                    stage[i] = c.QUIET
                else:
                    if uniform(seed, day, i, S_STAGE) < G[p.G_MOONLIGHT_DETECT]:
                        open_case(i, day, flags, case_day, tally, u)
                        stage[i] = c.QUIET
            elif st == c.ABSENT:
                away = day - stage_day[i]
                if away > G[p.G_ABSENCE_LIMIT]:
                    open_case(i, day, flags, case_day, tally, u)  # R13: over the limit is an offence
                if away >= G[p.G_DESERT_DAYS]:
                    leave(i, c.EXIT_ABSENCE, day, status, stage, exit_day, tally, u)
                    continue
                if uniform(seed, day, i, S_STAGE) < G[p.G_ABSENCE_CATCH]:
                    stage[i] = c.QUIET  # brought back
                    flags[i] |= c.F_CONFINED
            elif st == c.MEDICAL:
                if day - stage_day[i] >= G[p.G_MEDICAL_DAYS]:
                    if uniform(seed, day, i, S_STAGE) < clamp01(G[p.G_HEALTH_RELEASE] * 2.0 * (1.0 - health[i])):
                        leave(i, c.EXIT_HEALTH, day, status, stage, exit_day, tally, u)
                        continue
                    stage[i] = c.QUIET
            # MINISTRY, APPEAL and TRAVEL wait for the central queues (engine.queues)
            # ---- tallies of the end-of-day state ----
            st = stage[i]
            tally[u, HEADCOUNT] += 1.0
            at_work = st != c.ABSENT and st != c.MOONLIGHT
            if at_work:
                tally[u, PRESENT] += 1.0
                if st == c.NEGLECT:
                    tally[u, CAPACITY] -= G[p.G_SABOTAGE_DAMAGE] * competence[i]
                    tally[u, SABOTAGING] += 1.0
                else:
                    tally[u, CAPACITY] += competence[i]
            elif st == c.ABSENT:
                tally[u, ABSENT_N] += 1.0
            else:
                tally[u, MOONLIGHTING] += 1.0
            if desire[i] >= cutoff and resign_case:
                tally[u, WANT_OUT] += 1.0
            if flags[i] & c.F_DISPLAYED:
                tally[u, DISPLAYED] += 1.0
                tally[u, ACTED] += 1.0
            if loyalty[i] >= defend:
                tally[u, WOULD_DEFEND] += 1.0
            if st == c.REQUESTED or st == c.MINISTRY:
                tally[u, PENDING_AGE] += day - request_day[i]
                if st == c.REQUESTED:
                    tally[u, BACKLOG_UNIT] += 1.0
                else:
                    tally[u, BACKLOG_MINISTRY] += 1.0
            elif st == c.APPEAL:
                tally[u, BACKLOG_APPEALS] += 1.0
            elif st == c.COURT:
                tally[u, IN_COURT] += 1.0
            elif st == c.MEDICAL:
                tally[u, AT_MEDICAL] += 1.0
            elif st == c.TRAVEL:
                tally[u, BACKLOG_TRAVEL] += 1.0
            if flags[i] & c.F_CASE:
                tally[u, CASES_OPEN] += 1.0
            if flags[i] & c.F_LEGAL:
                tally[u, LEGAL_ACTIVE] += 1.0
            if flags[i] & c.F_HELD_PAST_CONTRACT:
                tally[u, HELD] += 1.0
            tally[u, FEAR_SUM] += fear[i]
            tally[u, LOYALTY_SUM] += loyalty[i]
            tally[u, DESIRE_SUM] += desire[i]
