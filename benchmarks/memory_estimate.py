"""Compare limits.estimate_bytes with the measured peak memory of real runs (one process per case).

Run: python benchmarks/memory_estimate.py
Prints, per case, the estimate, the measured growth of peak RSS over a warmed-up process, and their ratio
(estimate / measured: above 1 means the estimate is on the safe side).
"""

from __future__ import annotations

import json
import subprocess
import sys

CASES = [  # (scenario, scale, days)
    ("army-officers-2019", 1.0, 30),
    ("army-officers-2019", 3.0, 5),
    ("fsb-mobilization-2023", 1.0, 20),
    ("officials-2023", 0.02, 36_500),
]

CHILD = r"""
import json, resource, sys, tempfile
import exitban
from exitban.limits import estimate_bytes
name, scale, days = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
sc = exitban.load_scenario(name)
exitban.simulate(sc, seed=0, days=2, scale=0.001).write(tempfile.mkdtemp())  # compile and warm up
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
result = exitban.simulate(sc, seed=0, days=days, scale=scale)
result.write(tempfile.mkdtemp())
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
est = estimate_bytes(sc.with_overrides(scale=scale), days)
print(json.dumps({"agents": result.summary["agents"], "estimate": est, "measured": after - before}))
"""


def main() -> None:
    print(f"{'scenario':<24}{'scale':>7}{'days':>8}{'agents':>12}{'estimate MiB':>14}{'measured MiB':>14}{'ratio':>7}")
    for name, scale, days in CASES:
        out = subprocess.run(
            [sys.executable, "-c", CHILD, name, str(scale), str(days)], capture_output=True, text=True, check=True
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        ratio = r["estimate"] / max(1, r["measured"])
        print(
            f"{name:<24}{scale:>7g}{days:>8}{r['agents']:>12,}{r['estimate'] / 2**20:>14.0f}"
            f"{r['measured'] / 2**20:>14.0f}{ratio:>7.2f}"
        )


if __name__ == "__main__":
    main()
