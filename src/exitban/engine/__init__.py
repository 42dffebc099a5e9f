"""The compiled engine: counter-based random numbers, the rules of ``engine.rules``, the unit kernel, the day loop."""

from __future__ import annotations

import hashlib
from pathlib import Path

STAMP = "exitban-engine-sources.sha256"


def drop_stale_cache(root: Path = Path(__file__).parent) -> bool:
    """Delete Numba's cached machine code when any engine source changed since it was compiled.

    Numba keys a cached function on its own file only, and the rules are inlined into the
    kernel from other files: without this, an edited rule would run its old compiled code.
    Returns True if a stale cache was dropped. A read-only install is left as it is.
    """
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    stamp = root / "__pycache__" / STAMP
    try:
        if stamp.is_file() and stamp.read_text() == digest.hexdigest():
            return False
        dropped = False
        for cached in (*root.rglob("__pycache__/*.nbi"), *root.rglob("__pycache__/*.nbc")):
            cached.unlink(missing_ok=True)
            dropped = True
        stamp.parent.mkdir(exist_ok=True)
        stamp.write_text(digest.hexdigest())
    except OSError:
        return False
    return dropped


drop_stale_cache()
