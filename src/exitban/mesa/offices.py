"""The places people serve in: institutions, units with their commanders, and the central queues.

A commander (R8, R10, R12) handles the requests of the unit's people one by one; the
ministry (R9), the prosecutor (R11) and the top reviewer of travel lists (R7) serve
first-in-first-out queues up to a daily capacity.
"""

from __future__ import annotations

import math
from collections import Counter, deque
from typing import TYPE_CHECKING

from exitban.engine.columns import TALLIES
from exitban.mesa.kinds import Exit, OfficialRung, Rung, Stage, clamp01, odds
from exitban.mesa.rules import InstitutionRules
from exitban.scenario import Institution

TALLY_NAMES = frozenset(TALLIES)

if TYPE_CHECKING:
    from exitban.mesa.model import ExitBanModel
    from exitban.mesa.person import Person


class LiveInstitution:
    """One institution as the model runs it (P1): its units, its rules, whether the ban covers it today (R1),
    and today's event counts. The scenario's ``Institution`` is its spec."""

    def __init__(self, name: str, spec: Institution, rules: InstitutionRules, size0: int) -> None:
        self.name = name
        self.spec = spec
        self.rules = rules
        self.size0 = size0
        self.units: list[Unit] = []
        self.cursor = 0  # where the search for a vacant post for graduates resumes
        self.recruit_odds = 0.0  # today's chance a vacant position is filled (P1)
        self.ban_active = False
        self.watch_from = 0  # the first day an 'auto' ban's flow trigger counts the wishes shown here (R1)
        self.banned = 0.0  # 1.0 when the ban is on and covers this institution, or the decree holds it
        self.decree = False  # decree 647 holds its servicemen today (R4)
        self.demob_start = 0.0  # the day its mobilized start to be released (R4)
        self.acted_share = 0.0  # yesterday's, over the starting size (the regime's trigger, R1)
        self.peer_share = 0.0  # yesterday's: of those who want out (or wanted, and left), the share who said so
        self.public_posts = 0.0  # the stock of viral posts, fading at 1/public_memory_days a day (7.5)
        self.events: Counter[str] = Counter()

    def count(self, event: str, n: float = 1.0) -> None:
        """Add ``n`` to today's tally ``event``, one of the engine's ``TALLIES`` (a misspelt name would vanish)."""
        if event not in TALLY_NAMES:
            raise ValueError(f"count({event!r}): not one of the daily tallies (exitban.engine.columns.TALLIES)")
        self.events[event] += n

    def vacant_unit(self) -> Unit | None:
        """The next unit, from where the last search stopped, with a position nobody holds."""
        n = len(self.units)
        for step in range(n):
            unit = self.units[(self.cursor + step) % n]
            if unit.members + unit.awaiting < unit.positions:
                self.cursor = (self.cursor + step) % n
                return unit
        return None


class Unit:
    """A unit of about a hundred people and its commander, who signs, loses or sits on requests."""

    def __init__(self, model: ExitBanModel, institution: LiveInstitution, size0: int, positions: int) -> None:
        self.model = model
        self.institution = institution
        self.size0 = size0
        self.positions = positions  # authorized positions: starting members plus the vacancies (P1)
        self.members = 0  # serving members now (each Person adds itself)
        self.awaiting = 0  # graduates off this academy unit's roll, waiting for a post
        institution.units.append(self)
        self.acted_gone = 0  # people who displayed the wish and have left
        self.peer_share = 0.0  # yesterday's peer share: unit and institution weighted, and public signals (7.5)
        self.casualties = 0  # today's wartime losses in the unit
        self.casualty_share = 0.0  # yesterday's, over the starting size: the unit mourns (7.14)
        self.help_share = 0.0  # yesterday's share who know of help for leaving, over the starting size (7.16)
        # perceived prosecution risk (Epstein), raised by yesterday's open cases in the unit
        self.perceived_risk = min(1.0, model.rules.prosecution_threat)

    def sign_probability(self, person: Person) -> float:
        """R8: the daily chance the commander signs; a loophole helps a little (E2)."""
        r = self.model.rules
        inst = self.institution
        p = odds(inst.decree, inst.banned, r.sign_prob_banned, r.sign_prob_free)  # no one may sign under the decree
        return p * (1.0 + r.loophole_bonus) if person.loophole else p

    def handle_request(self, person: Person) -> None:
        """One day of a pending request: sign it, lose it (R10), or sit on it and press (R12, R2, R6)."""
        r = self.model.rules
        draw = person.random.random
        banned = self.institution.banned
        sign = self.sign_probability(person)
        x = draw()
        if x < sign and not banned and not person.has_grounds():  # refused for want of grounds (E1)
            person.stage = Stage.QUIET
            person.frustrate()
            return
        if x < sign:
            person.loophole = False
            if r.centralized_approvals and person.junior:
                # R9 (B:52,76): a lieutenant is dismissed only by the ministry's order, after the signature
                person.begin(Stage.MINISTRY)
                self.model.ministry.join(person)
                return
            person.leave(Exit.APPROVED)
            return
        if not banned:
            return
        if x < sign + r.request_loss_prob:  # "accidentally lost": file again
            person.stage = Stage.QUIET
            person.loophole = False
            person.frustrate()
            return
        if draw() < r.cooptation_rate:  # bought off with a post or a perk (7.14)
            person.reward("coopted")
            if person.desire < r.want_out_cutoff:
                person.stage = Stage.QUIET  # no longer wants out: the request is withdrawn
                person.loophole = False
                return
        restraint = r.viral_pressure_factor if person.viral else 1.0  # voice restrains the commander (B:66-68)
        if draw() < r.pressure_rate * restraint:
            self.press(person)
            if person.desire < r.want_out_cutoff or draw() < r.withdraw_fear_weight * person.fear:
                person.stage = Stage.QUIET  # persuaded or scared into withdrawing (E10)
                person.loophole = False
        if draw() < r.extortion_rate:  # R6: "payment for the inconvenience"
            self.institution.count("extortions")
            if person.means >= r.bribe_price:
                person.means = clamp01(person.means - r.bribe_price)
                if draw() < r.bribe_acceptance:
                    person.leave(Exit.PAYMENT)

    def press(self, person: Person) -> None:
        """Climb one rung of the pressure ladder (R12) and apply it: the army's, or an official's (which stops
        at the family). Both start with persuasion; every rung above it is a threat that costs loyalty."""
        r = self.model.rules
        military = self.institution.rules.military_law
        top = int(r.ladder_top) if military else min(int(r.ladder_top), OfficialRung.FAMILY)
        rung = min(top, person.pressure + 1)
        person.pressure = rung
        if rung == Rung.PERSUASION:  # the first rung of both ladders
            self.persuade(person)
            return
        self.institution.count("threats")
        if military:
            self.threaten_serviceman(person, rung)
        else:
            self.threaten_official(person, rung)
        person.loyalty = clamp01(person.loyalty - r.threat_loyalty_loss)

    def threaten_serviceman(self, person: Person, rung: int) -> None:
        """The army's rungs above persuasion, as B:13,32-34,48,60-66 tell them."""
        r = self.model.rules
        if rung == Rung.THREAT:  # "we will put you in jail"
            person.fear = clamp01(person.fear + r.threat_fear)
        elif rung in (Rung.PARENTS, Rung.SIBLING):  # parents, then a sibling's career
            self.threaten_family(person)
        elif rung == Rung.TRANSFER:  # transfer to a remote post: less reach
            person.reach *= r.transfer_reach_factor
            person.fear = clamp01(person.fear + r.transfer_fear_weight * r.threat_fear)
        elif rung == Rung.CONFINEMENT:  # confined to base, followed
            person.confine()
            person.fear = clamp01(person.fear + r.confinement_fear_weight * r.threat_fear)
        else:  # physical threats
            person.fear = clamp01(person.fear + r.physical_threat_weight * r.threat_fear)

    def threaten_official(self, person: Person, rung: int) -> None:
        """An official's rungs above persuasion: the career, a hinted prosecution (A:19-21) that may open a
        corruption case, frozen assets, the family (repeated at the top)."""
        r = self.model.rules
        if rung == OfficialRung.CAREER:
            person.fear = clamp01(person.fear + r.threat_fear)
        elif rung == OfficialRung.PROSECUTION:
            person.fear = clamp01(person.fear + r.threat_fear)
            if person.random.random() < r.prosecution_threat:
                person.open_case("corruption")
        elif rung == OfficialRung.ASSETS:
            person.means *= r.asset_freeze_factor
            person.fear = clamp01(person.fear + r.threat_fear)
        else:
            self.threaten_family(person)

    def persuade(self, person: Person) -> None:
        """The first rung of both ladders: loyal people are talked round more easily."""
        r = self.model.rules
        person.desire = clamp01(person.desire - r.persuasion_effect * (r.persuasion_base + person.loyalty))
        self.institution.count("persuasions")

    def threaten_family(self, person: Person) -> None:
        """Threats to parents or a sibling's career, weighed by the person's family exposure."""
        r = self.model.rules
        person.fear = clamp01(person.fear + r.threat_fear * person.family * r.family_threat_weight)
        self.institution.count("families_pressured")


class CentralQueue:
    """A first-in-first-out queue at a central office, served at ``rate`` people a day.

    The rate may be fractional (a scaled-down run keeps the real load per person): the
    office builds up credit day by day and serves one person per whole unit of credit. An
    entry whose person has since left its stage (released, convicted, ...) is skipped
    without using credit; when the queue runs dry, only the fraction of a case is kept.
    """

    stage: Stage

    def __init__(self, model: ExitBanModel, rate: float) -> None:
        self.model = model
        self.rate = rate
        self.credit = 0.0
        self.waiting: deque[tuple[Person, int]] = deque()

    def join(self, person: Person) -> None:
        self.waiting.append((person, self.model.day))

    def __len__(self) -> int:
        return len(self.waiting)

    def serve(self) -> None:
        self.credit += self.rate
        while self.credit >= 1.0 and self.waiting:
            person, entered = self.waiting.popleft()
            if person.exit is not None or person.stage is not self.stage or person.stage_day != entered:
                continue
            self.credit -= 1.0
            self.decide(person)
        if self.credit >= 1.0:  # ran dry: idle capacity is not saved up
            self.credit -= math.floor(self.credit)

    def decide(self, person: Person) -> None:
        raise NotImplementedError

    def refuse(self, person: Person) -> None:
        """Refused, passed down or unanswered: back to square one, and more frustrated."""
        person.stage = Stage.QUIET
        person.frustrate()


class Ministry(CentralQueue):
    """R9: the ministry alone orders a lieutenant's release, and rarely does under the ban."""

    stage = Stage.MINISTRY

    def decide(self, person: Person) -> None:
        r = self.model.rules
        inst = person.institution
        free = r.ministry_approve_free if person.has_grounds() else 0.0  # where leaving is legal, only on grounds
        ok = odds(inst.decree, inst.banned, r.ministry_approve_banned, free)
        if person.random.random() < ok:
            person.leave(Exit.APPROVED)
        else:
            self.refuse(person)


class Prosecutor(CentralQueue):
    """R11 and Hirschman: voice is answered while exit is a credible threat; a lawyer helps (E4)."""

    stage = Stage.APPEAL

    def decide(self, person: Person) -> None:
        r = self.model.rules
        inst = person.institution
        against_centre = r.central_appeal_win_banned if inst.rules.central_resignation else r.appeal_answer_banned
        ok = odds(inst.decree, inst.banned, against_centre, r.appeal_answer_free)
        if person.legal_help:
            ok *= 1.0 + r.legal_help_bonus
        if person.random.random() < ok:
            person.leave(Exit.COURT)
        else:
            self.refuse(person)


class TopReviewer(CentralQueue):
    """R7: one reviewer at the top decides every travel permit; a trip abroad may become a defection (E9).
    With ``permit_list_review_days`` above 0 the lists are reviewed at the top (A:37-39): every that many days
    the whole list waiting is decided, and on other days none."""

    stage = Stage.TRAVEL

    def serve(self) -> None:
        review = int(self.model.rules.permit_list_review_days)
        if review > 0:
            if self.model.day % review != 0:
                return
            self.credit = len(self.waiting) + 1.0
        super().serve()

    def decide(self, person: Person) -> None:
        r = self.model.rules
        inst = person.institution
        inst.count("served_travel")
        if person.random.random() >= r.permit_grant_prob:
            self.refuse(person)
            return
        inst.count("permits_granted")
        wants = inst.rules.resignation_case and person.desire >= r.want_out_cutoff  # others just travel
        if wants and person.random.random() < r.defect_success_prob:
            person.leave(Exit.DEFECTION)
        else:
            person.stage = Stage.QUIET  # travelled and came back


class Investigators(CentralQueue):
    """R13 (``engine.rules.justice``): the military investigators bring a reported absentee in and open his case."""

    stage = Stage.REPORTED

    def decide(self, person: Person) -> None:
        person.brought_in()


class CentralOffice(CentralQueue):
    """A:19: a senior official's resignation is a political decision of the central office (the presidential
    administration's Internal Policy Department); under the ban it refuses, and a refusal may come with a hint
    of prosecution (A:19-21: fear up by ``threat_fear``)."""

    stage = Stage.CENTRAL

    def serve(self) -> None:
        """As every queue, but an entry is decided no sooner than ``central_review_days`` after it was filed."""
        self.credit += self.rate
        review = self.model.rules.central_review_days
        while self.credit >= 1.0 and self.waiting:
            person, entered = self.waiting[0]
            if self.model.day - entered < review:
                break
            self.waiting.popleft()
            if person.exit is not None or person.stage is not self.stage or person.stage_day != entered:
                continue
            self.credit -= 1.0
            self.decide(person)
        if self.credit >= 1.0:
            self.credit -= math.floor(self.credit)

    def decide(self, person: Person) -> None:
        r = self.model.rules
        inst = person.institution
        inst.count("central_decided")
        approve = r.central_approve_betrayal if r.betrayal_cost > 0 else r.central_approve_free  # A:17
        free = approve if person.has_grounds() else 0.0
        if person.random.random() < odds(inst.decree, inst.banned, r.central_approve_banned, free):
            person.leave(Exit.APPROVED)
            return
        inst.count("central_refused")
        if inst.banned and person.random.random() < r.central_threat_prob:
            person.fear = clamp01(person.fear + r.threat_fear)
            inst.count("threats")
        self.refuse(person)
