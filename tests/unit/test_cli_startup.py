"""The command line starts without the engine: `import exitban.cli` and `exitban scenarios` load no heavy library."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("numba", "matplotlib", "polars", "duckdb", "scipy", "pydantic")


def _imported(code: str) -> list[str]:
    probe = f"import sys\n{code}\nprint('imported:' + ','.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True).stdout
    return [m for m in out.splitlines()[-1].removeprefix("imported:").split(",") if m]


def test_importing_the_cli_loads_no_heavy_library() -> None:
    """`import exitban.cli` (what `exitban --help` runs) imports none of the heavy libraries, not even pydantic."""
    assert _imported("import exitban.cli") == []


def test_importing_exitban_defers_the_engine() -> None:
    """`import exitban` loads the engine on the first run, not at import; the schema on first use."""
    assert _imported("import exitban") == []
    assert _imported("import exitban; exitban.load_scenario('army-officers-2019')") == ["pydantic"]


def test_listing_scenarios_loads_no_heavy_library() -> None:
    """`exitban scenarios` (through the console entry point) reads the TOML headers without pydantic or the engine."""
    listing = "sys.argv = ['exitban', 'scenarios', '--json']\nfrom exitban.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass"
    assert _imported(listing) == []
