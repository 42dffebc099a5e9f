"""Two source trees of exitban, before and after a change, measured in one run on this machine.

Prints the cold compile time (first run with an empty Numba cache) and the engine's
agent-days per second at the chosen sizes, best of ``--repeat``, the trees interleaved so a
change in load hits both; then the after/before ratios.

Usage: python benchmarks/versus.py --before ../before/src [--after src] [--agents 10000 1000000]
(make the "before" tree with ``git worktree add ../before <commit>``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

PROBE = """
import json, sys, time
t0 = time.perf_counter()
import exitban
sc = exitban.load_scenario("army-officers-2019")
agents, days, seed = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
sc = sc.with_overrides(scale=agents / sc.total_agents(), days=days)
t1 = time.perf_counter()
exitban.simulate(sc, seed=seed)
t2 = time.perf_counter()
print(json.dumps({"agents": sc.total_agents(), "days": days, "seconds": t2 - t1, "import": t1 - t0}))
"""


def probe(src: Path, cache: Path, agents: int, days: int, seed: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(src), "NUMBA_CACHE_DIR": str(cache)}
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(agents), str(days), str(seed)],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", type=Path, required=True, help="the src/ folder of the tree before the change")
    parser.add_argument("--after", type=Path, default=Path(__file__).parent.parent / "src")
    parser.add_argument("--agents", type=int, nargs="+", default=[10_000, 1_000_000])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cache", type=Path, help="keep the Numba caches here between calls (no cold-compile figure)")
    args = parser.parse_args()
    trees = {"before": args.before.resolve(), "after": args.after.resolve()}
    with tempfile.TemporaryDirectory() as tmp:
        caches = {name: (args.cache or Path(tmp)) / name for name in trees}
        compile_s = {}
        for name, src in trees.items():  # an empty cache: the first run compiles everything
            run = probe(src, caches[name], 1_000, 5, 0)
            compile_s[name] = run["seconds"]
            print(f"first run {name:>6}: {run['seconds']:6.1f} s (1,000 agents, 5 days; cold if the cache was empty)")
        print(f"first run after / before = {compile_s['after'] / compile_s['before']:.2f}", flush=True)
        for agents in args.agents:
            best = {name: float("inf") for name in trees}
            for seed in range(args.repeat):
                for name, src in trees.items():
                    run = probe(src, caches[name], agents, args.days, seed)
                    best[name] = min(best[name], run["seconds"])
            rate = {name: agents * args.days / best[name] / 1e6 for name in trees}
            print(
                f"{agents:>9,} agents: before {rate['before']:6.1f}  after {rate['after']:6.1f} M agent-days/s"
                f"  after / before = {rate['after'] / rate['before']:.3f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
