"""The documentation's evidence example is the live output, and the ODD covers every mechanism and model."""

from __future__ import annotations

import json
import re
from pathlib import Path

from exitban.evidence import BRIEF_IDS, entry

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_evidence_doc_json_matches_the_live_entry() -> None:
    """The JSON example in docs/evidence.md equals what ``exitban sources --id R13 --json`` prints now."""
    text = (DOCS / "evidence.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- evidence-json (\w+) -->\n```json\n(.*?)\n```", text, re.DOTALL)
    assert block, "docs/evidence.md lost its marked JSON example"
    assert json.loads(block.group(2)) == [entry(block.group(1)).to_dict()], "regenerate the example in evidence.md"


def test_odd_names_every_mechanism_and_established_model() -> None:
    """docs/ODD.md refers to every brief ID and cites the six models the rules are built on."""
    odd = (DOCS / "ODD.md").read_text(encoding="utf-8")
    missing = [i for i in BRIEF_IDS if not re.search(rf"\b{i}\b", odd)]
    assert not missing, f"ODD.md never mentions {missing}"
    for author in (
        "Hirschman",
        "Clark, W. R., Golder",
        "Rusbult",
        "Granovetter",
        "Kuran",
        "Epstein",
        "Dynamic Retention",
    ):
        assert author in odd, f"ODD.md does not cite {author}"
