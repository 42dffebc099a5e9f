"""Paired A/B timing of the engine in two source trees: the ratio of their speeds, robust to a loaded machine.

Each tree runs in its own process, built once to the same state (same scenario, size and seed, so the same
bytes). The two then run the same stretch of days in turn, many times over, each time continuing from where
it stopped: pair k is the same work in both trees, a few tenths of a second apart. The ratio of each pair's
times, and its median, cancels most of what other processes on the machine do to either; both processes are
pinned to one CPU (``taskset``), which they share in turn. Compile both trees first (one run each).

Usage: python benchmarks/paired.py TREE_A TREE_B [--pairs 61] [--days 10] [--agents 1000000] [--threads 1]
A ratio above 1 means TREE_B is faster. Run it with both trees the same first: the spread of an A/A run is the
noise to read a difference against.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

SCENARIO = "army-officers-2019"


def serve(days: int, agents: int) -> None:
    """The child: build the state, then run ``days`` days per line read, printing the seconds taken."""
    import exitban
    from exitban.engine.build import build
    from exitban.engine.loop import run_days

    base = exitban.load_scenario(SCENARIO)
    exitban.simulate(base.with_overrides(scale=0.001, days=5), seed=0)  # compile / load the cache
    inputs, state = build(base.with_overrides(scale=agents / base.total_agents()), 0)
    print("ready", flush=True)
    for _ in sys.stdin:
        started = time.perf_counter()
        run_days(inputs, state, days)
        print(f"{time.perf_counter() - started:.6f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("trees", nargs=2, help="two source trees (each with src/exitban)")
    parser.add_argument("--pairs", type=int, default=61, help="pairs of runs; the first is a warm-up")
    parser.add_argument("--days", type=int, default=10, help="days per run")
    parser.add_argument("--agents", type=int, default=1_000_000)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--cpu", default="1", help="CPU list for taskset ('' runs unpinned)")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.days, args.agents)
        return
    env = {**os.environ, "PYTHONPATH": "src", "CI": "true", "NUMBA_NUM_THREADS": str(args.threads)}
    pin = ["taskset", "-c", args.cpu] if args.cpu else []
    command = [*pin, sys.executable, os.path.abspath(__file__), *args.trees, "--serve"]
    command += ["--days", str(args.days), "--agents", str(args.agents)]
    children = [
        subprocess.Popen(command, cwd=tree, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for tree in args.trees
    ]
    for child in children:
        if child.stdout is None or child.stdout.readline().strip() != "ready":
            raise SystemExit("a tree failed to start (run it once alone to see why)")

    def run(child: subprocess.Popen[str]) -> float:
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write("go\n")
        child.stdin.flush()
        return float(child.stdout.readline())

    times: list[tuple[float, float]] = []
    for k in range(args.pairs):
        first, second = (0, 1) if k % 2 == 0 else (1, 0)  # alternate which tree goes first
        pair = [0.0, 0.0]
        pair[first] = run(children[first])
        pair[second] = run(children[second])
        if k:  # the first pair warms both up
            times.append((pair[0], pair[1]))
    for child in children:
        assert child.stdin is not None
        child.stdin.close()
        child.wait()
    ratios = [a / b for a, b in times]
    a_times, b_times = [a for a, _ in times], [b for _, b in times]
    print(f"{len(times)} pairs of {args.days} days at {args.agents:,} agents, {args.threads} thread(s), cpu {args.cpu}")
    print(f"  A = {args.trees[0]}: best {min(a_times):.3f} s, median {statistics.median(a_times):.3f} s")
    print(f"  B = {args.trees[1]}: best {min(b_times):.3f} s, median {statistics.median(b_times):.3f} s")
    print(
        f"  speed B / A: median {statistics.median(ratios):.3f} (pairs from {min(ratios):.3f} to {max(ratios):.3f}), "
        f"best / best {min(a_times) / min(b_times):.3f}"
    )


if __name__ == "__main__":
    main()
