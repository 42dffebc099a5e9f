"""A sweep survives kill -9 of itself and of a Dask worker: no completed run lost, nothing half-written."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import polars as pl

from exitban.sweep import DaskExecutor, SerialExecutor, SweepSpec, build_tasks, load_spec, run_sweep

SPEC_TOML = """
name = "kill-test"
base = "army-officers-2019"
days = 40
scale = 0.004
replications = 8
root_seed = 77
[parameters."regime.prosecution_threat"]
values = [0.1, 0.6]
"""


def _digest(out: Path) -> dict[str, str]:
    files = [*sorted((out / "timeseries").iterdir()), out / "runs.parquet"]
    return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in files}


def _wait_for(predicate, timeout: float = 180.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not reached")
        time.sleep(0.01)


def test_kill_9_mid_sweep_then_resume(tmp_path: Path) -> None:
    """kill -9 mid-sweep keeps every completed run readable; the same command finishes only the rest."""
    spec_path = tmp_path / "spec.toml"
    spec_path.write_text(SPEC_TOML)
    out = tmp_path / "store"
    cmd = [sys.executable, "-m", "exitban", "sweep", str(spec_path), "--out", str(out), "--workers", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(lambda: len(list((out / "records").glob("*.json"))) >= 3 if (out / "records").is_dir() else False)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    kept = {p.stem: p.stat().st_mtime_ns for p in (out / "records").glob("*.json")}
    assert 3 <= len(kept) < 16, "the kill must land mid-sweep"
    for rid in kept:  # every visible file is whole
        assert json.loads((out / "records" / f"{rid}.json").read_text())["status"] == "ok"
        assert pl.read_parquet(out / "timeseries" / f"{rid}.parquet").height == 40 * 4

    again = subprocess.run(cmd, capture_output=True, text=True, check=True)
    assert f"16 runs, {len(kept)} already stored, {16 - len(kept)} to run" in again.stdout
    assert {rid: (out / "records" / f"{rid}.json").stat().st_mtime_ns for rid in kept} == kept
    assert not list(out.rglob(".tmp-*"))

    clean = tmp_path / "clean"
    run_sweep(*load_spec(spec_path)[:1], clean, executor=SerialExecutor())
    assert _digest(out) == _digest(clean)


def test_dask_worker_killed_mid_sweep_costs_no_result(tmp_path: Path) -> None:
    """SIGKILL of a Dask worker that holds a run: the run is redone elsewhere and every result arrives intact."""
    spec = SweepSpec.model_validate(
        {"name": "dask-kill", "base": "army-officers-2019", "days": 40, "scale": 0.004, "replications": 4,
         "root_seed": 3, "parameters": {"regime.prosecution_threat": {"values": [0.1, 0.6]}}}
    )  # fmt: skip
    tasks = build_tasks(spec)
    ex = DaskExecutor("local:2")
    killed: list[int] = []
    try:
        pids = ex.client.run(os.getpid)
        results = []
        for result in ex.map_unordered(tasks):
            results.append(result)
            if not killed:
                busy = [addr for addr, keys in ex.client.processing().items() if keys and addr in pids]
                assert busy, "a worker must hold a run when it is killed"
                os.kill(pids[busy[0]], signal.SIGKILL)
                killed.append(pids[busy[0]])
        _wait_for(lambda: len(ex.client.scheduler_info()["workers"]) == 2, timeout=60)
        new_pids = set(ex.client.run(os.getpid).values())
    finally:
        ex.close()
    assert killed and killed[0] not in new_pids  # the killed worker was replaced
    assert sorted(r["run_id"] for r, _ in results) == sorted(t.run_id for t in tasks)
    assert all(r["status"] == "ok" for r, _ in results)
    reference = tmp_path / "serial"
    run_sweep(spec, reference, executor=SerialExecutor())
    for record, tables in results:
        for table in ("timeseries", "tallies"):
            assert getattr(tables, table) == (reference / table / f"{record['run_id']}.parquet").read_bytes()
