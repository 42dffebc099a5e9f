"""Limits a sweep is checked against before anything is allocated: runs, design points, memory.

A spec is a few lines, but a grid of 200 parameters with 10 values each, or a billion
replications, asks for more than any machine holds. ``check_sweep_size`` counts the design
from the spec alone (no matrix is built) and refuses, with the figure and the limit, a
sweep that is too large, before the task list, the store or any run exists.

The memory figures were measured with tracemalloc on army-officers-2019 (exitban 0.x):
a design point's resolved scenario takes ~2.5x its JSON length as Python objects, a task
~700 bytes, and each stored run ~20 kB while the runs table is rebuilt (its parsed record,
~16 kB, and its row). They scale with the scenario and the number of outputs.
"""

from __future__ import annotations

import json
import math
from typing import Any

from exitban.errors import ResourceError
from exitban.limits import ENV_LIMIT, available_bytes, gib

MAX_POINTS = 1_000_000
MAX_RUNS = 1_000_000
POINT_FACTOR = 2.5  # bytes of Python objects per byte of a scenario's JSON
TASK_BYTES = 700
RUN_BYTES = 20_000


def design_points(design: str, levels: list[int], samples: int | None) -> int:
    """Points of a design, counted without building it: grid = product of levels; SALib designs from N and D."""
    d, n = len(levels), int(samples or 0)
    if design == "grid":
        return math.prod(levels)
    return {"latin": n, "sobol": n * (d + 2), "morris": n * (d + 1)}[design]


def sweep_bytes(points: int, runs: int, scenario: dict[str, Any]) -> int:
    """Memory the task list and the runs table of a sweep need at their peak (an estimate)."""
    return int(points * POINT_FACTOR * len(json.dumps(scenario)) + runs * (TASK_BYTES + RUN_BYTES))


def check_sweep_size(where: str, points: int, replications: int, scenario: dict[str, Any]) -> None:
    """Raise ``ResourceError`` with the figure and the limit if the sweep is too large to start."""
    runs = points * replications
    if points > MAX_POINTS:
        raise ResourceError(
            f"{where}: the design has {points:,} points (allowed: at most {MAX_POINTS:,}); "
            "give fewer values or levels, or split the sweep into several specs"
        )
    if runs > MAX_RUNS:
        raise ResourceError(
            f"{where}: {points:,} points x {replications:,} replications = {runs:,} runs "
            f"(allowed: at most {MAX_RUNS:,}); lower 'replications' or the design size, or split the sweep"
        )
    need = sweep_bytes(points, runs, scenario)
    known = available_bytes()
    if known is not None and need > known[0]:
        raise ResourceError(
            f"{where}: {runs:,} runs need about {gib(need)} of memory for the task list and runs table, "
            f"but only {gib(known[0])} is available ({known[1]}); split the sweep, or set {ENV_LIMIT}"
        )
