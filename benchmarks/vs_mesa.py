"""The engine against the Mesa model: agent-days per second on the same scenario, in one process.

    python benchmarks/vs_mesa.py [--scenario army-officers-2019] [--days 30] [--repeat 3]

Both run the same scenario at the same agent count (1k and 10k), whole runs from
scenario to output table (initial population, every day, the daily outputs). The
engine also runs at 100k, 1M and 2M agents, where the Mesa model would take hours.
An agent-day is one person simulated for one day (starting agents x days). Each figure
is the best of ``--repeat`` runs; the engine is compiled (and cached) before timing.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections.abc import Callable

import numba

import exitban
from exitban.mesa import ExitBanModel
from exitban.scenario import Scenario


def at_size(scenario: Scenario, agents: int, days: int) -> Scenario:
    """The scenario scaled to ``agents`` people in total, run for ``days``."""
    return scenario.with_overrides(scale=agents / sum(i.size for i in scenario.institutions.values()), days=days)


def best_seconds(run: Callable[[int], object], repeat: int) -> float:
    times = []
    for seed in range(repeat):
        t0 = time.perf_counter()
        run(seed)
        times.append(time.perf_counter() - t0)
    return min(times)


def run_mesa(sc: Scenario, seed: int) -> None:
    model = ExitBanModel(sc, seed=seed)
    model.run_model()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="army-officers-2019")
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--mesa-sizes", default="1000,10000")
    ap.add_argument("--engine-sizes", default="100000,1000000,2000000")
    args = ap.parse_args()
    base = exitban.load_scenario(args.scenario)
    print(
        f"scenario {base.name}, {args.days} days, best of {args.repeat}; "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, numba threads {numba.get_num_threads()}"
    )
    exitban.simulate(at_size(base, 1000, 2), seed=0)  # compile / load the cached kernels
    print(f"{'agents':>10} {'engine agent-days/s':>20} {'mesa agent-days/s':>18} {'engine/mesa':>12}")
    for n in (int(x) for x in args.mesa_sizes.split(",") if x):
        sc = at_size(base, n, args.days)
        work = sc.total_agents() * args.days
        engine = work / best_seconds(lambda seed, sc=sc: exitban.simulate(sc, seed=seed), args.repeat)
        mesa = work / best_seconds(lambda seed, sc=sc: run_mesa(sc, seed), args.repeat)
        print(f"{sc.total_agents():>10,} {engine:>20,.0f} {mesa:>18,.0f} {engine / mesa:>11,.0f}x", flush=True)
    for n in (int(x) for x in args.engine_sizes.split(",") if x):
        sc = at_size(base, n, args.days)
        work = sc.total_agents() * args.days
        engine = work / best_seconds(lambda seed, sc=sc: exitban.simulate(sc, seed=seed), args.repeat)
        print(f"{sc.total_agents():>10,} {engine:>20,.0f} {'-':>18} {'-':>12}", flush=True)


if __name__ == "__main__":
    main()
