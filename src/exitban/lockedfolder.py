"""A folder of results that says what it holds in a manifest and has one writer at a time.

A sweep store and a calibration folder are both one: a command creates it, or reopens it to go
on where an interrupted one stopped, but only when its manifest says it holds the same work.
A folder that holds something else, or anything without a manifest, is refused rather than
mixed. Each keeps a ``checksums.json`` (``exitban.checksums``) vouching for its manifest and the
files it writes; a folder without one (an older exitban's) is refused on reopening. A command that writes holds an exclusive ``flock`` on ``ROOT/.lock`` (released when it
ends, even by ``kill -9``); a second one is refused. Every refusal is a ``StoreError`` that names
the folder, what is wrong and the way out.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import stat
from abc import ABC, abstractmethod
from pathlib import Path
from typing import IO, Any, ClassVar, Self

from exitban.checksums import NAME as CHECKSUMS
from exitban.checksums import Checksums
from exitban.errors import StoreError
from exitban.files import InputFileError, read_bounded

LOCK_FILE = ".lock"
MAX_JSON_BYTES = 64 << 20  # a manifest or record is kilobytes


def read_json(path: Path, what: str, root: Path | None = None) -> dict[str, Any]:
    """A JSON object from ``path`` (inside ``root`` when given); ``StoreError`` naming the file and what is wrong."""
    try:
        data = json.loads(read_bounded(path, MAX_JSON_BYTES, what, root))
    except InputFileError as exc:
        raise StoreError(f"{path}: {exc}") from None
    except ValueError as exc:
        raise StoreError(f"{path}: {what} is not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise StoreError(f"{path}: {what} is not a JSON object (found {type(data).__name__})")
    return data


class LockedFolder(ABC):
    """The folder at ``root``; ``open`` creates or reopens it for writing, the constructor only names it."""

    KIND: ClassVar[str]  # what the folder is, in "is not a ...": "sweep store", "calibration"
    SHORT: ClassVar[str]  # what messages call it once named: "store", "calibration"
    MANIFEST: ClassVar[str]  # the manifest's file name under the root
    SUBFOLDERS: ClassVar[tuple[str, ...]] = ()  # what ``prepare`` makes (left empty by a first open that failed)
    TEMP_NAMES: ClassVar[tuple[str, str]] = (".", ".part")  # prefix and suffix of the kind's atomic writes

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self._lock: IO[str] | None = None  # ROOT/.lock while the lock is held (closed, so released, when collected)
        self._listed: Checksums | None = None  # ROOT/checksums.json as this object last wrote or read it

    @classmethod
    def open(cls, root: str | Path, manifest: dict[str, Any]) -> Self:
        """Create the folder, or reopen it if its manifest holds the same work; refuse one that holds another."""
        folder = cls(root)
        fresh = not (folder.root / cls.MANIFEST).is_file()
        if not fresh:
            problem = folder.differs(folder.manifest(), manifest)
            if problem is not None:
                raise StoreError(f"{folder.root}: {problem}")
        elif folder.root.exists() and not folder._only_leftovers():
            raise StoreError(f"{folder.root}: exists, is not empty and is not a {cls.KIND}; give a new --out")
        created = not folder.root.exists() and not folder.root.is_symlink()
        try:
            folder.root.mkdir(parents=True, exist_ok=True)
            folder.lock()
            folder.prepare()
            if fresh:  # listed first: a kill between the two leaves a list without a manifest, begun again
                text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
                folder._listed = Checksums(folder.root)
                folder._listed.put(cls.MANIFEST, text.encode())
                folder._listed.save(*cls.TEMP_NAMES)
                folder.write_text(cls.MANIFEST, text)
            else:
                folder.checksums()
        except BaseException:  # a full disk, a signal: a folder this command began goes again, whole
            folder.close()
            if fresh:
                folder._remove_leftovers(created)
            raise
        return folder

    def is_own_temporary(self, name: str) -> bool:
        """Whether ``name`` is a temporary file this kind's atomic writes leave when killed."""
        return False

    def _leftovers(self) -> list[Path] | None:
        """What a first open that failed before its manifest was written leaves (None if anything else is there).

        The lock file, the kind's subfolders left empty and its own temporary files: nothing a user wrote,
        so a folder holding only these is begun again rather than refused as foreign.
        """
        found = []
        for entry in self.root.iterdir():
            if entry.is_symlink():
                return None
            lock = entry.name in (LOCK_FILE, CHECKSUMS) and entry.is_file()
            empty = entry.name in self.SUBFOLDERS and entry.is_dir() and not any(entry.iterdir())
            if not (lock or empty or (entry.is_file() and self.is_own_temporary(entry.name))):
                return None
            found.append(entry)
        return found

    def _only_leftovers(self) -> bool:
        return self.root.is_dir() and not self.root.is_symlink() and self._leftovers() is not None

    def _remove_leftovers(self, created: bool) -> None:
        """Undo a first open that failed: remove its leftovers, and the folder itself if this command made it."""
        try:
            for entry in self._leftovers() or []:
                entry.rmdir() if entry.is_dir() else entry.unlink(missing_ok=True)
            if created:
                self.root.rmdir()
        except OSError:  # the undo is a courtesy: what is left is still accepted as leftovers next time
            pass

    @abstractmethod
    def differs(self, old: dict[str, Any], new: dict[str, Any]) -> str | None:
        """Why a folder whose manifest is ``old`` cannot take the work of ``new`` (None if it can)."""

    @abstractmethod
    def prepare(self) -> None:
        """Make what the folder needs before it is written to, once the lock is held (its subfolders)."""

    @abstractmethod
    def write_text(self, name: str, text: str) -> Path:
        """Write ``text`` to ``ROOT/name`` atomically (each kind with the temporary names it clears)."""

    def way_out(self) -> str:
        """How to get past a folder whose list or manifest cannot be trusted."""
        return f"give a new --out (or delete {self.root} if it holds nothing you need)"

    def checksums(self) -> Checksums:
        """The folder's ``checksums.json``, read once (``StoreError`` if it is missing or damaged)."""
        if self._listed is None:
            self._listed = Checksums.load(self.root, f"the {self.SHORT} cannot be trusted: {self.way_out()}")
        return self._listed

    def vouch(self, name: str, blob: bytes) -> None:
        """List ``ROOT/name`` (already in place, holding ``blob``) in the folder's checksums.json."""
        if self._listed is None:
            self._listed = Checksums.load_or_empty(self.root, self.way_out())
        self._listed.put(name, blob)
        self._listed.save(*self.TEMP_NAMES)

    def manifest(self) -> dict[str, Any]:
        """What the folder holds (its manifest, as checksums.json vouches for it); ``StoreError`` if unreadable."""
        path = self.root / self.MANIFEST
        if not path.is_file():
            raise StoreError(f"{self.root}: not a {self.KIND} (no {self.MANIFEST})")
        way_out = f"the {self.SHORT} cannot be identified: {self.way_out()}"
        blob = self.checksums().read(self.MANIFEST, f"the {self.SHORT}'s manifest", way_out)
        try:
            data = json.loads(blob)
        except ValueError as exc:
            raise StoreError(f"{path}: the {self.SHORT}'s manifest is not valid JSON ({exc}); {way_out}") from None
        if not isinstance(data, dict):
            raise StoreError(f"{path}: the {self.SHORT}'s manifest is not a JSON object; {way_out}")
        return data

    def lock(self) -> None:
        """Take the writer lock for as long as this object lives; refuse if another command holds it.

        ``.lock`` is opened without following a link (one could create a file outside the folder)
        and without blocking (a FIFO would wait for a reader forever), and must be a regular file.
        """
        fd = self._open_lock_file()
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise StoreError(
                f"{self.root}: {self.SHORT} in use: another exitban command is writing to it (lock on {LOCK_FILE}); "
                "wait for it to finish, or give another --out"
            ) from None
        self._lock = os.fdopen(fd, "w")  # a file object: the lock goes with this object, as a descriptor would not

    def _open_lock_file(self) -> int:
        path = self.root / LOCK_FILE
        flags = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
        way_out = f"remove it (exitban creates its own {LOCK_FILE}) or give another --out"
        try:
            fd = os.open(path, flags, 0o644)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise StoreError(
                    f"{path}: the {self.SHORT}'s lock file is a link, not a regular file; {way_out}"
                ) from None
            if exc.errno in (errno.ENXIO, errno.EISDIR):  # ENXIO: a FIFO nobody reads
                raise StoreError(f"{path}: the {self.SHORT}'s lock file is not a regular file; {way_out}") from None
            raise StoreError(f"{path}: cannot open the {self.SHORT}'s lock file ({exc.strerror})") from None
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # a FIFO someone reads, a device, a socket
            os.close(fd)
            raise StoreError(f"{path}: the {self.SHORT}'s lock file is not a regular file; {way_out}")
        return fd

    def close(self) -> None:
        """Release the writer lock (also released when the process ends, however it ends)."""
        if self._lock is not None:
            self._lock.close()
            self._lock = None
