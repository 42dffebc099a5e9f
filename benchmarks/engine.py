"""Engine speed and memory: agent-days per second at 10k, 100k, 1M agents and at full scale, and the long run.

Prints one line per size, then the long run: war-2022-2025 at full size (about 1.5M people), its spin-up
year and 1,277 reported days in one ``simulate`` call, in seconds (issue 21: under two minutes on 2 cores).
Usage: python benchmarks/engine.py [--days 365] [--repeat 3] [--no-long]
Figures are from this machine and run; compare sizes or thread counts within one run only.
"""

from __future__ import annotations

import argparse
import resource
import time

import numba

import exitban
from exitban.engine.build import initial_population

SCENARIO = "army-officers-2019"
LONG_RUN = "war-2022-2025"


def agent_days_per_second(scenario: exitban.Scenario, days: int, repeat: int) -> tuple[float, float]:
    """Best of ``repeat`` runs: (agent-days per second of the whole simulate call, seconds)."""
    best = float("inf")
    for seed in range(repeat):
        started = time.perf_counter()
        exitban.simulate(scenario, seed=seed, days=days)
        best = min(best, time.perf_counter() - started)
    return scenario.total_agents() * days / best, best


def long_run() -> tuple[int, int, float]:
    """The long scenario at its own (full) scale, spin-up included, once: (people, days simulated, seconds)."""
    sc = exitban.load_scenario(LONG_RUN)
    exitban.simulate(sc.with_overrides(scale=sc.scale * 1_000 / sc.total_agents(), days=5), seed=0)  # its cache
    started = time.perf_counter()
    exitban.simulate(sc, seed=0)
    return sc.total_agents(), sc.spin_up_days + sc.days, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-long", action="store_true", help=f"skip the long run ({LONG_RUN} at full size)")
    args = parser.parse_args()
    base = exitban.load_scenario(SCENARIO)
    full = base.total_agents()
    exitban.simulate(base.with_overrides(scale=0.001, days=5), seed=0)  # compile / load the cache
    print(f"engine benchmark: {SCENARIO}, {args.days} days, best of {args.repeat}, {numba.get_num_threads()} threads")
    print(f"{'agents':>10} {'seconds':>8} {'M agent-days/s':>15}")
    for agents in sorted({10_000, 100_000, 1_000_000, full}):
        sc = base.with_overrides(scale=agents / full)
        rate, secs = agent_days_per_second(sc, args.days, args.repeat)
        label = f"{sc.total_agents():,}" + (" (full scale)" if agents == full else "")
        print(f"{label:>10} {secs:8.2f} {rate / 1e6:15.1f}")
    pop = initial_population(base, seed=0)
    print(f"state per agent: {pop.nbytes_per_agent():.1f} bytes (population arrays, unit layout included)")
    numba.set_num_threads(1)
    one, _ = agent_days_per_second(base.with_overrides(scale=0.1), args.days, 1)
    numba.set_num_threads(2)
    two, _ = agent_days_per_second(base.with_overrides(scale=0.1), args.days, 1)
    print(f"100k agents: 2 threads / 1 thread = {two / one:.2f}x")
    if not args.no_long:
        people, days, secs = long_run()
        print(
            f"long run: {LONG_RUN}, {people:,} people, {days:,} days (spin-up included): {secs:.1f} s, "
            f"{people * days / secs / 1e6:.1f} M agent-days/s, {numba.get_num_threads()} threads"
        )
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process: {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
