"""Read input files someone else may have written: regular files only, bounded in size, never blocking.

A scenario or sweep spec path may name a FIFO (the read blocks until a writer comes),
``/dev/zero`` (an endless file) or a ``/proc`` file (some block forever); none of these is
a scenario. ``read_bounded`` checks what the path is before opening it, opens without
blocking, checks again what it opened, and reads at most the limit.

A file inside one of exitban's own folders (a run folder's summary, a store's record) is read
with that folder as ``root``: a link that leads out of it is refused before anything is read,
so a folder someone else prepared cannot make exitban read, or quote, another file.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

# Kernel interfaces, not files a user writes: refused by where they live, before any open.
PSEUDO_FILE_SYSTEMS = (Path("/proc"), Path("/sys"), Path("/dev"))


class InputFileError(ValueError):
    """A path that cannot be read as an input file: the message says why (callers add which file)."""


def check_inside(path: Path, root: Path) -> Path:
    """``path`` with its links resolved, if that is inside ``root`` (resolved too); else ``InputFileError``."""
    real = Path(os.path.realpath(path))
    if not real.is_relative_to(os.path.realpath(root)):
        raise InputFileError(f"is a link that leads outside its folder {root} (allowed: a file inside it)")
    return real


def read_bounded(path: Path, limit: int, what: str = "an input file", root: Path | None = None) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes; else ``InputFileError``.

    With ``root``, the file must also stay inside that folder once its links are resolved.
    """
    real = Path(os.path.realpath(path)) if root is None else check_inside(path, root)
    if any(real.is_relative_to(p) for p in PSEUDO_FILE_SYSTEMS):
        raise InputFileError(f"{real} is a kernel interface, not a file (allowed: a regular file)")
    try:
        info = os.stat(real)
    except FileNotFoundError:
        raise InputFileError("no such file") from None
    except OSError as exc:
        raise InputFileError(f"cannot read file: {exc.strerror}") from None
    _check(info, limit, what)
    try:
        # O_NONBLOCK: if the path was swapped for a FIFO since the stat, open does not wait for a writer
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise InputFileError(f"cannot read file: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as fh:
        _check(os.fstat(fd), limit, what)
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise InputFileError(f"file grew past {limit:,} bytes while being read; {what} may be at most {limit:,} bytes")
    return data


def _check(info: os.stat_result, limit: int, what: str) -> None:
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file (a device, FIFO or socket)"
        raise InputFileError(f"is {kind} (allowed: a regular file)")
    if info.st_size > limit:
        raise InputFileError(f"file is {info.st_size:,} bytes; {what} may be at most {limit:,} bytes")


MAX_PARQUET_BYTES = 2 << 30  # a run's or a posterior's table is kilobytes to megabytes


def read_parquet_checked(
    path: Path, root: Path, rows: int | None = None, limit: int = MAX_PARQUET_BYTES, what: str = "a Parquet table"
) -> pl.DataFrame:
    """The table in ``path``: a regular file inside ``root``, at most ``limit`` bytes, holding ``rows`` rows.

    The footer is read first (``pyarrow.parquet.read_metadata``), so a table whose row count is not
    the one its folder's records give (``rows``, where the caller knows it) is refused before its
    data is decompressed. The bytes checked are the bytes parsed. A damaged file is one
    ``InputFileError`` line, a panic of Polars' Rust reader (``PanicException``, a
    ``BaseException``) included.
    """
    return parquet_from_bytes(read_bounded(path, limit, what, root), rows)


def parquet_from_bytes(blob: bytes, rows: int | None = None) -> pl.DataFrame:
    """The table in ``blob`` (bytes already read and vouched for), checked as ``read_parquet_checked`` does."""
    import io

    import polars as pl
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        found = pq.read_metadata(io.BytesIO(blob)).num_rows
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise InputFileError(f"is not readable Parquet ({_first_line(exc)})") from None
    if rows is not None and found != rows:
        raise InputFileError(f"holds {found:,} rows where its folder's records say {rows:,}")
    try:  # Arrow's reader checks every page and raises; Polars' panics (and prints) on some damaged footers
        pq.read_table(io.BytesIO(blob))
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise InputFileError(f"is not readable Parquet ({_first_line(exc)})") from None
    try:
        return pl.read_parquet(io.BytesIO(blob))
    except (pl.exceptions.PolarsError, pl.exceptions.PanicException, OSError, ValueError) as exc:
        raise InputFileError(f"is not readable Parquet ({_first_line(exc)})") from None


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
