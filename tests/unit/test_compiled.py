"""The first compile is detected from Numba's cache index files, so `exitban run` can announce it."""

from __future__ import annotations

import subprocess
import sys

import exitban
from exitban.compiled import engine_compiled


def test_a_cache_after_a_run_reads_as_compiled(army_small) -> None:
    """After one run in this process every cached engine function has an index on disk."""
    exitban.simulate(army_small.with_overrides(scale=0.0005, days=2), seed=0)
    assert engine_compiled() is True


def test_an_empty_cache_reads_as_cold(tmp_path) -> None:
    """With NUMBA_CACHE_DIR pointing at an empty folder, the engine reads as not compiled (nothing is compiled)."""
    code = "from exitban.compiled import engine_compiled; print(engine_compiled())"
    env = {"NUMBA_CACHE_DIR": str(tmp_path), "PATH": ""}
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True)
    assert out.stdout.strip() == "False"
