"""Each rule says what it writes: a ``writes:`` line in its docstring names the arrays it assigns.

The guard reads the rules' source (a sibling of ``test_no_bare_coefficients.py``): the subscript
assignments in a rule's body (``people.stage[i] = ...``, ``tally[u, X] += ...``, a record's field after
``record = out[k]``) whose array is one
of its parameters or a parameter's field, plus those of the rules it calls, carried through the
call's arguments (``join_queue(..., signals.entered, u)`` writes ``signals.entered``), must be
exactly the ones its ``writes:`` line names; ``writes: nothing`` for a rule that only reads.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

import exitban

RULES = Path(exitban.__file__).parent / "engine" / "rules"


def _compiled(node: ast.FunctionDef) -> bool:
    return any("njit" in ast.unparse(d) for d in node.decorator_list)


def _functions() -> dict[str, ast.FunctionDef]:
    found: dict[str, ast.FunctionDef] = {}
    for path in sorted(RULES.glob("*.py")):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef) and _compiled(node):
                assert node.name not in found, f"{node.name} is defined twice in engine/rules"
                found[node.name] = node
    return found


FUNCTIONS = _functions()


def _name(node: ast.expr) -> str | None:
    """``people`` or ``people.stage`` for an argument or an assigned array; None for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return f"{node.value.id}.{node.attr}"
    return None


def _targets(node: ast.AST) -> list[ast.expr]:
    if isinstance(node, ast.Assign):
        return node.targets
    if isinstance(node, ast.AugAssign):
        return [node.target]
    return []


@cache
def found_writes(name: str) -> frozenset[str]:
    """The parameters (and parameters' fields) ``name`` assigns into, its callees' included."""
    fn = FUNCTIONS[name]
    params = {a.arg for a in fn.args.args}
    out: set[str] = set()
    records: dict[str, str] = {}  # ``record = out[k]``: a record of a structured array, written field by field
    for node in ast.walk(fn):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Subscript):
            for target in node.targets:
                if isinstance(target, ast.Name) and (array := _name(node.value.value)):
                    records[target.id] = array
        for target in _targets(node):
            if isinstance(target, ast.Subscript) and (array := _name(target.value)):
                out.add(array)
            elif (
                isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id in records
            ):
                out.add(records[target.value.id])
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS:
            callee = FUNCTIONS[node.func.id]
            passed = {p.arg: _name(a) for p, a in zip(callee.args.args, node.args, strict=False)}
            for written in found_writes(node.func.id):
                base, _, field = written.partition(".")
                if (mine := passed.get(base)) is not None:
                    out.add(f"{mine}.{field}" if field else mine)
    return frozenset(w for w in out if w.partition(".")[0] in params)


def declared_writes(fn: ast.FunctionDef) -> frozenset[str] | None:
    doc = ast.get_docstring(fn) or ""
    match = re.search(r"writes:(.*)", doc, re.S)
    if match is None:
        return None
    names = {w for w in re.split(r"[\s,;]+", match.group(1)) if w}
    return frozenset() if names == {"nothing"} else frozenset(names)


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_rule_declares_what_it_writes(name: str) -> None:
    declared = declared_writes(FUNCTIONS[name])
    found = found_writes(name)
    assert declared is not None, f"{name}: no 'writes:' line; it writes {', '.join(sorted(found)) or 'nothing'}"
    assert declared == found, (
        f"{name}: 'writes:' names {sorted(declared - found)} it does not write, and omits {sorted(found - declared)}"
    )


def test_the_guard_sees_writes_through_callees() -> None:
    """A rule that writes only through a helper still declares the helper's arrays under its own names."""
    assert {"people.stage", "people.stage_day", "entered"} <= found_writes("ask_permit")
    assert "signals.entered" in found_writes("start_move")
