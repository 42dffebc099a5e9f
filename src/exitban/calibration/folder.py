"""A calibration's folder: what it is (calibration.json), and every finished batch and generation.

A batch of proposals is stored once all of it has run; a generation once its population is
complete. A later command on the same folder skips both, so an interrupted calibration goes on
where it stopped and ends with the same bytes as one never interrupted.

Every file is listed in ``checksums.json`` once it is in place, and read back only as bytes that
match the list. A batch or generation the list does not name (one a command killed between its
rename and the list's, or one someone dropped in) is refused, named, never read nor overwritten:
delete it to compute it again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from exitban.atomic import atomic_write_bytes, parquet_bytes
from exitban.checksums import NAME as CHECKSUMS
from exitban.checksums import shown
from exitban.errors import StoreError
from exitban.files import InputFileError, parquet_from_bytes
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
        return self.write_bytes(name, text.encode("utf-8"))

    def write_frame(self, name: str, frame: pl.DataFrame) -> Path:
        return self.write_bytes(name, parquet_bytes(frame))

    def write_bytes(self, name: str, blob: bytes) -> Path:
        """Write ``ROOT/name`` atomically, then list it in checksums.json."""
        target = self.root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(target, blob)
        self.vouch(name, blob)
        return target

    def _batch_path(self, gen: int, batch: int) -> str:
        return f"generations/gen-{gen:03d}/batch-{batch:05d}.parquet"

    def save_batch(self, gen: int, batch: int, frame: pl.DataFrame) -> None:
        self.write_frame(self._batch_path(gen, batch), frame)

    def batches(self, gen: int) -> dict[int, pl.DataFrame]:
        """The stored batches of a generation, by number (those checksums.json lists; anything else is refused)."""
        folder = self.generations_dir / f"gen-{gen:03d}"
        if not folder.is_dir() and not folder.is_symlink():
            return {}
        prefix = f"generations/gen-{gen:03d}/"
        listed = self.checksums()
        self._refuse_unlisted([n for n in listed.unlisted() if n.startswith(prefix)])
        names = sorted(n for n in listed.files if n.startswith(f"{prefix}batch-") and n.endswith(".parquet"))
        # a listed batch that is gone was lost, not changed: it is computed again (the same bytes)
        names = [n for n in names if self._present(n)]
        return {int(n.removeprefix(f"{prefix}batch-").removesuffix(".parquet")): self._read(n) for n in names}

    def save_population(self, gen: int, frame: pl.DataFrame) -> None:
        self.write_frame(f"generations/gen-{gen:03d}.parquet", frame)

    def population(self, gen: int) -> pl.DataFrame | None:
        name = f"generations/gen-{gen:03d}.parquet"
        path = self.root / name
        if name in self.checksums() and self._present(name):  # a lost population is computed again
            return self._read(name)
        if path.exists() or path.is_symlink():
            self._refuse_unlisted([name])
        return None

    def _present(self, name: str) -> bool:
        """Whether anything is at ``ROOT/name`` (a link too: reading it is refused, not skipped)."""
        path = self.root / name
        return path.exists() or path.is_symlink()

    def _refuse_unlisted(self, names: list[str]) -> None:
        if names:
            raise StoreError(
                f"{self.root}: not listed in {CHECKSUMS}, so not read nor overwritten: {shown(names)}; "
                f"delete {'it' if len(names) == 1 else 'them'} to compute {'it' if len(names) == 1 else 'them'} "
                "again, or give a new --out"
            )

    def _read(self, name: str) -> pl.DataFrame:
        """A stored batch or generation: bytes checksums.json vouches for, readable Parquet; ``StoreError`` if not."""
        way_out = "delete that file to compute it again, or give a new --out"
        blob = self.checksums().read(name, "a calibration's table", way_out)
        try:
            return parquet_from_bytes(blob)
        except InputFileError as exc:
            raise StoreError(f"{self.root / name}: {exc}; {way_out}") from None
