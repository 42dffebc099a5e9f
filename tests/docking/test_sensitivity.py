"""Docking is sensitive: one broken rule, in either implementation, makes it fail."""

from __future__ import annotations

from typing import Any

from exitban.mesa.docking import compare, engine_runs, mesa_runs
from tests.docking.broken import EagerCommanderModel, engine_with_eager_commanders

# Without the ban the commander's signature is the main way out, so a wrong signing rule shows.
SCENARIO = "army-officers-2019-ban-lifted"


def differing(engine: list, mesa: list) -> list[str]:
    return [t.output for t in compare(engine, mesa) if t.differs]


def test_commanders_signing_twice_as_often_in_mesa_fail_docking(runs: Any) -> None:
    """A Mesa model whose commanders sign at double the rate no longer docks: the backlog and the waits differ."""
    broken = mesa_runs(runs.scenario(SCENARIO), runs.seeds, runs.processes, EagerCommanderModel)
    failed = differing(runs(SCENARIO, "engine"), broken)
    assert {"backlog", "released_wait_years"} <= set(failed), failed


def test_commanders_signing_twice_as_often_in_the_engine_fail_docking(runs: Any) -> None:
    """The same break on the engine's side, against the intact Mesa model, fails too."""
    with engine_with_eager_commanders():
        broken = engine_runs(runs.scenario(SCENARIO), runs.seeds)
    failed = differing(broken, runs(SCENARIO, "mesa"))
    assert {"backlog", "released_wait_years"} <= set(failed), failed
