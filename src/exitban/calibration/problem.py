"""From a scenario and a targets file to a calibration problem: priors, fitted targets, scale and days."""

from __future__ import annotations

from pathlib import Path

from exitban.calibration.measures import check_measures
from exitban.calibration.priors import build_priors
from exitban.calibration.run import Problem
from exitban.calibration.targets import TargetsFile
from exitban.errors import ScenarioError
from exitban.scenario import Scenario


def build_problem(base: Scenario, targets: TargetsFile, where: Path, scale: float | None = None) -> Problem:
    """The problem of calibrating ``base`` to its fitted targets in ``targets`` (read from ``where``).

    Runs last as long as the latest fitted window needs, at the file's scale for the scenario
    unless ``scale`` is given.
    """
    spec = targets.calibrate.get(base.name)
    if spec is None:
        have = ", ".join(sorted(targets.calibrate)) or "none"
        raise ScenarioError(
            f"{where}: no [calibrate.{base.name}] table: what to calibrate is not given (tables: {have})"
        )
    fit = targets.for_scenario(base.name, "fit")
    if not fit:
        raise ScenarioError(f"{where}: no target with role = 'fit' names scenario '{base.name}'")
    check_measures(fit, base, where)
    days = max(t.measure.last_day(base.start) for t in fit.values())
    run = base.with_overrides(scale=scale or spec.scale, days=days)
    return Problem(base.name, run.model_dump(mode="json"), build_priors(base, spec, str(where)), fit)
