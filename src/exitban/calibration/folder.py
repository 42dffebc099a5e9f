"""A calibration's folder: what it is (calibration.json), and every finished batch and generation.

A batch of proposals is stored once all of it has run; a generation once its population is
complete. A later command on the same folder skips both, so an interrupted calibration goes on
where it stopped and ends with the same bytes as one never interrupted.
"""

from __future__ import annotations

import fcntl
import json
from pathlib import Path
from typing import IO, Any

import polars as pl

from exitban.atomic import atomic_write
from exitban.errors import ScenarioError

LOCK_FILE = ".lock"


class CalibrationFolder:
    """The files of one calibration under ``root``."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.generations_dir = self.root / "generations"
        self._lock: IO[str] | None = None

    @classmethod
    def open(cls, root: str | Path, manifest: dict[str, Any]) -> CalibrationFolder:
        """Create the folder, or reopen it if it holds the same calibration; refuse one that holds another."""
        folder = cls(root)
        path = folder.root / "calibration.json"
        if path.is_file():
            old = json.loads(path.read_text(encoding="utf-8"))
            if old.get("hash") != manifest["hash"]:
                raise ScenarioError(
                    f"{folder.root}: holds another calibration ({old.get('scenario')}, exitban {old.get('version')}): "
                    "its scenario, targets, priors, settings or version differ. Give a new --out folder."
                )
        elif folder.root.exists() and any(folder.root.iterdir()):
            raise ScenarioError(f"{folder.root}: exists, is not empty and is not a calibration; give a new --out")
        folder.root.mkdir(parents=True, exist_ok=True)
        folder._take_lock()
        folder.generations_dir.mkdir(exist_ok=True)
        if not path.is_file():
            folder.write_text("calibration.json", json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        return folder

    def _take_lock(self) -> None:
        fh = (self.root / LOCK_FILE).open("a")
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.close()
            raise ScenarioError(
                f"{self.root}: another exitban command is calibrating here; wait or give another --out"
            ) from None
        self._lock = fh

    def close(self) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def write_text(self, name: str, text: str) -> Path:
        target = self.root / name
        atomic_write(target, lambda p: Path(p).write_text(text, encoding="utf-8"))
        return target

    def write_frame(self, name: str, frame: pl.DataFrame) -> Path:
        target = self.root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, lambda p: frame.write_parquet(p, statistics=False))
        return target

    def _batch_path(self, gen: int, batch: int) -> str:
        return f"generations/gen-{gen:03d}/batch-{batch:05d}.parquet"

    def save_batch(self, gen: int, batch: int, frame: pl.DataFrame) -> None:
        self.write_frame(self._batch_path(gen, batch), frame)

    def batches(self, gen: int) -> dict[int, pl.DataFrame]:
        """The stored batches of a generation, by number."""
        folder = self.generations_dir / f"gen-{gen:03d}"
        if not folder.is_dir():
            return {}
        return {int(p.stem.removeprefix("batch-")): pl.read_parquet(p) for p in sorted(folder.glob("batch-*.parquet"))}

    def save_population(self, gen: int, frame: pl.DataFrame) -> None:
        self.write_frame(f"generations/gen-{gen:03d}.parquet", frame)

    def population(self, gen: int) -> pl.DataFrame | None:
        path = self.generations_dir / f"gen-{gen:03d}.parquet"
        return pl.read_parquet(path) if path.is_file() else None
