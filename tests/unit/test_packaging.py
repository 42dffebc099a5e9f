"""Packaging: ranges in pyproject.toml, the exact tested set in constraints.txt, and both agree.

A library must install beside Mesa, pandas or a Jupyter stack (ranges); CI and `make` must install
the set that keeps the output digests' bytes (constraints.txt).
"""

from __future__ import annotations

import importlib.metadata
import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
# distribution name -> the module exitban imports; a dependency exitban never imports names why it is there
IMPORTED_AS = {
    "numpy": "numpy",
    "numba": "numba",
    "pydantic": "pydantic",
    "typer": "typer",
    "rich": "rich",
    "polars": "polars",
    "duckdb": "duckdb",
    "salib": "SALib",
    "scipy": "scipy",
    "matplotlib": "matplotlib",
    "jinja2": "jinja2",
    "pyarrow": "pyarrow",  # files.read_parquet_checked reads a Parquet footer before Polars parses the file
}
NOT_IMPORTED: dict[str, str] = {}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _constraints() -> dict[str, Version]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"constraints.txt: {line!r} is not an exact pin (name==version)"
            pins[_norm(name)] = Version(version)
    return pins


def _requirements() -> list[Requirement]:
    reqs = [Requirement(r) for r in PYPROJECT["dependencies"]]
    for extra in PYPROJECT["optional-dependencies"].values():
        reqs += [Requirement(r) for r in extra if not r.startswith("exitban")]
    return reqs


def test_runtime_dependencies_are_ranges_not_pins() -> None:
    pinned = [r for r in PYPROJECT["dependencies"] if "==" in r]
    assert not pinned, f"pyproject.toml: runtime dependencies must be ranges (the pins go in constraints.txt): {pinned}"


def test_every_dependency_has_one_tested_version_inside_its_range() -> None:
    pins = _constraints()
    for req in _requirements():
        name = _norm(req.name)
        assert name in pins, f"constraints.txt has no pin for {req.name} (run `make constraints`)"
        assert req.specifier.contains(pins[name]), f"constraints.txt: {req.name}=={pins[name]} is outside {req}"


def test_the_running_environment_is_the_tested_set() -> None:
    pins = _constraints()
    for req in [Requirement(r) for r in PYPROJECT["dependencies"]]:
        installed = Version(importlib.metadata.version(req.name))
        assert installed == pins[_norm(req.name)], (
            f"{req.name} {installed} is installed, constraints.txt says {pins[_norm(req.name)]}: "
            "install with `pip install -c constraints.txt ...` (as `make` does)"
        )


def test_every_runtime_dependency_is_imported_or_says_why_it_is_there() -> None:
    names = {_norm(Requirement(r).name) for r in PYPROJECT["dependencies"]}
    assert names == set(IMPORTED_AS) | set(NOT_IMPORTED), "update IMPORTED_AS / NOT_IMPORTED with pyproject.toml"
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "src" / "exitban").rglob("*.py"))
    for dist, module in IMPORTED_AS.items():
        assert re.search(rf"^\s*(import|from) {module}\b", source, re.M), f"{dist} is a dependency no module imports"
    for dist in NOT_IMPORTED:
        assert not re.search(rf"^\s*(import|from) {dist}\b", source, re.M), (
            f"{dist} is imported: move it to IMPORTED_AS"
        )


def test_the_platform_is_stated_and_the_types_ship() -> None:
    classifiers = PYPROJECT["classifiers"]
    assert "Operating System :: POSIX" in classifiers
    assert not any(c.startswith("Operating System :: Microsoft") for c in classifiers)
    assert (ROOT / "src" / "exitban" / "py.typed").is_file()
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert "py.typed" in package_data["package-data"]["exitban"]


def test_the_citation_names_this_version() -> None:
    import yaml

    from exitban import __version__

    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["version"] == __version__ and citation["cff-version"] == "1.2.0"
    assert {"message", "title", "authors"} <= set(citation)
    assert f"({__version__})" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
