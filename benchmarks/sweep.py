"""Sweep throughput: runs per second with 1 and 2 local workers, scaling efficiency, Dask overhead.

Every configuration runs the same sweep (army-officers-2019, small scale) into a fresh store,
after its workers have started and loaded the compiled engine; start-up is timed apart.
Repeats are interleaved across configurations and the best of each is kept.
Each worker uses one Numba thread, so the workers (not the threads) are what scales.
Usage: python benchmarks/sweep.py [--runs 40] [--scale 0.01] [--days 90] [--repeat 2]
Figures are from this machine and this run: compare configurations within one run only.
On a shared machine other jobs take cores; the script measures what 2 processes of a pure
CPU loop gain over 1 at the same time (the machine's ceiling) so the sweep figures can be read.
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


def start(make, scale: float) -> tuple[object, float]:  # type: ignore[no-untyped-def]
    """Start an executor and give each worker a warm-up run; (executor, seconds)."""
    started = time.perf_counter()
    ex = make()
    for _ in ex.map_unordered(build_tasks(spec(2 * ex.workers, scale, 5, 999))):
        pass
    return ex, time.perf_counter() - started


def _spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


def machine_ceiling(jobs: int = 16, n: int = 3_000_000) -> float:
    """Speed-up of 2 processes over 1 on a pure CPU loop, measured now: what this machine allows."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    speeds = {}
    for workers in (1, 2):
        with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
            list(pool.map(_spin, [1000] * workers))  # start the workers
            started = time.perf_counter()
            list(pool.map(_spin, [n] * jobs))
            speeds[workers] = jobs / (time.perf_counter() - started)
    return speeds[2] / speeds[1]


def _own_cpu() -> float:
    t = os.times()
    return t.user + t.system


def _proc_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_seconds(ex) -> float:  # type: ignore[no-untyped-def]
    """CPU time used so far by this process (store writes, Dask's scheduler) and by the workers."""
    if isinstance(ex, DaskExecutor):
        return _own_cpu() + sum(ex.client.run(_own_cpu).values())
    return _own_cpu() + sum(_proc_cpu(pid) for pid in ex._pool._processes)


def rate(ex, sp: SweepSpec) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """(runs per second, CPU seconds per run) of one sweep into a fresh store, as ``exitban sweep`` does it."""
    tasks = build_tasks(sp)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "s", manifest(sp, tasks))
        cpu0 = cpu_seconds(ex)
        report = execute(tasks, store, ex)
        cpu = cpu_seconds(ex) - cpu0
    return report.ran / report.elapsed_s, cpu / report.ran


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
    ceiling_before = machine_ceiling()
    started = {}
    for label, make in configs.items():
        started[label] = start(make, args.scale)
    rates = dict.fromkeys(configs, 0.0)
    cpus = dict.fromkeys(configs, float("inf"))
    try:
        # Interleaved repeats, best of each: a change in background load hits every configuration.
        for _ in range(args.repeat):
            for label, (ex, _) in started.items():
                runs_per_s, cpu_per_run = rate(ex, sp)
                rates[label] = max(rates[label], runs_per_s)
                cpus[label] = min(cpus[label], cpu_per_run)
    finally:
        for ex, _ in started.values():
            ex.close()  # type: ignore[attr-defined]
    print(f"{'executor':<14} {'start-up s':>10} {'runs/s':>8} {'CPU s/run':>10}")
    for label, (_, startup) in started.items():
        print(f"{label:<14} {startup:10.2f} {rates[label]:8.2f} {cpus[label]:10.3f}")
    eff = rates["processes x2"] / (2 * rates["processes x1"])
    dask_eff = rates["dask local:2"] / (2 * rates["dask local:1"])
    print(f"scaling efficiency on 2 workers, wall clock (processes): {eff:.0%} (goal >= 80%); Dask: {dask_eff:.0%}")
    cpu_eff = cpus["processes x1"] / cpus["processes x2"]
    print(f"CPU per run, 1 worker / 2 workers (processes): {cpu_eff:.0%} (100% = no parallel overhead)")
    ceiling = (ceiling_before + machine_ceiling()) / 2
    print(f"machine ceiling (mean of before/after): 2 processes of a pure CPU loop run {ceiling:.2f}x as fast as 1")
    ratio = rates["processes x2"] / rates["processes x1"]
    print(f"sweep speed-up on 2 workers relative to that ceiling: {ratio / ceiling:.0%} (processes)")
    overhead = rates["processes x2"] / rates["dask local:2"] - 1
    cpu_overhead = cpus["dask local:2"] / cpus["processes x2"] - 1
    print(f"Dask vs local processes (2 workers): {overhead:+.1%} wall time per run, {cpu_overhead:+.1%} CPU per run")


if __name__ == "__main__":
    main()
