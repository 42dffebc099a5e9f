"""Sweep throughput: runs per second with 1 and 2 local workers, scaling efficiency, Dask overhead.

Every configuration runs the same sweep (army-officers-2019, small scale) into a fresh store,
after its workers have started and loaded the compiled engine; start-up is timed apart.
Each worker uses one Numba thread, so the workers (not the threads) are what scales.
Usage: python benchmarks/sweep.py [--runs 40] [--scale 0.01] [--days 90] [--repeat 2]
Figures are from this machine and this run: compare configurations within one run only.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from exitban.sweep import DaskExecutor, ProcessExecutor, SweepSpec, build_tasks, execute
from exitban.sweep.spec import manifest
from exitban.sweep.store import Store


def spec(runs: int, scale: float, days: int, seed: int) -> SweepSpec:
    return SweepSpec.model_validate(
        {"name": "bench", "base": "army-officers-2019", "days": days, "scale": scale, "design": "latin",
         "samples": runs, "root_seed": seed, "parameters": {"regime.prosecution_threat": {"range": [0.0, 0.8]}}}
    )  # fmt: skip


def timed(make, sp: SweepSpec, repeat: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """(start-up seconds including a warm-up run per worker, best runs/s over ``repeat`` sweeps)."""
    started = time.perf_counter()
    ex = make()
    try:
        warm = spec(2 * ex.workers, sp.scale or 0.01, 5, 999)
        for _ in ex.map_unordered(build_tasks(warm)):
            pass
        startup = time.perf_counter() - started
        best = 0.0
        for i in range(repeat):
            tasks = build_tasks(sp)
            with tempfile.TemporaryDirectory() as tmp:
                store = Store.open(Path(tmp) / f"s{i}", manifest(sp, tasks))
                report = execute(tasks, store, ex)
            best = max(best, report.ran / report.elapsed_s)
        return startup, best
    finally:
        ex.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    sp = spec(args.runs, args.scale, args.days, 1)
    print(
        f"sweep benchmark: army-officers-2019, {args.runs} runs of {args.days} days at scale {args.scale}, "
        f"best of {args.repeat}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
    )
    configs = {
        "processes x1": lambda: ProcessExecutor(1, threads=1),
        "processes x2": lambda: ProcessExecutor(2, threads=1),
        "dask local:1": lambda: DaskExecutor("local:1"),
        "dask local:2": lambda: DaskExecutor("local:2"),
    }
    rates: dict[str, float] = {}
    print(f"{'executor':<14} {'start-up s':>10} {'runs/s':>8}")
    for label, make in configs.items():
        startup, rate = timed(make, sp, args.repeat)
        rates[label] = rate
        print(f"{label:<14} {startup:10.2f} {rate:8.2f}")
    eff = rates["processes x2"] / (2 * rates["processes x1"])
    dask_eff = rates["dask local:2"] / (2 * rates["dask local:1"])
    overhead = rates["processes x2"] / rates["dask local:2"] - 1
    print(f"scaling efficiency on 2 workers (processes): {eff:.0%} (goal >= 80%)")
    print(f"scaling efficiency on 2 workers (Dask):      {dask_eff:.0%}")
    print(f"Dask overhead vs local processes (2 workers): {overhead:+.1%} time per run")


if __name__ == "__main__":
    main()
