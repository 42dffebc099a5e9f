"""exitban: an agent-based model of exit bans -- institutions whose people want to leave and may not."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from exitban._version import __version__
from exitban.errors import ExitbanError, OutputError, ResourceError, ScenarioError, StoreError
from exitban.simulate import Result, simulate, warmup

if TYPE_CHECKING:
    from exitban.scenario import Scenario
    from exitban.scenario.load import list_scenarios, load_scenario
    from exitban.workflow import compare, discover, plot, replicate, sensitivity, sweep_runs

__all__ = [
    "ExitbanError",
    "OutputError",
    "ResourceError",
    "Result",
    "Scenario",
    "ScenarioError",
    "StoreError",
    "__version__",
    "compare",
    "discover",
    "list_scenarios",
    "load_scenario",
    "plot",
    "replicate",
    "sensitivity",
    "simulate",
    "sweep_runs",
    "warmup",
]
_LAZY = {
    "list_scenarios": "exitban.scenario.load",
    "load_scenario": "exitban.scenario.load",
    "Scenario": "exitban.scenario.schema",
    "compare": "exitban.workflow",
    "discover": "exitban.workflow",
    "plot": "exitban.workflow",
    "replicate": "exitban.workflow",
    "sensitivity": "exitban.workflow",
    "sweep_runs": "exitban.workflow",
}


def __getattr__(name: str) -> Any:
    # pydantic and the schema load on first use: `exitban --help` needs neither
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'exitban' has no attribute {name!r}")
