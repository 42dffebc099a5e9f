"""What the schema says about its fields: the field a dotted path names, its bounds, unit and provenance.

Everything here is read from the pydantic declarations (types, ``ge``/``gt``/``le``/``lt``, the
``json_schema_extra`` that ``sourced`` and ``assumed`` write), so the messages, ``exitban show``,
the calibration's priors, the dashboard's sliders and the fuzz tests cannot drift from the schema.
It knows no particular model: any strict pydantic root (a scenario, a sweep spec, a targets file).
"""

from __future__ import annotations

import difflib
import math
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from exitban.errors import ScenarioError


@dataclass(frozen=True)
class Bounds:
    """A field's declared range; ``None`` for a side it leaves open-ended, ``*_open`` for ``gt``/``lt``."""

    low: int | float | None = None
    high: int | float | None = None
    low_open: bool = False
    high_open: bool = False

    def __str__(self) -> str:
        """``[0, 1]``, ``(0, 10]``, ``[1, ]``; ``any`` when the field declares no bounds."""
        if self.low is None and self.high is None:
            return "any"
        low = "" if self.low is None else self.low
        high = "" if self.high is None else self.high
        return f"{'(' if self.low_open else '['}{low}, {high}{')' if self.high_open else ']'}"

    def floats(self) -> tuple[float, float]:
        """``(low, high)`` as floats, an open-ended side as -inf or inf."""
        return (-math.inf if self.low is None else float(self.low), math.inf if self.high is None else float(self.high))


def bounds(field: FieldInfo) -> Bounds:
    """The ``ge``/``gt``/``le``/``lt`` bounds a field declares."""
    low = high = None
    low_open = high_open = False
    for meta in field.metadata:
        if isinstance(meta, annotated_types.Ge):
            low, low_open = meta.ge, False
        elif isinstance(meta, annotated_types.Gt):
            low, low_open = meta.gt, True
        elif isinstance(meta, annotated_types.Le):
            high, high_open = meta.le, False
        elif isinstance(meta, annotated_types.Lt):
            high, high_open = meta.lt, True
    return Bounds(low, high, low_open, high_open)


def model_in(annotation: Any) -> type[BaseModel] | None:
    """The model of a nested table's annotation (``regime: Regime``), else None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def dict_of_model(annotation: Any) -> type[BaseModel] | None:
    """The model of a table of named tables (``institutions: dict[str, Institution]``), else None."""
    if typing.get_origin(annotation) is dict:
        return model_in(typing.get_args(annotation)[1])
    return None


def top_level(root: type[BaseModel]) -> str:
    """How a message names a field outside any table of ``root`` (a model may say, as ``Scenario`` does)."""
    return str(getattr(root, "top_level", "the file's top level"))


@dataclass(frozen=True)
class Place:
    """Where a pydantic error location lands: the owning table's model, its field (if any) and the table's name."""

    model: type[BaseModel] | None
    field: FieldInfo | None
    owner: str


def place(loc: tuple[Any, ...], root: type[BaseModel]) -> Place:
    """The model that owns the field at ``loc`` (from ``root`` down), the field, and a description of the owner."""
    model: type[BaseModel] = root
    field: FieldInfo | None = None
    owner = top_level(root)
    i = 0
    while i < len(loc):
        name = loc[i]
        if not isinstance(name, str) or name not in model.model_fields:
            return Place(model, None, owner)
        field = model.model_fields[name]
        if i == len(loc) - 1:
            return Place(model, field, owner)
        sub = model_in(field.annotation)
        if sub is not None:  # a nested table: [regime]
            model, owner, i = sub, f"[{name}]", i + 1
            continue
        named = dict_of_model(field.annotation)
        if named is not None and i + 1 < len(loc):  # [institutions.NAME]
            model, owner, i = named, f"[{name}.{loc[i + 1]}]", i + 2
            if i == len(loc):
                return Place(model, None, owner)
            continue
        return Place(model, field, owner)
    return Place(model, field, owner)


def unknown_field(name: str, known: list[str], owner: str, shown: str | None = None) -> str:
    """'unknown field 'regime.x' in [regime]: did you mean ...? allowed fields: ...' (``shown``: the value given)."""
    close = difflib.get_close_matches(name.rsplit(".", 1)[-1], known, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    value = "" if shown is None else f" = {shown}"
    return f"unknown field '{name}'{value} in {owner}: {hint}allowed fields: {', '.join(known)}"


def unknown_institution(path: str, names: list[str]) -> str:
    """'field 'institutions.oficers.size': no institution 'oficers': did you mean 'officers'? ...'."""
    name = path.split(".")[1]
    close = difflib.get_close_matches(name, names, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return f"field '{path}': no institution '{name}' in this scenario: {hint}institutions: {', '.join(names)}"


def field_at(root: BaseModel | type[BaseModel], dotted: str) -> FieldInfo:
    """The schema field a dotted path names: ``regime.prosecution_threat``, ``institutions.officers.size``.

    ``root`` is a model or one of its instances; an instance also refuses an institution it does
    not have. A path that names no value (a misspelt field, a table, a step below a value) is a
    ``ScenarioError`` saying which part is wrong and what is there instead, without a location:
    callers start it with theirs (``--set``, the spec file).
    """
    model = root if isinstance(root, type) else type(root)
    node: Any = None if isinstance(root, type) else root
    owner = top_level(model)
    parts = dotted.split(".")
    i = 0
    while True:
        name, at, rest = parts[i], ".".join(parts[: i + 1]), parts[i + 1 :]
        if name not in model.model_fields:
            raise ScenarioError(unknown_field(at, list(model.model_fields), owner))
        field = model.model_fields[name]
        sub, named = model_in(field.annotation), dict_of_model(field.annotation)
        if not rest:
            if sub is not None or named is not None:
                raise ScenarioError(f"field '{at}' is a table, not a value: name one of its fields")
            return field
        value = getattr(node, name) if node is not None else None
        if sub is not None:
            model, owner, node, i = sub, f"[{at}]", value, i + 1
        elif named is not None:
            key = rest[0]
            if value is not None and key not in value:
                raise ScenarioError(unknown_institution(dotted, list(value)))
            if len(rest) == 1:
                raise ScenarioError(f"field '{at}.{key}' is a table, not a value: name one of its fields")
            model, owner, node, i = named, f"[{at}.{key}]", None if value is None else value[key], i + 2
        else:
            raise ScenarioError(f"field '{dotted}' does not exist: '{at}' is a value, not a table")


def _leaves(model: BaseModel, prefix: str = "") -> Iterator[tuple[str, Any, Any]]:
    """``(dotted key, pydantic field, value)`` of every scalar field, tables and institutions walked into."""
    for name, field in type(model).model_fields.items():
        if name == "provenance":
            continue
        value = getattr(model, name)
        key = f"{prefix}{name}"
        if isinstance(value, BaseModel):
            yield from _leaves(value, key + ".")
        elif isinstance(value, dict):
            for sub, item in value.items():
                yield from _leaves(item, f"{key}.{sub}.")
        else:
            yield key, field, value


def _extra(field: Any) -> dict[str, Any]:
    return field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}


def leaf_values(model: BaseModel, prefix: str = "") -> dict[str, Any]:
    """Every scalar field of a model as a flat ``{"regime.prosecution_threat": 0.3, ...}`` map."""
    return {key: value for key, _, value in _leaves(model, prefix)}


def default_provenance(model: BaseModel, prefix: str = "") -> dict[str, str]:
    """The provenance declared on each field's default, keyed like ``leaf_values``."""
    return {key: str(_extra(field).get("provenance", "metadata")) for key, field, _ in _leaves(model, prefix)}


def field_units(model: BaseModel, prefix: str = "") -> dict[str, tuple[str, str]]:
    """``{field: (unit, allowed range)}`` keyed like ``leaf_values``, from each field's declaration.

    A number's unit is the one its ``sourced``/``assumed`` declaration gives (tests/unit/test_field_units.py
    checks that none is missing); a switch or a text has the unit its type states. Nothing is guessed
    from a field's name.
    """
    return {
        key: (str(_extra(field).get("unit") or type_unit(field, value)), str(bounds(field)))
        for key, field, value in _leaves(model, prefix)
    }


def declared_unit(field: FieldInfo) -> str:
    """A field's unit as ``field_units`` gives it: its declaration's, else its type's."""
    return str(_extra(field).get("unit") or type_unit(field, field.default))


def type_unit(field: FieldInfo, value: Any) -> str:
    """The unit a non-numeric field's type states: on/off, one of its choices, or text ('' for a number)."""
    choices = typing.get_args(field.annotation) if typing.get_origin(field.annotation) is typing.Literal else ()
    if choices:
        return "one of " + ", ".join(str(c) for c in choices)
    if isinstance(value, bool):
        return "on/off"
    if isinstance(value, str) or value is None:
        return "text"
    return ""
