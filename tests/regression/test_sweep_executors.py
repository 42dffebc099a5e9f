"""Sweep results are byte-identical whether runs go serially, to local processes or to Dask."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from exitban.sweep import DaskExecutor, ProcessExecutor, SerialExecutor, SweepSpec, run_sweep

SPEC = SweepSpec.model_validate(
    {
        "name": "executors",
        "base": "army-officers-2019",
        "days": 30,
        "scale": 0.003,
        "design": "latin",
        "samples": 3,
        "replications": 2,
        "root_seed": 2026,
        "parameters": {
            "regime.prosecution_threat": {"range": [0.0, 0.8]},
            "pressure.pressure_rate": {"range": [0, 0.1]},
        },
    }
)


def _digest(out: Path) -> dict[str, str]:
    files = [*sorted((out / "timeseries").iterdir()), out / "runs.parquet"]
    return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in files}


def _pids(out: Path) -> set[str]:
    return {json.loads(p.read_text())["host_pid"] for p in (out / "records").glob("*.json")}


@pytest.fixture(scope="module")
def serial(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("serial") / "s"
    run_sweep(SPEC, out, executor=SerialExecutor())
    return out


def test_processes_match_serial(tmp_path: Path, serial: Path) -> None:
    """Two local worker processes write the same bytes as one serial run, and both workers took runs."""
    ex = ProcessExecutor(2)
    try:
        run_sweep(SPEC, tmp_path / "p", executor=ex)
    finally:
        ex.close()
    assert len(_digest(serial)) == 7
    assert _digest(tmp_path / "p") == _digest(serial)
    assert len(_pids(tmp_path / "p")) == 2


def test_dask_matches_serial(tmp_path: Path, serial: Path) -> None:
    """A Dask LocalCluster of two workers writes the same bytes as one serial run."""
    ex = DaskExecutor("local:2")
    try:
        run_sweep(SPEC, tmp_path / "d", executor=ex)
    finally:
        ex.close()
    assert _digest(tmp_path / "d") == _digest(serial)
    assert not _pids(tmp_path / "d") & _pids(serial)  # the runs really happened elsewhere
