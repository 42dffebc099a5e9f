"""A full disk during run, sweep and calibrate (issue 26 item 7): one line, and the folder untouched or complete.

A small tmpfs is mounted (CI runs as root; elsewhere the test is skipped, saying why) and filled
to leave a chosen number of bytes free, from none to nearly what the command writes, so the disk
fills at a different moment of each write. Then the command runs into it in this process:

- it ends with exit 0 or with exit 2 and one ``error:`` line (an ``OSError`` of a full disk is
  not a traceback);
- ``run``: the run folder is absent (untouched) or holds the whole run, byte for byte the run made
  on a roomy disk: never a half result;
- ``sweep`` and ``calibrate``: whatever they left (finished runs, finished batches) is never a
  folder the next command refuses: with the space back, the same command finishes it, and ends
  with the same runs table / posterior bytes as on a roomy disk (never a lone lock, never a
  stored refusal);
- no temporary file is left beside the folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exitban.cli import app
from tests.unit.test_calibrate_cli import TARGETS

SIZE = 16 << 20  # the tmpfs: room for the largest of the three results several times over
LEAVE = (0, 0.2, 0.5, 0.8, 0.97)  # bytes left free, as a share of what the command writes on a roomy disk
SPEC = """
name = "full-disk"
base = "army-officers-2019"
days = 5
scale = 0.002
replications = 2
root_seed = 4

[parameters."regime.prosecution_threat"]
values = [0.1, 0.6]
"""


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("full-disk-inputs")
    (root / "spec.toml").write_text(SPEC)
    (root / "targets.toml").write_text(TARGETS)
    return root


def _commands(inputs: Path, out: Path) -> dict[str, list[str]]:
    return {
        "run": ["run", "army-officers-2019", "--days", "5", "--scale", "0.002", "--out", str(out)],
        "sweep": ["sweep", str(inputs / "spec.toml"), "--out", str(out), "--workers", "1"],
        "calibrate": ["calibrate", "army-officers-2019", "--targets", str(inputs / "targets.toml"), "--out", str(out),
                      "--particles", "10", "--generations", "1", "--batch", "5", "--workers", "1"],
    }  # fmt: skip


@pytest.fixture(scope="module")
def disk() -> Iterator[Path]:
    """A small tmpfs, mounted for this module (skipped where mounting is not permitted)."""
    where = Path(tempfile.mkdtemp(prefix="exitban-full-disk-"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={SIZE}", "tmpfs", str(where)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        where.rmdir()
        reason = (mounted.stderr.strip().splitlines() or ["mount failed"])[0]
        pytest.skip(f"cannot mount a tmpfs to fill (needs root, as in CI): {reason}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)
        where.rmdir()


def _free(path: Path) -> int:
    st = os.statvfs(path)
    return st.f_bavail * st.f_frsize


def _fill(disk: Path, leave: int) -> Path:
    filler = disk / "filler"
    free = _free(disk)
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        os.posix_fallocate(fd, 0, max(free - leave, 1))
    finally:
        os.close(fd)
    return filler


def _bytes_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _result(verb: str, folder: Path) -> object:
    """What must be the same on a roomy and a full disk: the run's files, the runs table, the posterior."""
    if verb == "run":
        return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}
    if verb == "sweep":
        from exitban.sweep import open_store

        return open_store(folder).runs().to_dicts()
    return (folder / "posterior.parquet").read_bytes()


@pytest.mark.parametrize("verb", ["run", "sweep", "calibrate"])
def test_a_full_disk_leaves_the_folder_untouched_or_complete(
    disk: Path, inputs: Path, tmp_path: Path, verb: str
) -> None:
    runner = CliRunner()
    roomy = tmp_path / "roomy"
    made = runner.invoke(app, _commands(inputs, roomy)[verb])
    assert made.exit_code == 0, made.output
    expected, size = _result(verb, roomy), _bytes_of(roomy)
    outcomes = []
    for share in LEAVE:
        for entry in disk.iterdir():
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
        out = disk / "out"
        filler = _fill(disk, int(size * share))
        first = runner.invoke(app, _commands(inputs, out)[verb])
        shown = f"{verb} with {share:.0%} of {size:,} bytes free: exit {first.exit_code}: {first.output[-800:]}"
        assert first.exception is None or isinstance(first.exception, SystemExit), shown
        assert first.exit_code in (0, 2), shown
        if first.exit_code == 2:
            errors = [line for line in first.stderr.strip().splitlines() if line.startswith("error:")]
            assert len(errors) == 1 and "Traceback" not in first.stderr, shown  # one line per problem, one error
        assert sorted(p.name for p in disk.iterdir()) in (["filler"], ["filler", "out"]), shown  # no stray temporary
        if verb == "run":
            assert first.exit_code == 0 or not out.exists(), shown  # a failed run leaves nothing
        filler.unlink()
        if first.exit_code == 2 and (verb != "run"):
            again = runner.invoke(app, _commands(inputs, out)[verb])  # the same command, with the space back
            assert again.exit_code == 0, f"{shown}; then, with space: {again.output[-800:]}"
        elif first.exit_code == 2:
            assert runner.invoke(app, _commands(inputs, out)[verb]).exit_code == 0, shown
        assert _result(verb, out) == expected, shown
        outcomes.append(first.exit_code)
    assert 2 in outcomes, f"{verb}: the disk never filled ({outcomes}); LEAVE should reach below what it writes"


@pytest.mark.parametrize("left", [[".lock"], [".lock", "timeseries/", "records/"], [".tmp-manifest.json.x1"]])
def test_a_folder_a_failed_first_open_left_is_begun_again(tmp_path: Path, left: list[str]) -> None:
    """A lone lock, empty subfolders or the store's own temporary (left by kill -9 before the manifest): not foreign."""
    from exitban.sweep.store import Store

    root = tmp_path / "s"
    root.mkdir()
    for name in left:
        (root / name).mkdir() if name.endswith("/") else (root / name).write_text("")
    Store.open(root, {"spec_hash": "h", "kind": "sweep", "version": "v", "name": "n"}).close()
    assert (root / "manifest.json").is_file()


@pytest.mark.parametrize("foreign", ["a file", "an empty folder of another name"])
def test_a_folder_with_anything_else_is_still_refused(tmp_path: Path, foreign: str) -> None:
    """A user's file, or a folder the store does not make, beside a lock is foreign: refused, not begun again."""
    from exitban.errors import StoreError
    from exitban.sweep.store import Store

    root = tmp_path / "s"
    root.mkdir()
    (root / ".lock").write_text("")
    (root / "notes.txt").write_text("mine") if foreign == "a file" else (root / "photos").mkdir()
    with pytest.raises(StoreError, match="is not empty and is not a sweep store"):
        Store.open(root, {"spec_hash": "h", "kind": "sweep", "version": "v", "name": "n"})
