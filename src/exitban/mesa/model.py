"""The exit-ban model as a Mesa 3 ``Model``: institutions of units of people, and three central offices.

One step is one day, in this order (the same as the engine's):

1. the regime decides, per institution, whether the resignation ban holds today (R1);
2. the ministry, prosecutor, top reviewer and investigators serve their queues (R9, R11, R7, R13);
3. every person takes their day (``Person.step``), unit by unit;
4. the model counts the day's state; the DataCollector records the outputs O1-O10.

Usage::

    from exitban.mesa import ExitBanModel
    model = ExitBanModel("army-officers-2019", agents=2_000, days=60, seed=1)
    model.run_model()
    model.datacollector.get_model_vars_dataframe()  # one row per day, columns O1-O10
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import mesa
import numpy as np
import polars as pl

from exitban.engine.build import scaled, unit_layout
from exitban.engine.columns import TALLIES  # the names of the engine's daily tallies, for timeseries()
from exitban.mesa.kinds import Exit, Stage, Station
from exitban.mesa.offices import CentralOffice, Investigators, LiveInstitution, Ministry, Prosecutor, TopReviewer, Unit
from exitban.mesa.person import Person
from exitban.mesa.rules import DAYS_PER_YEAR, InstitutionRules, daily, rule_params
from exitban.mesa.traits import Traits, draw_traits, newcomer
from exitban.observe import FRONT_COLUMNS, OUTPUTS, derive, tally_table, timeseries
from exitban.scenario import Institution, Scenario
from exitban.scenario.load import load_scenario
from exitban.scenario.phases import mobilization_end_day, timeline

EXIT_COLUMNS = [f"exits_{e.value}" for e in Exit]


class ExitBanModel(mesa.Model):
    """Institutions whose people want to leave and may not (see the module docstring for the day).

    Args:
        scenario: a Scenario, a shipped scenario's name or a TOML path.
        agents: total number of people (sets the scenario's ``scale``); or give ``scale``.
        scale: the scenario's scale (1.0 = real size); ignored when ``agents`` is given.
        days: days to run (default: the scenario's); ``running`` turns False after them.
        seed, rng: Mesa's seeding (one or the other).
    """

    unit_class = Unit  # the commanders' rules; the docking tests break one in a subclass

    def __init__(
        self,
        scenario: Scenario | str | Path = "army-officers-2019",
        agents: int | None = None,
        scale: float | None = None,
        days: int | None = None,
        seed: int | None = None,
        rng: Any = None,
    ) -> None:
        super().__init__(seed=seed, rng=rng)
        sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        changes: dict[str, Any] = {}
        if agents is not None:
            if agents < 2 * len(sc.institutions):
                raise ValueError(f"agents must be at least {2 * len(sc.institutions)} for {sc.name}, got {agents}")
            changes["scale"] = agents / sum(i.size for i in sc.institutions.values())
        elif scale is not None:
            changes["scale"] = scale
        if days is not None:
            changes["days"] = days
        self.scenario = sc.with_overrides(**changes) if changes else sc
        # the scenario as of each phase date (``exitban.scenario.phases``): ``today`` is the one in force
        self.phases = dict(timeline(self.scenario))
        self.mobilization_end = mobilization_end_day(self.scenario, list(self.phases.items()))
        self.today = self.scenario
        self._read_rules()
        self.legal_sought = 0
        self.legal_odds = 1.0
        self.help_sought = 0  # requests to the helpers of illegal exits today (7.16)
        self.help_odds = 1.0
        self.viral_yesterday = 0.0  # yesterday's viral posts over every institution, at full size (over the scale)
        self.spin_up = self.scenario.spin_up_days  # days run before the start date and not reported
        self.days = self.spin_up + self.scenario.days
        self.day = -1
        self.institutions: list[LiveInstitution] = []
        self.by_name: dict[str, LiveInstitution] = {}
        self.units: list[Unit] = []
        self.graduates: list[Person] = []  # off an academy's roll, waiting for a post (P1)
        for name, spec in self.scenario.institutions.items():
            self._populate(name, spec)
        # the offices keep the real load per person: a 1% run gets 1% of the daily capacity
        capacities = scaled(self.scenario)
        self.ministry = Ministry(self, capacities["ministry_capacity_per_day"])
        self.prosecutor = Prosecutor(self, capacities["prosecutor_capacity_per_day"])
        self.top_reviewer = TopReviewer(self, capacities["top_reviewer_capacity_per_day"])
        self.investigators = Investigators(self, capacities["investigator_capacity_per_day"])
        self.central_office = CentralOffice(self, capacities["central_office_capacity_per_day"])  # A:19
        self.size0 = sum(inst.size0 for inst in self.institutions)
        self.records: list[dict[str, dict[str, float]]] = []  # per day: institution -> tallies
        self.bans: list[list[bool]] = []  # per day: the ban per institution
        self.outputs: dict[str, float] = {}
        self.datacollector = mesa.DataCollector(model_reporters={k: _reporter(k) for k in OUTPUT_NAMES})

    def _read_rules(self) -> None:
        """The numbers the day reads, from ``today``'s scenario: at the start and on every phase date."""
        sc = self.today
        self.rules = rule_params(sc, self.mobilization_end)
        b = sc.bureaucracy
        self.corruption_daily = daily(b.corruption_dismissal_per_year)  # R5, as a daily hazard
        self.offence_daily = daily(b.offence_per_year)
        self.reward_daily = daily(sc.pressure.reward_per_year)  # rewards and promotions (7.14)
        # lawyers and support groups take on so many new clients a day (E4); the odds are yesterday's
        self.legal_rate = scaled(sc)["legal_help_capacity_per_day"]
        self.help_rate = scaled(sc)["help_capacity_per_day"]  # the helpers of illegal exits (7.16)

    def enter_phase(self, today: Scenario) -> None:
        """A phase's date: the rules, the institutions' numbers and the offices' capacities as of today."""
        self.today = today
        self._read_rules()
        capacities = scaled(today)
        self.ministry.rate = capacities["ministry_capacity_per_day"]
        self.prosecutor.rate = capacities["prosecutor_capacity_per_day"]
        self.top_reviewer.rate = capacities["top_reviewer_capacity_per_day"]
        self.investigators.rate = capacities["investigator_capacity_per_day"]
        self.central_office.rate = capacities["central_office_capacity_per_day"]
        for inst in self.institutions:
            inst.rules = InstitutionRules.from_scenario(today, today.institutions[inst.name])

    def _populate(self, name: str, spec: Institution) -> None:
        """Draw an institution's people from the scenario's distributions (P3) and split them into units,
        each with its authorized positions (``positions_per_member``: the extra ones start vacant)."""
        n = self.scenario.agents()[name]
        inst = LiveInstitution(name, spec, InstitutionRules.from_scenario(self.scenario, spec), n)
        self.institutions.append(inst)
        self.by_name[name] = inst
        traits = draw_traits(self.rng, spec, n, self.scenario.regime.demobilization_days)
        members, positions = unit_layout(n, spec)
        held = np.rint(members * spec.held_at_start).astype(np.int64)  # the rest of the posts start vacant
        start = 0
        for size, serving, slots in zip(members.tolist(), held.tolist(), positions.tolist(), strict=True):
            unit = self.unit_class(self, inst, size, slots)
            self.units.append(unit)
            Person.create_agents(self, serving, unit=unit, traits=traits[start : start + serving])
            start += size

    def newcomer(self, inst: LiveInstitution) -> Traits:
        """The traits of one newcomer to ``inst``, joining today (P1)."""
        demobilization = self.scenario.regime.demobilization_days
        return newcomer(self.rng, inst.spec, self.day, demobilization, inst.rules.contract_days)

    # ---- the day ------------------------------------------------------------------------------
    def step(self) -> None:
        self.day = self.steps - 1
        if self.day in self.phases:
            self.enter_phase(self.phases[self.day])
        self.regime_decides()
        self.commission()
        for office in (self.ministry, self.prosecutor, self.top_reviewer, self.investigators, self.central_office):
            office.serve()
        self.recruit()
        self.agents.do("step")
        self.count_day()
        self.datacollector.collect(self)
        if self.steps >= self.days:
            self.running = False

    def regime_decides(self) -> None:
        """R1: 'on' holds the ban, 'off' never, 'auto' imposes it for good once yesterday's acted share
        (shown the wish, serving or gone) reaches the trigger; a phase may set the policy from a date. A ban
        is held only where it covers the institution, and the regime watches one for the 'auto' rule from the
        first day it is covered under that policy."""
        regime = self.today.regime
        mobilization_on = self.mobilization_on(self.day)
        for inst in self.institutions:
            inst.decree = mobilization_on and inst.rules.mobilized and inst.rules.resignation_case
            if (regime.mobilization or self.mobilization_end >= 0) and inst.rules.mobilized:
                inst.demob_start = float(self.mobilization_end)  # -1: no end set
            else:
                inst.demob_start = 0.0
            covered = inst.rules.covered_by_ban
            if not covered or regime.resignation_ban == "off":
                inst.ban_active = False
            elif regime.resignation_ban == "on":
                inst.ban_active = True
            else:
                inst.ban_active = inst.ban_active or self.trigger_share(inst) >= regime.ban_trigger_share
            if not covered or regime.resignation_ban != "auto":
                inst.watch_from = self.day + 1
            inst.banned = 1.0 if (inst.ban_active and inst.rules.covered_by_ban) or inst.decree else 0.0

    def trigger_share(self, inst: LiveInstitution) -> float:
        """What an 'auto' ban reacts to (R1): yesterday's acted share (the stock) with ``ban_trigger_window_days``
        0, else the requests and appeals filed over the window's days before today, from the day the regime
        began to watch the institution, over the starting size."""
        window = self.today.regime.ban_trigger_window_days
        if window <= 0:
            return inst.acted_share
        first = max(0, self.day - window, inst.watch_from)
        shown = sum(rec[inst.name]["requests_filed"] + rec[inst.name]["appeals_filed"] for rec in self.records[first:])
        return shown / max(1.0, inst.size0)

    def commission(self) -> None:
        """Post waiting graduates, in the order they graduated, to vacant positions of their ``graduates_to``
        institution, unit by unit from where the last search stopped; those who find none wait (P1)."""
        still: list[Person] = []
        for person in self.graduates:
            target = self.by_name[person.institution.spec.graduates_to]
            if person.exit_day >= self.day or still:  # graduated today, or an earlier one found no post
                still.append(person)
                continue
            unit = target.vacant_unit()
            if unit is None:
                still.append(person)
                continue
            person.post_to(unit)
            target.count("commissioned")
        self.graduates = still

    def recruit(self) -> None:
        """Each unit fills each of its vacant positions with the institution's odds of the day (P1)."""
        for unit in self.units:
            odds = unit.institution.recruit_odds
            vacant = unit.positions - unit.members - unit.awaiting
            if odds <= 0.0 or vacant <= 0:
                continue
            for _ in range(int(self.rng.binomial(vacant, min(1.0, odds)))):
                Person(self, unit, self.newcomer(unit.institution))  # counts itself in unit.members
                unit.institution.count("recruited")

    def count_day(self) -> None:
        """Count the end-of-day state per unit and institution; set tomorrow's peer shares and risk."""
        r = self.rules
        unit_counts = {unit: [0, 0, 0, 0] for unit in self.units}  # headcount, acted, cases open, hidden
        state = {inst: Counter() for inst in self.institutions}
        help_known = Counter()  # per unit: those who know of help, for tomorrow's peer share (7.16)
        for p in self.agents:
            c = state[p.institution]
            if p.awaiting_post:
                c["awaiting_posting"] += 1
                continue
            uc = unit_counts[p.unit]
            st = p.stage
            uc[0] += 1
            if st is Stage.ABSENT or st is Stage.REPORTED:
                c["absent"] += 1
            elif st is Stage.MOONLIGHT:
                c["moonlighting"] += 1
            else:
                c["present"] += 1
                if st is Stage.SABOTAGE:
                    c["capacity"] -= r.sabotage_damage * p.competence
                    c["sabotaging"] += 1
                else:
                    c["capacity"] += p.competence
            if st is Stage.REQUESTED or st is Stage.MINISTRY:
                c["pending_age_sum"] += self.day - p.request_day
                c["backlog_unit" if st is Stage.REQUESTED else "backlog_ministry"] += 1
            elif st is not Stage.QUIET and st in BACKLOG_OF:
                c[BACKLOG_OF[st]] += 1
            if p.desire >= r.want_out_cutoff and p.institution.rules.resignation_case:
                c["want_out"] += 1
                if not p.displayed:
                    uc[3] += 1  # wants out and has not said so (the peer share's denominator, 7.5)
            if p.displayed:
                c["displayed"] += 1
                uc[1] += 1
            if p.loyalty >= r.defend_cutoff:
                c["would_defend"] += 1
            if p.case_open:
                c["cases_open"] += 1
                uc[2] += 1
            if p.legal_help:
                c["legal_help_active"] += 1
            if p.knows_help:
                c["knows_help"] += 1
                help_known[p.unit] += 1
            if p.held_past_contract:
                c["held_past_contract"] += 1
            if p.station is Station.FRONT:
                if not p.away():
                    c["deployed"] += 1
            elif p.station is not Station.REAR:
                c[STATION_COUNT[p.station]] += 1
            if p.confined:
                c["confined"] += 1
            c["fear_sum"] += p.fear
            c["loyalty_sum"] += p.loyalty
            c["desire_sum"] += p.desire
        acted, hidden = Counter(), Counter()
        for unit, (_, shown, _, hid) in unit_counts.items():
            acted[unit.institution] += shown + unit.acted_gone
            hidden[unit.institution] += hid
        fade = 1.0 - 1.0 / r.public_memory_days
        public = {}
        for inst in self.institutions:
            inst.acted_share = acted[inst] / inst.size0
            said = acted[inst] + hidden[inst]
            inst.peer_share = acted[inst] / said if said else 0.0
            # viral posts fade from memory; each stands for viral_peer_weight shown wishes (7.5, E3)
            inst.public_posts = inst.public_posts * fade + inst.events["viral_posts"]
            public[inst] = min(1.0, r.viral_peer_weight * inst.public_posts / inst.size0)
        w = r.peer_weight_unit
        for unit, (head, shown, cases, hid) in unit_counts.items():
            unit.casualty_share = unit.casualties / unit.size0  # read tomorrow (7.14)
            unit.casualties = 0
            said = shown + unit.acted_gone + hid
            own = (shown + unit.acted_gone) / said if said else 0.0
            peer = w * own + (1.0 - w) * unit.institution.peer_share
            unit.peer_share = min(1.0, peer + public[unit.institution] + r.public_event_signal)
            unit.perceived_risk = min(1.0, r.prosecution_threat * (1.0 + r.case_deterrence * cases / max(1, head)))
        self.recruitment_odds()
        self.legal_odds = min(1.0, self.legal_rate / self.legal_sought) if self.legal_sought else 1.0
        self.legal_sought = 0
        for unit in self.units:
            unit.help_share = help_known[unit] / unit.size0
        self.help_odds = min(1.0, self.help_rate / self.help_sought) if self.help_sought else 1.0
        self.help_sought = 0
        # the day's viral posts, the one count the public stock read above (as the engine's signals.viral)
        self.viral_yesterday = sum(inst.events["viral_posts"] for inst in self.institutions) / self.today.scale
        record = {}
        for inst in self.institutions:
            row = {k: 0.0 for k in TALLIES}
            row.update(state[inst])
            row.update(inst.events)
            row["headcount"] = sum(h for u, (h, _, _, _) in unit_counts.items() if u.institution is inst)
            row["acted"] = acted[inst]
            record[inst.name] = row
            inst.events = Counter()
        self.records.append(record)
        self.bans.append([inst.ban_active or inst.decree for inst in self.institutions])  # O7: the decree is their ban
        self.outputs = self._outputs(record)

    def mobilization_on(self, day: int) -> bool:
        """R4: the decree holds while mobilization is on, until the day a phase ends it (never when -1)."""
        return self.today.regime.mobilization and not (0 <= self.mobilization_end <= day)

    def recruitment_odds(self) -> None:
        """Tomorrow's chance that a vacant position is filled, per institution (P1): expected new contracts
        (times ``recruitment_ban_factor`` under a ban or the decree) over today's vacancies, at most 1."""
        regime = self.today.regime
        tomorrow = self.day + 1
        on = self.mobilization_on(tomorrow)
        for inst in self.institutions:
            held = sum(u.members + u.awaiting for u in inst.units)
            vacant = sum(u.positions for u in inst.units) - held
            expected = inst.rules.accession_per_year / DAYS_PER_YEAR * inst.size0
            decree = on and inst.rules.mobilized and inst.rules.resignation_case
            if (inst.ban_active and inst.rules.covered_by_ban) or decree:
                expected *= regime.recruitment_ban_factor
            inst.recruit_odds = min(1.0, expected / vacant) if vacant > 0 else 0.0

    def _outputs(self, record: dict[str, dict[str, float]]) -> dict[str, Any]:
        """Today's outputs O1-O10 over all institutions (the DataCollector's columns), made by ``observe.derive``."""
        t: Counter[str] = Counter()
        for row in record.values():
            t.update(row)
        raw = {k: np.asarray(float(t[k])) for k in TALLIES}
        cumulative = self.outputs.get("exits_cumulative", 0.0) + sum(t[c] for c in EXIT_COLUMNS)
        bans = sum(inst.ban_active or inst.decree for inst in self.institutions)
        out = derive(self.scenario, raw, np.asarray(float(self.size0)), np.asarray(bans), np.asarray(cumulative))
        return {k: np.asarray(v).item() for k, v in out.items()}

    # ---- results ------------------------------------------------------------------------------
    def timeseries(self) -> pl.DataFrame:
        """The day-by-institution table in the engine's schema (``exitban.observe``), for side-by-side reading."""
        names = list(self.scenario.institutions)
        records, kept = self.records[self.spin_up :], self.bans[self.spin_up :]  # the spin-up is not reported
        series = np.array([[[rec[n][k] for k in TALLIES] for n in names] for rec in records], dtype=np.float64)
        series = series.reshape(len(records), len(names), len(TALLIES))
        bans = np.array(kept, dtype=np.int8).reshape(len(records), len(names))
        size0 = np.array([inst.size0 for inst in self.institutions])
        return timeseries(self.scenario, tally_table(self.scenario, series, bans), size0)


BACKLOG_OF = {
    Stage.APPEAL: "backlog_appeals",
    Stage.COURT: "in_court",
    Stage.MEDICAL: "at_medical",
    Stage.TRAVEL: "backlog_travel",
    Stage.REPORTED: "backlog_investigators",
    Stage.CENTRAL: "backlog_central",
}
STATION_COUNT = {Station.LEAVE: "on_leave", Station.HOSPITAL: "in_hospital"}
OUTPUT_NAMES = [*(c for cols in OUTPUTS.values() for c in cols), *FRONT_COLUMNS]


def _reporter(name: str) -> Any:
    return lambda m: m.outputs[name]
