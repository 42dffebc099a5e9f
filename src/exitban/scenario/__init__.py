"""The input side: the scenario schema, its files, its fields and the messages for what it refuses.

- ``schema``: the pydantic tables (``Scenario``, ``Institution``, the sections) and provenance;
- ``fields``: what the schema says about a field (the field at a dotted path, its bounds, its unit);
- ``edit``: the one setter for dotted fields (``--set``, sweeps, calibration, ``with_params``);
- ``load``: finding, reading, merging (``extends``) and writing scenario files;
- ``messages``: pydantic errors as one line per bad field, for any input file's model;
- ``names``: printable names and labels, and file names made from them;
- ``run_size``: the bounds of ``days`` and ``scale``, without pydantic, for the command line.

It uses pydantic only: no NumPy, nothing from the engine. The names below load on first use,
so reading the shipped scenarios' headers (``load.shipped_headers``) needs no pydantic.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from exitban.scenario.load import list_scenarios, load_scenario, locate, to_toml
    from exitban.scenario.schema import (
        Behaviour,
        Bureaucracy,
        Casualties,
        Institution,
        Outputs,
        Pressure,
        Regime,
        Scenario,
        resolve_provenance,
    )

__all__ = [
    "Behaviour",
    "Bureaucracy",
    "Casualties",
    "Institution",
    "Outputs",
    "Pressure",
    "Regime",
    "Scenario",
    "list_scenarios",
    "load_scenario",
    "locate",
    "resolve_provenance",
    "to_toml",
]
_LOAD = {"list_scenarios", "load_scenario", "locate", "to_toml"}


def __getattr__(name: str) -> Any:
    # the schema (pydantic) loads on first use: the load functions list the shipped files without it
    if name in __all__:
        home = "exitban.scenario.load" if name in _LOAD else "exitban.scenario.schema"
        value = getattr(importlib.import_module(home), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'exitban.scenario' has no attribute {name!r}")
