"""Docking is sensitive: one broken rule, in either implementation, makes it fail."""

from __future__ import annotations

from collections.abc import Callable

from exitban.mesa.broken import EagerCommanderModel, engine_with_eager_commanders
from exitban.mesa.docking import compare, engine_runs, mesa_runs, sized

from .conftest import AGENTS, DAYS, PROCESSES, SEEDS

# Without the ban the commander's signature is the main way out, so a wrong signing rule shows.
SCENARIO = "army-officers-2019-ban-lifted"


def differing(engine: list, mesa: list) -> list[str]:
    return [t.output for t in compare(engine, mesa) if t.differs]


def test_commanders_signing_twice_as_often_in_mesa_fail_docking(runs: Callable[..., list]) -> None:
    """A Mesa model whose commanders sign at double the rate no longer docks: approvals and backlog differ."""
    broken = mesa_runs(sized(SCENARIO, AGENTS, DAYS), SEEDS, PROCESSES, EagerCommanderModel)
    failed = differing(runs(SCENARIO, "engine"), broken)
    assert {"exits_approved", "backlog"} <= set(failed), failed


def test_commanders_signing_twice_as_often_in_the_engine_fail_docking(runs: Callable[..., list]) -> None:
    """The same break on the engine's side, against the intact Mesa model, fails too."""
    with engine_with_eager_commanders():
        broken = engine_runs(sized(SCENARIO, AGENTS, DAYS), SEEDS)
    failed = differing(broken, runs(SCENARIO, "mesa"))
    assert {"exits_approved", "backlog"} <= set(failed), failed
