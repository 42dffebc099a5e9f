"""Output problems are reported in one line before or after a run, never as a traceback."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from typer.testing import CliRunner

import exitban
from exitban.cli import app

SMALL = ["army-officers-2019", "--days", "2", "--scale", "0.001"]


def test_out_that_is_a_file_is_refused_before_running(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--out` naming a file is refused with exit 2 before the simulation starts."""
    target = tmp_path / "taken"
    target.write_text("not a directory")

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("simulate ran although the output could not be written")

    monkeypatch.setattr("exitban.cli.run.simulate", never)
    for out in (target, target / "sub"):
        result = CliRunner().invoke(app, ["run", *SMALL, "--out", str(out)])
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith(f"error: --out {out}: ")
    assert target.read_text() == "not a directory"


def test_disk_error_while_writing_is_one_line_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A disk error while writing results (e.g. disk full) exits 2 with the path and the reason, no traceback."""

    def disk_full(self: exitban.Result, out_dir: Path) -> Path:
        raise OSError(errno.ENOSPC, "No space left on device", str(Path(out_dir) / "timeseries.parquet"))

    monkeypatch.setattr(exitban.Result, "write", disk_full)
    result = CliRunner().invoke(app, ["run", *SMALL, "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {tmp_path / 'out' / 'timeseries.parquet'}: No space left on device"
