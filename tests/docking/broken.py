"""Deliberately broken variants, to show that docking notices a wrong rule (its own sensitivity check).

Each breaks one rule in one implementation only; docking the broken side against the
intact other side must fail. ``tests/docking/test_sensitivity.py`` runs them, and
``docs/docking.md`` shows the failing table.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from exitban.engine import build
from exitban.mesa.model import ExitBanModel
from exitban.mesa.offices import Unit
from exitban.mesa.person import Person


class EagerCommander(Unit):
    """Broken R8: the commander signs twice as often as the scenario says."""

    def sign_probability(self, person: Person) -> float:
        return 2.0 * super().sign_probability(person)


class EagerCommanderModel(ExitBanModel):
    """The Mesa model with ``EagerCommander`` in every unit."""

    unit_class = EagerCommander


@contextmanager
def engine_with_eager_commanders() -> Iterator[None]:
    """Within the block the engine's commanders also sign twice as often (the same break on the other side)."""
    original = build.rule_params

    def doubled(scenario, mobilization_end_day=None):  # type: ignore[no-untyped-def]
        P = original(scenario, mobilization_end_day)
        return P._replace(sign_prob_free=2.0 * P.sign_prob_free, sign_prob_banned=2.0 * P.sign_prob_banned)

    build.rule_params = doubled
    try:
        yield
    finally:
        build.rule_params = original
