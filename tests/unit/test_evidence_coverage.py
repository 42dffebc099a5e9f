"""The evidence table covers every mechanism ID of the brief, and only those."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from exitban.evidence import BRIEF_IDS, load_evidence

BRIEF = Path(__file__).resolve().parents[2].parent / "shared" / "MODEL-BRIEF.md"
ROW = re.compile(r"^\|\s*([PREO]\d+)\s*\|", re.MULTILINE)


def brief_ids(text: str) -> list[str]:
    """The IDs in the first column of the brief's tables, in order."""
    return ROW.findall(text)


def test_brief_id_parser_reads_table_rows_only() -> None:
    """The parser takes IDs from table rows, not from prose or other columns."""
    text = "| ID | mechanism |\n| --- | --- |\n| R1 | ban, see R2 |\n| E10 | stay |\nP3 in prose\n"
    assert brief_ids(text) == ["R1", "E10"]


def test_every_packaged_brief_id_has_one_entry() -> None:
    """Each ID of the packaged catalogue has exactly one evidence entry, in the brief's order."""
    assert [e.id for e in load_evidence()] == list(BRIEF_IDS)


@pytest.mark.skipif(not BRIEF.is_file(), reason=f"the model brief is not at {BRIEF} (standalone clone)")
def test_packaged_catalogue_matches_the_brief() -> None:
    """The packaged ID list equals the IDs in the brief's tables, so no brief ID lacks an entry."""
    in_brief = brief_ids(BRIEF.read_text(encoding="utf-8"))
    missing = sorted(set(in_brief) - {e.id for e in load_evidence()})
    assert not missing, f"brief IDs with no evidence entry: {missing}"
    assert in_brief == list(BRIEF_IDS)


def test_code_locations_exist() -> None:
    """Every code location an entry names is an importable module or attribute."""
    broken = []
    for e in load_evidence():
        for loc in e.code:
            module, _, attr = loc.partition(":")
            try:
                obj = importlib.import_module(module)
                for part in filter(None, attr.split(".")):
                    obj = getattr(obj, part)
            except (ImportError, AttributeError):
                broken.append(f"{e.id}: {loc}")
    assert not broken, f"code locations that do not exist: {broken}"


def test_every_entry_cites_a_source_and_describes_its_rule() -> None:
    """No entry is a stub: each has a rule of some length and at least one citation."""
    for e in load_evidence():
        assert len(e.rule) >= 80, f"{e.id}: rule text too short to describe the implementation"
        assert e.citations, f"{e.id}: no source lines"
