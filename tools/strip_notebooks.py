"""Strip the outputs of docs/notebooks/*.ipynb: ``python tools/strip_notebooks.py`` (before a commit).

The notebooks are committed as written: no outputs, no execution counts, no widget state
(tests/regression/test_notebooks.py checks it, and executes them).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "docs" / "notebooks").glob("*.ipynb"))


def unstripped(nb: dict[str, Any]) -> list[str]:
    """What a notebook holds beyond its sources: one line per output list, count or widget state."""
    found = [f"notebook metadata holds {key!r}" for key in ("widgets",) if key in nb.get("metadata", {})]
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        if cell.get("outputs"):
            found.append(f"cell {i} has outputs")
        if cell.get("execution_count") is not None:
            found.append(f"cell {i} has an execution count")
        if "execution" in cell.get("metadata", {}):
            found.append(f"cell {i} has execution times")
    return found


def strip(nb: dict[str, Any]) -> dict[str, Any]:
    """The notebook without outputs, execution counts, execution times or widget state."""
    nb.get("metadata", {}).pop("widgets", None)
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
            cell.get("metadata", {}).pop("execution", None)
    return nb


def main(paths: list[Path]) -> int:
    for path in paths:
        nb = json.loads(path.read_text(encoding="utf-8"))
        if unstripped(nb):
            path.write_text(json.dumps(strip(nb), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
            print(f"stripped {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main([Path(p) for p in sys.argv[1:]] or NOTEBOOKS))
