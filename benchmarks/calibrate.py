"""Time a calibration of the army scenario, and show that its scale keeps the fitted figures stable.

Prints the wall time of a whole ABC-SMC calibration (default: 2,000 particles, the shipped
targets, local processes), the number of runs, and the share of the workers' time spent
outside simulation (proposals, weights, storing, scheduling). With ``--scales`` it then runs the
calibrated scenario at several scales, a few seeds each, and prints each fitted figure's mean
and spread at full size: a scale at which the means agree with larger ones and the spread sits
well inside the target's range is one where the calibrated rates are stable.

Usage: python benchmarks/calibrate.py [--particles 2000] [--generations 6] [--out calibrations/bench-army]
       [--scales 0.005 0.01 0.02 0.05] [--seeds 8] [--scenario army-officers-2019]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from exitban.calibration.run import Settings


def calibrate_once(scenario: str, particles: int, generations: int, out: Path, workers: int | None) -> Path:
    from exitban.calibration.folder import CalibrationFolder
    from exitban.calibration.problem import build_problem
    from exitban.calibration.record import finish
    from exitban.calibration.run import Settings, calibrate
    from exitban.calibration.targets import load_targets
    from exitban.scenario.load import load_scenario
    from exitban.sweep.executors import make_executor

    base = load_scenario(scenario)
    targets, where = load_targets()
    problem = build_problem(base, targets, where)
    settings = Settings(particles=particles, generations=generations)
    folder = CalibrationFolder.open(out, problem.manifest(settings))
    executor = make_executor(workers)
    n_workers = getattr(executor, "workers", 1)
    started = time.perf_counter()

    def progress(gen: int, accepted: int, wanted: int, proposed: int, eps: float) -> None:
        print(f"  generation {gen}: {accepted}/{wanted} accepted of {proposed} (epsilon {eps:.3g})", flush=True)

    try:
        outcome = calibrate(problem, settings, folder, executor, progress)
    finally:
        executor.close()
        folder.close()
    wall = time.perf_counter() - started
    written = finish(folder, base, problem, outcome)
    outside = 1 - outcome.simulate_s / (wall * n_workers)
    print(f"scenario {scenario} at scale {problem.scenario['scale']}, {particles} particles, {n_workers} workers")
    print(f"stopped: {outcome.stopped}")
    print(outcome.generations)
    print(f"wall time: {wall:.0f} s ({wall / 60:.1f} min) for {outcome.simulations} runs this command")
    if outcome.simulations:
        print(f"share of the workers' time outside simulation: {outside:.1%}")
    print(written.identifiability.select("parameter", "posterior_median", "width_ratio", "verdict"))
    return written.scenario_path


def scale_stability(calibrated: Path, scales: list[float], seeds: int) -> None:
    from exitban.calibration.measures import measure_value
    from exitban.calibration.targets import load_targets
    from exitban.scenario.load import load_scenario
    from exitban.simulate import simulate

    sc = load_scenario(calibrated)
    base_name = sc.name.removesuffix("-calibrated")
    targets, _ = load_targets()
    fit = targets.for_scenario(base_name, "fit")
    days = max(t.measure.last_day(sc.start) for t in fit.values())
    print(f"\nfitted figures of {sc.name} by scale ({seeds} seeds each; mean, sd, full size):")
    for scale in scales:
        run = sc.with_overrides(scale=scale, days=days)
        values = {k: [] for k in fit}
        for seed in range(seeds):
            ts = simulate(run, seed=seed).timeseries
            for k, t in fit.items():
                values[k].append(measure_value(t.measure, ts, scale))
        shown = "; ".join(
            f"{k} {statistics.fmean(v):,.0f} sd {statistics.stdev(v):,.0f} (range {fit[k].low:,.0f}-{fit[k].high:,.0f})"
            for k, v in values.items()
        )
        print(f"  scale {scale}: {shown}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="army-officers-2019")
    parser.add_argument("--particles", type=int, default=2000)
    parser.add_argument("--generations", type=int, default=Settings().generations)
    parser.add_argument("--out", type=Path, default=Path("calibrations/bench-army"))
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--scales", type=float, nargs="*", default=[])
    parser.add_argument("--seeds", type=int, default=8)
    args = parser.parse_args()
    calibrated = calibrate_once(args.scenario, args.particles, args.generations, args.out, args.workers)
    if args.scales:
        scale_stability(calibrated, args.scales, args.seeds)


if __name__ == "__main__":
    main()
