"""Size limits: estimate the memory a run needs and refuse, with both figures, when it would not fit.

A run that does not fit is otherwise killed by the kernel's OOM killer part-way through,
with no message and nothing written. The estimate counts the arrays a run allocates
(``engine.state.Population``, the queue buffers, the per-unit signals and tallies, the daily
series and the output table) from the dtypes ``engine.state`` declares and the signals
``engine.build`` makes, so it grows with the engine's real layout; it is checked
against the memory this process may still use (``MemAvailable`` and any cgroup limit), or
against ``EXITBAN_MEMORY_LIMIT`` (e.g. ``8GiB``) when set.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from exitban.engine.columns import N_TALLIES
from exitban.engine.state import N_QUEUES, POSITION_DTYPES, UNIT_DTYPES
from exitban.errors import ResourceError, ScenarioError
from exitban.scenario import Scenario

ENV_LIMIT = "EXITBAN_MEMORY_LIMIT"

POPULATION_BYTES = sum(np.dtype(dtype).itemsize for dtype in POSITION_DTYPES.values())  # per position
LAYOUT_BYTES = sum(np.dtype(dtype).itemsize for dtype in UNIT_DTYPES.values())  # per unit
# While the population is drawn, each institution's traits exist twice (per-institution parts, then
# the concatenated arrays) and numpy draws in float64 before casting: about 8 bytes per person more.
INIT_EXTRA_BYTES = POPULATION_BYTES + 8
QUEUE_BYTES = 2 * N_QUEUES * 4  # engine.state.Offices: two (N_QUEUES, N + 1) int32 ring buffers
TABLE_COLUMNS = 100  # observe.timeseries: ~90 output columns, 8 bytes each, held as numpy then Polars
SLACK = 1.15  # allocator fragmentation and small temporaries


@dataclass(frozen=True)
class Estimate:
    """The memory a run needs, in bytes, by part."""

    agents: int  # people at the start
    positions: int  # state.Population's length: the people's positions and the vacant ones
    units: int
    days: int
    population: int
    queues: int
    units_bytes: int
    series: int
    table: int

    @property
    def total(self) -> int:
        steady = self.population + self.queues + self.units_bytes + self.series
        init_peak = self.population + self.positions * INIT_EXTRA_BYTES
        return int(SLACK * (max(steady, init_peak) + self.table))


def estimate(scenario: Scenario, days: int | None = None) -> Estimate:
    """Estimate the memory of ``simulate(scenario, days=days)`` from the engine's array dtypes."""
    days = scenario.days if days is None else days
    from exitban.engine.build import new_signals, unit_layout

    # the per-unit signals and the day's tallies of one unit (new_signals(0, 0) holds only the shared odds)
    unit_bytes = N_TALLIES * 8 + sum(a.nbytes for a in new_signals(1, 0)) - sum(a.nbytes for a in new_signals(0, 0))
    counts = scenario.agents()
    layouts = [unit_layout(counts[k], inst) for k, inst in scenario.institutions.items()]
    n = sum(int(positions.sum()) for _, positions in layouts)  # positions, vacant ones included
    units = sum(members.shape[0] for members, _ in layouts)
    rows = days * len(counts)
    return Estimate(
        agents=sum(counts.values()),
        positions=n,
        units=units,
        days=days,
        population=n * POPULATION_BYTES + units * LAYOUT_BYTES,
        queues=(n + 1) * QUEUE_BYTES,
        units_bytes=units * unit_bytes,
        series=rows * (N_TALLIES * 8 + 1),
        table=2 * rows * TABLE_COLUMNS * 8,
    )


def estimate_bytes(scenario: Scenario, days: int | None = None) -> int:
    """Bytes a run of ``scenario`` over ``days`` days needs at its peak (an upper estimate)."""
    return estimate(scenario, days).total


def parse_bytes(text: str) -> int:
    """'8GiB', '500 MB', '2e9' or '1073741824' -> bytes."""
    units = {"": 1, "b": 1, "k": 10**3, "kb": 10**3, "m": 10**6, "mb": 10**6, "g": 10**9, "gb": 10**9,
             "t": 10**12, "tb": 10**12, "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40}  # fmt: skip
    match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]*)?(?:e[0-9]+)?)\s*([a-z]*)\s*", text.lower())
    if match is None or match.group(2) not in units:
        raise ScenarioError(f"{ENV_LIMIT}={text!r}: not a size (allowed: a number of bytes, or e.g. 8GiB, 500MB)")
    value = float(match.group(1)) * units[match.group(2)]
    if not value < 2**63:  # 1e400 reads as infinity; no machine has 8 EiB
        raise ScenarioError(f"{ENV_LIMIT}={text!r}: more than 8 EiB (allowed: a size up to 8 EiB, e.g. 8GiB)")
    return int(value)


def _read_int(path: Path) -> int | None:
    try:
        text = path.read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None  # "max" (no limit) reads as None


def _stat(path: Path, key: str) -> int:
    """A counter from a cgroup memory.stat file (0 if absent)."""
    try:
        for line in path.read_text().splitlines():
            name, _, value = line.partition(" ")
            if name == key and value.strip().isdigit():
                return int(value)
    except OSError:
        pass
    return 0


def _cgroup_free(root: Path, proc: Path) -> list[tuple[int, str]]:
    """Free memory under each memory limit of this process's cgroup and its ancestors (v1 and v2).

    Page cache the kernel can reclaim (inactive files) does not count as used, as in ``docker stats``.
    """
    try:
        lines = (proc / "self" / "cgroup").read_text().splitlines()
    except OSError:
        return []
    found: list[tuple[int, str]] = []
    for line in lines:
        hierarchy, controllers, rel = [*line.split(":", 2), "", ""][:3]
        if hierarchy == "0" and controllers == "":  # cgroup v2
            base, files = root, ("memory.max", "memory.current", "inactive_file")
        elif "memory" in controllers.split(","):  # cgroup v1
            base = root / "memory"
            files = ("memory.limit_in_bytes", "memory.usage_in_bytes", "total_inactive_file")
        else:
            continue
        here = base / rel.strip("/")
        for level in (here, *here.parents):
            limit, usage = _read_int(level / files[0]), _read_int(level / files[1])
            if limit is not None and usage is not None and limit < 1 << 60:
                reclaimable = _stat(level / "memory.stat", files[2])
                found.append((max(0, limit - usage + reclaimable), f"cgroup limit {level / files[0]}"))
            if level == base:
                break
    return found


def available_bytes(root: Path = Path("/sys/fs/cgroup"), proc: Path = Path("/proc")) -> tuple[int, str] | None:
    """The memory this process may still allocate and where the figure comes from; None if unknown."""
    configured = os.environ.get(ENV_LIMIT)
    if configured:
        return parse_bytes(configured), ENV_LIMIT
    found: list[tuple[int, str]] = []
    try:
        for line in (proc / "meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                found.append((int(line.split()[1]) * 1024, "MemAvailable in /proc/meminfo"))
    except (OSError, ValueError, IndexError):
        pass
    found.extend(_cgroup_free(root, proc))
    return min(found) if found else None


def gib(n: float) -> str:
    return f"{n / 2**30:.1f} GiB" if n >= 2**30 else f"{n / 2**20:.0f} MiB"


def check_fits(scenario: Scenario, days: int | None = None, budget: int | None = None, copies: int = 1) -> Estimate:
    """Raise ``ResourceError`` (with both figures) if the run would not fit in ``budget`` or free memory.

    ``copies`` runs at once (the local worker processes of a sweep or a calibration) must fit together.
    """
    need = estimate(scenario, days)
    if budget is None:
        known = available_bytes()
        if known is None:
            return need  # cannot tell on this platform: run, as before
        budget, source = known
    else:
        source = "the given budget"
    if need.total * copies > budget:
        together = f" ({copies} runs at once about {gib(need.total * copies)})" if copies > 1 else ""
        fewer = " or --workers" if copies > 1 else ""
        raise ResourceError(
            f"scenario '{scenario.name}' at scale {scenario.scale:g} for {need.days:,} days "
            f"({need.agents:,} agents) needs about {gib(need.total)} of memory{together}, but only {gib(budget)} "
            f"is available ({source}); lower --scale{fewer} or --days, or set {ENV_LIMIT} to override the figure"
        )
    return need
