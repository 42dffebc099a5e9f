"""Every source reference in the evidence table points at real, non-empty lines of the cited article."""

from __future__ import annotations

import copy
import hashlib
from pathlib import Path

import pytest

from exitban.evidence import (
    EvidenceError,
    build,
    load_evidence,
    parse_ref,
    parse_spans,
    publications,
    read_evidence_file,
    refs_in,
    schema_defaults,
)
from exitban.scenario import resolve_provenance
from exitban.scenario.load import list_scenarios, load_scenario

SOURCES = Path(__file__).resolve().parents[2].parent / "shared" / "sources"
needs_sources = pytest.mark.skipif(
    not SOURCES.is_dir(), reason=f"the source articles are not at {SOURCES} (standalone clone)"
)


def bad_lines(ref: str, lines_of: dict[str, list[str]]) -> list[int]:
    """Cited lines (single lines and the ends of ranges) that are missing or blank."""
    key, spans = parse_spans(ref)
    lines = lines_of[key]
    return sorted(n for first, last in spans for n in {first, last} if n > len(lines) or not lines[n - 1].strip())


def article_lines() -> dict[str, list[str]]:
    return {k: (SOURCES / p.file).read_text(encoding="utf-8").splitlines() for k, p in publications().items()}


def provenance_texts() -> dict[str, str]:
    """Every provenance string of the schema's defaults and of every shipped scenario, by where it stands."""
    texts = {f"schema default {k}": prov for k, (_, prov) in schema_defaults().items()}
    for name in list_scenarios():
        texts.update({f"{name}: {k}": prov for k, (_, prov) in resolve_provenance(load_scenario(name)).items()})
    return texts


def test_refs_in_finds_references_in_provenance_text() -> None:
    """Source references are found inside provenance strings, and words like 'P2:' are not taken for them."""
    assert refs_in("source A:11,19-21; B:13; level assumed") == ["A:11,19-21", "B:13"]
    assert refs_in("source P2: 1:1 runs are the normal case") == []
    assert refs_in("source B:16 / brief P1 (conscripts)") == ["B:16"]


def test_parse_ref_expands_ranges() -> None:
    """``A:11,19-21`` names lines 11, 19, 20 and 21 of publication A."""
    assert parse_ref("A:11,19-21") == ("A", (11, 19, 20, 21))
    assert parse_spans("B:60-66") == ("B", ((60, 66),))


@pytest.mark.parametrize("bad", ["A11", "A:", "A:3-1", "A:0", "a:3", "A:3;B:4"])
def test_malformed_refs_are_rejected(bad: str) -> None:
    """References that are not 'LETTER:lines' with forward ranges are errors."""
    with pytest.raises(EvidenceError, match="source reference"):
        parse_spans(bad)


def test_citations_lie_within_the_recorded_line_counts() -> None:
    """Standalone check: every cited line is within the article's recorded length."""
    pubs = publications()
    for e in load_evidence():
        for c in e.citations:
            assert max(c.lines) <= pubs[c.key].lines, f"{e.id}: {c.ref} beyond {pubs[c.key].file}"


def test_citation_past_the_end_is_an_error() -> None:
    """Loading fails when an entry cites a line past the end of the article."""
    data = copy.deepcopy(read_evidence_file())
    data["mechanism"][0]["sources"] = ["C:23"]
    with pytest.raises(EvidenceError, match=r"P1 cites 'C:23', but C-fsb-sabotage-2023\.txt has only 22 lines"):
        build(data)


@needs_sources
def test_recorded_fingerprints_match_the_articles() -> None:
    """The line numbers refer to the article texts in shared/sources: same length, same bytes."""
    for key, pub in publications().items():
        raw = (SOURCES / pub.file).read_bytes()
        assert len(raw.decode("utf-8").splitlines()) == pub.lines, f"{key}: line count changed"
        assert hashlib.sha256(raw).hexdigest() == pub.sha256, f"{key}: {pub.file} changed; check every citation"


@needs_sources
def test_cited_lines_exist_and_are_not_blank() -> None:
    """Each cited line, and each end of a cited range, is a non-empty line of the article."""
    lines_of = article_lines()
    bad = [f"{e.id} {c.ref}: {bad_lines(c.ref, lines_of)}" for e in load_evidence() for c in e.citations]
    bad = [b for b in bad if not b.endswith(": []")]
    assert not bad, f"citations of missing or blank lines: {bad}"


@needs_sources
def test_provenance_citations_point_at_real_lines() -> None:
    """Line references in the schema's and the shipped scenarios' provenance exist and are not blank."""
    lines_of = article_lines()
    bad = []
    for where, text in provenance_texts().items():
        for ref in refs_in(text):
            if ref[0] not in lines_of:
                bad.append(f"{where}: {ref} names no known article")
            elif missing := bad_lines(ref, lines_of):
                bad.append(f"{where}: {ref} lines {missing}")
    assert not bad, f"provenance citing missing or blank lines: {bad}"
