"""The docs site builds with ``mkdocs build --strict``: every page of the nav exists, every link and
anchor between pages resolves, and mkdocstrings reads every docstring of the API reference (a
parameter its docstring does not document, or a section griffe cannot parse, is a warning, and
--strict makes warnings errors). The notebooks are rendered as committed (mkdocs-jupyter, not
executed; tests/regression/test_notebooks.py executes them).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def _nav_pages(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [p for v in node.values() for p in _nav_pages(v)]
    if isinstance(node, list):
        return [p for v in node for p in _nav_pages(v)]
    return []


def _config() -> dict:
    # mkdocs.yml may hold !!python/name tags; this one does not, so the safe loader reads it
    return yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))


def test_the_nav_holds_every_page_and_notebook() -> None:
    """Every page under docs/ (generated ones included) and every notebook is in the site's nav."""
    nav = set(_nav_pages(_config()["nav"]))
    pages = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*") if p.suffix in (".md", ".ipynb")}
    assert pages - nav == set(), "pages missing from mkdocs.yml's nav"
    assert {"ODD.md", "reference/api/workflow.md", "notebooks/first-run.ipynb"} <= nav


def test_docs_site_builds_strict(tmp_path: Path) -> None:
    try:
        import mkdocs  # noqa: F401
        import mkdocs_jupyter  # noqa: F401
        import mkdocstrings  # noqa: F401
    except ImportError as missing:
        if os.environ.get("CI"):
            pytest.fail(
                f"{missing.name} is missing: the test extra (`pip install -c constraints.txt -e '.[test]'`) installs it"
            )
        pytest.skip(f"{missing.name} is missing (the docs extra)")
    site = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    # run from a temporary folder: mkdocs-jupyter writes its .cache/ into the working directory
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (site / "reference" / "api" / "workflow" / "index.html").is_file()
    workflow = (site / "reference" / "api" / "workflow" / "index.html").read_text(encoding="utf-8")
    # the reference is generated from the docstrings: each workflow function with its parameters
    for name in ("replicate", "compare", "sweep_runs", "sensitivity", "discover"):
        assert f'id="exitban.workflow.{name}"' in workflow, name
    assert "Parameters" in workflow and "Returns" in workflow
    assert (site / "notebooks" / "sweep-to-calibration" / "index.html").is_file()
    assert (site / "ODD" / "index.html").is_file()
