"""The engine against the Mesa model: agent-days per second on the same scenario, in one process.

    python benchmarks/vs_mesa.py [--scenario army-officers-2019] [--days 365] [--repeat 3] [--threads N]

Both run the same scenario at the same agent count (1k and 10k), whole runs from
scenario to output table (initial population, every day, the daily outputs). The
engine also runs at 100k, 1M and 2M agents, where the Mesa model would take hours.
An agent-day is one person simulated for one day (starting agents x days). Each figure
is the best of ``--repeat`` runs, the engine's and Mesa's runs alternating so both meet
the same machine load; the engine is compiled (and cached) before timing. The load
average is printed before and after: on a shared machine, compare only figures taken
under a low one. ``--threads`` sets Numba's thread count (the Mesa model uses one core).
"""

from __future__ import annotations

import argparse
import math
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


def seconds(run: Callable[[int], object], seed: int) -> float:
    t0 = time.perf_counter()
    run(seed)
    return time.perf_counter() - t0


def best_seconds(runs: list[Callable[[int], object]], repeat: int) -> list[float]:
    """The best time of each of ``runs`` over ``repeat`` rounds, running them in turn within a round."""
    best = [math.inf] * len(runs)
    for seed in range(repeat):
        for k, run in enumerate(runs):
            best[k] = min(best[k], seconds(run, seed))
    return best


def run_mesa(sc: Scenario, seed: int) -> None:
    model = ExitBanModel(sc, seed=seed)
    model.run_model()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="army-officers-2019")
    ap.add_argument("--days", type=int, default=0, help="days to run (0: the scenario's, a year for those shipped)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--mesa-sizes", default="1000,10000")
    ap.add_argument("--engine-sizes", default="100000,1000000,2000000")
    ap.add_argument("--threads", type=int, default=0, help="Numba threads (0: Numba's default)")
    args = ap.parse_args()
    if args.threads:
        numba.set_num_threads(args.threads)
    base = exitban.load_scenario(args.scenario)
    args.days = args.days or base.days
    print(
        f"scenario {base.name}, {args.days} days, best of {args.repeat}; "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, numba threads {numba.get_num_threads()}, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    exitban.simulate(at_size(base, 1000, 2), seed=0)  # compile / load the cached kernels
    print(f"{'agents':>10} {'engine agent-days/s':>20} {'mesa agent-days/s':>18} {'engine/mesa':>12}")
    for n in (int(x) for x in args.mesa_sizes.split(",") if x):
        sc = at_size(base, n, args.days)
        work = sc.total_agents() * args.days
        t_engine, t_mesa = best_seconds(
            [lambda seed, sc=sc: exitban.simulate(sc, seed=seed), lambda seed, sc=sc: run_mesa(sc, seed)], args.repeat
        )
        engine, mesa = work / t_engine, work / t_mesa
        print(f"{sc.total_agents():>10,} {engine:>20,.0f} {mesa:>18,.0f} {engine / mesa:>11,.0f}x", flush=True)
    for n in (int(x) for x in args.engine_sizes.split(",") if x):
        sc = at_size(base, n, args.days)
        work = sc.total_agents() * args.days
        engine = work / best_seconds([lambda seed, sc=sc: exitban.simulate(sc, seed=seed)], args.repeat)[0]
        print(f"{sc.total_agents():>10,} {engine:>20,.0f} {'-':>18} {'-':>12}", flush=True)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
