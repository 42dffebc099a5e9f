"""exitban: an agent-based model of exit bans -- institutions whose people want to leave and may not."""

from exitban._version import __version__
from exitban.loader import ScenarioError, list_scenarios, load_scenario
from exitban.scenario import Scenario
from exitban.simulate import Result, simulate

__all__ = ["Result", "Scenario", "ScenarioError", "__version__", "list_scenarios", "load_scenario", "simulate"]
