"""Turn pydantic validation errors into one line per bad field: file, field, value, what is allowed.

The allowed range is read from the schema itself (the field's type and its ``ge``/``gt``/
``le``/``lt`` bounds), so every constraint type reports its full range, not only the bound
that failed, and a message never drifts from the schema.
"""

from __future__ import annotations

import datetime
import math
import types
import typing
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from exitban.scenario.fields import bounds, dict_of_model, model_in, place, unknown_field

MAX_SHOWN = 60  # characters of a bad value shown in a message


def _number(x: Any) -> str:
    return f"{x:,}" if isinstance(x, int) else f"{x:g}"


def describe(field: FieldInfo) -> str:
    """What a field accepts, in words: 'an integer from 1 to 50,000,000', 'one of "on", "off"'."""
    ann = field.annotation
    if typing.get_origin(ann) is Literal:
        return "one of " + ", ".join(f'"{v}"' for v in typing.get_args(ann))
    if ann is bool:
        return "true or false"
    if typing.get_origin(ann) is list and typing.get_origin(typing.get_args(ann)[0]) is Literal:
        return "a list of any of " + ", ".join(f'"{v}"' for v in typing.get_args(typing.get_args(ann)[0]))
    if ann is str:
        lo = hi = None
        for m in field.metadata:
            lo = getattr(m, "min_length", lo)
            hi = getattr(m, "max_length", hi)
        return f"text of {lo or 0} to {hi} characters" if hi else "text"
    if model_in(ann) is not None:
        return f"a table of these fields: {', '.join(model_in(ann).model_fields)}"
    if dict_of_model(ann) is not None:
        return "a table of named tables, e.g. [institutions.officers]"
    if isinstance(ann, types.UnionType) or typing.get_origin(ann) is typing.Union:
        return " or ".join(
            "nothing" if a is type(None) else getattr(a, "__name__", str(a)) for a in typing.get_args(ann)
        )
    kind = "an integer" if ann is int else "a number"
    span = bounds(field)
    lo, hi, lo_open, hi_open = span.low, span.high, span.low_open, span.high_open
    if lo is None and hi is None:
        return kind
    if lo is not None and hi is not None:
        if lo_open or hi_open:
            return f"{kind} in {'(' if lo_open else '['}{_number(lo)}, {_number(hi)}{')' if hi_open else ']'}"
        return f"{kind} from {_number(lo)} to {_number(hi)}"
    if lo is not None:
        return f"{kind} {'above' if lo_open else 'of at least'} {_number(lo)}"
    return f"{kind} {'below' if hi_open else 'of at most'} {_number(hi)}"


def shown(value: Any) -> str:
    """A bad value as a message quotes it: as the TOML file wrote it, cut to ``MAX_SHOWN`` characters."""
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()  # as the TOML file wrote it
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    text = repr(value)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 3] + "..."


def _field_name(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc) or "(top level)"


def explain(err: dict[str, Any], root: type[BaseModel]) -> str:
    """One error as 'field 'x' = value: what is wrong (allowed: ...)', without the file; ``root`` is the file's model."""
    loc = tuple(err["loc"])
    name = _field_name(loc)
    at = place(loc, root)
    model, field, owner = at.model, at.field, at.owner
    kind = err["type"]
    if kind == "extra_forbidden":
        known = list(model.model_fields) if model is not None else []
        return unknown_field(name, known, owner, shown(err["input"]))
    if kind == "missing":
        allowed = describe(field) if field is not None else "see `exitban show`"
        return f"field '{name}' is required but missing (allowed: {allowed})"
    if kind == "value_error" and not loc:  # a whole-scenario check (e.g. provenance keys)
        return str(err["msg"]).removeprefix("Value error, ")
    value = err.get("input")
    if kind == "value_error" and isinstance(value, dict):  # a check across a table's fields
        return f"field '{name}': {str(err['msg']).removeprefix('Value error, ')}"
    if isinstance(value, float) and not math.isfinite(value):
        reason = "must be a finite number"
    else:
        reason = str(err["msg"]).removeprefix("Value error, ")
    if field is not None:
        allowed = f" (allowed: {describe(field)})"
    elif model is not None and len(loc) > 1:  # a whole table, e.g. institutions.officers = 3
        allowed = f" (allowed: a table of these fields: {', '.join(model.model_fields)})"
    else:
        allowed = ""
    return f"field '{name}' = {shown(value)}: {reason}{allowed}"


def format_validation_error(
    path: Path | str,
    exc: ValidationError,
    origins: dict[str, Path] | None = None,
    *,
    root: type[BaseModel],
) -> str:
    """One line per invalid field, each naming the file that set it, the field, the value and the allowed range.

    ``root`` is the model the file validates against (``Scenario``, ``SweepSpec``, ``TargetsFile``).
    """
    lines = []
    for err in exc.errors():
        where = _origin(tuple(err["loc"]), origins or {}) or path
        lines.append(f"{where}: {explain(err, root)}")
    return "\n".join(lines)


def _origin(loc: tuple[Any, ...], origins: dict[str, Path]) -> Path | None:
    """The file in an ``extends`` chain that set the value at ``loc`` (the nearest enclosing key)."""
    parts = [str(p) for p in loc]
    while parts:
        hit = origins.get(".".join(parts))
        if hit is not None:
            return hit
        parts.pop()
    return None
