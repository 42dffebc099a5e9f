"""Atomic file writes: a reader, or a process killed mid-write, never sees half a file.

Write to a hidden temporary file beside the target, then rename it into place (a rename
within one directory is atomic on POSIX). No fsync: that guards against a power cut only,
and cost ~5 ms a file in sweeps.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any


def atomic_write(target: Path, write: Callable[[str], Any], prefix: str = ".", suffix: str = ".part") -> None:
    """Call ``write(tmp_path)`` on a temporary file beside ``target``, then rename it to ``target``."""
    fd, tmp = tempfile.mkstemp(prefix=f"{prefix}{target.name}.", suffix=suffix, dir=target.parent)
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def parquet_bytes(frame: Any) -> bytes:
    """A Polars frame as Parquet bytes (no statistics), made in memory.

    Writers serialise first and write the bytes with Python's own file I/O: a full disk is then an
    ``OSError`` (ENOSPC, named as such), not a Polars error that reads like a damaged table.
    """
    import io

    buf = io.BytesIO()
    frame.write_parquet(buf, statistics=False)
    return buf.getvalue()


def atomic_write_bytes(target: Path, data: bytes, prefix: str = ".", suffix: str = ".part") -> None:
    """Write ``data`` to ``target`` atomically."""
    atomic_write(target, lambda p: Path(p).write_bytes(data), prefix, suffix)
