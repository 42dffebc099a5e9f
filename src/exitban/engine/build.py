"""The engine's one door from the schema: ``build(scenario, seed)`` -> ``(EngineInputs, EngineState)``.

``RuleParams`` holds every number of the regime-wide tables under its scenario field name
(``P.prosecution_threat`` in a rule is ``regime.prosecution_threat`` in a scenario file);
``InstitutionParams`` holds one array per number or switch of ``Institution`` (``inst.pay_premium[k]``),
plus the few the rules read in another form (``DERIVED_FIELDS``). Both are read off the schema's
models, so a new field reaches the rules without an edit here. A capacity per day (a field named
``*_capacity_per_day``) scales with the population: ``scaled`` is the one place that does it, and
the rules, the twin and the outputs read it from there. Every value travels as a float64: Numba then
sees one uniform tuple type and compiles the rules once for every scenario.
"""

from __future__ import annotations

from collections import namedtuple
from concurrent.futures import ThreadPoolExecutor
from functools import cache

import numba as nb
import numpy as np
from pydantic import BaseModel

from exitban.engine import codes
from exitban.engine.codes import BAN_POLICY, MOVES, N_MOVES
from exitban.engine.columns import N_TALLIES
from exitban.engine.rng import seed_key
from exitban.engine.state import (
    INSTITUTION_DAY,
    N_QUEUES,
    POOL_DRAWN,
    POSITION_DTYPES,
    TAIL,
    TRAITS,
    EngineInputs,
    EngineState,
    Offices,
    Population,
    Recruits,
    Signals,
)
from exitban.engine.units import DAYS_PER_YEAR
from exitban.scenario import Institution, Scenario, phases

# the regime-wide tables: every field of the scenario that is itself a model
SECTIONS: dict[str, type[BaseModel]] = {
    name: field.annotation
    for name, field in Scenario.model_fields.items()
    if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel)
}
# the ban policy is a word, read by the day loop (rules.regime), not a number
NOT_NUMBERS = {"regime.resignation_ban"}
SCALED_SUFFIX = "_capacity_per_day"  # what an office or a helper can take on a day: in proportion to the people
# the central queues' capacities, in Q_* order
QUEUE_CAPACITIES = (
    "ministry_capacity_per_day",
    "prosecutor_capacity_per_day",
    "top_reviewer_capacity_per_day",
    "investigator_capacity_per_day",  # the military investigators (rules.justice)
    "central_office_capacity_per_day",  # officials (issue 22, item 3; A:19)
)


def _numeric_fields() -> dict[str, str]:
    """``{field: section}`` for every number a rule may read; field names are unique across sections."""
    out: dict[str, str] = {}
    for section, model in SECTIONS.items():
        for name in model.model_fields:
            if f"{section}.{name}" in NOT_NUMBERS:
                continue
            if name in out:
                raise TypeError(f"field '{name}' is in both [{out[name]}] and [{section}]: rule names must be unique")
            out[name] = section
    return out


RULE_FIELDS = _numeric_fields()
# read in another form than the schema's: the engine day mobilization ends by a phase (-1 never), from which
# the reservists' release is counted (rules.decree; scenario.phases.mobilization_end_day); the scale, by which
# rules.help counts yesterday's viral posts at full size
RULE_DERIVED = ("mobilization_end_day", "population_scale")  # population_scale: the scenario's scale
RuleParams = namedtuple("RuleParams", [*RULE_FIELDS, *RULE_DERIVED])  # type: ignore[misc]
RuleParams.__doc__ = "Every number of the scenario's regime-wide tables, by its field name, and RULE_DERIVED."


def institution_fields(model: type[BaseModel] = Institution) -> tuple[str, ...]:
    """Every number and switch of an institution (int, float or bool fields), in the schema's order."""
    return tuple(name for name, field in model.model_fields.items() if field.annotation in (int, float, bool))


# read in another form than the schema's: servicemen answer to the military articles, reservists have no
# contract, graduates_to as an institution index (-1 none), closed_moves as a bit per move (codes.MOVES order)
DERIVED_FIELDS = ("military_law", "reservist", "graduates_to", "closed_moves")
INSTITUTION_FIELDS = institution_fields()


@cache
def _institution_tuple(fields: tuple[str, ...]) -> type:
    """One named tuple class per field list: Numba compiles once per class, so the class is reused."""
    params = namedtuple("InstitutionParams", fields + DERIVED_FIELDS)  # type: ignore[misc]
    params.__doc__ = "Per-institution fields the rules read: one float64 array each, in the scenario's order."
    return params


InstitutionParams = _institution_tuple(INSTITUTION_FIELDS)


def scaled(scenario: Scenario) -> dict[str, float]:
    """Every capacity per day (``*_capacity_per_day``) times ``scale``: a 1% run keeps the real load per person.

    Rates may be fractional (0.05 a day at 1% scale of a 5-a-day office): the queues carry the
    fraction over.
    """
    return {
        name: getattr(getattr(scenario, section), name) * scenario.scale
        for name, section in RULE_FIELDS.items()
        if name.endswith(SCALED_SUFFIX)
    }


def rule_params(scenario: Scenario, mobilization_end_day: int | None = None) -> RuleParams:
    """The scenario's regime-wide numbers, each under its own field name; capacities per day scaled.

    ``mobilization_end_day`` is the engine day a phase ends mobilization (read from ``scenario``'s phases
    when not given: a scenario as of a phase date has none of its own).
    """
    capacities = scaled(scenario)
    end = mobilization_end_day if mobilization_end_day is not None else phases.mobilization_end_day(scenario)
    return RuleParams(
        *(
            float(capacities[name] if name in capacities else getattr(getattr(scenario, section), name))
            for name, section in RULE_FIELDS.items()
        ),
        float(end),
        float(scenario.scale),
    )


def institution_params(scenario: Scenario) -> tuple:
    """The per-institution fields the rules read, one array each in the scenario's institution order."""
    insts = list(scenario.institutions.values())
    names = list(scenario.institutions)
    fields = institution_fields(type(insts[0]))

    def number(inst: Institution, name: str) -> float:
        if name == "graduates_to":
            return float(names.index(inst.graduates_to)) if inst.graduates_to else -1.0
        if name == "closed_moves":
            return float(sum(1 << MOVES.index(move) for move in set(inst.closed_moves)))
        return float(getattr(inst, name))

    return _institution_tuple(fields)(
        *(np.array([number(inst, name) for inst in insts], dtype=np.float64) for name in fields + DERIVED_FIELDS)
    )


# ---- the people -----------------------------------------------------------------------------------
POOL_SIZE = 1_024  # newcomers drawn per institution: enough that a recruit is an independent-looking draw


def unit_layout(n: int, inst: Institution) -> tuple[np.ndarray, np.ndarray]:
    """Starting members and positions of each unit of an institution of ``n`` members."""
    n_units = max(1, -(-n // inst.unit_size))
    members = np.full(n_units, n // n_units, dtype=np.int64)
    members[: n % n_units] += 1
    positions = np.ceil(members * inst.positions_per_member - 1e-9).astype(np.int64)
    return members, positions


def _clipped_normal(rng: np.random.Generator, mean: float, sd: float, n: int) -> np.ndarray:
    return np.clip(rng.normal(mean, sd, n), 0.0, 1.0).astype(np.float32)


def _beta_like(rng: np.random.Generator, mean: float, n: int, concentration: float) -> np.ndarray:
    """A Beta draw with the given mean and concentration (a + b), for traits bounded in [0, 1]."""
    m = min(max(mean, 1e-3), 1 - 1e-3)
    return rng.beta(m * concentration, (1 - m) * concentration, n).astype(np.float32)


# what ``_institution_traits`` draws, one array each; and the population from which the institutions are drawn
# on several threads (below it a thread pool costs more than it saves)
DRAWN = ("junior", "seniority", "contract_end", "age", *TRAITS, "fear", "flags")
PARALLEL_DRAW_MIN = 50_000


def _institution_traits(inst: Institution, n: int, rng: np.random.Generator, demobilization_days: int) -> dict:
    """``n`` people of one institution (P3): the ``TRAITS``, fear and the service record, in draw order."""
    contract_days = inst.contract_years * DAYS_PER_YEAR
    junior = (rng.random(n) < inst.junior_share).astype(np.uint8)
    junior_years = min(inst.junior_years, inst.seniority_years_max)
    seniority = np.where(
        junior == 1,
        rng.uniform(0.0, junior_years, n),
        rng.uniform(junior_years, max(junior_years, inst.seniority_years_max), n),
    ).astype(np.float32)
    # Contracts began at random times; when mobilization holds people past their end,
    # some ends lie in the past (negative days), which is what "held past contract" means.
    # A mobilized reservist has no contract: his "contract end" is the day, counted from mobilization's
    # end, on which he is released (R4: demobilization spread over demobilization_days).
    span = float(demobilization_days) if inst.reservist else contract_days
    contract_end = np.floor(rng.uniform(0.0, span, n)).astype(np.int32)
    passports = (rng.random(n) < inst.passports_held).astype(np.uint8) * codes.F_PASSPORT_HELD
    return {
        "junior": junior,
        "seniority": seniority,
        "contract_end": contract_end,
        "age": (inst.entry_age + rng.uniform(0.0, inst.entry_age_spread, n) + seniority).astype(np.float32),
        "desire": _clipped_normal(rng, inst.desire_mean, inst.desire_sd, n),
        "loyalty": _clipped_normal(rng, inst.loyalty_mean, inst.loyalty_sd, n),
        "fear": np.zeros(n, dtype=np.float32),
        "risk_aversion": _beta_like(rng, inst.risk_aversion_mean, n, inst.risk_aversion_concentration),
        "competence": _beta_like(rng, inst.competence_mean, n, inst.competence_concentration),
        "health": _beta_like(rng, inst.health_mean, n, inst.health_concentration),
        "family": _beta_like(rng, inst.family_exposure_mean, n, inst.family_exposure_concentration),
        "means": _beta_like(rng, inst.means_mean, n, inst.means_concentration),
        "reach": _beta_like(rng, inst.reach_mean, n, inst.reach_concentration),
        "threshold": rng.normal(inst.threshold_mean, inst.threshold_sd, n).astype(np.float32),
        "flags": passports.astype(np.uint8),
    }


def initial_population(scenario: Scenario, seed: int) -> Population:
    """Draw the starting population (P1-P3). Pure function of (scenario, seed).

    Each institution draws from its own stream, so the institutions are drawn at once on Numba's threads
    (NumPy's generators let go of the GIL while they fill an array), each into its own slice of the arrays:
    the same numbers whatever the thread count, and no second copy of the traits to concatenate.
    """
    counts = scenario.agents()
    streams = np.random.SeedSequence([seed, 0x1A17]).spawn(len(counts))
    insts = list(scenario.institutions.values())
    layouts = [unit_layout(counts[name], inst) for name, inst in scenario.institutions.items()]
    inst_slots = np.array([int(positions.sum()) for _, positions in layouts], dtype=np.int64)
    inst_start = np.zeros(len(insts) + 1, dtype=np.int64)
    np.cumsum(inst_slots, out=inst_start[1:])
    n_total = int(inst_start[-1])
    parts = {key: np.empty(n_total, dtype=POSITION_DTYPES[key]) for key in DRAWN}

    def draw(k: int) -> None:
        rng = np.random.Generator(np.random.PCG64(streams[k]))
        first, last = int(inst_start[k]), int(inst_start[k + 1])
        for key, arr in _institution_traits(insts[k], last - first, rng, scenario.regime.demobilization_days).items():
            if arr.dtype != parts[key].dtype:
                raise TypeError(f"trait {key!r} drawn as {arr.dtype}, kept as {parts[key].dtype}")
            parts[key][first:last] = arr

    threads = min(nb.get_num_threads(), len(insts)) if n_total >= PARALLEL_DRAW_MIN else 1
    order = sorted(range(len(insts)), key=lambda k: -int(inst_slots[k]))  # the largest first: balanced threads
    if threads > 1:
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(draw, order))
    else:
        for k in order:
            draw(k)
    unit_sizes = [members.astype(np.int32) for members, _ in layouts]
    unit_slots = [positions for _, positions in layouts]
    unit_inst = [np.full(members.shape[0], k, dtype=np.int16) for k, (members, _) in enumerate(layouts)]
    inst_col = [np.full(int(inst_slots[k]), k, dtype=np.int16) for k in range(len(insts))]
    vacant: list[np.ndarray] = []
    for inst, (members, positions) in zip(insts, layouts, strict=True):
        # a unit's first ``held`` positions are held; the rest start vacant. ``members`` stays the unit's
        # strength (the denominator of its shares) when only ``held_at_start`` of it serves on day 0
        held = np.rint(members * inst.held_at_start).astype(np.int64)
        offset = np.repeat(np.cumsum(positions) - positions, positions)
        vacant.append(np.arange(int(positions.sum())) - offset >= np.repeat(held, positions))
    size0 = np.concatenate(unit_sizes)
    slots = np.concatenate(unit_slots)
    unit_start = np.zeros(slots.shape[0] + 1, dtype=np.int64)
    np.cumsum(slots, out=unit_start[1:])
    unit = np.repeat(np.arange(slots.shape[0], dtype=np.int32), slots)
    minus_one = np.full(n_total, -1, dtype=np.int32)
    status = np.where(np.concatenate(vacant), codes.VACANT, codes.SERVING).astype(np.uint8)
    flags = parts.pop("flags")
    flags[status == codes.VACANT] = 0
    station, station_day = initial_stations(scenario, seed, inst_start)
    return Population(
        inst=np.concatenate(inst_col),
        unit=unit,
        flags=flags,
        inst_start=inst_start,
        status=status,
        stage=np.zeros(n_total, dtype=np.uint8),
        pressure=np.zeros(n_total, dtype=np.uint8),
        n_requests=np.zeros(n_total, dtype=np.uint8),
        case_article=np.zeros(n_total, dtype=np.uint8),
        stage_day=minus_one.copy(),
        request_day=minus_one.copy(),
        case_day=minus_one.copy(),
        exit_day=minus_one.copy(),
        confined_day=minus_one,
        days_away=np.zeros(n_total, dtype=np.int32),
        help=np.zeros(n_total, dtype=np.uint8),  # nobody knows of help on day 0 (rules.help)
        station=station,
        station_day=station_day,
        unit_start=unit_start,
        unit_inst=np.concatenate(unit_inst),
        unit_size0=size0,
        inst_size0=np.array([counts[k] for k in scenario.institutions], dtype=np.int64),
        **parts,
    )


def initial_stations(scenario: Scenario, seed: int, inst_start: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each position's holder serves on day 0 (``rules.front``): everyone in the rear, except in an
    institution with a front, where each is on a tour with chance ``front_share``, the rotation's steady state.

    From its own random stream, drawn only for an institution with a front: no other draw moves.
    """
    n = int(inst_start[-1])
    station = np.full(n, codes.STATION_REAR, dtype=np.uint8)
    station_day = np.zeros(n, dtype=np.int32)
    streams = np.random.SeedSequence([seed, 0xF207]).spawn(len(scenario.institutions))
    for k, (inst, ss) in enumerate(zip(scenario.institutions.values(), streams, strict=True)):
        share = inst.front_share
        if share <= 0.0:
            continue
        first, last = int(inst_start[k]), int(inst_start[k + 1])
        x = np.random.Generator(np.random.PCG64(ss)).random(last - first)
        station[first:last] = np.where(x < share, codes.STATION_FRONT, codes.STATION_REAR)
    return station, station_day


def recruit_pool(scenario: Scenario, seed: int) -> Recruits:
    """Each institution's newcomers (P1): ``POOL_SIZE`` draws from its starting distributions, on joining.

    A pure function of (scenario, seed), from its own random stream: the starting population's
    draws do not depend on it.
    """
    streams = np.random.SeedSequence([seed, 0x4EC2]).spawn(len(scenario.institutions))
    parts: dict[str, list[np.ndarray]] = {}
    for inst, ss in zip(scenario.institutions.values(), streams, strict=True):
        traits = _institution_traits(
            inst, POOL_SIZE, np.random.Generator(np.random.PCG64(ss)), scenario.regime.demobilization_days
        )
        traits["age"] = (traits["age"] - traits["seniority"]).astype(np.float32)  # age on joining
        for key in POOL_DRAWN:
            parts.setdefault(key, []).append(traits[key])
    n_inst = len(scenario.institutions)
    return Recruits(
        **{k: np.concatenate(v) for k, v in parts.items()},
        start=np.arange(n_inst + 1, dtype=np.int64) * POOL_SIZE,
        reservist=np.array([inst.reservist for inst in scenario.institutions.values()], dtype=np.uint8),
    )


# ---- the signals and the offices --------------------------------------------------------------------


def new_signals(n_units: int, n_inst: int) -> Signals:
    """All zero: on day 0 nobody has acted and no case is open; lawyers take on all who ask."""
    return Signals(
        acted=np.zeros(n_units),
        headcount=np.zeros(n_units),
        cases_open=np.zeros(n_units),
        entered=np.zeros((n_units, N_QUEUES), dtype=np.int64),
        utility=np.zeros((n_units, N_MOVES)),
        unit_share=np.zeros(n_units),
        unit_case_share=np.zeros(n_units),
        inst_share=np.zeros(n_inst),
        awaiting=np.zeros(n_units),
        acted_gone=np.zeros(n_units),
        recruit_odds=np.zeros(n_inst),
        casualties=np.zeros(n_units),
        unit_casualty_share=np.zeros(n_units),
        legal_sought=np.zeros(n_units),
        legal_odds=np.ones(1),
        help_known=np.zeros(n_units),
        unit_help_share=np.zeros(n_units),
        help_sought=np.zeros(n_units),
        help_odds=np.ones(1),
        viral_yesterday=np.zeros(1),
        hidden=np.zeros(n_units),
        viral=np.zeros(n_units),
        unit_peer=np.zeros(n_units),
        inst_peer=np.zeros(n_inst),
        public_posts=np.zeros(n_inst),
        public_share=np.zeros(n_inst),
    )


def new_offices(people: Population) -> Offices:
    """No ban yet, empty queues, and each institution's search for a vacant post at its first position."""
    return Offices(
        active=np.zeros(people.inst_size0.shape[0], dtype=np.int8),
        credit=np.zeros(N_QUEUES),
        q_who=np.zeros((N_QUEUES, people.n + 1), dtype=np.int32),
        q_day=np.zeros((N_QUEUES, people.n + 1), dtype=np.int32),
        q_ends=np.zeros((N_QUEUES, TAIL + 1), dtype=np.int64),
        cursor=people.inst_start[:-1].copy(),
        watch_from=np.zeros(people.inst_size0.shape[0], dtype=np.int64),
    )


def _rule_inputs(scenario: Scenario, mobilization_end_day: int) -> dict:
    """The inputs a phase may change: the rules' numbers, the institutions', the ban policy and the offices'."""
    capacities = scaled(scenario)
    return {
        "rules": rule_params(scenario, mobilization_end_day),
        "inst": institution_params(scenario),
        "ban_policy": np.full(len(scenario.institutions), BAN_POLICY[scenario.regime.resignation_ban], dtype=np.int8),
        "trigger": float(scenario.regime.ban_trigger_share),  # a float always: one compiled type
        "queue_rates": np.array([capacities[name] for name in QUEUE_CAPACITIES], dtype=np.float64),
    }


def phase_inputs(scenario: Scenario, inputs: EngineInputs) -> tuple[tuple[int, EngineInputs], ...]:
    """``(engine day, inputs from that day on)`` for each phase date: ``inputs`` with the phase's values.

    Only the read-only numbers change (same types, so the compiled day loop is reused); the state,
    the random key and the newcomers' pool carry on (``engine.loop.run_days`` swaps them in).
    """
    days = phases.timeline(scenario)
    end = phases.mobilization_end_day(scenario, days)
    return tuple((day, inputs._replace(**_rule_inputs(today, end))) for day, today in days)


def build(scenario: Scenario, seed: int) -> tuple[EngineInputs, EngineState]:
    """Everything a run of ``scenario`` with ``seed`` reads and changes. Pure function of (scenario, seed).

    The inputs are the scenario's before any phase; ``phase_inputs`` gives those of each phase date.
    """
    people = initial_population(scenario, seed)
    inputs = EngineInputs(
        key=seed_key(seed),
        recruits=recruit_pool(scenario, seed),
        inst_size0=people.inst_size0.astype(np.float64),
        **_rule_inputs(scenario, phases.mobilization_end_day(scenario)),
    )
    state = EngineState(
        people=people,
        signals=new_signals(people.n_units, people.inst_size0.shape[0]),
        offices=new_offices(people),
        institution_days=np.zeros(people.inst_size0.shape[0], dtype=INSTITUTION_DAY),
        unit_tally=np.zeros((people.n_units, N_TALLIES), dtype=np.float64),
    )
    return inputs, state
