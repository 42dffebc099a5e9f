"""exitban: an agent-based model of exit bans -- institutions whose people want to leave and may not."""

from exitban._version import __version__
from exitban.errors import ExitbanError, OutputError, ResourceError, ScenarioError, StoreError
from exitban.loader import list_scenarios, load_scenario
from exitban.scenario import Scenario
from exitban.simulate import Result, simulate

__all__ = [
    "ExitbanError",
    "OutputError",
    "ResourceError",
    "Result",
    "Scenario",
    "ScenarioError",
    "StoreError",
    "__version__",
    "list_scenarios",
    "load_scenario",
    "simulate",
]
