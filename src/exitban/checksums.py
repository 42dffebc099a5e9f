"""A folder's ``checksums.json``: the size and SHA-256 of every file exitban wrote there, and nothing else.

Run folders, calibration folders (their generations and batches too) and sweep stores each keep
one (a store's per-run tables are vouched for by their records instead, see ``exitban.sweep.store``,
so a sweep of 10,000 runs does not rewrite one list 10,000 times). Layout::

    {"format": 1, "files": {"summary.json": {"bytes": 1234, "sha256": "..."}, ...}, "sha256": "..."}

The outer ``sha256`` is that of the ``files`` object as canonical JSON: a damaged list is refused as
damaged, not read as a list of other files. The list is written atomically, after the files it
names; a file a killed command left unlisted is one the folder does not vouch for.

A reader takes a file's bytes through ``Checksums.read``: the file must be listed, a regular file
inside the folder (no link out), and its bytes must have the listed size and SHA-256; the bytes
checked are the bytes returned. Anything else is one ``StoreError`` line naming the folder and the
file. ``unlisted`` names what else the folder holds, so a reader can name it and not read it.

Folders written before checksums existed (exitban 0.1.0 before issue 26) have no list: they are
refused with one line telling the user to write them again; nothing is guessed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from exitban.atomic import atomic_write_bytes
from exitban.errors import StoreError
from exitban.files import InputFileError, read_bounded

NAME = "checksums.json"
FORMAT = 1
MAX_LIST_BYTES = 64 << 20  # a list of a few thousand files is under a megabyte


def entry(blob: bytes) -> dict[str, Any]:
    """What the list holds for one file: its size and SHA-256."""
    return {"bytes": len(blob), "sha256": hashlib.sha256(blob).hexdigest()}


def _seal(files: dict[str, dict[str, Any]]) -> str:
    return hashlib.sha256(json.dumps(files, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


@dataclass
class Checksums:
    """The list of one folder (``root``): relative POSIX path -> ``{"bytes", "sha256"}``."""

    root: Path
    files: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, root: str | Path, way_out: str) -> Checksums:
        """The folder's list, checked whole; ``StoreError`` (ending with ``way_out``) if absent or damaged."""
        root = Path(root)
        path = root / NAME
        if not path.exists() and not path.is_symlink():
            raise StoreError(
                f"{root}: no {NAME} (the sizes and SHA-256 of the files exitban wrote there; a folder from an "
                f"older exitban, or not from exitban); {way_out}"
            )
        try:
            data = json.loads(read_bounded(path, MAX_LIST_BYTES, "a checksum list", root))
        except InputFileError as exc:
            raise StoreError(f"{path}: {exc}; {way_out}") from None
        except ValueError:
            raise StoreError(f"{path}: damaged (not valid JSON); {way_out}") from None
        files = data.get("files") if isinstance(data, dict) else None
        well_formed = (
            isinstance(files, dict)
            and data.get("format") == FORMAT
            and all(
                isinstance(v, dict)
                and isinstance(v.get("bytes"), int)
                and not isinstance(v.get("bytes"), bool)
                and isinstance(v.get("sha256"), str)
                for v in files.values()
            )
        )
        if not well_formed or data.get("sha256") != _seal(files):  # type: ignore[arg-type]
            raise StoreError(f"{path}: damaged (its own SHA-256 or layout does not match); {way_out}")
        return cls(root, dict(files))  # type: ignore[arg-type]

    @classmethod
    def load_or_empty(cls, root: str | Path, way_out: str) -> Checksums:
        """The folder's list, or an empty one if it has none yet (a folder being written)."""
        root = Path(root)
        if not (root / NAME).exists() and not (root / NAME).is_symlink():
            return cls(root)
        return cls.load(root, way_out)

    def __contains__(self, name: str) -> bool:
        return name in self.files

    def read(self, name: str, what: str, way_out: str) -> bytes:
        """The bytes of ``ROOT/name`` if the list vouches for them; ``StoreError`` naming the file if not."""
        path = self.root / name
        listed = self.files.get(name)
        if listed is None:
            raise StoreError(f"{path}: not listed in {self.root / NAME} (exitban did not write it); {way_out}")
        try:
            blob = read_bounded(path, listed["bytes"], what, self.root)
        except InputFileError as exc:
            raise StoreError(f"{path}: {_reason(exc, listed['bytes'])}; {way_out}") from None
        if len(blob) != listed["bytes"] or hashlib.sha256(blob).hexdigest() != listed["sha256"]:
            raise StoreError(
                f"{path}: changed since exitban wrote it (its size or SHA-256 differs from {NAME}); {way_out}"
            )
        return blob

    def unlisted(self, ignore: Iterable[str] = ()) -> list[str]:
        """Files and links under the folder that the list does not name (sorted; ``ignore`` and the list excepted).

        Folders are walked without following links; a link is named, never entered.
        """
        skip = {NAME, *ignore}
        found: list[str] = []
        stack = [self.root]
        while stack:
            here = stack.pop()
            for entry in sorted(here.iterdir()):
                rel = entry.relative_to(self.root).as_posix()
                if rel in skip:
                    continue
                if entry.is_dir() and not entry.is_symlink():
                    stack.append(entry)
                elif rel not in self.files:
                    found.append(rel)
        return sorted(found)

    def put(self, name: str, blob: bytes) -> None:
        """List ``name`` with ``blob``'s size and SHA-256 (``save`` writes the list)."""
        self.files[name] = entry(blob)

    def drop(self, name: str) -> None:
        self.files.pop(name, None)

    def save(self, prefix: str = ".", suffix: str = ".part") -> None:
        """Write the list atomically (after the files it names are in place), with the folder's temporary names."""
        files = dict(sorted(self.files.items()))
        text = json.dumps({"format": FORMAT, "files": files, "sha256": _seal(files)}, indent=1, sort_keys=True)
        atomic_write_bytes(self.root / NAME, (text + "\n").encode(), prefix, suffix)


def _reason(exc: InputFileError, size: int) -> str:
    text = str(exc)
    if text.startswith(("file is ", "file grew ")) and "bytes;" in text:  # larger than listed
        return f"changed since exitban wrote it (larger than the {size:,} bytes {NAME} lists)"
    if text == "no such file":
        return f"missing (listed in {NAME})"
    return text


def shown(names: list[str], most: int = 5) -> str:
    """'a, b, c and 4 more': the first names of a list, and how many more."""
    return ", ".join(names[:most]) + (f" and {len(names) - most} more" if len(names) > most else "")
