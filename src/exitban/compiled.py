"""Whether the engine's compiled code is already on disk, so the command line can announce a first compile.

Numba compiles the engine the first time it runs on a machine (after installing, or after the
engine's source changed) and keeps the machine code in its cache: the index files (``*.nbi``)
beside the engine's modules in ``__pycache__``; under Numba's user-wide cache (``~/.cache/numba``,
or ``$XDG_CACHE_HOME/numba``) when the package's folder is read-only (a system or cluster install,
a container run as another user); or under ``NUMBA_CACHE_DIR`` when it is set. exitban leaves that
choice to Numba: setting ``NUMBA_CACHE_DIR`` itself would move every other Numba library's cache in
the same process too, and only works before Numba is first imported. This module looks for the
index files; it never reads them (their contents are pickles, and nothing is unpickled here).
"""

from __future__ import annotations

import sys
from pathlib import Path

FIRST_COMPILE = "about 1 to 3 minutes on 2 cores, less on more"


def engine_compiled() -> bool | None:
    """True if every cached engine function has an index newer than its source; None if Numba hides it."""
    from numba.core.registry import CPUDispatcher

    import exitban.engine.loop  # noqa: F401  (imports every engine module with compiled functions)

    found = False
    for name, module in list(sys.modules.items()):
        if not name.startswith("exitban.engine.") or module is None:
            continue
        for obj in vars(module).values():
            if not isinstance(obj, CPUDispatcher) or obj.targetoptions.get("inline") == "always":
                continue  # inlined functions are compiled into their callers, not cached alone
            try:
                index = Path(obj._cache._cache_file._index_path)  # Numba's cache layout (not public API)
                source = Path(obj.py_func.__code__.co_filename)
            except AttributeError:
                if type(obj._cache).__name__ == "NullCache":
                    continue  # not cached: compiled in every process, nothing to look for
                return None
            found = True
            if not index.is_file() or index.stat().st_mtime < source.stat().st_mtime:
                return False
    return found or None


def cache_locations() -> list[Path]:
    """The folders Numba keeps the engine's compiled code in (empty if Numba hides them)."""
    from numba.core.registry import CPUDispatcher

    import exitban.engine.loop  # noqa: F401  (imports every engine module with compiled functions)

    found: set[Path] = set()
    for name, module in list(sys.modules.items()):
        if not name.startswith("exitban.engine.") or module is None:
            continue
        for obj in vars(module).values():
            if isinstance(obj, CPUDispatcher) and obj.targetoptions.get("inline") != "always":
                path = getattr(getattr(obj, "_cache", None), "_cache_path", None)  # Numba's layout (not public API)
                if isinstance(path, str):
                    found.add(Path(path))
    return sorted(found)
