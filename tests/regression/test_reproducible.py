"""A run is a pure function of (scenario, seed, version): same inputs, same bytes."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import exitban


def _digest(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir())}


def test_same_seed_same_bytes(tmp_path: Path, army_small: exitban.Scenario) -> None:
    """Two runs with the same seed write byte-identical files."""
    a = exitban.simulate(army_small, seed=7).write(tmp_path / "a")
    b = exitban.simulate(army_small, seed=7).write(tmp_path / "b")
    assert _digest(a) == _digest(b)


def test_different_seed_different_result(army_small: exitban.Scenario) -> None:
    """A different seed gives a different trajectory."""
    a = exitban.simulate(army_small, seed=1).timeseries
    b = exitban.simulate(army_small, seed=2).timeseries
    assert not a.equals(b)


def test_one_thread_and_two_threads_write_the_same_bytes(tmp_path: Path) -> None:
    """The CLI run with NUMBA_NUM_THREADS=1 and =2 produces identical output files (parallel kernel in use)."""
    digests = []
    for threads in (1, 2):
        out = tmp_path / f"t{threads}"
        env = {**os.environ, "NUMBA_NUM_THREADS": str(threads)}
        cmd = [
            sys.executable,
            "-m",
            "exitban",
            "run",
            "army-officers-2019",
            "--seed",
            "3",
            "--days",
            "60",
            "--scale",
            "0.02",
            "--out",
            str(out),
        ]
        subprocess.run(cmd, check=True, env=env, capture_output=True)
        digests.append(_digest(out))
    assert digests[0] == digests[1]
