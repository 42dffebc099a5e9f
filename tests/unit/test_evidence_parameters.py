"""Evidence parameters are real scenario fields, joined to the schema's own defaults and provenance."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from exitban.evidence import (
    ASSUMPTION,
    SOURCED_FACT,
    SWITCH,
    EvidenceError,
    build,
    classify,
    load_evidence,
    read_evidence_file,
)
from exitban.scenario import Scenario
from exitban.scenario.fields import field_at


def field_info(name: str) -> tuple[Any, str]:
    """(default, provenance) read from the pydantic model classes, not from an instance."""
    field = field_at(Scenario, name)
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    return (None if field.is_required() else field.default), str(extra.get("provenance", "metadata"))


def test_parameters_carry_the_schema_defaults_and_provenance() -> None:
    """Each parameter's value and provenance equal the field's declared default and provenance."""
    for e in load_evidence():
        for p in e.parameters:
            assert (p.value, p.provenance) == field_info(p.name), f"{e.id}: {p.name} drifted from the schema"


def test_number_kinds_follow_provenance() -> None:
    """A number whose provenance is an assumption, or says its level was assumed, is never a sourced fact."""
    for e in load_evidence():
        for p in e.parameters:
            if p.provenance.startswith("assumption") or "assum" in p.provenance or p.note:
                assert p.kind in (ASSUMPTION, SWITCH), f"{e.id}: {p.name} is '{p.kind}' but {p.provenance!r}"
            if p.kind == SOURCED_FACT:
                assert p.provenance.startswith("source "), f"{e.id}: {p.name} is a fact without a source"


def test_classify_separates_facts_assumptions_and_switches() -> None:
    """The classifier's four cases, on provenance strings shaped like the schema's."""
    assert classify(10, "source B:40") == SOURCED_FACT
    assert classify(0.3, "source A:11; level assumed") == ASSUMPTION
    assert classify(0.7, "assumption: one in three") == ASSUMPTION
    assert classify(True, "source B:84-88") == SWITCH


def test_unknown_parameter_is_an_error() -> None:
    """A parameter name that is not a scenario field fails the load, naming the entry and the field."""
    data = copy.deepcopy(read_evidence_file())
    data["mechanism"][4]["parameters"].append("regime.prosecution_thret")
    with pytest.raises(EvidenceError, match=r"R2 names parameter 'regime.prosecution_thret'.*not a scenario field"):
        build(data)


def test_institution_field_needs_the_wildcard() -> None:
    """A per-institution field written without ``*`` is rejected with a hint."""
    data = copy.deepcopy(read_evidence_file())
    data["mechanism"][0]["parameters"] = ["institutions.officers.size"]
    with pytest.raises(EvidenceError, match=r"written 'institutions\.\*\.NAME'"):
        build(data)


def test_unknown_entry_field_and_id_are_errors() -> None:
    """Unknown keys in an entry and IDs outside the brief are rejected."""
    data = copy.deepcopy(read_evidence_file())
    data["mechanism"][0]["defaults"] = {"scale": 1.0}
    with pytest.raises(EvidenceError, match="Extra inputs are not permitted"):
        build(data)
    data = copy.deepcopy(read_evidence_file())
    data["mechanism"][0]["id"] = "R16"
    with pytest.raises(EvidenceError, match="'R16' is not a mechanism ID of the brief"):
        build(data)


def test_duplicate_entry_is_an_error() -> None:
    """Two entries for one ID fail the load."""
    data = copy.deepcopy(read_evidence_file())
    data["mechanism"].append(data["mechanism"][0])
    with pytest.raises(EvidenceError, match="P1 has two entries"):
        build(data)


def test_stale_audit_is_an_error() -> None:
    """The audit may only downgrade fields the schema calls sourced; naming an assumption there fails."""
    data = copy.deepcopy(read_evidence_file())
    data["audit"]["bureaucracy.case_days"] = "already an assumption"
    with pytest.raises(EvidenceError, match="already marks it as no fact"):
        build(data)


def test_scenario_values_come_from_the_shipped_scenarios() -> None:
    """P2's sourced sizes are read from the shipped scenario, with that file's provenance."""
    (officers,) = [p for p in load_evidence()[1].scenario_values if p.name.endswith("officers.size")]
    assert officers.value == 250_000
    assert officers.provenance.startswith("source B:18")
    assert officers.kind == SOURCED_FACT


def test_unknown_scenario_value_is_an_error() -> None:
    """A scenario value naming a missing field fails the load."""
    data = copy.deepcopy(read_evidence_file())
    data["mechanism"][1]["scenario_values"] = ["army-officers-2019:institutions.generals.size"]
    with pytest.raises(EvidenceError, match=r"'institutions\.generals\.size' is not a field of scenario"):
        build(data)
