"""Sensitivity analysis of the model itself: a lever the scenario does not use gets a total index of zero."""

from __future__ import annotations

from pathlib import Path

import pytest

from exitban.sweep import SerialExecutor, SweepSpec, analyze_runs, run_sweep


def test_inert_lever_has_zero_total_index(tmp_path: Path) -> None:
    """With travel control off, the top reviewer's capacity changes nothing: ST = 0; desire to leave matters."""
    spec = SweepSpec.model_validate(
        {"name": "inert", "base": "army-officers-2019", "days": 20, "scale": 0.002, "design": "sobol",
         "samples": 8, "root_seed": 12,
         "parameters": {"bureaucracy.top_reviewer_capacity_per_day": {"range": [1, 5000]},
                        "institutions.officers.desire_mean": {"range": [0.1, 0.9]}},
         "sensitivity": {"outputs": ["want_out"], "num_resamples": 100}}
    )  # fmt: skip
    report = run_sweep(spec, tmp_path / "s", executor=SerialExecutor())
    assert (report.ran, report.failed) == (32, 0)
    table = analyze_runs(spec, report.store.runs())
    inert, desire = table.row(0, named=True), table.row(1, named=True)
    assert inert["parameter"] == "bureaucracy.top_reviewer_capacity_per_day"
    assert inert["ST"] == pytest.approx(0.0, abs=1e-12)
    assert desire["ST"] > 0.5
