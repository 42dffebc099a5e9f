"""Changing a scenario's fields by dotted name: the one setter behind ``--set``, sweeps, calibration and ``with_params``.

Every way in gives the same errors, each one line starting with where the values came from:
a path that names no field (with a "did you mean"), a value a switch cannot take, and whatever
the schema then refuses, with the allowed range (``exitban.scenario.messages``).
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from exitban.errors import ScenarioError

if TYPE_CHECKING:
    from pydantic import BaseModel
    from pydantic.fields import FieldInfo

    from exitban.scenario.schema import Scenario

Model = TypeVar("Model", bound="BaseModel")

# pydantic and the field helpers load when a value is set, not when the command line parses --set


def parse_value(text: str) -> Any:
    """A ``--set`` value read as a TOML value (``true``, ``0.5``, ``30``, ``"text"``); a bare word is text."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text  # off, auto, a name: a word TOML would need quoted
    except RecursionError:  # arrays inside arrays a thousand deep: tomllib recurses
        raise ScenarioError(f"--set value {text[:40]!r}...: nested too deeply to read") from None


def parse_sets(items: list[str]) -> dict[str, Any]:
    """``["regime.prosecution_threat=0.5"]`` -> ``{"regime.prosecution_threat": 0.5}``; a later one wins."""
    params: dict[str, Any] = {}
    for item in items:
        field, sep, value = item.partition("=")
        if not sep or not field.strip():
            raise ScenarioError(f"--set {item!r}: expected FIELD=VALUE, e.g. --set regime.prosecution_threat=0.5")
        params[field.strip()] = parse_value(value.strip())
    return params


def _check_nesting(params: Mapping[str, Any], where: str) -> None:
    """Refuse, before anything recurses over it, a name of too many parts or a value nested too deep."""
    from exitban.scenario.nesting import MAX_DEPTH, depth

    for dotted, value in params.items():
        parts = dotted.count(".") + 1
        if parts > MAX_DEPTH:
            raise ScenarioError(
                f"{where}: a field name of {parts:,} parts, starting {dotted[:40]!r} (allowed: at most {MAX_DEPTH}; "
                "the deepest field is institutions.NAME.FIELD)"
            )
        if depth(value) > MAX_DEPTH - parts:
            raise ScenarioError(
                f"{where}: field '{dotted}': a value nested {depth(value)} deep (allowed: at most "
                f"{max(0, MAX_DEPTH - parts)} for this field)"
            )


def check_fields(model: BaseModel, names: Collection[str], where: str) -> dict[str, FieldInfo]:
    """The schema field each dotted name in ``names`` sets; a name that sets none is an error starting with ``where``."""
    from exitban.scenario.fields import field_at

    found = {}
    for dotted in names:
        try:
            found[dotted] = field_at(model, dotted)
        except ScenarioError as exc:
            raise ScenarioError(f"{where}: {exc}") from None
    return found


def set_fields(
    model: Model,
    params: Mapping[str, Any],
    *,
    where: str,
    strict: bool = False,
    rounded: Collection[str] = (),
) -> Model:
    """A copy of ``model`` with dotted fields set (``{"regime.prosecution_threat": 0.5}``), validated again.

    ``strict`` refuses ``"0.5"`` for a number, as a TOML file does. A switch takes only true or
    false in either mode. A number for an integer field is rounded only for the names in
    ``rounded`` (drawn from a range by a sweep's design); any other fraction is refused.
    """
    from pydantic import ValidationError

    from exitban.scenario.messages import format_validation_error

    _check_nesting(params, where)
    fields = check_fields(model, params, where)
    data = model.model_dump(mode="python")
    for dotted, value in params.items():
        *tables, leaf = dotted.split(".")
        node = data
        for part in tables:
            node = node[part]
        node[leaf] = _coerced(fields[dotted], value, dotted, where, dotted in rounded)
    try:
        return type(model).model_validate(data, strict=strict)
    except ValidationError as exc:
        raise ScenarioError(format_validation_error(where, exc, root=type(model))) from None


def _coerced(field: FieldInfo, value: Any, dotted: str, where: str, round_ok: bool) -> Any:
    from exitban.scenario.messages import shown

    if field.annotation is bool and not isinstance(value, bool):
        # pydantic's lax mode would take 1 or "yes"; a file must write true, and so must every other way in
        raise ScenarioError(
            f"{where}: field '{dotted}' = {shown(value)}: Input should be a valid boolean (allowed: true or false)"
        )
    if round_ok and field.annotation is int and isinstance(value, float):
        return round(value)
    return value


def apply_sets(scenario: Scenario, items: list[str]) -> Scenario:
    """``scenario`` with the ``--set`` values applied, validated as strictly as a file (errors name ``--set``).

    Each set field's provenance says it came from the command line, so ``show`` and ``run``'s
    scenario.toml record it.
    """
    if not items:
        return scenario
    params = parse_sets(items)
    changed = set_fields(scenario, params, where="--set", strict=True)
    provenance = {**changed.provenance, **dict.fromkeys(params, "set with --set on the command line")}
    return changed.with_overrides(provenance=provenance)
