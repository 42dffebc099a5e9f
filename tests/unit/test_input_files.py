"""Input files are read only when they are regular files of bounded size: no FIFO, device or kernel file hangs a load."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exitban.cli import app
from exitban.errors import ScenarioError
from exitban.scenario.load import load_scenario
from exitban.sweep.spec import load_spec


@pytest.mark.parametrize("loader", [load_scenario, load_spec], ids=["scenario", "spec"])
def test_a_fifo_is_refused_without_waiting_for_a_writer(loader, tmp_path: Path) -> None:
    """A FIFO given as a scenario or a sweep spec is refused at once (a read would block forever)."""
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    started = time.monotonic()
    with pytest.raises(ScenarioError, match=r"pipe.toml: is not a regular file \(a device, FIFO or socket\)"):
        loader(fifo)
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("path", ["/dev/zero", "/proc/self/status", "/sys/kernel/mm"])
@pytest.mark.parametrize("loader", [load_scenario, load_spec], ids=["scenario", "spec"])
def test_kernel_files_are_refused_before_opening(loader, path: str) -> None:
    """/dev/zero (endless) and /proc or /sys files are refused by where they live."""
    if not Path(path).exists():
        pytest.skip(f"{path} does not exist here")
    with pytest.raises(ScenarioError, match="is a kernel interface, not a file"):
        loader(path)


def test_a_folder_is_refused(tmp_path: Path) -> None:
    """A folder given as a sweep spec says it is a folder."""
    with pytest.raises(ScenarioError, match=r"is a folder \(allowed: a regular file\)"):
        load_spec(tmp_path)


def test_a_large_spec_is_refused_with_its_size(tmp_path: Path) -> None:
    """A sweep spec over 1 MiB is refused with its size and the limit, before parsing."""
    spec = tmp_path / "big.toml"
    spec.write_text("#" * (2 << 20))
    with pytest.raises(
        ScenarioError, match=r"big.toml: file is 2,097,152 bytes; a sweep spec may be at most 1,048,576"
    ):
        load_spec(spec)


def test_a_thousand_part_dotted_key_is_one_line_not_a_recursion_error(tmp_path: Path) -> None:
    """A 2 KB scenario whose one key has ~1,000 dotted parts is refused for its depth (exit 2, one line)."""
    path = tmp_path / "deep.toml"
    path.write_text('name = "deep"\n' + ".".join(["a"] * 1000) + " = 1\n")
    with pytest.raises(ScenarioError, match=r"deep.toml: tables or arrays nested 999 deep \(allowed: at most 16"):
        load_scenario(path)
    out = CliRunner().invoke(app, ["check", str(path)])
    assert out.exit_code == 2 and len(out.output.strip().splitlines()) == 1
