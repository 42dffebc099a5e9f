"""docs/reference/outputs.md documents exactly the columns a run writes."""

from __future__ import annotations

import re
from pathlib import Path

import exitban
from exitban.observe import OUTPUTS

DOC = Path(__file__).resolve().parents[2] / "docs" / "reference" / "outputs.md"


def test_every_output_column_is_documented_and_no_other() -> None:
    """The reference table lists each timeseries column once, with the output ID the code gives it."""
    rows = re.findall(r"^\| `([a-z_]+)` \| *(O\d+|P\d)? *\|", DOC.read_text(), flags=re.MULTILINE)
    documented = [name for name, _ in rows]
    columns = exitban.simulate("army-officers-2019", seed=0, days=2, scale=0.001).timeseries.columns
    assert sorted(documented) == sorted(columns)
    ids = dict(rows)
    for output_id, names in OUTPUTS.items():
        for name in names:
            assert ids[name] == output_id, f"{name} is {output_id} in the code but {ids[name]!r} in the docs"
