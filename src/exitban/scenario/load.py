"""Find, read, merge (``extends``) and validate scenario files.

TOML is parsed as data only; nothing in a scenario file is ever executed.
Every user error becomes a ``ScenarioError`` naming the file, the field, the value
and what is allowed.
"""

from __future__ import annotations

import datetime
import tomllib
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exitban.errors import ScenarioError
from exitban.files import InputFileError, read_bounded
from exitban.scenario.nesting import MAX_DEPTH, depth

if TYPE_CHECKING:
    from exitban.scenario.schema import Scenario

# the schema (pydantic) is imported when a scenario is validated, not to list the shipped ones:
# `exitban scenarios` reads their headers with tomllib alone

SHIPPED = resources.files("exitban") / "scenarios"
MAX_EXTENDS_DEPTH = 16
MAX_FILE_BYTES = 1 << 20  # a scenario is a few kilobytes; refuse anything that is clearly not one


def list_scenarios() -> list[str]:
    """Names of the scenarios shipped with the package, sorted.

    Returns
    -------
    list[str]
        Names ``load_scenario`` and every command accept (``"army-officers-2019"``, ...).
    """
    return sorted(p.name.removesuffix(".toml") for p in SHIPPED.iterdir() if p.name.endswith(".toml"))


def shipped_headers() -> list[dict[str, Any]]:
    """Name, title, period, ``extends`` and headcount of each shipped scenario, from its TOML alone.

    ``people`` sums the institutions' sizes (``extends`` merged): the agents of a run at scale 1.
    Nothing is validated here; the shipped files are validated by the tests and by every run.
    """
    rows = []
    for name in list_scenarios():
        path = Path(str(SHIPPED / f"{name}.toml"))
        own = _read_toml(path)
        merged, _ = _raw_chain(path)
        sizes = [inst.get("size", 0) for inst in merged.get("institutions", {}).values()]
        rows.append(
            {
                "name": name,
                "title": merged.get("title", ""),
                "period": merged.get("period", ""),
                "people": sum(sizes),
                "extends": own.get("extends") or "",
            }
        )
    return rows


def locate(name_or_path: str | Path) -> Path:
    """A scenario file from a path, or from a shipped scenario's name."""
    text = str(name_or_path)
    if Path(text).is_file():
        return Path(text)
    shipped = _shipped(text)
    if shipped is None and Path(text).exists():
        return Path(text)  # a FIFO, device or folder: reading refuses it and says what it is
    if shipped is not None:
        return shipped
    raise ScenarioError(
        f"no scenario named '{text}': not a file, and not one of the shipped scenarios ({', '.join(list_scenarios())})"
    )


def _shipped(text: str) -> Path | None:
    name = text.removesuffix(".toml")
    return Path(str(SHIPPED / f"{name}.toml")) if name in list_scenarios() else None


def locate_base(name: str, folder: Path) -> Path:
    """The file an ``extends`` names: a file under the extending file's folder, or a shipped scenario.

    Anything else (an absolute path, ``../``, a link that leads out of the folder) is refused
    before it is opened: a scenario shared by someone else must not read other files on this
    machine, nor quote them in an error.
    """
    root = folder.resolve()
    for candidate in (folder / name, folder / f"{name}.toml"):
        real = candidate.resolve()
        if real.is_relative_to(root) and real.is_file():
            return candidate
    shipped = _shipped(name)
    if shipped is not None:
        return shipped
    raise ScenarioError(
        f"no scenario named '{name}': not a file in {folder} or below, and not one of the shipped scenarios "
        f"({', '.join(list_scenarios())}); extends may not leave the extending file's folder"
    )


def read_toml(path: Path, limit: int, what: str, missing: str = "no such file") -> dict[str, Any]:
    """A TOML input file's data (parsed as data only); every failure is a ``ScenarioError`` naming the file.

    ``what`` names the kind of file for the size check, ``missing`` is the message for a path
    that does not exist (``no such targets file``).
    """
    try:
        return tomllib.loads(read_bounded(path, limit, what).decode("utf-8"))
    except InputFileError as exc:
        raise ScenarioError(f"{path}: {missing if str(exc) == 'no such file' else exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path}: malformed TOML: {exc}") from None
    except RecursionError:
        raise ScenarioError(f"{path}: malformed TOML: arrays or tables nested too deeply") from None
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{path}: cannot read file: not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def _read_toml(path: Path) -> dict[str, Any]:
    data = read_toml(path, MAX_FILE_BYTES, "a scenario file")
    deepest = depth(data)
    if deepest > MAX_DEPTH:
        raise ScenarioError(
            f"{path}: tables or arrays nested {deepest} deep (allowed: at most {MAX_DEPTH}; "
            "a scenario's deepest field is institutions.NAME.FIELD)"
        )
    return data


def _deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _set_keys(data: dict[str, Any], prefix: str = "") -> list[str]:
    """Dotted keys of the scalar values a file sets (``institutions.officers.size``)."""
    keys: list[str] = []
    for key, value in data.items():
        if prefix == "" and key in {"provenance", "extends", "name", "title", "description", "period"}:
            continue
        if isinstance(value, dict):
            keys.extend(_set_keys(value, f"{prefix}{key}."))
        elif key in {"kind", "label"}:
            continue  # descriptive, not a number that needs a source
        else:
            keys.append(f"{prefix}{key}")
    return keys


def _raw_chain(path: Path, seen: tuple[Path, ...] = ()) -> tuple[dict[str, Any], dict[str, str]]:
    """Merged raw data of a file and its ``extends`` ancestors, and the provenance of every set key."""
    real = path.resolve()
    if real in seen:
        chain = " -> ".join(str(p) for p in (*seen, real))
        raise ScenarioError(f"{path}: field 'extends' makes a cycle: {chain}")
    if len(seen) >= MAX_EXTENDS_DEPTH:
        raise ScenarioError(f"{path}: field 'extends' nests deeper than {MAX_EXTENDS_DEPTH} files")
    data = _read_toml(path)
    own_prov = data.get("provenance", {})
    if not isinstance(own_prov, dict) or not all(isinstance(v, str) for v in own_prov.values()):
        raise ScenarioError(
            f'{path}: field \'provenance\' must be a table of strings, e.g. "regime.bribe_price" = "A:25"'
        )
    provenance = {k: own_prov.get(k, f"set in {path.name} (no provenance given)") for k in _set_keys(data)}
    provenance.update(own_prov)
    parent_name = data.get("extends")
    if parent_name is None:
        return data, provenance
    if not isinstance(parent_name, str):
        raise ScenarioError(f"{path}: field 'extends' must be a scenario name or path, got {parent_name!r}")
    try:
        parent_path = locate_base(parent_name, path.parent)
    except ScenarioError as exc:
        raise ScenarioError(f"{path}: field 'extends': {exc}") from None
    parent_data, parent_prov = _raw_chain(parent_path, (*seen, real))
    merged = _deep_merge({k: v for k, v in parent_data.items() if k != "provenance"}, data)
    return merged, {**parent_prov, **provenance}


def _origins(path: Path) -> dict[str, Path]:
    """The file of an ``extends`` chain that set each dotted key (tables included); the child wins."""
    chain = [path]
    while len(chain) <= MAX_EXTENDS_DEPTH:
        parent = _read_toml(chain[-1]).get("extends")
        if not isinstance(parent, str):
            break
        chain.append(locate_base(parent, chain[-1].parent))
    out: dict[str, Path] = {}
    for file in reversed(chain):
        out.update(dict.fromkeys(_all_keys(_read_toml(file)), file))
    return out


def _all_keys(data: dict[str, Any], prefix: str = "") -> list[str]:
    keys = []
    for key, value in data.items():
        keys.append(f"{prefix}{key}")
        if isinstance(value, dict):
            keys.extend(_all_keys(value, f"{prefix}{key}."))
    return keys


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Load a shipped scenario by name, or a scenario file by path, resolving ``extends``.

    Parameters
    ----------
    name_or_path:
        A name from ``list_scenarios()``, a path to a TOML file (its ``extends`` may name a shipped
        scenario or a file in its own folder), or a ``Scenario``, returned as it is.

    Returns
    -------
    Scenario
        The validated scenario, with each field's provenance; change it with ``with_params`` or
        ``with_overrides``.

    Raises
    ------
    ScenarioError
        One line per bad field: the file, the field, the value and the allowed range.
    """
    from pydantic import ValidationError

    from exitban.scenario.messages import format_validation_error
    from exitban.scenario.schema import Scenario

    if isinstance(name_or_path, Scenario):
        return name_or_path
    path = locate(name_or_path)
    data, provenance = _raw_chain(path)
    data.pop("extends", None)
    data["extends"] = _read_toml(path).get("extends")
    data["provenance"] = provenance
    from exitban.scenario.phases import check_within_run

    try:
        # strict: a file's "100" is not the number 100, and 1 is not true; TOML has real types
        scenario = Scenario.model_validate(data, strict=True)
    except ValidationError as exc:
        raise ScenarioError(format_validation_error(path, exc, _origins(path), root=Scenario)) from None
    try:
        check_within_run(scenario)  # a file's phase after its own end is a mistake; a shorter --days is not
    except ValueError as exc:
        raise ScenarioError(f"{path}: {exc}") from None
    return scenario


def to_toml(scenario: Scenario) -> str:
    """The fully resolved scenario as a TOML text (no ``extends``); loads back to an equal scenario."""
    data = scenario.model_dump(mode="json", exclude={"extends", "provenance", "phases"})
    data["start"] = scenario.start  # a TOML date, not text
    lines: list[str] = []
    tables: list[tuple[str, dict[str, Any]]] = []
    for key, value in data.items():
        if isinstance(value, dict):
            tables.append((key, value))
        else:
            lines.append(f"{key} = {_toml_value(value)}")
    for key, table in tables:
        if key == "institutions":
            for inst, fields in table.items():
                tables_block = [f"\n[institutions.{inst}]"] + [f"{k} = {_toml_value(v)}" for k, v in fields.items()]
                lines.extend(tables_block)
        else:
            lines.append(f"\n[{key}]")
            lines.extend(f"{k} = {_toml_value(v)}" for k, v in table.items())
    for phase in scenario.phases:
        lines.append("\n[[phases]]")
        lines.extend(f"{k} = {_toml_value(v)}" for k, v in phase.model_dump(mode="python").items())
    lines.append("\n[provenance]")
    lines.extend(f'"{k}" = {_toml_value(v)}' for k, v in sorted(scenario.provenance.items()))
    return "\n".join(lines) + "\n"


def _toml_value(value: Any) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()  # a TOML local date
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        # TOML basic strings may not hold control characters raw: escape them, or the file cannot be read back
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        escaped = "".join(f"\\u{ord(ch):04x}" if ch < " " or ch == "\x7f" else ch for ch in escaped)
        return f'"{escaped}"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")
