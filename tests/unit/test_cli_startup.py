"""The command line starts without the engine: `import exitban.cli` loads neither Numba, matplotlib nor Polars."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("numba", "matplotlib", "polars", "duckdb", "scipy", "pydantic")


def _imported(code: str) -> list[str]:
    probe = f"import sys; {code}; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True).stdout
    return [m for m in out.strip().split(",") if m]


def test_importing_the_cli_loads_no_heavy_library() -> None:
    """`import exitban.cli` (what `exitban --help` runs) imports none of the heavy libraries, not even pydantic."""
    assert _imported("import exitban.cli") == []


def test_importing_exitban_defers_the_engine() -> None:
    """`import exitban` loads the engine on the first run, not at import; the schema on first use."""
    assert _imported("import exitban") == []
    assert _imported("import exitban; exitban.load_scenario('army-officers-2019')") == ["pydantic"]
