"""Sweep specifications: which scenario, which parameters, which design, how many replications.

A spec is a TOML file validated with pydantic (unknown keys are errors). Parameters are
named by dotted paths into the scenario (``regime.prosecution_threat``,
``institutions.officers.desire_mean``); each run's scenario is the base with the overrides
set by ``exitban.scenario.edit.set_fields``, the setter ``--set`` uses. Every run's seed
is derived from the root seed here, before any work is dispatched, so results do not depend
on how the runs are split between workers.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from exitban._version import __version__
from exitban.errors import ScenarioError
from exitban.limits import check_fits
from exitban.scenario.edit import check_fields, set_fields
from exitban.scenario.load import load_scenario, locate_base, read_toml
from exitban.scenario.messages import format_validation_error
from exitban.scenario.names import check_name
from exitban.scenario.schema import Scenario
from exitban.sweep.sizing import check_sweep_size, design_points

Design = Literal["grid", "latin", "sobol", "morris"]
Value = bool | int | float | str
DEFAULT_OUTPUTS = ["serving", "exits_total", "want_out", "defend_share"]
MAX_SPEC_BYTES = 1 << 20  # a spec is a few hundred bytes


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ParameterSpec(_Strict):
    """One varied parameter: a ``range = [low, high]`` or, for grids, a list of ``values``."""

    range: tuple[float, float] | None = None
    values: list[Value] | None = Field(None, min_length=1, max_length=10_000)
    levels: int = Field(3, ge=2, le=10_000, description="grid points across a range (design = grid only)")

    @model_validator(mode="after")
    def _one_of(self) -> ParameterSpec:
        if (self.range is None) == (self.values is None):
            raise ValueError("give exactly one of 'range = [low, high]' or 'values = [...]'")
        if self.range is not None and not (math.isfinite(self.range[0]) and self.range[0] < self.range[1]):
            raise ValueError(f"range must be [low, high] with low < high, got {list(self.range)}")
        return self

    def grid_values(self) -> list[Value]:
        if self.values is not None:
            return list(self.values)
        assert self.range is not None
        return [float(v) for v in np.linspace(self.range[0], self.range[1], self.levels)]


class SensitivitySpec(_Strict):
    """What ``exitban sensitivity`` analyses: summary outputs, confidence level, bootstrap size.

    Sobol designs are sampled for first and total order indices only (N x (D + 2) runs).
    """

    outputs: list[str] = Field(default_factory=lambda: list(DEFAULT_OUTPUTS), min_length=1)
    conf_level: float = Field(0.95, gt=0, lt=1)
    num_resamples: int = Field(1000, ge=10, le=100_000)


class SweepSpec(_Strict):
    """A validated sweep: base scenario, varied parameters, design, replications, root seed."""

    name: str = Field("sweep", min_length=1, max_length=120, pattern=r"^[A-Za-z0-9_.-]+$")
    _name_is_a_name = field_validator("name")(lambda value: check_name(value))  # '..' is not a store folder
    base: str = Field(min_length=1)
    days: int | None = Field(None, ge=1, le=36_500)
    scale: float | None = Field(None, gt=0, le=10)
    design: Design = "grid"
    samples: int | None = Field(None, ge=1, le=1_000_000, description="base sample size N (latin/sobol/morris)")
    morris_levels: int = Field(4, ge=2, le=100)
    replications: int = Field(1, ge=1, le=100_000)
    root_seed: int = Field(0, ge=0, le=2**63 - 1)
    common_random_numbers: bool = True
    parameters: dict[str, ParameterSpec] = Field(min_length=1, max_length=200)
    sensitivity: SensitivitySpec = SensitivitySpec()

    @model_validator(mode="after")
    def _design_fits(self) -> SweepSpec:
        if self.design == "grid":
            if self.samples is not None:
                raise ValueError("'samples' is for latin/sobol/morris designs; a grid takes every listed value")
            return self
        if self.samples is None:
            raise ValueError(f"design '{self.design}' needs 'samples' (the base sample size N)")
        listed = [k for k, p in self.parameters.items() if p.range is None]
        if listed:
            raise ValueError(f"design '{self.design}' needs a 'range' for every parameter; {listed} give 'values'")
        if self.design == "sobol" and self.samples & (self.samples - 1):
            raise ValueError(f"design 'sobol' needs 'samples' to be a power of 2 (e.g. 64, 128), got {self.samples}")
        return self

    def problem(self) -> dict[str, Any]:
        """The SALib problem definition for the ranged parameters."""
        names = list(self.parameters)
        return {
            "num_vars": len(names),
            "names": names,
            "bounds": [list(p.range or (0, 1)) for p in self.parameters.values()],
        }

    def design_matrix(self) -> list[tuple[Value, ...]]:
        """Every design point, one tuple of values per point in parameter order (deterministic)."""
        if self.design == "grid":
            return list(itertools.product(*(p.grid_values() for p in self.parameters.values())))
        return [tuple(float(v) for v in row) for row in self.salib_samples()]

    def salib_samples(self) -> np.ndarray:
        """The SALib sample matrix for latin/sobol/morris designs, seeded by the root seed."""
        from SALib.sample import latin, morris, sobol

        problem, n, seed = self.problem(), int(self.samples or 0), self.root_seed % 2**32
        if self.design == "sobol":
            return sobol.sample(problem, n, calc_second_order=False, seed=seed)
        if self.design == "morris":
            return morris.sample(problem, n, num_levels=self.morris_levels, seed=seed)
        if self.design == "latin":
            return latin.sample(problem, n, seed=seed)
        raise ValueError(f"design '{self.design}' has no SALib sampler")

    def content_hash(self) -> str:
        """What the runs depend on (the analysis settings are left out: changing them needs no new runs)."""
        payload = self.model_dump(mode="json", exclude={"sensitivity"})
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class RunTask:
    """One run to do: a fully resolved scenario (plain data) and its seed."""

    run_id: str
    point: int
    replicate: int
    seed: int
    params: dict[str, Value]
    scenario: dict[str, Any]


def derive_seed(root_seed: int, replicate: int, point: int | None = None) -> int:
    """A 63-bit seed for one run, from the root seed alone (SeedSequence spawn keys).

    With common random numbers (``point=None``) replicate r uses the same seed at every
    design point, so differences between points are not blurred by different noise.
    """
    key = (replicate,) if point is None else (point, replicate)
    state = np.random.SeedSequence(root_seed, spawn_key=key).generate_state(1, dtype=np.uint64)[0]
    return int(state >> np.uint64(1))


def run_id(point: int, replicate: int) -> str:
    return f"p{point:06d}-r{replicate:04d}"


def load_spec(path: str | Path) -> tuple[SweepSpec, Path]:
    """Read and validate a sweep spec file; every error names the file and the field."""
    p = Path(path)
    data = read_toml(p, MAX_SPEC_BYTES, "a sweep spec", "no such sweep spec file")
    try:
        return SweepSpec.model_validate(data), p
    except ValidationError as exc:
        raise ScenarioError(format_validation_error(p, exc, root=SweepSpec)) from None


def resolve_base(spec: SweepSpec, spec_path: Path | None) -> Scenario:
    """The base scenario (a shipped name, or a file under the spec file's folder) with days/scale applied."""
    try:
        # a spec file is shared like a scenario: its base may not leave its folder (as with extends)
        sc = load_scenario(locate_base(spec.base, spec_path.parent) if spec_path is not None else spec.base)
    except ScenarioError as exc:
        raise ScenarioError(f"{spec_path or 'spec'}: field 'base': {exc}") from None
    changes = {k: v for k, v in (("days", spec.days), ("scale", spec.scale)) if v is not None}
    return sc.with_overrides(**changes) if changes else sc


def build_tasks(spec: SweepSpec, spec_path: Path | None = None) -> list[RunTask]:
    """Every run of the sweep, with its scenario validated and its seed fixed, before any work starts."""
    where = str(spec_path or "spec")
    base = resolve_base(spec, spec_path)
    names = list(spec.parameters)
    check_fields(base, names, f"{where}: parameters")  # a parameter that names no field fails before any sizing
    base_data = base.model_dump(mode="json")
    levels = [len(p.grid_values()) if p.values is not None else p.levels for p in spec.parameters.values()]
    check_sweep_size(where, design_points(spec.design, levels, spec.samples), spec.replications, base_data)
    check_fits(base)  # one run must fit, or every run would fail the same way
    ranged = frozenset(k for k, p in spec.parameters.items() if p.range is not None)
    tasks: list[RunTask] = []
    for point, row in enumerate(spec.design_matrix()):
        params = dict(zip(names, row, strict=True))
        shown = ", ".join(f"{k} = {v!r}" for k, v in params.items())
        scenario = set_fields(base, params, where=f"{where}: design point {point} ({shown})", rounded=ranged)
        resolved = scenario.model_dump(mode="json")
        coerced = {k: _get(resolved, k) for k in names}
        for rep in range(spec.replications):
            seed = derive_seed(spec.root_seed, rep, None if spec.common_random_numbers else point)
            tasks.append(RunTask(run_id(point, rep), point, rep, seed, coerced, resolved))
    return tasks


def _get(data: dict[str, Any], dotted: str) -> Any:
    node: Any = data
    for part in dotted.split("."):
        node = node[part]
    return node


def tasks_hash(tasks: list[RunTask]) -> str:
    """SHA-256 over every run's id, seed and resolved scenario: changes if the base scenario file changes."""
    digest = hashlib.sha256()
    for t in tasks:
        if t.replicate == 0 or t.point == 0:
            blob = json.dumps(t.scenario, sort_keys=True) if t.replicate == 0 else ""
            digest.update(f"{t.run_id}|{t.seed}|{blob}\n".encode())
    return digest.hexdigest()


def manifest(spec: SweepSpec, tasks: list[RunTask], kind: str = "sweep") -> dict[str, Any]:
    """What identifies a sweep's store: a later command may add runs only to the same sweep."""
    return {
        "kind": kind,
        "name": spec.name,
        "spec_hash": hashlib.sha256(f"{spec.content_hash()}|{tasks_hash(tasks)}".encode()).hexdigest(),
        "version": __version__,
        "runs": len(tasks),
        "parameters": list(spec.parameters),
        "spec": spec.model_dump(mode="json"),
    }
