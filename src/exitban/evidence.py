"""The evidence table: one entry per mechanism ID of the model brief (P1-P3, R1-R15, E1-E11, O1-O10).

``evidence.toml`` holds what only a person can write: the rule as the code implements it,
where the code is, which scenario fields it reads and which source lines it rests on.
Defaults and provenance are *not* copied there: ``load_evidence`` joins each named field
to the schema (``scenario.resolve_provenance``) at load time, so the table cannot drift
from the numbers the model actually uses.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from exitban.errors import ScenarioError
from exitban.scenario import Institution, Scenario, resolve_provenance
from exitban.scenario.load import load_scenario

# The brief's mechanism catalogue. Kept here so the coverage test works without the brief;
# the test also checks this list against the brief itself where that file is present.
BRIEF_IDS: tuple[str, ...] = (
    *(f"P{i}" for i in range(1, 4)),
    *(f"R{i}" for i in range(1, 16)),
    *(f"E{i}" for i in range(1, 12)),
    *(f"O{i}" for i in range(1, 11)),
)

SOURCED_FACT, ASSUMPTION, SWITCH, LABEL = "sourced fact", "assumption", "switch", "label"
REF = re.compile(r"^([A-Z]):(\d+(?:-\d+)?(?:,\d+(?:-\d+)?)*)$")
REF_IN_TEXT = re.compile(r"(?<![A-Za-z])[A-Z]:\d+(?:-\d+)?(?:,\d+(?:-\d+)?)*")
WILDCARD = "institutions.*."


class EvidenceError(ValueError):
    """evidence.toml is malformed or names something that does not exist."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Publication(_Strict):
    """One article in ``shared/sources``: how to cite it, and what the line numbers refer to."""

    file: str
    outlet: str
    date: str
    title: str
    url: str = ""
    lines: int = Field(ge=1)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")

    def cite(self) -> str:
        parts = [self.outlet, self.date, f"“{self.title}”"]
        return ", ".join(parts) + (f", {self.url}" if self.url else "")


class Mechanism(_Strict):
    """One evidence entry as written in evidence.toml."""

    id: str
    name: str = Field(min_length=3)
    rule: str = Field(min_length=20)
    code: list[str] = Field(min_length=1)
    parameters: list[str] = Field(default_factory=list)
    scenario_values: list[str] = Field(default_factory=list)
    sources: list[str] = Field(min_length=1)
    models: list[str] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _known_id(cls, v: str) -> str:
        if v not in BRIEF_IDS:
            raise ValueError(f"'{v}' is not a mechanism ID of the brief (P1-P3, R1-R15, E1-E11, O1-O10)")
        return v

    @field_validator("sources")
    @classmethod
    def _refs(cls, v: list[str]) -> list[str]:
        for ref in v:
            parse_spans(ref)  # an EvidenceError is a ValueError: pydantic reports it with the entry
        return v


class EvidenceFile(_Strict):
    publications: dict[str, Publication]
    audit: dict[str, str] = Field(default_factory=dict)
    mechanism: list[Mechanism]


@dataclass(frozen=True)
class Parameter:
    """A scenario field a rule reads, joined to its value and provenance."""

    name: str
    value: Any
    provenance: str
    kind: str  # SOURCED_FACT, ASSUMPTION, SWITCH or LABEL
    note: str = ""


@dataclass(frozen=True)
class Citation:
    ref: str  # as written, e.g. "B:20,42,50"
    key: str  # the publication's letter
    file: str  # the file in shared/sources the line numbers refer to
    lines: tuple[int, ...]
    publication: str  # outlet, date, title, URL


@dataclass(frozen=True)
class Entry:
    """One joined evidence entry: what ``exitban sources`` prints."""

    id: str
    name: str
    rule: str
    code: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    scenario_values: tuple[Parameter, ...]
    citations: tuple[Citation, ...]
    models: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        def par(p: Parameter) -> dict[str, Any]:
            return {"name": p.name, "value": p.value, "kind": p.kind, "provenance": p.provenance, "note": p.note}

        return {
            "id": self.id,
            "name": self.name,
            "rule": self.rule,
            "code": list(self.code),
            "parameters": [par(p) for p in self.parameters],
            "scenario_values": [par(p) for p in self.scenario_values],
            "sources": [
                {"ref": c.ref, "file": c.file, "lines": list(c.lines), "publication": c.publication}
                for c in self.citations
            ],
            "models": list(self.models),
        }


def parse_spans(ref: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """``"A:11,19-21"`` -> ``("A", ((11, 11), (19, 21)))``: the publication letter and line spans."""
    m = REF.match(ref)
    if not m:
        raise EvidenceError(f"source reference '{ref}' is not of the form 'B:20,42,50' or 'A:19-21'")
    spans = []
    for part in m.group(2).split(","):
        lo, _, hi = part.partition("-")
        first, last = int(lo), int(hi or lo)
        if first < 1 or last < first:
            raise EvidenceError(f"source reference '{ref}': '{part}' is not a line or a forward range of lines")
        spans.append((first, last))
    return m.group(1), tuple(spans)


def refs_in(text: str) -> list[str]:
    """Source references inside free text, e.g. a provenance ``"source A:11,19-21; B:13; level assumed"``."""
    return [m.group(0) for m in REF_IN_TEXT.finditer(text)]


def parse_ref(ref: str) -> tuple[str, tuple[int, ...]]:
    """``"A:11,19-21"`` -> ``("A", (11, 19, 20, 21))``."""
    key, spans = parse_spans(ref)
    return key, tuple(n for first, last in spans for n in range(first, last + 1))


def classify(value: Any, provenance: str) -> str:
    """Whether a value is a sourced fact, an assumption, a policy switch or a label.

    A number counts as a sourced fact only when its provenance cites a source and does
    not say that its level was assumed; anything else is an assumption.
    """
    if provenance == "metadata":
        return LABEL
    if isinstance(value, bool | str):
        return SWITCH
    if provenance.startswith("source") and "assum" not in provenance:
        return SOURCED_FACT
    return ASSUMPTION


TEMPLATE_INSTITUTION = "any_institution"


def defaults_template() -> Scenario:
    """A scenario holding every default, with one institution whose fields stand for ``institutions.*``."""
    return Scenario(name="defaults", institutions={TEMPLATE_INSTITUTION: Institution(kind="military_officer")})


def _required_institution_fields() -> set[str]:
    return {name for name, f in Institution.model_fields.items() if f.is_required()}


def schema_defaults() -> dict[str, tuple[Any, str]]:
    """``{field: (default, provenance)}`` for every scenario field; institution fields as ``institutions.*.x``."""
    own = f"institutions.{TEMPLATE_INSTITUTION}."
    rows = {
        (WILDCARD + k.removeprefix(own) if k.startswith(own) else k): v
        for k, v in resolve_provenance(defaults_template()).items()
    }
    for name in _required_institution_fields():
        rows[WILDCARD + name] = (None, "metadata")
    return rows


def _join(name: str, value: Any, provenance: str, audit: dict[str, str]) -> Parameter:
    kind = classify(value, provenance)
    note = ""
    if name in audit:
        note = audit[name]
        kind = ASSUMPTION
    return Parameter(name=name, value=value, provenance=provenance, kind=kind, note=note)


@cache
def _scenario_rows(scenario: str) -> dict[str, tuple[Any, str]]:
    return resolve_provenance(load_scenario(scenario))


def _scenario_value(ref: str) -> Parameter:
    scenario, _, field = ref.partition(":")
    try:
        rows = _scenario_rows(scenario)
    except ScenarioError as exc:
        raise EvidenceError(f"scenario value '{ref}': {exc}") from None
    if field not in rows:
        raise EvidenceError(f"scenario value '{ref}': '{field}' is not a field of scenario '{scenario}'")
    value, provenance = rows[field]
    return Parameter(name=ref, value=value, provenance=provenance, kind=classify(value, provenance))


def build(data: dict[str, Any], origin: str = "evidence.toml") -> list[Entry]:
    """Validate evidence data and join it to the schema's defaults and provenance."""
    try:
        doc = EvidenceFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise EvidenceError(f"{origin}: {where}: {first['msg']}") from None
    defaults = schema_defaults()
    for name in doc.audit:
        if name not in defaults:
            raise EvidenceError(f"{origin}: audit names '{name}', which is not a scenario field")
        if classify(*defaults[name]) != SOURCED_FACT:
            raise EvidenceError(f"{origin}: audit names '{name}', whose provenance already marks it as no fact")
    seen: set[str] = set()
    entries = []
    for m in doc.mechanism:
        if m.id in seen:
            raise EvidenceError(f"{origin}: mechanism {m.id} has two entries")
        seen.add(m.id)
        params = []
        for name in m.parameters:
            if name not in defaults:
                hint = (
                    " (per-institution fields are written 'institutions.*.NAME')"
                    if name.startswith("institutions.")
                    else ""
                )
                raise EvidenceError(f"{origin}: {m.id} names parameter '{name}', which is not a scenario field{hint}")
            params.append(_join(name, *defaults[name], doc.audit))
        cites = []
        for ref in m.sources:
            key, lines = parse_ref(ref)
            pub = doc.publications.get(key)
            if pub is None:
                raise EvidenceError(f"{origin}: {m.id} cites '{ref}', but no publication '{key}' is listed")
            if max(lines) > pub.lines:
                raise EvidenceError(f"{origin}: {m.id} cites '{ref}', but {pub.file} has only {pub.lines} lines")
            cites.append(Citation(ref=ref, key=key, file=pub.file, lines=lines, publication=pub.cite()))
        entries.append(
            Entry(
                id=m.id,
                name=m.name,
                rule=" ".join(m.rule.split()),
                code=tuple(m.code),
                parameters=tuple(params),
                scenario_values=tuple(_scenario_value(r) for r in m.scenario_values),
                citations=tuple(cites),
                models=tuple(m.models),
            )
        )
    return sorted(entries, key=lambda e: BRIEF_IDS.index(e.id))


def read_evidence_file() -> dict[str, Any]:
    """The raw contents of the packaged evidence.toml."""
    with (resources.files("exitban") / "evidence.toml").open("rb") as fh:
        return tomllib.load(fh)


@cache
def load_evidence() -> tuple[Entry, ...]:
    """Every evidence entry, in the brief's order, joined to the schema's defaults."""
    return tuple(build(read_evidence_file()))


def publications() -> dict[str, Publication]:
    """The cited articles, keyed by their letter (A, B, C)."""
    return EvidenceFile.model_validate(read_evidence_file()).publications


def entry(mechanism_id: str) -> Entry:
    """The evidence entry for one ID, e.g. ``entry("R2")``."""
    for e in load_evidence():
        if e.id == mechanism_id.upper():
            return e
    raise EvidenceError(f"no evidence entry '{mechanism_id}': the IDs are {', '.join(BRIEF_IDS)}")
