"""Time a calibration of the army scenario, and show that its scale keeps the fitted figures stable.

Prints the wall time of a whole ABC-SMC calibration (default: 2,000 particles, the shipped
targets, local processes), the number of runs, and the share of the workers' time spent
outside simulation (proposals, weights, storing, scheduling). With ``--scales`` it then runs the
calibrated scenario at several scales, a few seeds each, and prints each fitted figure's mean
and spread at full size: a scale at which the means agree with larger ones and the spread sits
well inside the target's range is one where the calibrated rates are stable.

Two checks of the calibrator itself (issue 23, item 5; ``exitban.calibration.selfcheck``), each
instead of the timed calibration:

- ``--coverage N``: over N synthetic data sets drawn from the prior of a small, fast problem
  (three parameters, three Poisson counts, no engine), how often the ABC posterior's 90%
  interval covers the true value: about 90% is right.
- ``--recovery``: three engine parameters recovered at once from the model's own simulated
  patterns: army-officers-2019 (the default) or, with ``--scenario war-2022-2025``, the long run
  (``exitban.calibration.selfcheck.RECOVERY_CASES``).

Usage: python benchmarks/calibrate.py [--particles 2000] [--generations 6] [--batch 250]
       [--out calibrations/bench-army]
       [--scales 0.005 0.01 0.02 0.05] [--seeds 8] [--scenario army-officers-2019]
       python benchmarks/calibrate.py --coverage 100 [--particles 200] [--generations 10] [--centred]
       python benchmarks/calibrate.py --recovery [--scenario war-2022-2025] [--particles 60] [--generations 4]
       [--scale 0.003]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from exitban.calibration.run import Settings


def calibrate_once(scenario: str, settings: Settings, out: Path, workers: int | None) -> Path:
    from exitban.calibration.folder import CalibrationFolder
    from exitban.calibration.problem import build_problem
    from exitban.calibration.record import finish
    from exitban.calibration.run import calibrate
    from exitban.calibration.targets import load_targets
    from exitban.scenario.load import load_scenario
    from exitban.sweep.executors import make_executor

    base = load_scenario(scenario)
    targets, where = load_targets()
    problem = build_problem(base, targets, where)
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
    print(
        f"scenario {scenario} at scale {problem.scenario['scale']}, {settings.particles} particles, {n_workers} workers"
    )
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


def coverage(datasets: int, particles: int, generations: int, noisy: bool) -> float:
    """Print the toy problem's coverage of the truth by the ABC posterior's 90% interval; return the pooled share."""
    from exitban.calibration.selfcheck import RANGE, TOY, coverage

    started = time.perf_counter()
    found = coverage(datasets, particles, generations, noisy=noisy)
    wall = time.perf_counter() - started
    how = "moved within the range's window (noisy ABC)" if noisy else "centred on the simulated count"
    print(
        f"coverage of the ABC posterior's 90% interval over {datasets} synthetic data sets drawn from the prior "
        f"(toy problem: {len(TOY)} parameters, 3 Poisson counts, each a range [y/{RANGE}, y x {RANGE}] {how}; "
        f"{particles} particles, up to {generations} generations):"
    )
    for name, share in found.covered.items():
        print(f"  {name}: {share:.0%} covered, mean 90% width {found.widths[name]:.3f} (the prior's: 0.9)")
    print(f"  all: {found.pooled:.1%} +- {found.half_width:.1%} (95% Monte Carlo); about 90% is right")
    print(f"  median last tolerance {found.last_epsilon:.3g} range-widths; wall time {wall:.0f} s")
    return found.pooled


def recovery(scenario: str, particles: int, generations: int, scale: float | None, workers: int | None) -> None:
    """Print the recovery of a case's engine parameters, set at once (``selfcheck.RECOVERY_CASES``)."""
    from exitban.calibration.selfcheck import RECOVERY_CASES, recover
    from exitban.sweep.executors import make_executor

    if scenario not in RECOVERY_CASES:
        raise SystemExit(f"--recovery --scenario: one of {', '.join(RECOVERY_CASES)}, not {scenario!r}")
    case = RECOVERY_CASES[scenario]
    executor = make_executor(workers)
    started = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory(prefix="exitban-recovery-") as tmp:
            table = recover(Path(tmp) / "c", particles, generations, scale, executor=executor, case=case)
    finally:
        executor.close()
    wall = time.perf_counter() - started
    print(
        f"recovery of {len(case.truth)} parameters at once ({scenario} at scale {scale or case.scale}, "
        f"{case.days} days; {particles} particles, {getattr(executor, 'workers', 1)} workers):"
    )
    for r in table.iter_rows(named=True):
        inside = r["posterior_q05"] <= r["truth"] <= r["posterior_q95"]
        print(
            f"  {r['parameter']}: true {r['truth']:g}, posterior median {r['posterior_median']:.4g}, "
            f"90% [{r['posterior_q05']:.4g}, {r['posterior_q95']:.4g}] ({'covers' if inside else 'MISSES'} it), "
            f"width {r['width_ratio']:.2f} of the prior's ({r['verdict']})"
        )
    print(f"  wall time {wall:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="army-officers-2019")
    parser.add_argument("--particles", type=int, default=None, help="default: 2000 (--coverage 200, --recovery 60)")
    parser.add_argument(
        "--generations", type=int, default=None, help=f"default: {Settings().generations} (--recovery 4)"
    )
    parser.add_argument("--out", type=Path, default=Path("calibrations/bench-army"))
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--batch", type=int, default=Settings().batch, help="proposals per seeded batch")
    parser.add_argument("--scales", type=float, nargs="*", default=[])
    parser.add_argument("--seeds", type=int, default=8)
    parser.add_argument("--coverage", type=int, default=0, metavar="N", help="coverage over N synthetic data sets")
    parser.add_argument(
        "--centred", action="store_true", help="--coverage: ranges centred on the simulated counts (not noisy ABC)"
    )
    parser.add_argument("--recovery", action="store_true", help="recover three engine parameters at once")
    parser.add_argument("--scale", type=float, default=None, help="--recovery: the runs' scale (default: the case's)")
    args = parser.parse_args()
    generations = args.generations or Settings().generations
    if args.coverage or args.recovery:
        if args.coverage:
            coverage(args.coverage, args.particles or 200, generations, noisy=not args.centred)
        if args.recovery:
            recovery(args.scenario, args.particles or 60, args.generations or 4, args.scale, args.workers)
        return
    settings = Settings(args.particles or 2000, generations, batch=args.batch)
    calibrated = calibrate_once(args.scenario, settings, args.out, args.workers)
    if args.scales:
        scale_stability(calibrated, args.scales, args.seeds)


if __name__ == "__main__":
    main()
