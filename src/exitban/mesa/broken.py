"""Deliberately broken variants, to show that docking notices a wrong rule (its own sensitivity check).

Each breaks one rule in one implementation only; docking the broken side against the
intact other side must fail. ``tests/docking/test_sensitivity.py`` runs them, and
``docs/docking.md`` shows the failing table.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from exitban.engine import params
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
    original = params.regime_vector

    def doubled(scenario):  # type: ignore[no-untyped-def]
        g = original(scenario)
        g[params.G_SIGN_FREE] *= 2.0
        g[params.G_SIGN_BANNED] *= 2.0
        return g

    params.regime_vector = doubled
    try:
        yield
    finally:
        params.regime_vector = original


__all__ = ["EagerCommander", "EagerCommanderModel", "engine_with_eager_commanders"]
