"""tools/install_beside.py (`make wheel-check`): what it counts as a missing file, a changed version, a pin.

The check itself builds and installs a wheel (minutes, the package index): CI runs it, not this suite.
Here: its decisions on given inputs, and the fast half of its wheel check, that pyproject.toml's
package-data names every file the package holds besides its modules.
"""

from __future__ import annotations

import tomllib
from pathlib import Path, PurePosixPath

import pytest

from tools.install_beside import CheckFailed, changed_versions, missing_from_wheel, pins

ROOT = Path(__file__).resolve().parents[2]
PACKAGE_DIR = ROOT / "src" / "exitban"


def test_a_file_the_wheel_lacks_is_named() -> None:
    source = ["exitban/__init__.py", "exitban/py.typed", "exitban/scenarios/new-2026.toml"]
    assert missing_from_wheel(source, ["exitban/__init__.py", "exitban/py.typed"]) == [
        "exitban/scenarios/new-2026.toml"
    ]
    assert missing_from_wheel(source, [*source, "exitban-0.1.0.dist-info/RECORD"]) == []


def test_a_changed_or_removed_version_counts_and_an_added_package_does_not() -> None:
    before = {"Mesa": "3.3.1", "pandas": "3.1.1", "numpy": "2.3.5"}
    after = {"Mesa": "3.3.1", "pandas": "3.2.0", "numba": "0.68.1"}
    assert changed_versions(before, after) == {"pandas": ("3.1.1", "3.2.0"), "numpy": ("2.3.5", None)}
    assert changed_versions(before, {**before, "numba": "0.68.1"}) == {}


def test_pins_come_from_the_constraints_file_whatever_the_case(tmp_path: Path) -> None:
    constraints = tmp_path / "constraints.txt"
    constraints.write_text("# a comment==1\nmesa==3.3.1\nPandas==3.1.1\n", encoding="utf-8")
    assert pins(constraints, ("Mesa", "pandas")) == ["mesa==3.3.1", "Pandas==3.1.1"]
    with pytest.raises(CheckFailed, match=r"constraints.txt: no pin for polars \(run `make constraints`\)"):
        pins(constraints, ("Mesa", "polars"))


def test_the_tested_set_pins_mesa_3_3_and_pandas() -> None:
    mesa, pandas = pins(ROOT / "constraints.txt", ("Mesa", "pandas"))
    assert mesa.startswith("Mesa==3.3."), mesa
    assert pandas.startswith("pandas=="), pandas


def _held(relative: PurePosixPath, patterns: list[str]) -> bool:
    return any(len(relative.parts) == len(PurePosixPath(p).parts) and relative.match(p) for p in patterns)


def test_package_data_names_every_file_of_the_package_besides_its_modules() -> None:
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"
    ]["exitban"]
    files = [
        PurePosixPath(p.relative_to(PACKAGE_DIR).as_posix())
        for p in PACKAGE_DIR.rglob("*")
        if p.is_file() and p.suffix not in {".py", ".pyc"} and "__pycache__" not in p.parts
    ]
    assert any(f.name == "py.typed" for f in files) and len(files) > 20
    left_out = [str(f) for f in files if not _held(f, patterns)]
    assert not left_out, f"pyproject.toml's package-data names none of these, so the wheel lacks them: {left_out}"
    assert not _held(PurePosixPath("scenarios/calibrated/x.toml"), patterns)  # one level, as setuptools globs
