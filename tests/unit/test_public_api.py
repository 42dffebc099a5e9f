"""The top-level API documents itself: every public function's docstring names its parameters and returns."""

from __future__ import annotations

import inspect

import exitban


def _functions() -> dict[str, object]:
    found = {name: getattr(exitban, name) for name in exitban.__all__}
    return {name: obj for name, obj in found.items() if inspect.isfunction(obj)}


def test_the_workflow_is_in_the_top_level() -> None:
    assert {"simulate", "replicate", "compare", "sweep_runs", "sensitivity", "discover", "warmup"} <= set(_functions())


def test_every_public_function_documents_its_parameters_and_returns() -> None:
    for name, func in _functions().items():
        doc = inspect.getdoc(func) or ""
        assert "Returns\n-------" in doc, f"exitban.{name}: no Returns section"
        params = list(inspect.signature(func).parameters)  # type: ignore[arg-type]
        if params:
            assert "Parameters\n----------" in doc, f"exitban.{name}: no Parameters section"
        missing = [p for p in params if p not in doc]
        assert not missing, f"exitban.{name}: parameters not documented: {missing}"
