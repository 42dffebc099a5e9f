"""A calibration's folder: what it is (calibration.json), and every finished batch and generation.

A batch of proposals is stored once all of it has run; a generation once its population is
complete. A later command on the same folder skips both, so an interrupted calibration goes on
where it stopped and ends with the same bytes as one never interrupted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from exitban.atomic import atomic_write, parquet_bytes
from exitban.errors import StoreError
from exitban.files import InputFileError, read_parquet_checked
from exitban.lockedfolder import LockedFolder


class CalibrationFolder(LockedFolder):
    """The files of one calibration under ``root``."""

    KIND = "calibration"
    SHORT = "calibration"
    MANIFEST = "calibration.json"
    SUBFOLDERS = ("generations",)

    def __init__(self, root: str | Path) -> None:
        super().__init__(root)
        self.generations_dir = self.root / "generations"

    def differs(self, old: dict[str, Any], new: dict[str, Any]) -> str | None:
        if old.get("hash") != new["hash"]:
            return (
                f"holds another calibration ({old.get('scenario')}, exitban {old.get('version')}): "
                "its scenario, targets, priors, settings or version differ. Give a new --out folder."
            )
        return None

    def is_own_temporary(self, name: str) -> bool:
        return name.startswith(".") and name.endswith(".part")  # exitban.atomic's names: .<target>.<random>.part

    def prepare(self) -> None:
        """The folder of the generations' batches."""
        self.generations_dir.mkdir(exist_ok=True)

    def write_text(self, name: str, text: str) -> Path:
        target = self.root / name
        atomic_write(target, lambda p: Path(p).write_text(text, encoding="utf-8"))
        return target

    def write_frame(self, name: str, frame: pl.DataFrame) -> Path:
        target = self.root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, lambda p: Path(p).write_bytes(parquet_bytes(frame)))
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
        return {int(p.stem.removeprefix("batch-")): self._read(p) for p in sorted(folder.glob("batch-*.parquet"))}

    def save_population(self, gen: int, frame: pl.DataFrame) -> None:
        self.write_frame(f"generations/gen-{gen:03d}.parquet", frame)

    def population(self, gen: int) -> pl.DataFrame | None:
        path = self.generations_dir / f"gen-{gen:03d}.parquet"
        return self._read(path) if path.is_file() or path.is_symlink() else None

    def _read(self, path: Path) -> pl.DataFrame:
        """A stored batch or generation: a readable table inside the folder; ``StoreError`` naming it if not."""
        try:
            return read_parquet_checked(path, self.root, what="a calibration's table")
        except InputFileError as exc:
            raise StoreError(f"{path}: {exc}; delete that file to compute it again, or give a new --out") from None
