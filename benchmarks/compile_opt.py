"""The engine's cold compile time and its speed afterwards, at each of Numba's optimisation levels.

For every level (``NUMBA_OPT``, 3 is Numba's default) a fresh process compiles the engine into an
empty ``NUMBA_CACHE_DIR`` (what the first run on a machine does), then a second process loads that
cache, times a run (best of ``--repeat``), and checks the outputs of one seed of every shipped
scenario against tests/data/output_digests.json (byte-identical or not).

    .venv/bin/python benchmarks/compile_opt.py --levels 3 2 1 0 --scale 0.05 --days 365

Figures are from this machine and its load at the time: compare levels within one call only.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = "army-officers-2019"

COMPILE = """
import json, time, exitban
from exitban.engine import kernel
started = time.perf_counter()
exitban.simulate(exitban.load_scenario("army-officers-2019").with_overrides(scale=0.0005, days=2), seed=0)
seconds = time.perf_counter() - started
sigs = kernel.step_unit.signatures  # compiled in this process: every specialization the run needed
differ = [f"arg {i}: " + " | ".join(map(str, types)) for i, types in enumerate(zip(*sigs)) if len(set(types)) > 1]
print(json.dumps({"seconds": seconds, "step_unit": len(sigs), "differ": differ}))
"""

STEADY = """
import json, sys, time
sys.path.insert(0, {root!r})
import exitban
from tests.regression.output_digests import FIXTURE, run
sc = exitban.load_scenario({scenario!r}).with_overrides(scale={scale}, days={days})
exitban.simulate(sc.with_overrides(scale=0.0005, days=2), seed=0)  # load the cache
best = float("inf")
for seed in range({repeat}):
    started = time.perf_counter()
    exitban.simulate(sc, seed=seed)
    best = min(best, time.perf_counter() - started)
recorded = json.loads(FIXTURE.read_text())
keys = [k for k in sorted(recorded) if k.endswith("/seed=1")]
same = sum(run(k.split("/seed=")[0], 1) == recorded[k] for k in keys)
print(json.dumps({{"seconds": best, "same": same, "checked": len(keys)}}))
"""


def child(code: str, level: int, cache: str) -> str:
    """Run ``code`` in a fresh Python with the given optimisation level and cache folder; its last line."""
    env = {**os.environ, "NUMBA_OPT": str(level), "NUMBA_CACHE_DIR": cache}
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--levels", type=int, nargs="+", default=[3, 2, 1, 0])
    parser.add_argument("--scale", type=float, default=0.05)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    print(
        f"{SCENARIO} at scale {args.scale:g} for {args.days} days, best of {args.repeat}; digests: one seed a scenario"
    )
    print(f"{'NUMBA_OPT':>9} {'cold compile s':>15} {'run s':>8} {'digests identical':>18}")
    for level in args.levels:
        with tempfile.TemporaryDirectory(prefix=f"numba-opt{level}-") as cache:
            compiled = json.loads(child(COMPILE, level, cache))
            steady = json.loads(
                child(
                    STEADY.format(
                        root=str(ROOT), scenario=SCENARIO, scale=args.scale, days=args.days, repeat=args.repeat
                    ),
                    level,
                    cache,
                )
            )
        same = f"{steady['same']}/{steady['checked']}"
        print(f"{level:>9} {compiled['seconds']:15.1f} {steady['seconds']:8.2f} {same:>18}", flush=True)
        if compiled["step_unit"] > 1:  # the largest function, compiled once per set of argument types
            print(f"{'':>9} step_unit compiled {compiled['step_unit']} times; {'; '.join(compiled['differ'])}")


if __name__ == "__main__":
    main()
