"""The notebooks in docs/notebooks execute from top to bottom, and are committed without outputs.

Each runs in a fresh Jupyter kernel on this interpreter (a kernelspec made for the test, so a user's
own ``python3`` kernel cannot stand in), importing the same exitban as the tests, in a temporary
folder; a cell that raises, or runs past ``CELL_LIMIT_S``, fails the test. The notebooks are small
(tenths of a percent of the population, weeks to months) so both run in well under a minute each once
the engine is compiled, which ``exitban.warmup()`` does first, into the cache the kernel then loads.
The outputs are not committed: the site shows the notebooks as written (mkdocs-jupyter, not
executed) and a diff shows only what someone wrote; ``python tools/strip_notebooks.py`` strips them.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

import exitban
from tools.strip_notebooks import NOTEBOOKS, unstripped

# a hung cell or a runaway run fails rather than blocks CI (each cell takes seconds here)
CELL_LIMIT_S = 300
KERNEL = "exitban-test-python"
CHECK_KERNEL = "import sys, exitban\nprint(sys.executable)\nprint(exitban.__file__)"


def _require(module: str):
    """The module, or a failure on CI (the test extra installs it) and a skip elsewhere."""
    try:
        return __import__(module)
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail(
                f"{module} is missing: the test extra (`pip install -c constraints.txt -e '.[test]'`) installs it"
            )
        pytest.skip(f"{module} is missing (the notebook extra)")


def test_the_notebooks_are_found() -> None:
    assert {p.name for p in NOTEBOOKS} >= {"first-run.ipynb", "sweep-to-calibration.ipynb"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    raw = json.loads(path.read_text(encoding="utf-8"))
    found = unstripped(raw)
    assert not found, f"{path.name}: {'; '.join(found)} (run `python tools/strip_notebooks.py`)"
    # nbformat 4.5: every cell has an id, unique in the notebook (nbformat only warns, then makes one up)
    ids = [cell.get("id") for cell in raw["cells"]]
    assert None not in ids and len(set(ids)) == len(ids), f"{path.name}: cell ids {ids}"
    nbformat = _require("nbformat")
    nbformat.validate(nbformat.read(path, as_version=4))


def test_the_stripped_check_sees_outputs() -> None:
    """The check above fails on a notebook that kept an output, a count or a widget state."""
    nb = {
        "metadata": {"widgets": {}},
        "cells": [{"cell_type": "code", "execution_count": 3, "metadata": {}, "outputs": [{"output_type": "stream"}]}],
    }
    assert len(unstripped(nb)) == 3


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nbformat = _require("nbformat")
    _require("ipykernel")
    nbclient = _require("nbclient")
    spec = tmp_path / "jupyter" / "kernels" / KERNEL
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": KERNEL, "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    # connection files and IPython's profile in the temporary folder: no writable home needed, and no
    # user startup script runs in the kernel
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    # the kernel imports the exitban under test (a source tree on PYTHONPATH or the installed one)
    package_root = str(Path(exitban.__file__).resolve().parents[1])
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])))
    exitban.warmup()
    work = tmp_path / "work"
    work.mkdir()
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(CHECK_KERNEL))
    client = nbclient.NotebookClient(
        nb, timeout=CELL_LIMIT_S, kernel_name=KERNEL, resources={"metadata": {"path": str(work)}}
    )
    client.execute()
    printed = "".join(o.get("text", "") for o in nb.cells[-1].outputs).split()
    assert printed == [sys.executable, str(Path(exitban.__file__))], "the kernel ran another interpreter or exitban"
    errors = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs if o.output_type == "error"]
    assert not errors
