"""Who joins and who moves on (P1), in the Mesa model: newcomers' traits, recruits into vacancies,
draftees, and graduates posted to their ``graduates_to`` institution."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from exitban.mesa.rules import DAYS_PER_YEAR
from exitban.scenario import Institution as InstitutionSpec

if TYPE_CHECKING:
    from exitban.mesa.model import ExitBanModel
    from exitban.mesa.offices import Unit


def _clipped_normal(rng: np.random.Generator, mean: float, sd: float, n: int) -> list[float]:
    return np.clip(rng.normal(mean, sd, n), 0.0, 1.0).tolist()


def _beta(rng: np.random.Generator, mean: float, n: int, concentration: float) -> list[float]:
    """A trait in [0, 1] with the given mean (a Beta with the given concentration)."""
    m = min(max(mean, 1e-3), 1 - 1e-3)
    return rng.beta(m * concentration, (1 - m) * concentration, n).tolist()


def draw_traits(
    rng: np.random.Generator, spec: InstitutionSpec, n: int, demobilization_days: int, newcomers: bool = False
) -> dict[str, list[Any]]:
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
    return {
        "junior": junior.tolist(),
        "seniority": seniority.tolist(),
        "age": (spec.entry_age + rng.uniform(0.0, spec.entry_age_spread, n) + seniority).tolist(),
        "contract_end": np.floor(rng.uniform(0.0, span, n)).astype(int).tolist(),
        "desire": _clipped_normal(rng, spec.desire_mean, spec.desire_sd, n),
        "loyalty": _clipped_normal(rng, spec.loyalty_mean, spec.loyalty_sd, n),
        "risk_aversion": _beta(rng, spec.risk_aversion_mean, n, spec.risk_aversion_concentration),
        "competence": _beta(rng, spec.competence_mean, n, spec.competence_concentration),
        "health": _beta(rng, spec.health_mean, n, spec.health_concentration),
        "family": _beta(rng, spec.family_exposure_mean, n, spec.family_exposure_concentration),
        "means": _beta(rng, spec.means_mean, n, spec.means_concentration),
        "reach": _beta(rng, spec.reach_mean, n, spec.reach_concentration),
        "threshold": rng.normal(spec.threshold_mean, spec.threshold_sd, n).tolist(),
        "passport_held": (rng.random(n) < spec.passports_held).tolist(),
    }


def newcomer(model: ExitBanModel, unit: Unit) -> dict[str, Any]:
    """One newcomer's traits for ``unit``, joining today: no years served, a fresh contract."""
    spec = unit.institution.spec
    one = {k: v[0] for k, v in draw_traits(model.rng, spec, 1, model.scenario.regime.demobilization_days, True).items()}
    day = model.day
    one["seniority"] = -day / DAYS_PER_YEAR  # kept as of day 0, as the engine keeps it
    one["age"] -= day / DAYS_PER_YEAR
    if not spec.reservist:
        one["contract_end"] = day + unit.institution.rules.contract_days
    return one


def recruit(model: ExitBanModel) -> None:
    """Each unit fills each of its vacant positions with the institution's odds of the day (P1)."""
    from exitban.mesa.person import Person

    for unit in model.units:
        odds = unit.institution.recruit_odds
        vacant = unit.positions - unit.members - unit.awaiting
        if odds <= 0.0 or vacant <= 0:
            continue
        for _ in range(int(model.rng.binomial(vacant, min(1.0, odds)))):
            Person(model, unit=unit, **newcomer(model, unit))  # counts itself in unit.members
            unit.institution.count("recruited")


def commission(model: ExitBanModel) -> None:
    """Post waiting graduates, in the order they graduated, to vacant positions of their ``graduates_to``
    institution, unit by unit from where the last search stopped; those who find none wait."""
    still: list[Any] = []
    for person in model.graduates:
        target = model.by_name[person.institution.spec.graduates_to]
        if person.exit_day >= model.day or still:  # graduated today, or an earlier one found no post
            still.append(person)
            continue
        unit = target.vacant_unit()
        if unit is None:
            still.append(person)
            continue
        person.post_to(unit)
        target.count("commissioned")
    model.graduates = still
