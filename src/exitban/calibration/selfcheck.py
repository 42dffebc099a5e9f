"""Checks of the calibrator itself (issue 23, item 5): coverage on a small, fast problem, and recovery.

``coverage``: over synthetic data sets drawn from the prior of a toy problem (three parameters
uniform on [0, 1], three Poisson counts; no engine, so every step of ``calibration.run`` runs
but the simulation, in seconds), how often the ABC posterior's 90% interval covers the value
that made the data. About 90% is right; well under it, the posterior is over-confident. Two
ways to make the published ranges:

- *noisy* (the check of the calibrator): the range [y / 1.1, y x 1.1] is centred on the
  simulated count moved by a draw from that same window (log-uniform within a factor 1.1), so
  that accepting a run inside the range is the exact likelihood of the published figure (noisy
  ABC: Wilkinson 2013; Fearnhead & Prangle 2012). An ABC-SMC that is right then covers the
  truth 90% of the time, a little more while its tolerance is above 0.
- *centred* (as the targets file does): the range is centred on the simulated count. Its
  posterior is the noisy one's, though the data hold no such noise: it is wider than the data
  allow and covers the truth more than 90% of the time (conservative).

``recover``: engine parameters set at once, their patterns simulated, and all of them calibrated
together from those patterns: each true value should lie inside its posterior's 90% interval, the
interval well inside the prior's. Two cases (``RECOVERY_CASES``): army-officers-2019's biases of
absence, a second job and a health discharge, from person-days absent, moonlighting and at a medical
board; and the long run's (war-2022-2025) absence bias, commanders' share of absences returned without
a case and courts' severity, three of its calibration's four fields, from person-days absent, absences
reported and the suspended share of absence sentences up to the fit's cut-off.
"""

from __future__ import annotations

import datetime
import math
import statistics
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from exitban.calibration.folder import CalibrationFolder
from exitban.calibration.priors import Priors
from exitban.calibration.run import Problem, Settings, calibrate
from exitban.calibration.smc import weighted_quantile
from exitban.calibration.targets import Measure, Target
from exitban.calibration.worker import ParticleTask
from exitban.sweep.executors import Executor, SerialExecutor

TOY = ("a", "b", "c")  # the toy problem's parameters, uniform on [0, 1]
TOY_SIZE = 400.0  # the counts' scale: counts of about 40 to 440, Poisson noise of 5% to 16%
RANGE = 1.1  # a synthetic figure y becomes the range [y / 1.1, y x 1.1], as a published count is a range
UNUSED = Measure(columns=["x"], days=(0, 1))  # the toy's figures are not read off a daily table


def toy_counts(theta: np.ndarray, rng: np.random.Generator) -> list[float]:
    """Three Poisson counts: the first reads a, the second a and b together, the third c."""
    a, b, c = theta
    means = TOY_SIZE * np.array([0.1 + a, 0.1 + (a + b) / 2, 0.1 + c])
    return [float(v) for v in rng.poisson(means)]


class ToyExecutor:
    """Answers proposals with ``toy_counts`` in this process, with the records ``run_particle`` returns."""

    label = "toy (no engine)"

    def map_unordered(self, tasks: Iterable[ParticleTask], fn: Any = None) -> Iterator[tuple[dict[str, Any], None]]:
        for task in tasks:
            values = toy_counts(np.array([task.params[n] for n in TOY]), np.random.default_rng(task.seed))
            yield {"run_id": task.run_id, "status": "ok", "error": None, "values": values, "elapsed_s": 0.0}, None

    def close(self) -> None:
        pass


def ranges_around(
    observed: dict[str, float], scenario: str, measures: dict[str, Measure] | None = None
) -> dict[str, Target]:
    """Fitted targets: each observed figure as the range [y / RANGE, y x RANGE] (at least one wide)."""
    return {
        key: Target(
            figure=f"simulated {key}",
            low=y / RANGE,
            high=max(y * RANGE, y / RANGE + 1.0),
            date="2020-01-01",
            period="simulated",
            source="a run of the model",
            scenario=scenario,
            role="fit",
            measure=(measures or {}).get(key, UNUSED),
            independent=False,
            independent_why="fitted: made by the model for a check of the calibrator",
        )
        for key, y in observed.items()
    }


def interval(posterior: pl.DataFrame, name: str) -> tuple[float, float]:
    """A parameter's weighted 5-95% interval in a posterior."""
    q = weighted_quantile(posterior[name].to_numpy(), posterior["weight"].to_numpy(), np.array([0.05, 0.95]))
    return float(q[0]), float(q[1])


def _calibrate(problem: Problem, settings: Settings, root: Path, executor: Executor) -> pl.DataFrame:
    folder = CalibrationFolder.open(root, problem.manifest(settings))
    try:
        outcome = calibrate(problem, settings, folder, executor)
    finally:
        folder.close()
    return outcome.posterior.with_columns(pl.lit(float(outcome.generations["epsilon"][-1])).alias("last_epsilon"))


@dataclass(frozen=True)
class Coverage:
    """How often the 90% intervals covered the truth, per parameter and over all, with the widths."""

    datasets: int
    covered: dict[str, float]
    widths: dict[str, float]
    last_epsilon: float

    @property
    def pooled(self) -> float:
        return statistics.fmean(self.covered.values())

    @property
    def half_width(self) -> float:
        """The pooled share's 95% Monte Carlo half-width (binomial, over datasets x parameters)."""
        n = self.datasets * len(self.covered)
        return 1.96 * math.sqrt(self.pooled * (1 - self.pooled) / n)


def coverage(datasets: int, particles: int = 200, generations: int = 5, seed: int = 0, noisy: bool = True) -> Coverage:
    """The toy problem's coverage over ``datasets`` data sets, each drawn from the prior, calibrated afresh.

    ``noisy``: each published range is centred on the simulated count moved within the range's own
    window (see the module's text); otherwise on the count itself.
    """
    priors = Priors(TOY, np.zeros(len(TOY)), np.ones(len(TOY)))
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    hits = dict.fromkeys(TOY, 0)
    widths: dict[str, list[float]] = {n: [] for n in TOY}
    epsilons = []
    with tempfile.TemporaryDirectory(prefix="exitban-coverage-") as tmp:
        for d in range(datasets):
            truth = rng.random(len(TOY))
            counts = np.array(toy_counts(truth, rng))
            if noisy:
                counts = counts * np.exp(rng.uniform(-math.log(RANGE), math.log(RANGE), size=counts.size))
            observed = dict(zip(("y1", "y2", "y3"), (float(c) for c in counts), strict=True))
            problem = Problem("toy", {}, priors, ranges_around(observed, "toy"))
            settings = Settings(particles=particles, generations=generations, batch=100, seed=d)
            posterior = _calibrate(problem, settings, Path(tmp) / f"d{d:05d}", ToyExecutor())  # type: ignore[arg-type]
            epsilons.append(float(posterior["last_epsilon"][0]))
            for j, name in enumerate(TOY):
                low, high = interval(posterior, name)
                hits[name] += int(low <= truth[j] <= high)
                widths[name].append(high - low)
    return Coverage(
        datasets,
        {n: hits[n] / datasets for n in TOY},
        {n: statistics.fmean(w) for n, w in widths.items()},
        statistics.median(epsilons),
    )


@dataclass(frozen=True)
class RecoveryCase:
    """Engine parameters set at once, and the scenario's own simulated patterns that read them."""

    scenario: str
    truth: dict[str, float]
    priors: dict[str, tuple[float, float]]
    measures: Callable[[int], dict[str, Measure]]  # the patterns, from the run's length in days
    days: int
    scale: float


def army_measures(days: int) -> dict[str, Measure]:
    """Person-days absent, moonlighting (a second job) and at a medical board, over the run."""
    return {
        "absent_days": Measure(columns=["absent"], days=(0, days)),
        "moonlighting_days": Measure(columns=["moonlighting"], days=(0, days)),
        "medical_days": Measure(columns=["at_medical"], days=(0, days)),
    }


def long_run_measures(days: int) -> dict[str, Measure]:
    """From the invasion year to the fit's cut-off: person-days absent, absences the commanders reported
    to the investigators, and the share of absence sentences suspended (the justice pipeline's grading)."""
    window = (datetime.date(2022, 1, 1), datetime.date(2023, 7, 1))
    return {
        "absent_days": Measure(columns=["absent"], dates=window),
        "absences_reported": Measure(columns=["absences_reported"], dates=window),
        "suspended_share": Measure(
            kind="share",
            columns=["absence_sentences_suspended"],
            of=["convictions_absence"],
            dates=window,
            scaled=False,
        ),
    }


# Each bias moves its own pattern most (a unit changes it two- to threefold at the truth), the others a
# little: the moves compete for the same people. Priors from almost never to a third of decision days.
ARMY = RecoveryCase(
    "army-officers-2019",
    {"behaviour.absence_bias": -2.0, "behaviour.moonlight_bias": -3.0, "behaviour.health_bias": -3.0},
    dict.fromkeys(("behaviour.absence_bias", "behaviour.moonlight_bias", "behaviour.health_bias"), (-6.0, 0.0)),
    army_measures,
    days=180,
    scale=0.003,
)
# Three of the four fields the long run's calibration fits, on its priors (the targets file's), from
# the patterns of the same pipeline its fitted figures come out of, to the same cut-off (30 June 2023).
LONG_RUN = RecoveryCase(
    "war-2022-2025",
    {"behaviour.absence_bias": -3.5, "pressure.return_without_case_share": 0.4, "pressure.penalty_scale": 1.3},
    {
        "behaviour.absence_bias": (-9.0, 0.0),
        "pressure.return_without_case_share": (0.0, 1.0),
        "pressure.penalty_scale": (0.5, 2.0),
    },
    long_run_measures,
    days=546,
    scale=0.01,
)
RECOVERY_CASES = {case.scenario: case for case in (ARMY, LONG_RUN)}


def recover(
    root: Path,
    particles: int = 60,
    generations: int = 4,
    scale: float | None = None,
    days: int | None = None,
    seeds: int = 3,
    executor: Executor | None = None,
    quantile: float = 0.3,
    case: RecoveryCase = ARMY,
) -> pl.DataFrame:
    """Set ``case.truth``, read its patterns off ``seeds`` runs (their mean), calibrate all its parameters at once.

    ``scale`` and ``days`` default to the case's. ``quantile``: each tolerance is this quantile of the last
    generation's distances (0.3, below the calibrations' 0.5, so that a few generations close in on patterns
    that start far apart). Returns the identifiability table (``record.identifiability``) with a column
    ``truth``.
    """
    from exitban.calibration.measures import measure_value
    from exitban.calibration.priors import build_priors
    from exitban.calibration.record import identifiability
    from exitban.calibration.targets import ScenarioCalibration
    from exitban.scenario.load import load_scenario
    from exitban.simulate import simulate

    scale = scale or case.scale
    days = days or case.days
    base = load_scenario(case.scenario).with_overrides(scale=scale, days=days)
    truth = base.with_params(case.truth, where="the recovery check")
    measures = case.measures(days)
    runs = [simulate(truth, seed=1000 + s).timeseries for s in range(seeds)]
    observed = {k: statistics.fmean(measure_value(m, ts, scale) for ts in runs) for k, m in measures.items()}
    spec = ScenarioCalibration(scale=scale, parameters={k: {"prior": list(v)} for k, v in case.priors.items()})
    priors = build_priors(base, spec, "the recovery check")
    problem = Problem(base.name, base.model_dump(mode="json"), priors, ranges_around(observed, base.name, measures))
    batch = max(10, particles // 2)
    settings = Settings(particles=particles, generations=generations, quantile=quantile, batch=batch, seed=1)
    posterior = _calibrate(problem, settings, root, executor or SerialExecutor())
    table = identifiability(posterior, priors)
    return table.with_columns(pl.Series("truth", [case.truth[n] for n in table["parameter"]]))
