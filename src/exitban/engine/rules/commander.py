"""The unit's commander and a pending request (ODD 7.7; R8, R10, R12, R2, R6, R9)."""

from __future__ import annotations

import numba as nb

from exitban.engine import codes as c
from exitban.engine import streams as s
from exitban.engine.columns import T
from exitban.engine.rng import uniform
from exitban.engine.rules.actions import clamp01, clear_flag, frustrate, join_queue, leave, open_case
from exitban.engine.rules.events import reward
from exitban.engine.rules.pressure import climb_ladder, climb_official_ladder
from exitban.engine.signals import Q_MINISTRY

WAIT_SUM, WAIT_N, EXTORTIONS, COOPTED = T["wait_sum"], T["wait_n"], T["extortions"], T["coopted"]


@nb.njit(inline="always", cache=True)
def handle_request(i, day, seed, P, banned, decree, military, insist_article, people, tally, entered, u):
    """One day of a pending request: the commander signs it, loses it, or sits on it, co-opts and presses.

    Under centralized approvals a junior's request goes to the ministry instead (R9); one who
    insists may face a case under ``insist_article``. Under the decree no one may sign (R4).
    Returns True if the person left.
    """
    if P.centralized_approvals > 0.0 and people.junior[i] == 1 and not decree:
        # R9 (B:76): only the ministry may dismiss a lieutenant: the request goes to it, not to the commander
        clear_flag(people, i, c.F_LOOPHOLE)
        join_queue(i, c.MINISTRY, Q_MINISTRY, day, people, entered, u)
        return False
    sign = 0.0 if decree else (P.sign_prob_banned if banned > 0.0 else P.sign_prob_free)
    if people.flags[i] & c.F_LOOPHOLE:
        sign = sign * (1.0 + P.loophole_bonus)
    r = uniform(seed, day, i, s.SIGN)
    if r < sign:
        clear_flag(people, i, c.F_LOOPHOLE)
        tally[u, WAIT_SUM] += day - people.request_day[i]
        tally[u, WAIT_N] += 1.0
        leave(i, c.EXIT_APPROVED, day, people, tally, u)
        return True
    if banned <= 0.0:
        return False
    if r < sign + P.request_loss_prob:
        people.stage[i] = c.QUIET  # "accidentally lost": file again
        clear_flag(people, i, c.F_LOOPHOLE)
        frustrate(i, P, people)
        return False
    if uniform(seed, day, i, s.COOPT) < P.cooptation_rate:  # bought off with a post or a perk (7.14)
        reward(i, P, people, tally, u, COOPTED)
        if people.desire[i] < P.want_out_cutoff:
            people.stage[i] = c.QUIET  # no longer wants out: the request is withdrawn
            clear_flag(people, i, c.F_LOOPHOLE)
            return False
    # voice restrains the commander: one whose post went viral is pressed less (B:66-68)
    restraint = P.viral_pressure_factor if people.flags[i] & c.F_VIRAL else 1.0
    if uniform(seed, day, i, s.PRESSURE) < P.pressure_rate * restraint:
        if military:
            climb_ladder(i, P, people, tally, u)
        else:
            climb_official_ladder(i, day, seed, P, people, tally, u)
        if people.desire[i] < P.want_out_cutoff or uniform(seed, day, i, s.WITHDRAW) < (
            P.withdraw_fear_weight * people.fear[i]
        ):
            people.stage[i] = c.QUIET  # persuaded or scared into withdrawing (E10)
            clear_flag(people, i, c.F_LOOPHOLE)
    if (
        people.n_requests[i] >= P.requests_before_case
        and uniform(seed, day, i, s.PROSECUTE) < P.case_rate * P.prosecution_threat
    ):
        open_case(i, insist_article, day, people, tally, u)  # insisting is "earning a criminal case"
    if uniform(seed, day, i, s.EXTORT) < P.extortion_rate:
        tally[u, EXTORTIONS] += 1.0  # R6: "payment for the inconvenience"
        if people.means[i] >= P.bribe_price:
            people.means[i] = clamp01(people.means[i] - P.bribe_price)
            if uniform(seed, day, i, s.PAY) < P.bribe_acceptance:
                leave(i, c.EXIT_PAYMENT, day, people, tally, u)
                return True
    return False
