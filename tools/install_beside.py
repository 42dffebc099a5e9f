"""Does the built wheel install beside Mesa 3.3 and pandas without changing their versions, and run?

    python tools/install_beside.py [--python python3.11] [--constraints constraints.txt] [--run]

Builds exitban's wheel from a copy of the checkout's files (those git lists: what a clean clone
holds; the build's egg-info and build/ go into the copy, not into a tree an editable install uses),
fails if the wheel lacks any file under src/exitban (py.typed, scenarios, calibrations, templates:
pyproject.toml's package-data must name it), makes a fresh venv, installs Mesa 3.3 and pandas (what
a Mesa user already has), then the wheel, and fails if that install changed any package's version.

--constraints FILE: Mesa and pandas at FILE's versions, and the wheel with ``-c FILE`` (CI's
``make wheel-check``: the tested set, so the index's newest releases cannot break CI). Without it,
the newest Mesa 3.3.x and pandas, and the wheel with pyproject.toml's ranges alone (a user's case).
--run: from a folder outside the checkout, without PYTHONPATH, the venv's ``exitban`` lists the
scenarios and sources, runs a tiny scenario and reports on it; the run folder must hold every file
a run writes. The run compiles the engine into the venv (1 to 3 minutes on 2 idle cores).
It needs the package index (Mesa is not on this machine's local mirror).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "exitban"
ALREADY_THERE = ("Mesa", "pandas")  # what a Mesa user's environment holds before exitban joins it
NO_CONSTRAINTS = {"Mesa": "mesa~=3.3.0", "pandas": "pandas"}
SCENARIO = ["army-officers-2019", "--seed", "0", "--scale", "0.001", "--days", "5"]  # 1,000 agents


class CheckFailed(Exception):
    """A step failed: the message says which and why."""


def _norm(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def pins(constraints: Path, names: tuple[str, ...]) -> list[str]:
    """``name==version`` for each of ``names`` from a constraints file (one exact pin a line)."""
    found = {}
    for line in constraints.read_text(encoding="utf-8").splitlines():
        name, sep, version = line.strip().partition("==")
        if sep and not line.startswith("#"):
            found[_norm(name)] = f"{name}=={version}"
    missing = [n for n in names if _norm(n) not in found]
    if missing:
        raise CheckFailed(f"{constraints}: no pin for {', '.join(missing)} (run `make constraints`)")
    return [found[_norm(n)] for n in names]


def changed_versions(before: dict[str, str], after: dict[str, str]) -> dict[str, tuple[str, str | None]]:
    """Every package of ``before`` whose version differs in ``after`` (None: removed)."""
    return {name: (old, after.get(name)) for name, old in before.items() if after.get(name) != old}


def missing_from_wheel(source_files: list[str], wheel_names: list[str]) -> list[str]:
    """The files under src/exitban (paths relative to src/) that the wheel does not hold."""
    held = set(wheel_names)
    return sorted(f for f in source_files if f not in held)


def _run(label: str, cmd: list[str], **kwargs: object) -> str:
    """Runs one step, prints its time; on failure raises with the step's output."""
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload]
    print(f"{label}: {time.perf_counter() - started:.1f} s", flush=True)
    if done.returncode != 0:
        raise CheckFailed(f"{label} failed (exit {done.returncode}): {' '.join(cmd)}\n{done.stdout}{done.stderr}")
    return done.stdout


def _freeze(pip: Path) -> dict[str, str]:
    out = subprocess.run([str(pip), "freeze"], check=True, capture_output=True, text=True).stdout
    return dict(line.split("==", 1) for line in out.splitlines() if "==" in line)


def _copy_checkout(dest: Path) -> list[str]:
    """Copies the files git lists (tracked, and new ones it does not ignore) to ``dest``; returns them."""
    listed = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    files = [f for f in listed.split("\0") if f and (ROOT / f).is_file()]
    for name in files:
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, dest / name)
    return files


def build_wheel(pip: Path, work: Path) -> Path:
    """Builds the wheel from a copy of the checkout and checks it holds every package file."""
    tree, dist = work / "tree", work / "dist"
    files = _copy_checkout(tree)
    _run("build the wheel", [str(pip), "wheel", "--no-deps", "-w", str(dist), str(tree)])
    wheel = next(dist.glob(f"{PACKAGE}-*.whl"))
    prefix = f"src/{PACKAGE}/"
    package_files = [f.removeprefix("src/") for f in files if f.startswith(prefix) and "__pycache__" not in f]
    with zipfile.ZipFile(wheel) as zf:
        missing = missing_from_wheel(package_files, zf.namelist())
    if missing:
        raise CheckFailed(
            f"{wheel.name} lacks {len(missing)} of the package's files (pyproject.toml's "
            f"[tool.setuptools.package-data] must name them): {', '.join(missing)}"
        )
    print(f"{wheel.name}: all {len(package_files)} files under src/{PACKAGE} are in it", flush=True)
    return wheel


def run_installed(venv: Path, work: Path) -> None:
    """The venv's exitban, outside the checkout and without PYTHONPATH: lists, runs, reports."""
    outside = work / "outside"
    outside.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    exitban, python = str(venv / "bin" / "exitban"), str(venv / "bin" / "python")
    where = _run("import exitban", [python, "-c", f"import {PACKAGE}; print({PACKAGE}.__file__)"], cwd=outside, env=env)
    if not Path(where.strip()).resolve().is_relative_to(venv.resolve()):
        raise CheckFailed(f"exitban was imported from {where.strip()}, not from the fresh venv {venv}")
    _run("exitban scenarios", [exitban, "scenarios"], cwd=outside, env=env)
    _run("exitban sources --id R9", [exitban, "sources", "--id", "R9"], cwd=outside, env=env)
    _run(
        f"exitban run {' '.join(SCENARIO)} (compiles)",
        [exitban, "run", *SCENARIO, "--out", "run"],
        cwd=outside,
        env=env,
    )
    expected = _run(
        "the run's files",
        [python, "-c", "from exitban.runfolder import RUN_FILES; print(*RUN_FILES)"],
        cwd=outside,
        env=env,
    )
    absent = [name for name in expected.split() if not (outside / "run" / name).is_file()]
    if absent:
        raise CheckFailed(f"the run folder {outside / 'run'} lacks {', '.join(absent)}")
    _run("exitban report", [exitban, "report", "run", "--out", "run/report.html"], cwd=outside, env=env)
    if not (outside / "run" / "report.html").stat().st_size:
        raise CheckFailed("exitban report wrote an empty run/report.html")
    print(f"the run folder holds {', '.join(expected.split())} and report.html", flush=True)


def check(python: str, constraints: Path | None, run: bool, work: Path) -> None:
    """The whole check in ``work``; raises CheckFailed on the first failure."""
    venv = work / "venv"
    pip = venv / "bin" / "pip"
    with_constraints = ["-c", str(constraints)] if constraints else []
    first = pins(constraints, ALREADY_THERE) if constraints else [NO_CONSTRAINTS[n] for n in ALREADY_THERE]
    _run("fresh venv", [python, "-m", "venv", str(venv)])
    _run(f"install {' '.join(first)}", [str(pip), "install", "--quiet", *with_constraints, *first])
    before = _freeze(pip)
    wheel = build_wheel(pip, work)
    _run(f"install {wheel.name}", [str(pip), "install", "--quiet", *with_constraints, str(wheel)])
    after = _freeze(pip)
    changed = changed_versions(before, after)
    added = sorted(set(after) - set(before))
    kept = ", ".join(f"{n} {before.get(n)}" for n in ALREADY_THERE)
    print(f"kept {len(before) - len(changed)} of {len(before)} packages ({kept}); added {len(added)}", flush=True)
    if changed:
        lines = "; ".join(f"{name} {old} -> {new}" for name, (old, new) in sorted(changed.items()))
        raise CheckFailed(f"installing the wheel changed versions: {lines}")
    if run:
        run_installed(venv, work)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=sys.executable, help="the interpreter of the fresh venv")
    parser.add_argument("--constraints", type=Path, help="install Mesa, pandas and the wheel with this file's pins")
    parser.add_argument("--run", action="store_true", help="also run a tiny scenario (compiles the engine)")
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="exitban-beside-") as tmp:
        try:
            check(args.python, args.constraints.resolve() if args.constraints else None, args.run, Path(tmp))
        except CheckFailed as failed:
            print(f"FAIL: {failed}", file=sys.stderr)
            return 1
    print(f"PASS in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
