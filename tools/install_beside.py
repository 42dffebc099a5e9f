"""Does the built wheel install beside Mesa 3.3 and pandas without changing their versions?

    python tools/install_beside.py [--python python3.11] [--run]

Makes a fresh venv, installs Mesa 3.3.1 and pandas into it (what a Mesa user already has), builds
exitban's wheel from this checkout, installs it with pyproject.toml's ranges (no constraints file),
and prints every package whose version the install changed (none is the pass). ``--run`` also runs a
tiny scenario with the venv's ``exitban`` (it compiles the engine: 1 to 3 minutes on 2 cores).
It needs the package registries (Mesa is not on this machine's local mirror), so it is a tool, not a test.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ALREADY_THERE = ["mesa==3.3.1", "pandas"]


def _freeze(pip: Path) -> dict[str, str]:
    out = subprocess.run([str(pip), "freeze"], check=True, capture_output=True, text=True).stdout
    return dict(line.split("==", 1) for line in out.splitlines() if "==" in line)


def _step(label: str, cmd: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    took = time.perf_counter() - started
    print(f"{label}: {took:.1f} s")
    return took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=sys.executable, help="the interpreter of the fresh venv")
    parser.add_argument("--run", action="store_true", help="also run a tiny scenario (compiles the engine)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="exitban-beside-") as tmp:
        venv, dist = Path(tmp) / "venv", Path(tmp) / "dist"
        pip = venv / "bin" / "pip"
        _step("fresh venv", [args.python, "-m", "venv", str(venv)])
        _step(f"install {' '.join(ALREADY_THERE)}", [str(pip), "install", "--quiet", *ALREADY_THERE])
        before = _freeze(pip)
        _step("build the wheel", [str(pip), "wheel", "--quiet", "--no-deps", "-w", str(dist), str(ROOT)])
        wheel = next(dist.glob("exitban-*.whl"))
        _step(f"install {wheel.name}", [str(pip), "install", "--quiet", str(wheel)])
        after = _freeze(pip)
        changed = {name: (old, after.get(name)) for name, old in before.items() if after.get(name) != old}
        added = sorted(set(after) - set(before))
        print(
            f"kept: {len(before) - len(changed)} of {len(before)} packages (Mesa {before.get('Mesa')}, "
            f"pandas {before.get('pandas')}); added {len(added)}: {', '.join(added)}"
        )
        for name, (old, new) in sorted(changed.items()):
            print(f"CHANGED {name}: {old} -> {new}")
        if args.run:
            exitban = str(venv / "bin" / "exitban")
            cmd = [exitban, "run", "army-officers-2019", "--scale", "0.001", "--days", "5", "--out", f"{tmp}/run"]
            _step("exitban run (first: compiles)", cmd)
        print("PASS" if not changed else "FAIL: the install changed versions above")
        return 0 if not changed else 1


if __name__ == "__main__":
    sys.exit(main())
