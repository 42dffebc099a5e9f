"""Every public function of the Python API documents its parameters and what it returns (numpy style).

The API reference (docs/reference/api/, built by mkdocstrings) is generated from these docstrings;
griffe reads one entry per parameter (``name`` or ``name : type`` on its own line, the description
indented under it), so a parameter missing here is missing from the reference, and grouped names
(``days, scale:``) are refused because griffe gives the second the first one's type and default.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import exitban
from exitban.scenario.schema import Scenario
from exitban.simulate import Result

SCENARIO_METHODS = ("with_params", "with_overrides", "agents", "total_agents", "end", "content_hash")


def _public_api() -> Iterator[tuple[str, Callable[..., Any]]]:
    """(name, function) for every function of ``exitban.__all__`` and the public methods of its classes."""
    for name in exitban.__all__:
        obj = getattr(exitban, name)
        if inspect.isfunction(obj):
            yield name, obj
    for name, member in vars(Result).items():
        if not name.startswith("_") and inspect.isfunction(member):
            yield f"Result.{name}", member
    for name in SCENARIO_METHODS:
        member = vars(Scenario)[name]
        yield f"Scenario.{name}", member.fget if isinstance(member, property) else member


def _section(doc: str, title: str) -> str | None:
    """The body of a numpy-style section (``Title`` underlined with dashes), or None."""
    match = re.search(rf"^{title}\n-{{{len(title)}}}\n(.*?)(?=^\S[^\n]*\n-+\n|\Z)", doc, re.M | re.S)
    return match.group(1) if match else None


def _entries(body: str) -> list[str]:
    """The names a section lists: its unindented lines (``name`` or ``name : type``)."""
    return [
        line.split(":")[0].strip().lstrip("*")
        for line in body.splitlines()
        if line.strip() and not line.startswith(" ")
    ]


API = list(_public_api())


def test_the_public_api_is_found() -> None:
    names = {name for name, _ in API}
    assert {"simulate", "replicate", "compare", "sweep_runs", "sensitivity", "discover", "load_scenario"} <= names
    assert {"Result.write", "Scenario.with_params", "Scenario.end"} <= names


@pytest.mark.parametrize(("name", "func"), API, ids=[n for n, _ in API])
def test_public_function_documents_its_parameters_and_returns(name: str, func: Callable[..., Any]) -> None:
    doc = inspect.cleandoc(func.__doc__ or "")
    assert doc, f"{name}: no docstring"
    params = [p for p in inspect.signature(func).parameters if p not in ("self", "cls")]
    if params:
        body = _section(doc, "Parameters")
        assert body is not None, f"{name}: no 'Parameters' section (numpy style) for {params}"
        listed = _entries(body)
        grouped = [e for e in listed if "," in e]
        assert not grouped, f"{name}: one entry per parameter, not {grouped} (griffe misreads grouped names)"
        assert listed == params, f"{name}: the Parameters section lists {listed}, the signature has {params}"
    returns = inspect.signature(func).return_annotation
    if returns not in (None, "None", inspect.Signature.empty):
        body = _section(doc, "Returns")
        assert body is not None and _entries(body), f"{name}: no 'Returns' section (numpy style)"
