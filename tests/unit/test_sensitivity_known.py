"""Sensitivity analysis on functions with known indices, through the same pipeline as model outputs."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest

from exitban.errors import ScenarioError
from exitban.sweep import SweepSpec, analyze_runs

# Ishigami (a=7, b=0.1) on [-pi, pi]^3: analytic first and total order indices.
ISHIGAMI_S1 = [0.3139, 0.4424, 0.0]
ISHIGAMI_ST = [0.5576, 0.4424, 0.2437]


def _spec(design: str, samples: int, names: list[str], bounds: list[tuple[float, float]]) -> SweepSpec:
    return SweepSpec.model_validate(
        {"base": "army-officers-2019", "design": design, "samples": samples, "root_seed": 1, "replications": 2,
         "parameters": {n: {"range": list(b)} for n, b in zip(names, bounds, strict=True)},
         "sensitivity": {"outputs": ["y"], "num_resamples": 200}}
    )  # fmt: skip


def _runs(x: np.ndarray, y: np.ndarray, noise: float = 0.0) -> pl.DataFrame:
    """A runs table like a sweep's: two replicates per point whose mean is y (noise cancels)."""
    n = len(y)
    return pl.DataFrame(
        {
            "point": np.tile(np.arange(n), 2),
            "replicate": np.repeat([0, 1], n),
            "status": ["ok"] * (2 * n),
            "y": np.concatenate([y + noise, y - noise]),
        }
    )


def test_sobol_recovers_ishigami_indices() -> None:
    """Sobol first and total order indices of Ishigami match the analytic values within 0.03."""
    spec = _spec("sobol", 1024, ["x1", "x2", "x3"], [(-math.pi, math.pi)] * 3)
    x = np.array(spec.design_matrix())
    y = np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])
    table = analyze_runs(spec, _runs(x, y, noise=0.5))
    assert table["S1"].to_list() == pytest.approx(ISHIGAMI_S1, abs=0.03)
    assert table["ST"].to_list() == pytest.approx(ISHIGAMI_ST, abs=0.03)
    assert (table["S1_low"] <= table["S1"]).all() and (table["S1"] <= table["S1_high"]).all()
    assert (table["ST_high"] - table["ST_low"] < 0.2).all()


def test_sobol_of_a_linear_model_is_its_variance_shares() -> None:
    """For y = 1*x1 + 2*x2 + 0*x3 on [0,1]^3 the first order indices are 1/5, 4/5, 0 and equal the total ones."""
    spec = _spec("sobol", 512, ["a", "b", "c"], [(0.0, 1.0)] * 3)
    x = np.array(spec.design_matrix())
    table = analyze_runs(spec, _runs(x, x[:, 0] + 2 * x[:, 1]))
    assert table["S1"].to_list() == pytest.approx([0.2, 0.8, 0.0], abs=0.02)
    assert table["ST"].to_list() == pytest.approx([0.2, 0.8, 0.0], abs=0.02)


def test_morris_of_a_linear_model_gives_slope_times_range() -> None:
    """For y = 3*x1 - 2*x2 with ranges 2 and 0.5, mu* = |slope| x range (6 and 1), sigma = 0, x3 inert."""
    spec = _spec("morris", 20, ["x1", "x2", "x3"], [(0.0, 2.0), (1.0, 1.5), (0.0, 1.0)])
    x = np.array(spec.design_matrix())
    table = analyze_runs(spec, _runs(x, 3 * x[:, 0] - 2 * x[:, 1]))
    assert table["mu_star"].to_list() == pytest.approx([6.0, 1.0, 0.0], abs=1e-9)
    assert table["mu"].to_list() == pytest.approx([6.0, -1.0, 0.0], abs=1e-9)
    assert table["sigma"].to_list() == pytest.approx([0.0, 0.0, 0.0], abs=1e-9)


def test_missing_design_points_are_an_error() -> None:
    """Indices over an incomplete design would be wrong: a missing point is refused with a hint."""
    spec = _spec("sobol", 8, ["a", "b"], [(0.0, 1.0)] * 2)
    x = np.array(spec.design_matrix())
    runs = _runs(x, x[:, 0]).filter(pl.col("point") != 3)
    with pytest.raises(ScenarioError, match=r"1 of 32 have no completed run.*Run the same command again"):
        analyze_runs(spec, runs)


def test_unknown_output_lists_the_available_ones() -> None:
    """Asking for an output the runs lack names it and lists what exists."""
    spec = _spec("sobol", 8, ["a", "b"], [(0.0, 1.0)] * 2)
    x = np.array(spec.design_matrix())
    with pytest.raises(ScenarioError, match=r"unknown output\(s\) \['serving'\].*: y"):
        analyze_runs(spec, _runs(x, x[:, 0]), ["serving"])
