"""docs/magnitudes.md: every published figure beside the model's value, inputs marked as inputs."""

from __future__ import annotations

import math
from pathlib import Path

from tools.magnitudes import TARGETS, model_values, render

DOC = Path(__file__).resolve().parents[2] / "docs" / "magnitudes.md"


def test_every_figure_has_a_model_value_or_is_marked_an_input() -> None:
    """At a tiny scale, each measured figure gets a finite value per seed; inputs get none."""
    values = model_values(scale=0.002, seeds=(1,), days=20)
    for t in TARGETS:
        if t.measure is None:
            assert t.figure not in values
        else:
            (value,) = values[t.figure]
            # a ratio of two counts (output "a / b") is NaN when its denominator is 0 in so short a run
            assert math.isfinite(value) or (" / " in t.output and math.isnan(value)), t.figure


def test_the_page_shows_ratio_and_where_for_each_figure() -> None:
    """The rendered table has one row per figure; a value 10x the published one reads ratio 10 and 'above'."""
    values = {t.figure: [10 * (t.low + t.high) / 2 + 1e-9] for t in TARGETS if t.measure is not None}
    page = render(values, scale=0.05, seeds=(1,))
    rows = [line for line in page.splitlines() if line.startswith("| ") and not line.startswith(("| figure", "| ---"))]
    assert len(rows) == len(TARGETS)
    measured = next(t for t in TARGETS if t.measure is not None and t.low > 0)
    row = next(r for r in rows if r.startswith(f"| {measured.figure} |"))
    assert "| 10 | above |" in row


def test_the_shipped_page_lists_every_figure() -> None:
    """docs/magnitudes.md was regenerated after the last change to the list of figures."""
    text = DOC.read_text(encoding="utf-8")
    for t in TARGETS:
        assert f"| {t.figure} |" in text, f"regenerate docs/magnitudes.md: {t.figure} is missing"
