"""A read-only install keeps its compiled engine: the first run compiles into the user's cache, the next starts at once.

Copies the package into a temporary folder, makes the copy read-only, and runs a small simulation
twice from it in fresh processes, as an unprivileged user when this runs as root (root writes
through a read-only mode): the first process cannot write ``__pycache__`` beside the engine's
modules, so Numba keeps the machine code in its user-wide cache (``$XDG_CACHE_HOME/numba``, a
temporary folder here); the second must find it there. Prints each run's time and whether the
engine was compiled before it started, and exits 1 if the second run had to compile again.

    python tools/readonly_cache.py          # about twice the first compile (1 to 3 minutes on 2 cores)
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

NOBODY = 65534  # the unprivileged user and group of Debian and most Linux systems
RUN = """
import json, time
started = time.perf_counter()
from exitban.compiled import engine_compiled
before = engine_compiled()
import exitban
exitban.simulate("army-officers-2019", seed=0, days=30, scale=0.001)
print(json.dumps({"compiled_before": before, "seconds": time.perf_counter() - started, "module": exitban.__file__}))
"""


def read_only(root: Path) -> None:
    """Take every write permission off ``root`` and what it holds."""
    for path in [root, *root.rglob("*")]:
        mode = path.stat().st_mode
        path.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def main() -> int:
    source = Path(__file__).resolve().parents[1] / "src" / "exitban"
    with tempfile.TemporaryDirectory(prefix="exitban-readonly-") as tmp:
        tmp_path = Path(tmp)
        tmp_path.chmod(0o755)
        install = tmp_path / "install"
        shutil.copytree(source, install / "exitban", ignore=shutil.ignore_patterns("__pycache__"))
        read_only(install)
        cache = tmp_path / "user-cache"
        cache.mkdir()
        env = os.environ | {"PYTHONPATH": str(install), "XDG_CACHE_HOME": str(cache), "HOME": str(cache)}
        env.pop("NUMBA_CACHE_DIR", None)
        prefix: list[str] = []
        if os.geteuid() == 0:  # root ignores the read-only mode: run as nobody, who owns only the cache
            os.chown(cache, NOBODY, NOBODY)
            prefix = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
        runs = []
        for attempt in ("first", "second"):
            out = subprocess.run([*prefix, sys.executable, "-c", RUN], env=env, cwd=tmp, capture_output=True, text=True)
            if out.returncode != 0:
                print(out.stderr, file=sys.stderr)
                return 2
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
            print(f"{attempt} run: {runs[-1]['seconds']:.1f} s, compiled before it: {runs[-1]['compiled_before']}")
        wrote_beside = any(install.rglob("*.nbi"))
        in_cache = sorted({p.parent.name for p in cache.rglob("*.nbi")})
        print(f"package folder read-only, index files written beside the modules: {wrote_beside}")
        print(f"index files in the user cache ({cache.name}/numba): {len(list(cache.rglob('*.nbi')))} in {in_cache}")
        print(f"second run / first run: {runs[1]['seconds'] / runs[0]['seconds']:.3f}")
        return 0 if runs[1]["compiled_before"] and not wrote_beside else 1


if __name__ == "__main__":
    raise SystemExit(main())
