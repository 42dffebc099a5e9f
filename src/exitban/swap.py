"""Put a whole folder in place at once: a reader, or a process killed mid-write, sees the old folder or the new.

The new folder is written as a hidden sibling (``.<name>.<random>.staging``) and then renamed
over the target. Where the target exists, Linux swaps the two in one step
(``renameat2(RENAME_EXCHANGE)``); elsewhere the old one is first renamed aside, which leaves a
moment without either at the target's name (the old one is then kept as ``.<name>.<random>.old``
until the new one is in place). Leftovers of a killed write are exitban's own hidden siblings,
and ``clear_leftovers`` removes them the next time the same target is written.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

STAGING, OLD = ".staging", ".old"
_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def _renameat2() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        fn = libc.renameat2  # glibc 2.28 and later
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    return fn


_EXCHANGE = _renameat2()


def exchange(a: Path, b: Path) -> bool:
    """Swap the names of ``a`` and ``b`` in one step; False where the system cannot (then nothing changed)."""
    if _EXCHANGE is None:
        return False
    if _EXCHANGE(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    errno = ctypes.get_errno()
    if errno in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: this file system cannot exchange
        return False
    raise OSError(errno, os.strerror(errno), str(b))


def is_leftover(name: str, target_name: str) -> bool:
    """A hidden sibling a killed ``replace_folder`` of ``target_name`` left behind."""
    return name.startswith(f".{target_name}.") and name.endswith((STAGING, OLD))


def clear_leftovers(target: Path) -> None:
    """Remove the staging and old siblings earlier, killed writes of ``target`` left (never a link's target)."""
    parent = target.parent
    if not parent.is_dir():
        return
    for entry in parent.iterdir():  # names compared as text: a target named g[1] or g*x is no pattern
        if is_leftover(entry.name, target.name) and entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)


@contextlib.contextmanager
def replace_folder(target: Path) -> Iterator[Path]:
    """Yield an empty staging folder; on a clean exit it becomes ``target`` (the old one removed), else it goes."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    clear_leftovers(target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=STAGING, dir=target.parent))
    try:
        yield staging
        os.chmod(staging, 0o755)
        if not target.exists() and not target.is_symlink():
            os.rename(staging, target)
            return
        if exchange(staging, target):
            shutil.rmtree(staging)  # now the old folder
            return
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=OLD, dir=target.parent))
        os.rename(target, old / "folder")
        os.rename(staging, target)
        shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
