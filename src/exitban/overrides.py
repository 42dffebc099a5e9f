"""``FIELD=VALUE`` overrides, as the command line's ``--set`` takes them: parsed as TOML values, checked like a file."""

from __future__ import annotations

import tomllib
from typing import TYPE_CHECKING, Any

from exitban.errors import ScenarioError

if TYPE_CHECKING:
    from exitban.scenario import Scenario


def parse_value(text: str) -> Any:
    """A ``--set`` value read as a TOML value (``true``, ``0.5``, ``30``, ``"text"``); a bare word is text."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text  # off, auto, a name: a word TOML would need quoted


def parse_sets(items: list[str]) -> dict[str, Any]:
    """``["regime.prosecution_threat=0.5"]`` -> ``{"regime.prosecution_threat": 0.5}``; a later one wins."""
    params: dict[str, Any] = {}
    for item in items:
        field, sep, value = item.partition("=")
        if not sep or not field.strip():
            raise ScenarioError(f"--set {item!r}: expected FIELD=VALUE, e.g. --set regime.prosecution_threat=0.5")
        params[field.strip()] = parse_value(value.strip())
    return params


def apply_sets(scenario: Scenario, items: list[str]) -> Scenario:
    """``scenario`` with the ``--set`` values applied, validated as strictly as a file (errors name ``--set``).

    Each set field's provenance says it came from the command line, so ``show`` and ``run``'s
    scenario.toml record it.
    """
    if not items:
        return scenario
    params = parse_sets(items)
    changed = scenario.with_params(params, where="--set", strict=True)
    provenance = {**changed.provenance, **dict.fromkeys(params, "set with --set on the command line")}
    return changed.with_overrides(provenance=provenance)
