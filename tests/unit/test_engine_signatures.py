"""No engine function takes more than 12 parameters: a longer list is a bundle waiting for a name.

The day's values travel as ``rules.today.Today``, the run's as ``state.EngineInputs`` and
``state.EngineState``; a rule that needs more takes one of those instead of a new positional.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import exitban

ENGINE = Path(exitban.__file__).parent / "engine"
MAX_PARAMETERS = 12


def _signatures() -> list[tuple[str, int]]:
    found = []
    for path in sorted(ENGINE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                args = node.args
                count = len(args.posonlyargs) + len(args.args) + len(args.kwonlyargs)
                count += (args.vararg is not None) + (args.kwarg is not None)
                found.append((f"{path.relative_to(ENGINE)}:{node.name}", count))
    return found


SIGNATURES = _signatures()


@pytest.mark.parametrize(("function", "count"), SIGNATURES, ids=[name for name, _ in SIGNATURES])
def test_no_engine_function_takes_more_than_twelve_parameters(function: str, count: int) -> None:
    assert count <= MAX_PARAMETERS, f"{function} takes {count} parameters (allowed: at most {MAX_PARAMETERS})"


def test_the_guard_reads_the_kernel() -> None:
    assert any(name == "kernel.py:step_unit" for name, _ in SIGNATURES)
