"""Fault run (issue 26): ``kill -TERM`` at random moments of ``run``, ``sweep`` and ``calibrate``, then check the folder.

Each verb runs once to completion (the reference, and its wall time T, start-up included). Then,
``--tries`` times, the same command starts into a fresh folder and gets SIGTERM after a delay
drawn uniformly from [0, 1.1 T] (so some signals land during start-up, some after the end).
Afterwards the folder must be one of:

- untouched: no folder at all (the command had not begun it, or removed what it began);
- complete: the whole result, byte for byte the reference's (run: every file; sweep: the runs
  table from the records and an inventory with nothing damaged; calibrate: posterior.parquet);
- resumable: the same command, run again without a signal, exits 0 and ends with the
  reference's bytes (sweep and calibrate only: a run folder is never left in part).

Anything else is counted as bad and described. Prints one row per verb.

Usage: python benchmarks/sigterm_faults.py [--tries 20] [--seed 0] [--verbs run sweep calibrate] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

SPEC = """
name = "sigterm"
base = "army-officers-2019"
days = 20
scale = 0.002
replications = 3
root_seed = 4

[parameters."regime.prosecution_threat"]
values = [0.1, 0.6]
"""

TARGETS = """
fit_until = 2023-06-30

[targets.absent_days]
figure = "absent person-days in a month"
low = 2_000
high = 20_000
date = 2019-12-31
period = "test"
source = "made up for the fault run"
scenario = "army-officers-2019"
role = "fit"
measure = { columns = ["absent"], days = [0, 30] }
independent = false
independent_why = "fitted"

[calibrate.army-officers-2019]
scale = 0.002

[calibrate.army-officers-2019.parameters]
"behaviour.absence_bias" = { prior = [-6.0, 0.0], why = "fault run" }
"""


def command(verb: str, inputs: Path, out: Path) -> list[str]:
    base = [sys.executable, "-m", "exitban"]
    return base + {
        "run": ["run", "army-officers-2019", "--days", "60", "--scale", "0.01", "--out", str(out)],
        "sweep": ["sweep", str(inputs / "spec.toml"), "--out", str(out), "--workers", "1"],
        "calibrate": ["calibrate", "army-officers-2019", "--targets", str(inputs / "targets.toml"), "--out", str(out),
                      "--particles", "10", "--generations", "2", "--batch", "5", "--workers", "1"],
    }[verb]  # fmt: skip


def result(verb: str, folder: Path) -> object:
    """What a complete folder holds, comparable between runs (None if it is not complete)."""
    try:
        if verb == "run":
            from exitban.runfolder import RUN_FILES

            if sorted(p.name for p in folder.iterdir() if p.is_file()) != sorted(RUN_FILES):
                return None
            return {name: (folder / name).read_bytes() for name in RUN_FILES}
        if verb == "sweep":
            from exitban.sweep import open_store

            store = open_store(folder)
            inventory = store.inventory()
            if inventory.damaged or not (folder / "runs.parquet").is_file():
                return None
            return store.runs().to_dicts(), len(inventory.stored)
        return (folder / "posterior.parquet").read_bytes()
    except Exception:  # any damage: not complete
        return None


ODD: list[str] = []  # exits other than 130 (signal), 1 (sweep interrupted) or 0 (ended first)


def run(args: list[str], env: dict[str, str], timeout: float = 600) -> tuple[int, float]:
    started = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        print(f"  (exit {done.returncode}: {(done.stderr.strip().splitlines() or [''])[-1][:200]})", file=sys.stderr)
    return done.returncode, time.perf_counter() - started


def one_try(verb: str, inputs: Path, out: Path, delay: float, expected: object, env: dict[str, str]) -> tuple[str, str]:
    """Start, SIGTERM after ``delay`` s, classify the folder; returns (verdict, detail)."""
    proc = subprocess.Popen(command(verb, inputs, out), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        proc.wait(timeout=delay)
        ended = True
    except subprocess.TimeoutExpired:
        ended = False
        proc.send_signal(signal.SIGTERM)
    try:
        _, err = proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        proc.kill()
        return "bad", f"did not end within 120 s of SIGTERM (delay {delay:.1f} s)"
    code = proc.returncode
    text = err.decode(errors="replace")
    last = " | ".join(text.strip().splitlines()[-3:])[:300]
    if "Traceback" in text:
        return "bad", f"traceback after SIGTERM at {delay:.1f} s: {last}"
    if not ended and code not in (130, -signal.SIGTERM, 0, 1):  # the folder is still judged below
        print(f"  odd exit {code} after SIGTERM at {delay:.1f} s: {last}", file=sys.stderr)
        ODD.append(f"{verb}: exit {code} after SIGTERM at {delay:.1f} s: {last}")
    if not out.exists():
        return "untouched", ""
    if not out.is_dir():
        return "bad", f"{out} is not a folder"
    if result(verb, out) == expected:
        return "complete", ""
    if verb == "run":
        left = sorted(p.name for p in out.iterdir())
        return "bad", f"run folder left in part after SIGTERM at {delay:.1f} s: {left}"
    code, _ = run(command(verb, inputs, out), env)
    if code == 0 and result(verb, out) == expected:
        return "resumed", ""
    return "bad", f"resume after SIGTERM at {delay:.1f} s: exit {code}, same bytes: {result(verb, out) == expected}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tries", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--verbs", nargs="+", default=["run", "sweep", "calibrate"])
    ap.add_argument("--keep", type=Path, default=None, help="Work here (kept) instead of a temporary folder.")
    opts = ap.parse_args()
    rng = random.Random(opts.seed)
    env = {**os.environ, "NUMBA_NUM_THREADS": os.environ.get("NUMBA_NUM_THREADS", "1"), "PYTHONUNBUFFERED": "1"}
    work = opts.keep or Path(tempfile.mkdtemp(prefix="exitban-sigterm-"))
    work.mkdir(parents=True, exist_ok=True)
    (work / "spec.toml").write_text(SPEC)
    (work / "targets.toml").write_text(TARGETS)
    rows = []
    for verb in opts.verbs:
        ref = work / f"{verb}-reference"
        shutil.rmtree(ref, ignore_errors=True)
        code, took = run(command(verb, work, ref), env)
        if code != 0:
            sys.exit(f"{verb}: the reference run failed (exit {code})")
        expected = result(verb, ref)
        verdicts: Counter[str] = Counter()
        bad: list[str] = []
        started = time.perf_counter()
        for i in range(opts.tries):
            out = work / f"{verb}-{i:02d}"
            shutil.rmtree(out, ignore_errors=True)
            verdict, detail = one_try(verb, work, out, rng.uniform(0, 1.1 * took), expected, env)
            verdicts[verdict] += 1
            if detail:
                bad.append(detail)
            print(f"{verb} try {i + 1}/{opts.tries}: {verdict} {detail}", file=sys.stderr, flush=True)
        rows.append((verb, took, verdicts, bad, time.perf_counter() - started))
    print(
        f"\n{'verb':<10} {'T (s)':>6} {'tries':>5} {'untouched':>9} {'complete':>8} {'resumed':>7} {'bad':>4} {'wall (s)':>8}"
    )
    for verb, took, v, _, wall in rows:
        tries = sum(v.values())
        print(
            f"{verb:<10} {took:>6.1f} {tries:>5} {v['untouched']:>9} {v['complete']:>8} {v['resumed']:>7} "
            f"{v['bad']:>4} {wall:>8.0f}"
        )
    for verb, _, _, bad, _ in rows:
        for line in bad:
            print(f"bad ({verb}): {line}")
    for line in ODD:
        print(f"odd exit code: {line}")
    if opts.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if any(v["bad"] for _, _, v, _, _ in rows) else 0)


if __name__ == "__main__":
    main()
