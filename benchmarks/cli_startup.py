"""Start-up time of the command line: `exitban --help`, `exitban scenarios`, `exitban show NAME`.

Each command runs as a fresh process ``--repeat`` times; the median wall time is printed, with the
heavy libraries the command imported (from ``-X importtime``). ``--src DIR`` puts another source
tree first on the path, to time an older version against this one on the same machine:

    git archive HEAD~1 src | tar -x -C /tmp/old && python benchmarks/cli_startup.py --src /tmp/old/src
    python benchmarks/cli_startup.py
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

COMMANDS = (["--help"], ["scenarios"], ["show", "officials-2023"], ["check", "army-officers-2019"])
HEAVY = ("numba", "polars", "matplotlib", "duckdb", "pyarrow", "scipy", "SALib", "pydantic")


def timed(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "exitban", *args], env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def heavy_imports(args: list[str], env: dict[str, str]) -> list[str]:
    """The heavy top-level packages this command imports, from Python's ``-X importtime`` log."""
    cmd = [sys.executable, "-X", "importtime", "-m", "exitban", *args]
    log = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stderr
    names = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in log.splitlines() if "|" in line}
    return [h for h in HEAVY if h in names]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="processes per command (median reported)")
    parser.add_argument("--src", help="a source tree to put first on PYTHONPATH (e.g. an older version)")
    args = parser.parse_args()
    env = dict(os.environ, COLUMNS="100")
    if args.src:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (args.src, env.get("PYTHONPATH")) if p)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, median of {args.repeat} runs")
    for cmd in COMMANDS:
        timed(cmd, env)  # warm the file cache and the bytecode cache
        times = [timed(cmd, env) for _ in range(args.repeat)]
        heavy = ", ".join(heavy_imports(cmd, env)) or "none"
        label = "exitban " + " ".join(cmd)
        print(f"{label:<32} median {statistics.median(times):.2f} s  (min {min(times):.2f})  heavy imports: {heavy}")


if __name__ == "__main__":
    main()
