"""The unit's commander and a pending request (ODD 7.7; R8, R10, R12, R2, R6, R9)."""

from __future__ import annotations

import numba as nb

from exitban.engine import codes as c
from exitban.engine import streams as s
from exitban.engine.columns import T
from exitban.engine.rng import uniform
from exitban.engine.rules.actions import clamp01, clear_flag, frustrate, join_queue, leave
from exitban.engine.rules.decree import odds
from exitban.engine.rules.events import reward
from exitban.engine.rules.pressure import climb_ladder, climb_official_ladder
from exitban.engine.state import Q_MINISTRY

WAIT_SUM, WAIT_N, EXTORTIONS, COOPTED = T["wait_sum"], T["wait_n"], T["extortions"], T["coopted"]


@nb.njit(inline="always", cache=True)
def withdraw_request(i, people):
    """The request is off the commander's desk: back to quiet, the loophole no longer cited.

    writes: people.stage, people.flags
    """
    people.stage[i] = c.QUIET
    clear_flag(people, i, c.F_LOOPHOLE)


@nb.njit(inline="always", cache=True)
def has_grounds(i, seed, P, people):
    """Where leaving is legal, a request is granted only on grounds (``grant_share_free`` of those who ask:
    169 of 353 pre-war alternative-service applications). The draw is keyed on the contract's end day, so
    every request of one contract gets the same answer; a new contract draws anew.

    writes: nothing
    """
    return uniform(seed, max(0, people.contract_end[i]), i, s.GROUNDS) < P.grant_share_free


@nb.njit(inline="always", cache=True)
def handle_request(i, day, seed, P, today, people, tally, entered, u):
    """One day of a pending request: the commander signs it, loses it, or sits on it, co-opts and presses.

    Under centralized approvals a junior's signed request goes on to the ministry, whose order releases him
    (R9: one more wall after the signature). One who insists faces a case when he files again
    (``choice.start_move``), not while a request waits. Under the decree no one may sign (R4).
    Where leaving is legal the commander decides at ``sign_prob_free`` a day and signs only a request with
    grounds (``has_grounds``); one without is refused: withdrawn, and the refusal frustrates.
    Returns True if the person left.

    writes: people.stage, people.stage_day, people.flags, people.status, people.exit_day, people.desire,
    people.loyalty, people.fear, people.means, people.reach, people.pressure, people.case_day,
    people.case_article, people.confined_day; entered; tally
    """
    decree, banned = today.decree, today.banned
    sign = odds(decree, banned, P.sign_prob_banned, P.sign_prob_free)
    if people.flags[i] & c.F_LOOPHOLE:
        sign = sign * (1.0 + P.loophole_bonus)
    r = uniform(seed, day, i, s.SIGN)
    if r < sign and not banned and not has_grounds(i, seed, P, people):
        withdraw_request(i, people)  # refused: one serves on and may ask again, to the same answer
        frustrate(i, P, people)
        return False
    if r < sign:
        clear_flag(people, i, c.F_LOOPHOLE)
        if P.centralized_approvals > 0.0 and people.junior[i] == 1:
            # R9 (B:52,76): a lieutenant is dismissed only by the ministry's order: the signed request goes on to it
            join_queue(i, c.MINISTRY, Q_MINISTRY, day, people, entered, u)
            return False
        tally[u, WAIT_SUM] += day - people.request_day[i]
        tally[u, WAIT_N] += 1.0
        leave(i, c.EXIT_APPROVED, day, people, tally, u)
        return True
    if not banned:
        return False
    if r < sign + P.request_loss_prob:
        withdraw_request(i, people)  # "accidentally lost": file again
        frustrate(i, P, people)
        return False
    if uniform(seed, day, i, s.COOPT) < P.cooptation_rate:  # bought off with a post or a perk (7.14)
        reward(i, P, people, tally, u, COOPTED)
        if people.desire[i] < P.want_out_cutoff:
            withdraw_request(i, people)  # no longer wants out
            return False
    # voice restrains the commander: one whose post went viral is pressed less (B:66-68)
    restraint = P.viral_pressure_factor if people.flags[i] & c.F_VIRAL else 1.0
    if uniform(seed, day, i, s.PRESSURE) < P.pressure_rate * restraint:
        if today.military:
            climb_ladder(i, day, P, people, tally, u)
        else:
            climb_official_ladder(i, day, seed, P, people, tally, u)
        if people.desire[i] < P.want_out_cutoff or uniform(seed, day, i, s.WITHDRAW) < (
            P.withdraw_fear_weight * people.fear[i]
        ):
            withdraw_request(i, people)  # persuaded or scared into withdrawing (E10)
    if uniform(seed, day, i, s.EXTORT) < P.extortion_rate:
        tally[u, EXTORTIONS] += 1.0  # R6: "payment for the inconvenience"
        if people.means[i] >= P.bribe_price:
            people.means[i] = clamp01(people.means[i] - P.bribe_price)
            if uniform(seed, day, i, s.PAY) < P.bribe_acceptance:
                leave(i, c.EXIT_PAYMENT, day, people, tally, u)
                return True
    return False
