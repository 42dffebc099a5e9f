"""Sweep stores and calibration folders are one kind of folder: both refuse the same things the same way."""

from __future__ import annotations

import json
import os
import re
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from exitban.calibration.folder import CalibrationFolder
from exitban.errors import StoreError
from exitban.lockedfolder import LockedFolder
from exitban.sweep.store import Store
from tests.helpers import seal

KINDS: list[tuple[type[LockedFolder], dict[str, Any], dict[str, Any]]] = [
    (Store, {"kind": "sweep", "name": "a", "spec_hash": "1", "version": "v"}, {"spec_hash": "2"}),
    (CalibrationFolder, {"scenario": "a", "hash": "1", "version": "v"}, {"hash": "2"}),
]
IDS = ["sweep store", "calibration"]


@pytest.mark.parametrize(("kind", "manifest", "other"), KINDS, ids=IDS)
def test_a_foreign_folder_is_refused_naming_it(
    kind: type[LockedFolder], manifest: dict[str, Any], other: dict[str, Any], tmp_path: Path
) -> None:
    """A non-empty folder without the manifest is left untouched and named, with the way out."""
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(
        StoreError,
        match=rf"^{re.escape(str(tmp_path))}: exists, is not empty and is not a {kind.KIND}; give a new --out$",
    ):
        kind.open(tmp_path, manifest)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


@pytest.mark.parametrize(("kind", "manifest", "other"), KINDS, ids=IDS)
def test_a_held_lock_is_refused_until_released(
    kind: type[LockedFolder], manifest: dict[str, Any], other: dict[str, Any], tmp_path: Path
) -> None:
    """While one command writes the folder, a second is refused; once the first closes, it opens."""
    first = kind.open(tmp_path / "f", manifest)
    with pytest.raises(StoreError, match=rf"f: {kind.SHORT} in use: another exitban command is writing to it"):
        kind.open(tmp_path / "f", manifest)
    first.close()
    kind.open(tmp_path / "f", manifest).close()


@pytest.mark.parametrize(("kind", "manifest", "other"), KINDS, ids=IDS)
def test_other_work_is_refused_and_the_manifest_kept(
    kind: type[LockedFolder], manifest: dict[str, Any], other: dict[str, Any], tmp_path: Path
) -> None:
    """A folder holding other work is refused with a StoreError; its manifest stays the first one."""
    kind.open(tmp_path, manifest).close()
    with pytest.raises(StoreError, match=rf"^{re.escape(str(tmp_path))}: .*Give a new --out"):
        kind.open(tmp_path, {**manifest, **other})
    assert json.loads((tmp_path / kind.MANIFEST).read_text()) == manifest


@pytest.mark.parametrize(("kind", "manifest", "other"), KINDS, ids=IDS)
def test_an_unreadable_manifest_names_the_file(
    kind: type[LockedFolder], manifest: dict[str, Any], other: dict[str, Any], tmp_path: Path
) -> None:
    """A manifest that is not a JSON object cannot identify the folder: the error says so and what to do.

    Without a checksums.json the folder is refused before the manifest is read; with one that vouches
    for the bad manifest, the manifest's own check refuses it.
    """
    (tmp_path / kind.MANIFEST).write_text("[]")
    with pytest.raises(StoreError, match=r"no checksums.json .*give a new --out"):
        kind.open(tmp_path, manifest)
    seal(tmp_path, kind.MANIFEST)
    with pytest.raises(StoreError, match=rf"{kind.MANIFEST}: .* is not a JSON object.*give a new --out"):
        kind.open(tmp_path, manifest)


@pytest.mark.parametrize(("kind", "manifest", "other"), KINDS, ids=IDS)
def test_a_lock_file_that_is_a_link_is_refused_and_nothing_created_outside(
    kind: type[LockedFolder], manifest: dict[str, Any], other: dict[str, Any], tmp_path: Path
) -> None:
    """A ``.lock`` that links outside the folder is not followed: one line names it, the target is not created."""
    root = tmp_path / "f"
    kind.open(root, manifest).close()
    outside = tmp_path / "outside" / "victim"
    outside.parent.mkdir()
    (root / ".lock").unlink()
    (root / ".lock").symlink_to(outside)  # dangling: following it would create the file outside
    with pytest.raises(StoreError, match=r"\.lock: the .*lock file is a link, not a regular file; remove it") as err:
        kind.open(root, manifest)
    assert "\n" not in str(err.value)
    assert not outside.exists()
    outside.write_text("mine")  # a link to an existing file outside: refused, the file left as it was
    with pytest.raises(StoreError, match=r"is a link, not a regular file"):
        kind.open(root, manifest)
    assert outside.read_text() == "mine"


@pytest.fixture
def time_limit() -> Iterator[None]:
    """Fail instead of hanging: an open that blocks is interrupted after a few seconds."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError("the command blocked")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(20)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize(("kind", "manifest", "other"), KINDS, ids=IDS)
def test_a_lock_file_that_is_a_fifo_is_refused_at_once(
    kind: type[LockedFolder], manifest: dict[str, Any], other: dict[str, Any], tmp_path: Path, time_limit: None
) -> None:
    """A FIFO at ``.lock`` would block the open until a reader comes: refused in one line instead."""
    root = tmp_path / "f"
    kind.open(root, manifest).close()
    (root / ".lock").unlink()
    os.mkfifo(root / ".lock")
    with pytest.raises(StoreError, match=r"\.lock: the .*lock file is not a regular file; remove it") as err:
        kind.open(root, manifest)
    assert "\n" not in str(err.value)
    reader = os.open(root / ".lock", os.O_RDONLY | os.O_NONBLOCK)  # with a reader the open succeeds: fstat refuses
    try:
        with pytest.raises(StoreError, match=r"lock file is not a regular file"):
            kind.open(root, manifest)
    finally:
        os.close(reader)


@pytest.mark.parametrize(("kind", "manifest", "other"), KINDS, ids=IDS)
def test_a_manifest_that_links_outside_the_folder_is_refused_unread(
    kind: type[LockedFolder], manifest: dict[str, Any], other: dict[str, Any], tmp_path: Path
) -> None:
    """A manifest that is a link out of the folder is not read: one line says so, its contents are not quoted."""
    root = tmp_path / "f"
    kind.open(root, manifest).close()
    outside = tmp_path / "outside.json"
    outside.write_text(json.dumps({**manifest, "secret": "s3cr3t-value"}))
    (root / kind.MANIFEST).unlink()
    (root / kind.MANIFEST).symlink_to(outside)
    with pytest.raises(StoreError, match=rf"{kind.MANIFEST}: is a link that leads outside its folder") as err:
        kind(root).manifest()
    assert "\n" not in str(err.value)
    assert "s3cr3t" not in str(err.value)


@pytest.mark.parametrize("damage", ["truncated", "link outside"])
def test_a_damaged_calibration_batch_is_one_line_naming_it(tmp_path: Path, damage: str) -> None:
    """A stored batch or generation cut short, or a link out of the folder: one StoreError line, not Polars'."""
    import polars as pl

    folder = CalibrationFolder.open(tmp_path / "c", KINDS[1][1])
    frame = pl.DataFrame({"behaviour.absence_bias": [0.1, 0.2], "weight": [0.5, 0.5]})
    folder.save_batch(0, 0, frame)
    folder.save_population(0, frame)
    assert folder.batches(0)[0].equals(frame) and frame.equals(folder.population(0))
    for path in (
        tmp_path / "c" / "generations" / "gen-000" / "batch-00000.parquet",
        folder.generations_dir / "gen-000.parquet",
    ):
        if damage == "truncated":
            path.write_bytes(path.read_bytes()[:-3])
        else:
            outside = tmp_path / f"outside-{path.name}"
            path.rename(outside)
            path.symlink_to(outside)
    expected = "changed since exitban wrote it" if damage == "truncated" else "is a link that leads outside its folder"
    with pytest.raises(StoreError, match=rf"batch-00000\.parquet: {expected}.*delete that file") as err:
        folder.batches(0)
    assert "\n" not in str(err.value)
    with pytest.raises(StoreError, match=rf"gen-000\.parquet: {expected}"):
        folder.population(0)
    folder.close()
