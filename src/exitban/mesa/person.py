"""A person in an institution that bans exit: the Mesa agent whose ``step`` is one day of their life.

Each day a serving person (brief IDs in brackets) may be dismissed for corruption or
commit an offence (R5), reaches the end of a contract (R4), feels the wish to leave
grow, decides whether to show it (R3: Kuran, Granovetter, Epstein), and then either
chooses a move (the EVLN logit, E1-E11) or carries on with the move under way: a
request the commander sits on (R8, R10, R12), a lawsuit, sabotage, moonlighting,
absence (R13) or a medical commission. Moves that go to a central office (ministry,
prosecutor, top reviewer of travel) wait in its queue (``offices.CentralQueue``).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import mesa

from exitban.mesa.kinds import Exit, Move, Stage, Station, clamp01, odds
from exitban.mesa.rules import DAYS_PER_YEAR
from exitban.mesa.traits import Traits

if TYPE_CHECKING:
    from exitban.mesa.model import ExitBanModel
    from exitban.mesa.offices import Unit


class Person(mesa.Agent):
    """One member of an institution, with the private state of brief item P3."""

    model: ExitBanModel

    def __init__(self, model: ExitBanModel, unit: Unit, traits: Traits) -> None:
        super().__init__(model)
        self.unit = unit
        self.institution = unit.institution
        unit.members += 1
        self.take_traits(traits)
        self.fear = 0.0
        self.exit: Exit | None = None  # None while serving
        self.case_article = "other"  # of the open case (R13), read only while case_open
        self._grounds_for: int | None = None  # the contract end for which ``_grounds`` was drawn (E1)
        self._grounds = False
        self.awaiting_post = False  # a graduate waiting for a post (P1)
        self.clear_moves()
        if model.day < 0 and self.institution.rules.front:
            self.draw_station()

    # ---- the day ------------------------------------------------------------------------
    def step(self) -> None:
        """One day of this person's life, in the order the module docstring gives."""
        if self.exit is not None or self.awaiting_post:
            return
        rules = self.model.rules
        inst = self.institution
        draw = self.random.random
        day = self.model.day
        # background hazards (R5, P1): corruption dismissal, an offence or a wartime casualty (only at the
        # front where one is modelled), exclusive
        casualty_daily = inst.rules.casualty_daily if self.exposed() else 0.0
        x = draw()
        if x < self.model.corruption_daily:
            if not inst.decree:  # under the decree corruption is a case, not a release
                self.leave(Exit.CORRUPTION)
                return
            self.open_case("corruption")
        elif x < self.model.corruption_daily + self.model.offence_daily:
            self.open_case("other")
        elif x < self.model.corruption_daily + self.model.offence_daily + casualty_daily:
            if self.fall((x - self.model.corruption_daily - self.model.offence_daily) / casualty_daily):
                return
        elif x < self.model.corruption_daily + self.model.offence_daily + casualty_daily + self.model.reward_daily:
            self.reward("rewards")
        if self.case_open and self.case_ends():
            return
        if inst.rules.front or inst.rules.wounded_return_share > 0:
            self.change_station()
        if self.age + day / DAYS_PER_YEAR >= inst.rules.age_limit:  # the age limit of service (P1)
            self.leave(Exit.AGE_LIMIT)
            return
        if (inst.rules.reservist or day >= self.contract_end) and self.contract_runs_out():
            return
        # yesterday's losses in the unit are mourned (7.14); the private wish to leave drifts up, the more so
        # under the decree; fear fades
        self.mourn(self.unit.casualty_share)
        drift = inst.rules.drift_daily + (rules.mobilization_drift_per_year / DAYS_PER_YEAR if inst.decree else 0.0)
        if inst.rules.front and self.exposed():  # the combat drift
            drift += inst.rules.front_drift_per_year / DAYS_PER_YEAR
        self.desire = clamp01(self.desire + drift * (1.0 - self.desire))
        self.fear *= 1.0 - rules.fear_decay
        wants = inst.rules.resignation_case and self.desire >= rules.want_out_cutoff
        # Epstein: the criminal law deters with or without a ban (E8)
        deterrence = self.unit.perceived_risk * (self.risk_aversion + self.fear)
        self.decide_display(wants, deterrence)
        if self.confined and day - self.confined_day >= rules.confinement_days:  # A4: confinement ends
            self.confined = False
        self.learn_of_help()
        stage = self.stage
        # A:37-39: where the permit lists are reviewed at the top, one waiting for a permit can still act
        waiting_permit = stage is Stage.TRAVEL and rules.permit_list_review_days > 0
        # A:23,25: one whose resignation waits for the central office can still go another way; the office then
        # drops his entry (CentralOffice.serve)
        waiting_central = stage is Stage.CENTRAL and rules.central_waiting_acts > 0
        if stage is Stage.QUIET or waiting_permit or waiting_central:
            if wants and draw() < rules.decision_rate:
                self.act(self.choose_move(deterrence))
            elif stage is Stage.QUIET and inst.rules.travel_controlled and draw() < inst.rules.trip_daily:
                self.begin(Stage.TRAVEL)
                self.model.top_reviewer.join(self)
        elif stage is Stage.REQUESTED:
            self.unit.handle_request(self)
        elif stage is Stage.COURT:
            self.await_court()
        elif stage is Stage.SABOTAGE:
            self.keep_sabotaging(wants)
        elif stage is Stage.MOONLIGHT:
            self.keep_moonlighting(wants)
        elif stage is Stage.ABSENT:
            self.stay_away()
        elif stage is Stage.REPORTED:
            self.wait_reported()
        elif stage is Stage.MEDICAL:
            self.await_medical()
        # MINISTRY, APPEAL and TRAVEL: waiting in a central queue (REPORTED waits too, away)

    def contract_runs_out(self) -> bool:
        """R4: the contract's end day has come, or a reservist's day under the decree. True if the person left."""
        inst = self.institution.rules
        if inst.reservist:  # no contract: held while the decree lasts, then released in turn
            if self.institution.decree:
                self.held_past_contract = True
                return False
            start = self.institution.demob_start
            if start >= 0 and self.model.day >= start + self.contract_end:
                self.leave(Exit.DEMOBILIZED)
                return True
            return False
        if not inst.resignation_case:  # released; a new draftee is called up into his place (P1)
            self.institution.count("released")
            self.renew(self.model.newcomer(self.institution))
            self.institution.count("called_up")
        elif self.institution.spec.graduates_to:  # B:26-28: he finishes and waits to be posted
            self.graduate()
            return True
        elif self.institution.decree:  # the decree holds them: the contract runs on
            self.held_past_contract = True
        elif not self.signs_again():
            self.leave(Exit.CONTRACT_END)
            return True
        else:
            self.contract_end += inst.contract_days
            self.held_past_contract = False
        return False

    # ---- the value of staying (RAND's Dynamic Retention Model) ------------------------------
    def stay_value(self) -> float:
        """What leaving would cost: the post's pay premium and the service pension not yet vested,
        discounted by the years still to serve (nothing once it has vested)."""
        r = self.model.rules
        inst = self.institution.rules
        years_left = inst.pension_years - (self.seniority + self.model.day / DAYS_PER_YEAR)
        pension = r.pension_value * r.pension_discount**years_left if years_left > 0 else 0.0
        return inst.pay_premium + r.pay_rise + pension  # a pay rise from a phase's date (7.14)

    def retention_gain(self) -> float:
        """The value of staying over the outside job (worth more to the competent)."""
        return self.stay_value() - self.model.rules.outside_weight * self.competence

    def signs_again(self) -> bool:
        """At contract end: sign again or leave, by a logit of the two values (the DRM's term-end choice)."""
        r = self.model.rules
        stay = r.renewal_bias + r.stay_bias + r.beta_loyalty * self.loyalty + r.beta_retention * self.retention_gain()
        go = r.beta_desire * self.desire
        return self.random.random() >= 1.0 / (1.0 + math.exp(stay - go))

    def decide_display(self, wants: bool, deterrence: float) -> None:
        """R3, in every regime, chosen again every day (Kuran): one who wants out shows the wish while the share
        of the peers who want out and have shown it (with what viral posts and a public event add) reaches
        one's threshold plus the cost of showing: the unity the regime demands, and under the ban also the risk
        of prosecution (Epstein) and what one stands to lose, a cost that shrinks as more peers show it; and,
        where the wish is treated as betrayal (A:17), the betrayal cost, whole however many show it."""
        if not wants:
            self.displayed = False
            return
        r = self.model.rules
        cost = r.unity_pressure
        if self.institution.banned:
            cost += deterrence + r.display_stake_weight * self.stay_value()
        peer = self.unit.peer_share
        self.displayed = peer >= self.threshold + cost * max(0.0, 1 - peer) + r.betrayal_cost

    def choose_move(self, deterrence: float) -> Move:
        """The EVLN choice as a multinomial logit; overt moves need a displayed wish (R3)."""
        r = self.model.rules
        banned = self.institution.banned
        d = r.beta_desire * self.desire
        f = r.beta_fear * deterrence
        lo = r.beta_loyalty * self.loyalty
        # the DRM: staying is weighed against the outside job
        utility = {Move.STAY: r.stay_bias + lo + f + r.beta_retention * self.retention_gain()}
        # A:19: where the central office decides one asks it in private, without showing the wish; one whose
        # request is before it already does not file another while he waits
        if (self.displayed or self.institution.rules.central_resignation) and self.stage is not Stage.CENTRAL:
            # where leaving is legal, one who asked without grounds knows the answer and does not ask again (E1)
            if banned or self.request_day < 0 or self.has_grounds():
                utility[Move.REQUEST] = d + (1.0 - banned) * r.free_exit_bonus
        if self.displayed:
            if banned:  # voice is a fight to be let go: where leaving is legal one asks instead
                utility[Move.VOICE] = r.voice_bias + d + r.voice_loyalty_weight * lo
                utility[Move.LOOPHOLE] = r.loophole_bias + d + r.beta_means * self.competence
        at_front = self.station is Station.FRONT  # no second job there; absence rarer, sabotage riskier
        catch = self.institution.rules.front_sabotage_catch if at_front else 1.0
        utility[Move.SABOTAGE] = r.neglect_bias + d - lo - f * (1.0 - r.sabotage_tolerance) * catch
        if not self.confined:
            if not at_front:
                utility[Move.MOONLIGHT] = r.moonlight_bias + d + r.beta_means * self.competence - f
            if self.institution.rules.military_law:  # absence is a serviceman's offence only
                utility[Move.ABSENT] = r.absence_bias + d - r.absence_fear_weight * f
                if at_front:
                    utility[Move.ABSENT] += self.institution.rules.front_absence_bias
        if self.means >= r.bribe_price:
            utility[Move.PAY] = r.pay_bias + d + r.beta_means * (self.means - r.bribe_price)
        if not (self.passport_held or self.institution.rules.passports_surrendered):
            utility[Move.DEFECT] = r.defect_bias + d + r.beta_means * self.means - f - lo
        utility[Move.HEALTH] = r.health_bias + d + r.ill_health_weight * (1.0 - self.health)
        utility[Move.TRANSFER] = r.transfer_bias + d + lo  # a post elsewhere: the loyal are moved
        for move in self.institution.rules.closed_moves:  # ways out that do not exist here
            utility.pop(Move(move), None)
        utility = {move: v for move, v in utility.items() if v > -math.inf}  # a factor of 0 closes absence
        top = max(utility.values())
        weights = [math.exp(v - top) for v in utility.values()]
        return self.random.choices(list(utility), weights=weights)[0]

    def act(self, move: Move) -> None:
        """Start the chosen move."""
        r = self.model.rules
        inst = self.institution
        day = self.model.day
        draw = self.random.random
        if move is Move.STAY:
            return
        if move is Move.REQUEST or move is Move.LOOPHOLE:  # E1, E2
            self.begin(Stage.REQUESTED)
            self.n_requests += 1
            if self.request_day < 0:
                self.request_day = day
            self.loophole = move is Move.LOOPHOLE
            inst.count("requests_filed")
            # insisting is "earning a criminal case", weighed once a repeated filing under the ban: disobedience
            # for a serviceman, no article named for an official
            if (
                inst.banned
                and self.n_requests >= r.requests_before_case
                and draw() < r.case_rate * r.prosecution_threat
            ):
                self.open_case("disobedience" if inst.rules.military_law else "other")
            if inst.rules.central_resignation and not inst.decree:  # A:19: the central office decides
                self.loophole = False
                self.begin(Stage.CENTRAL)
                self.model.central_office.join(self)
        elif move is Move.VOICE:  # E3, E4
            inst.count("appeals_filed")
            if not self.legal_help:  # E4: seek a lawyer; taken on while they have room
                x = draw()
                if x < r.legal_help_uptake:
                    self.model.legal_sought += 1
                    inst.count("legal_help_requests")  # demand; legal_help_new is the intake
                    if x < r.legal_help_uptake * self.model.legal_odds:
                        self.legal_help = True
                        inst.count("legal_help_new")
            if draw() < r.viral_prob * self.reach * r.viral_reach_scale:
                self.viral = True
                self.confined = False  # B:66-68: after the post he was no longer held
                inst.count("viral_posts")  # the one count: the public stock and the help network read it (7.5, 7.16)
            if self.legal_help and draw() < r.court_share:
                self.begin(Stage.COURT)
            else:
                self.begin(Stage.APPEAL)
                self.model.prosecutor.join(self)
        elif move is Move.SABOTAGE:
            self.begin(Stage.SABOTAGE)
        elif move is Move.MOONLIGHT:
            self.begin(Stage.MOONLIGHT)
        elif move is Move.ABSENT:
            self.begin(Stage.ABSENT)
            self.ask_for_help()
        elif move is Move.HEALTH:
            self.begin(Stage.MEDICAL)
        elif move is Move.PAY:  # E6
            self.means = clamp01(self.means - r.bribe_price)
            if draw() < r.bribe_acceptance:
                self.leave(Exit.PAYMENT)
            elif inst.banned and draw() < r.prosecution_threat * r.bribe_case_factor:
                self.open_case("corruption")
        elif move is Move.TRANSFER:  # E1: granted or refused at once; the decree allows none
            grant = odds(inst.decree, inst.banned, r.transfer_grant_banned, r.transfer_grant_free)
            if draw() < grant:
                self.leave(Exit.TRANSFERRED)
            else:
                self.frustrate()
        elif move is Move.DEFECT:  # E9: under travel control a permit comes first (R7)
            self.ask_for_help()
            if inst.rules.travel_controlled:
                self.helped = False  # help does not replace the permit
                self.begin(Stage.TRAVEL)
                self.model.top_reviewer.join(self)
            elif draw() < 1.0 - self.caught_chance(1.0 - r.defect_success_prob):
                self.leave(Exit.DEFECTION)
            else:
                self.helped = False  # stopped: the help was for this attempt

    # ---- help for illegal exits (7.16) ----------------------------------------------------
    def learn_of_help(self) -> None:
        """Bass: a serviceman who does not know of help hears of it today by publicity, from his unit's peers
        who know (yesterday's share), or from yesterday's viral posts (counted at full size)."""
        if self.knows_help or not self.institution.rules.military_law:
            return
        r = self.model.rules
        hazard = (
            r.help_publicity_per_day
            + r.help_imitation_per_day * self.unit.help_share
            + r.help_viral_per_post * self.model.viral_yesterday
        )
        if hazard > 0.0 and self.random.random() < hazard:
            self.knows_help = True

    def ask_for_help(self) -> None:
        """One who has chosen absence or flight and knows of help asks for it; the helpers take him on with
        today's odds (their capacity over yesterday's requests)."""
        if not self.knows_help or self.helped:
            return
        if self.random.random() >= self.model.rules.help_request_share:
            return
        self.model.help_sought += 1
        self.institution.count("help_requests")
        if self.random.random() < self.model.help_odds:
            self.helped = True
            self.institution.count("help_intake")

    def caught_chance(self, chance: float) -> float:
        """The one place help changes the odds: a helped absentee's catch, or a helped flight's stop, times
        ``help_catch_factor`` (as the engine's ``rules.help.caught_chance``)."""
        return chance * self.model.rules.help_catch_factor if self.helped else chance

    # ---- moves under way ----------------------------------------------------------------
    def await_court(self) -> None:
        r = self.model.rules
        if self.model.day - self.stage_day < r.court_days:
            return
        inst = self.institution
        court = r.central_appeal_win_banned if inst.rules.central_resignation and inst.banned else r.court_win_prob
        win = 0.0 if inst.decree else court * (1.0 + r.legal_help_bonus * self.legal_help)
        if self.viral:
            win *= r.viral_court_factor
        if self.random.random() < win:
            self.leave(Exit.COURT)
        else:
            self.stage = Stage.QUIET
            self.frustrate()

    def keep_sabotaging(self, wants: bool) -> None:
        """E5 / R14: sabotage until fired, or until prosecuted instead where the ban holds; a spell also ends
        of itself (A3: the saboteur tires), and one is quiet again, to choose again."""
        r = self.model.rules
        if not wants:
            self.stage = Stage.QUIET
            return
        caught = (1.0 - r.sabotage_tolerance) * r.sabotage_fire_rate
        if self.station is Station.FRONT:  # under fire an ignored order is seen at once
            caught = min(1.0, caught * self.institution.rules.front_sabotage_catch)
        if self.random.random() < caught:
            if self.institution.banned and self.random.random() < r.prosecution_threat:
                self.open_case("disobedience" if self.institution.rules.military_law else "negligence")
            elif self.institution.decree:  # no dismissal under the decree: disciplined, stays
                self.stage = Stage.QUIET
                self.frustrate()
                return
            else:
                self.leave(Exit.DISMISSED)
                return
        if self.random.random() < 1.0 / r.sabotage_spell_days:
            self.stage = Stage.QUIET

    def keep_moonlighting(self, wants: bool) -> None:
        """E7: a catch is disciplinary, not criminal: back to work, afraid. A3: a second job also ends of itself."""
        if not wants:
            self.stage = Stage.QUIET
            return
        r = self.model.rules
        if self.random.random() < r.moonlight_detect_prob:
            self.stage = Stage.QUIET
            self.fear = clamp01(self.fear + r.threat_fear)
            self.institution.count("moonlight_caught")
        elif self.random.random() < 1.0 / r.moonlight_spell_days:  # A3: the second job ends of itself
            self.stage = Stage.QUIET

    def notice_prob(self) -> float:
        """The daily chance that this absentee's unit notices him (``engine.rules.justice.notice_prob``): lower for
        one the helpers took on (``caught_chance``)."""
        return self.caught_chance(self.model.rules.absence_catch_prob)

    def stay_away(self) -> None:
        """E8 / R13 (``engine.rules.justice.absent``): past the limit a desertion episode; ``desert_days`` away
        unnoticed, gone; noticed, returned without a case (to the front where there is one) or reported."""
        r = self.model.rules
        away = self.model.day - self.stage_day
        limit = r.wartime_absence_days if r.wartime_law else r.absence_limit_days
        if away == limit + 1:
            self.institution.count("desertion_episodes")
        if away >= r.desert_days:
            self.leave(Exit.ABSENCE)
        elif self.random.random() < self.notice_prob():
            self.institution.count("absences_noticed")
            self.helped = False  # noticed: the help was for getting away unseen
            if away > limit and self.random.random() >= r.return_without_case_share:
                self.days_away = away
                self.begin(Stage.REPORTED)
                self.model.investigators.join(self)
                self.institution.count("absences_reported")
            else:
                self.stage = Stage.QUIET  # brought back by his unit, no case
                self.confine()
                self.send_to_front()

    def send_to_front(self) -> None:
        """Back from an absence or with a suspended sentence: to the front where one is modelled."""
        if self.institution.rules.front:
            self.move_to(Station.FRONT)
            self.institution.count("sent_to_front")

    def wait_reported(self) -> None:
        """Reported and still away: gone after ``desert_days`` in all, wanted for desertion."""
        r = self.model.rules
        if self.days_away + self.model.day - self.stage_day >= r.desert_days:
            self.case_open = False
            self.open_case("desertion")
            self.leave(Exit.ABSENCE)

    def brought_in(self) -> None:
        """The investigators reach him: brought in, confined, an absence case graded by his days away."""
        self.days_away += self.model.day - self.stage_day
        self.stage = Stage.QUIET
        self.confine()
        self.open_case("absence")

    def absence_suspended(self) -> bool:
        """Art. 337's grades: the sentence is the grade's floor plus ``penalty_scale`` of its range times an even
        draw; suspended when no longer than ``suspension_max_years``."""
        r = self.model.rules
        if self.days_away <= r.absence_mid_days:
            lo, hi = 0.0, r.absence_term_short_years
        elif self.days_away <= r.absence_long_days:
            lo, hi = 0.0, r.absence_term_mid_years
        else:
            lo, hi = r.absence_term_long_min_years, r.absence_term_long_years
        return lo + r.penalty_scale * (hi - lo) * self.random.random() <= r.suspension_max_years

    def await_medical(self) -> None:
        r = self.model.rules
        if self.model.day - self.stage_day < r.medical_days:
            return
        if self.random.random() < clamp01(r.health_release_prob * r.ill_health_release_weight * (1.0 - self.health)):
            self.leave(Exit.HEALTH)
        else:
            self.stage = Stage.QUIET

    # ---- joining and moving on (P1) -------------------------------------------------------
    def take_traits(self, traits: Traits) -> None:
        """Each trait as the attribute of its name (``Traits`` lists them)."""
        for name, value in zip(Traits._fields, traits, strict=True):
            setattr(self, name, value)

    def renew(self, traits: Traits) -> None:
        """A newcomer takes this person's place (a draftee for one released): new traits, nothing under way."""
        self.take_traits(traits)
        self.fear = 0.0
        self.clear_moves()

    def clear_moves(self) -> None:
        """Nothing under way: no move, request, case, pressure or flag (a newcomer's start, or a new post's)."""
        self.stage = Stage.QUIET
        self.stage_day = self.request_day = self.case_day = self.exit_day = -1
        self.n_requests = 0
        self.pressure = 0  # highest rung of the pressure ladder reached (R12)
        self.displayed = False  # shows the wish to leave (R3)
        self.case_open = False  # a criminal case is open (R2, R13)
        self.legal_help = False  # has a lawyer or support group (E4)
        self.viral = False  # a public post went viral (E3)
        self.confined = False  # confined to base (R12), since confined_day (A4)
        self.confined_day = -1
        self.days_away = 0  # days away of the last absence episode (engine.rules.justice)
        self.loophole = False  # the pending request cites a loophole (E2)
        self.held_past_contract = False  # kept past the contract's end (R4)
        self.station = Station.REAR  # a newcomer starts in the rear (engine.rules.front)
        self.station_day = self.model.day
        self.knows_help = False  # knows that help for leaving exists (7.16)
        self.helped = False  # taken on by the helpers for the attempt under way

    def graduate(self) -> None:
        """The academy's term ends: off its roll, waiting for a post."""
        self.awaiting_post = True
        self.stage = Stage.QUIET
        self.exit_day = self.model.day
        self.unit.members -= 1
        self.unit.awaiting += 1
        if self.displayed:
            self.unit.acted_gone += 1  # he acted and has left the academy
        self.institution.count("graduated")
        self.model.graduates.append(self)

    def post_to(self, unit: Unit) -> None:
        """Start service as a junior officer in ``unit``, the same person with a new contract."""
        self.unit.awaiting -= 1
        self.unit = unit
        self.institution = unit.institution
        unit.members += 1
        day = self.model.day
        self.awaiting_post = False
        self.junior = True
        self.seniority = -day / DAYS_PER_YEAR
        self.contract_end = day + self.institution.rules.contract_days
        self.clear_moves()

    def fall(self, x: float) -> bool:
        """A wartime casualty (P1): ``x`` in [0, 1) picks killed, missing or wounded; of the wounded (``x``
        rescaled) the ``wounded_return_share`` go to hospital, the rest are discharged. True if service ended."""
        r = self.model.rules
        self.unit.casualties += 1
        lost = r.killed_share + r.missing_share
        back = self.institution.rules.wounded_return_share
        if x >= lost and back > 0 and x - lost < back * (1.0 - lost):
            self.move_to(Station.HOSPITAL)
            self.institution.count("hospitalized")
            return False
        self.leave(Exit.KILLED if x < r.killed_share else Exit.MISSING if x < lost else Exit.WOUNDED)
        return True

    # ---- the front (engine.rules.front) -----------------------------------------------------
    def draw_station(self) -> None:
        """Day 0 in a front institution: on a tour with chance ``front_share``, the rotation's steady state."""
        front = self.random.random() < self.institution.rules.front_share
        self.station, self.station_day = (Station.FRONT if front else Station.REAR), 0

    def exposed(self) -> bool:
        """Faces the war today: everyone where no front is modelled, else one at the front and not absent."""
        if not self.institution.rules.front:
            return True
        return self.station is Station.FRONT and not self.away()

    def away(self) -> bool:
        """Absent, or absent and reported (``engine.rules.front.away``)."""
        return self.stage is Stage.ABSENT or self.stage is Stage.REPORTED

    def move_to(self, station: Station) -> None:
        self.station = station
        self.station_day = self.model.day

    def change_station(self) -> None:
        """A day of the rotation: a tour ends or a leave begins at the front (one draw), a rear spell ends (a
        draw); a leave or a hospital stay ends after its days. Sent to the front, a moonlighter's second job ends. An absent
        man's station waits for him."""
        if self.away():
            return
        inst = self.institution.rules
        held = self.model.day - self.station_day
        if self.station is Station.FRONT:
            x = self.random.random()
            if x < inst.rotate_daily:
                self.move_to(Station.REAR)
            elif x < inst.rotate_daily + inst.leave_daily:
                self.move_to(Station.LEAVE)
            return
        if self.station is Station.HOSPITAL:
            if held >= inst.hospital_days:
                self.move_to(Station.REAR)
            return
        if self.station is Station.REAR and (not inst.front or self.random.random() >= inst.deploy_daily):
            return
        if self.station is Station.LEAVE and held < inst.leave_days:
            return
        if inst.front:
            self.move_to(Station.FRONT)
            if self.stage is Stage.MOONLIGHT:
                self.stage = Stage.QUIET
        else:
            self.move_to(Station.REAR)

    def reward(self, event: str) -> None:
        """A reward, promotion or co-opting offer (7.14): loyalty up, the wish to leave down."""
        r = self.model.rules
        self.loyalty = clamp01(self.loyalty + r.reward_loyalty_gain)
        self.desire = clamp01(self.desire - r.reward_desire_relief)
        self.institution.count(event)

    def mourn(self, casualty_share: float) -> None:
        """Losses in one's unit yesterday raise the wish to leave and erode loyalty (7.14)."""
        r = self.model.rules
        if casualty_share > 0:
            self.desire = clamp01(self.desire + r.casualty_desire_weight * casualty_share * (1.0 - self.desire))
            self.loyalty = clamp01(self.loyalty - r.casualty_loyalty_weight * casualty_share * self.loyalty)

    # ---- things that happen to a person ---------------------------------------------------
    def begin(self, stage: Stage) -> None:
        self.stage = stage
        self.stage_day = self.model.day

    def has_grounds(self) -> bool:
        """Where leaving is legal a request is granted only on grounds, which ``grant_share_free`` of those who
        ask have (169 of 353 pre-war alternative-service applications); drawn once per contract."""
        if self._grounds_for != self.contract_end:
            self._grounds_for = self.contract_end
            self._grounds = self.random.random() < self.model.rules.grant_share_free
        return self._grounds

    def confine(self) -> None:
        """R12, E8: confined to base, under watch, from today, for ``confinement_days`` (A4)."""
        self.confined = True
        self.confined_day = self.model.day

    def frustrate(self) -> None:
        """A blocked exit (RAND DRM): the wish to leave grows, loyalty shrinks."""
        f = self.model.rules.frustration
        self.desire = clamp01(self.desire + f)
        self.loyalty = clamp01(self.loyalty - f)

    def open_case(self, article: str) -> None:
        """A criminal case under ``article`` (one of ``codes.ARTICLES``; R2, R13), if none is open."""
        if not self.case_open:
            self.case_open = True
            self.case_day = self.model.day
            self.case_article = article
            self.institution.count("cases_opened")
            self.institution.count(f"cases_{article}")

    def case_ends(self) -> bool:
        """After case_days: a custodial sentence ends service (B:9); a suspended one or an acquittal
        sends the person back, afraid. True if the person left."""
        r = self.model.rules
        if self.model.day - self.case_day < r.case_days:
            return False
        self.case_open = False
        if self.random.random() < r.conviction_prob:
            self.institution.count(f"convictions_{self.case_article}")
            if self.case_article == "absence":  # graded by the days away (engine.rules.justice)
                if not self.absence_suspended():
                    self.leave(Exit.CONVICTION)
                    return True
                self.institution.count("absence_sentences_suspended")
                self.send_to_front()
            elif self.random.random() >= r.suspended_share:
                self.leave(Exit.CONVICTION)
                return True
            self.institution.count("sentences_suspended")
        self.fear = clamp01(self.fear + r.threat_fear)
        return False

    def leave(self, how: Exit) -> None:
        """Leave the institution: counted by channel, and removed from the model."""
        self.exit = how
        self.stage = Stage.QUIET
        self.exit_day = self.model.day
        self.institution.count(f"exits_{how.value}")
        if how is Exit.APPROVED:
            self.institution.count("wait_sum", self.model.day - self.request_day)
            self.institution.count("wait_n")
        if self.displayed:
            self.unit.acted_gone += 1  # the Granovetter share counts those who acted and left
        self.unit.members -= 1
        self.remove()
