"""An interrupted run (Ctrl-C, SIGTERM, a failure mid-write) exits cleanly and leaves no file that looks complete."""

from __future__ import annotations

import importlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest

import exitban
from exitban.runfolder import RUN_FILES, vouch_report

loader_module = importlib.import_module("exitban.scenario.load")
FILES = set(RUN_FILES)


@pytest.fixture(scope="module")
def small_result(army_small: exitban.Scenario) -> exitban.Result:
    """A 10-day run of the small army scenario."""
    return exitban.simulate(army_small, seed=0, days=10)


def _leftovers(out: Path) -> list[str]:
    """exitban's temporary files inside the folder and its staging or old siblings beside it."""
    inside = [p.name for p in out.iterdir() if p.name.endswith(".part")]
    beside = [p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")]
    return sorted(inside + beside)


def _interrupt_after_the_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(_scenario: exitban.Scenario) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr(loader_module, "to_toml", interrupted)  # Result.write imports it when it writes


def test_interrupt_between_files_keeps_the_previous_run_whole(
    small_result: exitban.Result, army_small: exitban.Scenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C after the tables but before the summary: the folder is the previous run, every file as it was,
    and nothing is left beside it (issue 26, item 3: the old state or the whole result, never part)."""
    out = tmp_path / "out"
    exitban.simulate(army_small, seed=1, days=5).write(out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert set(before) == FILES
    _interrupt_after_the_tables(monkeypatch)
    with pytest.raises(KeyboardInterrupt):
        small_result.write(out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert _leftovers(out) == []


def test_an_interrupted_first_write_leaves_no_folder(
    small_result: exitban.Result, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first write killed half-way leaves no folder at all, so the next command finds nothing to refuse."""
    out = tmp_path / "new"
    _interrupt_after_the_tables(monkeypatch)
    with pytest.raises(KeyboardInterrupt):
        small_result.write(out)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # no staging sibling either


def test_a_rewrite_replaces_the_whole_folder_and_its_report(small_result: exitban.Result, tmp_path: Path) -> None:
    """A complete rewrite holds exactly the run's files: the previous report and plots went with the old folder."""
    out = tmp_path / "out"
    small_result.write(out)
    (out / "report.html").write_text("<p>an older run</p>")
    (out / "report-plots").mkdir()
    (out / "report-plots" / "a.png").write_bytes(b"png")
    vouch_report(out, out / "report.html")  # as `exitban report OUT` lists what it writes
    small_result.write(out)
    assert {p.name for p in out.iterdir()} == FILES
    assert _leftovers(out) == []


def test_interrupt_in_a_folder_with_the_users_files_drops_the_old_summary(
    small_result: exitban.Result, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With files exitban did not write (--overwrite) the folder is written in place: the user's files stay,
    and an interrupted write leaves no summary.json (the completion marker) and no .part."""
    out = tmp_path / "out"
    small_result.write(out)
    (out / "notes.txt").write_text("mine")
    import importlib

    simulate_module = importlib.import_module("exitban.simulate")  # the module: exitban.simulate is the function

    real_write = simulate_module.atomic_write_bytes

    def interrupted(target: Path, blob: bytes, *args: str) -> None:  # the files are made first, then written
        if target.name == "scenario.toml":
            raise KeyboardInterrupt
        real_write(target, blob, *args)

    monkeypatch.setattr(simulate_module, "atomic_write_bytes", interrupted)
    with pytest.raises(KeyboardInterrupt):
        small_result.write(out)
    assert not (out / "summary.json").exists()
    assert (out / "notes.txt").read_text() == "mine"
    assert _leftovers(out) == []
    assert pl.read_parquet(out / "timeseries.parquet").height == small_result.timeseries.height


def test_interrupt_inside_a_file_keeps_the_previous_file_whole(
    small_result: exitban.Result, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C half-way through writing a parquet file leaves the previous run readable and no leftovers."""
    out = tmp_path / "out"
    small_result.write(out)
    before = (out / "timeseries.parquet").read_bytes()

    def half_written(self: pl.DataFrame, path: object, **kwargs: object) -> None:
        half = before[
            : len(before) // 2
        ]  # a table is serialised in memory, then written (exitban.atomic.parquet_bytes)
        path.write(half) if hasattr(path, "write") else Path(str(path)).write_bytes(half)
        raise KeyboardInterrupt

    monkeypatch.setattr(pl.DataFrame, "write_parquet", half_written)
    with pytest.raises(KeyboardInterrupt):
        small_result.write(out)
    assert (out / "timeseries.parquet").read_bytes() == before
    assert (out / "summary.json").exists()
    assert _leftovers(out) == []


def _start_run(out: Path) -> subprocess.Popen[str]:
    """Start a long full-scale `exitban run` and return once it has loaded its scenario."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "NUMBA_NUM_THREADS": "2"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "exitban", "run", "army-officers-2019", "--days", "36500", "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    header = proc.stdout.readline()  # printed after the scenario loaded, just before simulating
    assert "agents" in header, header + proc.stderr.read() if proc.stderr else header
    time.sleep(1.0)
    return proc


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_signal_stops_run_cleanly(sig: signal.Signals, tmp_path: Path) -> None:
    """A run stopped by Ctrl-C or SIGTERM exits 130 with one line, no traceback and no output files."""
    out = tmp_path / "out"
    proc = _start_run(out)
    proc.send_signal(sig)
    try:
        _, stderr = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert stderr.strip().splitlines() == ["interrupted: nothing half-written was left behind"]
    assert not out.exists() or list(out.iterdir()) == []
