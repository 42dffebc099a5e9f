"""The population as a struct of arrays, and its initialisation from a scenario (P1-P3).

An element of the arrays is a position; its holder may leave, and a newcomer may take it
(``engine.rules.flows``). Positions are sorted by institution, then unit: a unit's members
are contiguous, so the kernel reads peers from cache. ``unit_start[u]:unit_start[u + 1]``
are unit ``u``'s positions; an institution with ``positions_per_member`` above 1 starts with
the extra positions of each unit vacant.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from exitban.engine import codes
from exitban.scenario import Institution, Scenario


class Population(NamedTuple):
    """Per-person state (length N) and the unit layout (length U or U+1).

    A named tuple of arrays: the compiled rules take it whole and read ``people.desire[i]``.
    The arrays are changed in place; the tuple itself never is.

    inst (N,) int16: institution index, in the scenario's order.
    unit (N,) int32: unit index; units never span institutions.
    junior (N,) uint8: 1 for junior ranks (lieutenants) whose release the ministry orders under R9.
    seniority (N,) float32: years served on day 0 (negative for one who joined later): on day d one has
        served ``seniority + d / 365`` years.
    age (N,) float32: age in years on day 0, kept the same way.
    contract_end (N,) int32: day the current contract runs out (may be negative: already past).
    desire, loyalty, fear, risk_aversion, competence, health, family, means, reach, threshold
        (N,) float32: P3 traits, all in [0, 1] except threshold (Granovetter, any real).
    status (N,) uint8: 0 serving, else the exit channel (codes.EXIT_*), codes.GRADUATING or codes.VACANT.
    stage (N,) uint8: the move under way (codes.QUIET ...).
    flags (N,) uint8: bit set of codes.F_*.
    pressure (N,) uint8: highest rung of the pressure ladder reached (R12), 0-7.
    n_requests (N,) uint8: resignation requests filed (saturates at 255).
    case_article (N,) uint8: the article of the open case (codes.ART_*); read only while F_CASE is set.
    stage_day, request_day, case_day, exit_day (N,) int32: day the stage / first request /
        open case / exit began; -1 when none.
    unit_start (U+1,) int64; unit_inst (U,) int16; unit_size0 (U,) int32: starting members.
    inst_size0 (I,) int64: starting members of each institution; inst_start (I+1,) int64: its first position.
    """

    inst: np.ndarray
    unit: np.ndarray
    junior: np.ndarray
    seniority: np.ndarray
    age: np.ndarray
    contract_end: np.ndarray
    desire: np.ndarray
    loyalty: np.ndarray
    fear: np.ndarray
    risk_aversion: np.ndarray
    competence: np.ndarray
    health: np.ndarray
    family: np.ndarray
    means: np.ndarray
    reach: np.ndarray
    threshold: np.ndarray
    status: np.ndarray
    stage: np.ndarray
    flags: np.ndarray
    pressure: np.ndarray
    n_requests: np.ndarray
    case_article: np.ndarray
    stage_day: np.ndarray
    request_day: np.ndarray
    case_day: np.ndarray
    exit_day: np.ndarray
    unit_start: np.ndarray
    unit_inst: np.ndarray
    unit_size0: np.ndarray
    inst_size0: np.ndarray
    inst_start: np.ndarray

    @property
    def n(self) -> int:
        return int(self.inst.shape[0])

    @property
    def n_units(self) -> int:
        return int(self.unit_inst.shape[0])

    def nbytes_per_agent(self) -> float:
        """Bytes of state per person, unit layout included."""
        total = sum(arr.nbytes for arr in self)
        return total / max(1, self.n)


def _clipped_normal(rng: np.random.Generator, mean: float, sd: float, n: int) -> np.ndarray:
    return np.clip(rng.normal(mean, sd, n), 0.0, 1.0).astype(np.float32)


def _beta_like(rng: np.random.Generator, mean: float, n: int, concentration: float) -> np.ndarray:
    """A Beta draw with the given mean and concentration (a + b), for traits bounded in [0, 1]."""
    m = min(max(mean, 1e-3), 1 - 1e-3)
    return rng.beta(m * concentration, (1 - m) * concentration, n).astype(np.float32)


class Recruits(NamedTuple):
    """Each institution's pool of newcomers, drawn at the start like its starting members (P1, P3).

    Traits as in ``Population`` (age: age on joining; contract_end: a reservist's release day
    counted from mobilization's end), for ``start[k]:start[k + 1]``; ``reservist`` (I,) uint8.
    """

    desire: np.ndarray
    loyalty: np.ndarray
    risk_aversion: np.ndarray
    competence: np.ndarray
    health: np.ndarray
    family: np.ndarray
    means: np.ndarray
    reach: np.ndarray
    threshold: np.ndarray
    junior: np.ndarray
    flags: np.ndarray
    age: np.ndarray
    contract_end: np.ndarray
    start: np.ndarray
    reservist: np.ndarray


POOL_SIZE = 1_024  # newcomers drawn per institution: enough that a recruit is an independent-looking draw


def unit_layout(n: int, inst: Institution) -> tuple[np.ndarray, np.ndarray]:
    """Starting members and positions of each unit of an institution of ``n`` members."""
    n_units = max(1, -(-n // inst.unit_size))
    members = np.full(n_units, n // n_units, dtype=np.int64)
    members[: n % n_units] += 1
    positions = np.ceil(members * inst.positions_per_member - 1e-9).astype(np.int64)
    return members, positions


def _institution_traits(inst: Institution, n: int, rng: np.random.Generator, demobilization_days: int) -> dict:
    contract_days = inst.contract_years * 365.0
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
    """Draw the starting population. Pure function of (scenario, seed)."""
    counts = scenario.agents()
    streams = np.random.SeedSequence([seed, 0x1A17]).spawn(len(counts))
    parts: dict[str, list[np.ndarray]] = {}
    unit_sizes: list[np.ndarray] = []
    unit_inst: list[np.ndarray] = []
    inst_col: list[np.ndarray] = []
    unit_slots: list[np.ndarray] = []
    vacant: list[np.ndarray] = []
    for k, ((name, inst), ss) in enumerate(zip(scenario.institutions.items(), streams, strict=True)):
        n = counts[name]
        rng = np.random.Generator(np.random.PCG64(ss))
        members, positions = unit_layout(n, inst)
        for key, arr in _institution_traits(
            inst, int(positions.sum()), rng, scenario.regime.demobilization_days
        ).items():
            parts.setdefault(key, []).append(arr)
        unit_sizes.append(members.astype(np.int32))
        unit_slots.append(positions)
        unit_inst.append(np.full(members.shape[0], k, dtype=np.int16))
        inst_col.append(np.full(int(positions.sum()), k, dtype=np.int16))
        # a unit's first ``members`` positions are held; the rest start vacant
        offset = np.repeat(np.cumsum(positions) - positions, positions)
        vacant.append(np.arange(int(positions.sum())) - offset >= np.repeat(members, positions))
    size0 = np.concatenate(unit_sizes)
    slots = np.concatenate(unit_slots)
    unit_start = np.zeros(slots.shape[0] + 1, dtype=np.int64)
    np.cumsum(slots, out=unit_start[1:])
    n_total = int(unit_start[-1])
    unit = np.repeat(np.arange(slots.shape[0], dtype=np.int32), slots)
    minus_one = np.full(n_total, -1, dtype=np.int32)
    status = np.where(np.concatenate(vacant), codes.VACANT, codes.SERVING).astype(np.uint8)
    inst_slots = np.array([len(c) for c in inst_col], dtype=np.int64)
    inst_start = np.zeros(len(inst_col) + 1, dtype=np.int64)
    np.cumsum(inst_slots, out=inst_start[1:])
    flags = np.concatenate(parts.pop("flags"))
    flags[status == codes.VACANT] = 0
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
        exit_day=minus_one,
        unit_start=unit_start,
        unit_inst=np.concatenate(unit_inst),
        unit_size0=size0,
        inst_size0=np.array([counts[k] for k in scenario.institutions], dtype=np.int64),
        **{k: np.concatenate(v) for k, v in parts.items()},
    )


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
        for key in Recruits._fields[:-2]:
            parts.setdefault(key, []).append(traits[key])
    n_inst = len(scenario.institutions)
    return Recruits(
        **{k: np.concatenate(v) for k, v in parts.items()},
        start=np.arange(n_inst + 1, dtype=np.int64) * POOL_SIZE,
        reservist=np.array([inst.reservist for inst in scenario.institutions.values()], dtype=np.uint8),
    )
