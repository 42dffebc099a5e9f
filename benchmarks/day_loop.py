"""The engine's two speed knobs, before and after, measured in one run with interleaved repeats.

"before": the day loop returns to Python every day and the kernel goes parallel from 100k agents;
"after": up to 30 days per compiled call and parallel from 5k agents (the defaults in engine/loop.py).
Prints the best of three agent-days per second for each, and their ratio.
Usage: python benchmarks/day_loop.py
"""

from __future__ import annotations

import time

import exitban
from exitban.engine import loop

CONFIGS = {"before": (1, 100_000), "after": (loop.DAYS_PER_CALL, loop.PARALLEL_MIN_AGENTS)}


def main() -> None:
    sc = exitban.load_scenario("army-officers-2019").with_overrides(days=365)
    exitban.simulate(sc.with_overrides(scale=0.001, days=3), seed=0)  # compile / load the cache
    for n in (1_000, 10_000, 1_000_000):
        scaled = sc.with_overrides(scale=n / sc.total_agents())
        best: dict[str, float] = {}
        for seed in range(3):  # interleave the configurations so load changes hit both
            for name, (span, threshold) in CONFIGS.items():
                loop.DAYS_PER_CALL, loop.PARALLEL_MIN_AGENTS = span, threshold
                started = time.perf_counter()
                exitban.simulate(scaled, seed=seed)
                rate = n * 365 / (time.perf_counter() - started) / 1e6
                best[name] = max(best.get(name, 0.0), rate)
        before, after = best["before"], best["after"]
        print(f"{n:>9,} agents: before {before:6.1f}  after {after:6.1f} M agent-days/s  ratio {after / before:.2f}x")


if __name__ == "__main__":
    main()
