"""The rule functions hold no behavioural number of their own: every coefficient is a scenario field.

The guard reads the source of the engine's rules and the Mesa model's rules and fails on any
numeric literal inside a function other than 0 and 1 (identities, clamps, flags) and 255 (the
saturation of an 8-bit counter). A new coefficient belongs in ``exitban.scenario`` with a
default, a unit, a range and its provenance, where ``exitban show``, sweeps and calibration see it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import exitban

PACKAGE = Path(exitban.__file__).parent
RULE_FILES = sorted(
    [
        *(PACKAGE / "engine" / "rules").glob("*.py"),
        PACKAGE / "engine" / "kernel.py",
        PACKAGE / "engine" / "signals.py",
        PACKAGE / "mesa" / "kinds.py",
        PACKAGE / "mesa" / "person.py",
        PACKAGE / "mesa" / "offices.py",
    ]
)
ALLOWED = {0, 1, 255}


def bare_numbers(source: str) -> list[tuple[int, object]]:
    """(line, value) of every numeric literal inside a function body that is not an allowed identity."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.Constant)
                    and isinstance(inner.value, int | float)
                    and not isinstance(inner.value, bool)
                    and inner.value not in ALLOWED
                ):
                    found.append((inner.lineno, inner.value))
    return found


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_rule_functions_have_no_bare_coefficients(path: Path) -> None:
    """No numeric literal but 0, 1 and 255 inside the rule functions of this file."""
    found = bare_numbers(path.read_text())
    assert not found, f"{path.name}: bare numbers {found}: make each a scenario field (exitban.scenario)"


def test_guard_catches_a_bare_coefficient() -> None:
    """The guard itself fails on a rule written with a literal weight, and passes the named version."""
    assert bare_numbers("def rule(P, x):\n    return 0.5 * x\n") == [(2, 0.5)]
    assert bare_numbers("def rule(P, x):\n    return P.weight * x + 1.0\n") == []
