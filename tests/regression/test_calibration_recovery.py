"""Known answer of the calibration on the engine itself (issue 12, item 5; issue 23, item 5: three at once).

Set a parameter, simulate, and take the simulated figures (as ranges around them) for targets:
calibrating the scenario to them must recover the value that was set, within the posterior's
90% interval, and narrow it well below the prior's width. The nuisance parameter, which the
figures barely depend on, must stay wide: the identifiability table tells the two apart.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from exitban.calibration.folder import CalibrationFolder
from exitban.calibration.measures import measure_value
from exitban.calibration.priors import build_priors
from exitban.calibration.record import identifiability
from exitban.calibration.run import Problem, Settings, calibrate
from exitban.calibration.targets import Measure, ScenarioCalibration, Target
from exitban.scenario.load import load_scenario
from exitban.simulate import simulate
from exitban.sweep.executors import SerialExecutor

TRUE_BIAS = -2.0
SCALE, DAYS = 0.003, 180
ABSENT_DAYS = Measure(columns=["absent"], days=(0, DAYS))


def test_calibration_recovers_a_parameter_it_was_given(tmp_path: Path) -> None:
    """absence_bias set to -2 is found again from the absent days it produced; legal-help uptake stays unidentified."""
    base = load_scenario("army-officers-2019")
    truth = base.with_overrides(scale=SCALE, days=DAYS).with_params({"behaviour.absence_bias": TRUE_BIAS})
    observed = float(
        np.mean([measure_value(ABSENT_DAYS, simulate(truth, seed=s).timeseries, SCALE) for s in (101, 102, 103)])
    )
    target = Target(
        figure="absent person-days, simulated",
        low=observed / 1.5,
        high=observed * 1.5,
        date="2019-12-31",
        period="test",
        source="a run of the model",
        scenario=base.name,
        role="fit",
        measure=ABSENT_DAYS,
        independent=False,
        independent_why="fitted",
    )
    spec = ScenarioCalibration(
        scale=SCALE,
        parameters={"behaviour.absence_bias": {"prior": [-6.0, 0.0]}, "behaviour.legal_help_uptake": {}},
    )
    priors = build_priors(base, spec, "test")
    problem = Problem(
        base.name, base.with_overrides(scale=SCALE, days=DAYS).model_dump(mode="json"), priors, {"absent": target}
    )
    settings = Settings(particles=30, generations=3, batch=15, seed=1)
    folder = CalibrationFolder.open(tmp_path / "c", problem.manifest(settings))
    try:
        outcome = calibrate(problem, settings, folder, SerialExecutor())
    finally:
        folder.close()
    table = {r["parameter"]: r for r in identifiability(outcome.posterior, priors).iter_rows(named=True)}
    bias = table["behaviour.absence_bias"]
    assert bias["posterior_q05"] <= TRUE_BIAS <= bias["posterior_q95"]
    assert bias["width_ratio"] < 0.5
    assert table["behaviour.legal_help_uptake"]["width_ratio"] > bias["width_ratio"]
    assert isinstance(outcome.posterior, pl.DataFrame) and outcome.posterior.height == settings.particles


def test_calibration_recovers_three_parameters_at_once(tmp_path: Path) -> None:
    """Issue 23, item 5: three biases set at once (absence, a second job, a health discharge) are found again
    together from the patterns they produced (person-days absent, moonlighting, at a medical board): each true
    value inside its posterior's 90% interval, each interval well inside the prior's (about a minute of runs)."""
    from exitban.calibration.selfcheck import recover

    table = recover(tmp_path / "c")
    assert table.height == 3
    for r in table.iter_rows(named=True):
        assert r["posterior_q05"] <= r["truth"] <= r["posterior_q95"], r
        assert r["width_ratio"] < 0.6, r
