"""Who people are when they join (P3): the twin's one list of traits, and the draws that give them.

Pure draws from the scenario's distributions: a random generator, an institution's spec and a
day in, traits out. Nothing here knows the model, a unit or a person.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from exitban.mesa.rules import DAYS_PER_YEAR
from exitban.scenario import Institution


class Traits(NamedTuple):
    """One person's traits at joining; a ``Person`` takes each as an attribute of the same name."""

    junior: bool
    seniority: float  # years served on day 0 (negative for a later newcomer)
    age: float  # on day 0, kept the same way
    contract_end: int  # the day the contract ends (a reservist's: days after mobilization ends)
    desire: float
    loyalty: float
    risk_aversion: float
    competence: float
    health: float
    family: float
    means: float
    reach: float
    threshold: float
    passport_held: bool


def _clipped_normal(rng: np.random.Generator, mean: float, sd: float, n: int) -> list[float]:
    return np.clip(rng.normal(mean, sd, n), 0.0, 1.0).tolist()


def _beta(rng: np.random.Generator, mean: float, n: int, concentration: float) -> list[float]:
    """A trait in [0, 1] with the given mean (a Beta with the given concentration)."""
    m = min(max(mean, 1e-3), 1 - 1e-3)
    return rng.beta(m * concentration, (1 - m) * concentration, n).tolist()


def draw_traits(
    rng: np.random.Generator, spec: Institution, n: int, demobilization_days: int, newcomers: bool = False
) -> list[Traits]:
    """``n`` people of an institution (P3): starting members, or newcomers with no years served."""
    junior = rng.random(n) < spec.junior_share
    young = min(spec.junior_years, spec.seniority_years_max)
    seniority = np.where(
        junior, rng.uniform(0.0, young, n), rng.uniform(young, max(young, spec.seniority_years_max), n)
    )
    if newcomers:
        seniority = np.zeros(n)
    # contracts began at random times (under mobilization some ends lie in the past); a reservist's
    # is his release day counted from mobilization's end (R4)
    span = demobilization_days if spec.reservist else spec.contract_years * DAYS_PER_YEAR
    # drawn trait by trait, in this order: the order of the random stream
    columns = (
        junior.tolist(),
        seniority.tolist(),
        (spec.entry_age + rng.uniform(0.0, spec.entry_age_spread, n) + seniority).tolist(),
        np.floor(rng.uniform(0.0, span, n)).astype(int).tolist(),
        _clipped_normal(rng, spec.desire_mean, spec.desire_sd, n),
        _clipped_normal(rng, spec.loyalty_mean, spec.loyalty_sd, n),
        _beta(rng, spec.risk_aversion_mean, n, spec.risk_aversion_concentration),
        _beta(rng, spec.competence_mean, n, spec.competence_concentration),
        _beta(rng, spec.health_mean, n, spec.health_concentration),
        _beta(rng, spec.family_exposure_mean, n, spec.family_exposure_concentration),
        _beta(rng, spec.means_mean, n, spec.means_concentration),
        _beta(rng, spec.reach_mean, n, spec.reach_concentration),
        rng.normal(spec.threshold_mean, spec.threshold_sd, n).tolist(),
        (rng.random(n) < spec.passports_held).tolist(),
    )
    return [Traits(*person) for person in zip(*columns, strict=True)]


def newcomer(
    rng: np.random.Generator, spec: Institution, day: int, demobilization_days: int, contract_days: int
) -> Traits:
    """One newcomer's traits, joining on ``day``: no years served, a contract from today (a reservist's as drawn)."""
    (one,) = draw_traits(rng, spec, 1, demobilization_days, newcomers=True)
    years = day / DAYS_PER_YEAR
    # seniority (none yet) and age are kept as of day 0, as the engine keeps them
    return one._replace(
        seniority=-years,
        age=one.age - years,
        contract_end=one.contract_end if spec.reservist else day + contract_days,
    )
