"""What a worker does with one particle: set its parameters, simulate, and read the targets' figures."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from exitban.calibration.targets import Measure
from exitban.errors import ResourceError


@dataclass(frozen=True)
class ParticleTask:
    """One proposal to simulate: the base scenario (plain data), the particle's values and seed."""

    run_id: str
    seed: int
    scenario: dict[str, Any]
    params: dict[str, float]
    measures: tuple[Measure, ...]


def run_particle(task: ParticleTask, threads: int | None = None) -> tuple[dict[str, Any], None]:
    """Simulate one particle; a failure is a record with status 'failed' (the particle is then rejected)."""
    if threads:
        import numba

        numba.set_num_threads(min(threads, numba.config.NUMBA_NUM_THREADS))
    from exitban.calibration.measures import measure_value
    from exitban.scenario.edit import set_fields
    from exitban.scenario.schema import Scenario
    from exitban.simulate import simulate

    started = time.perf_counter()
    record: dict[str, Any] = {"run_id": task.run_id, "status": "ok", "error": None}
    try:
        scenario = set_fields(Scenario.model_validate(task.scenario), task.params, where="calibration")
        ts = simulate(scenario, seed=task.seed).timeseries
        record["values"] = [measure_value(m, ts, scenario.scale) for m in task.measures]
    except (ResourceError, MemoryError):
        raise  # this machine's limit, not the particle's fault: never stored as the proposal's result
    except Exception as exc:  # a particle that cannot run is rejected, not fatal
        record.update(status="failed", error=f"{type(exc).__name__}: {exc}", values=[float("nan")] * len(task.measures))
    record["elapsed_s"] = time.perf_counter() - started
    return record, None
