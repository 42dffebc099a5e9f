"""Scenario discovery finds the box of parameters where an outcome happens, with PRIM's coverage and density."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

pytest.importorskip("sklearn")

from exitban.report.discovery import discover


@pytest.fixture(scope="module")
def planted() -> pl.DataFrame:
    """400 runs over a and b in [0, 1]; the outcome is high exactly where a > 0.6 and b <= 0.3."""
    rng = np.random.default_rng(5)
    a, b, c = rng.uniform(0, 1, 400), rng.uniform(0, 1, 400), rng.uniform(0, 1, 400)
    outcome = np.where((a > 0.6) & (b <= 0.3), 10.0, 1.0) + rng.normal(0, 0.1, 400)
    return pl.DataFrame({"a": a, "b": b, "c": c, "outcome": outcome})


def test_the_planted_box_is_found(planted) -> None:
    """With the threshold between the two levels, the densest box is a > ~0.6 and b <= ~0.3, dense and covering."""
    d = discover(planted, ["a", "b", "c"], "outcome", threshold=5.0)
    assert d.interesting == int(((planted["a"] > 0.6) & (planted["b"] <= 0.3)).sum())
    best = d.boxes[0]
    assert set(best.bounds) == {"a", "b"}
    assert best.bounds["a"][0] == pytest.approx(0.6, abs=0.05) and best.bounds["a"][1] == np.inf
    assert best.bounds["b"][1] == pytest.approx(0.3, abs=0.05) and best.bounds["b"][0] == -np.inf
    assert best.density > 0.95 and best.coverage > 0.95
    assert d.importance["c"] < 0.05


def test_below_looks_for_low_outcomes(planted) -> None:
    """--below makes the low runs the cases of interest: they are the majority almost everywhere."""
    d = discover(planted, ["a", "b"], "outcome", threshold=5.0, above=False)
    assert d.interesting == planted.height - int(((planted["a"] > 0.6) & (planted["b"] <= 0.3)).sum())
    assert sum(b.coverage for b in d.boxes) > 0.95


def test_default_threshold_is_the_top_quarter(planted) -> None:
    """Without a threshold the cases of interest are the runs at or above the 75th percentile."""
    d = discover(planted, ["a", "b", "c"], "outcome")
    assert d.threshold == pytest.approx(float(np.quantile(planted["outcome"].to_numpy(), 0.75)))
    assert d.interesting == int((planted["outcome"] >= d.threshold).sum())


def test_describe_reads_as_ranges() -> None:
    """A box prints as conditions people can read."""
    from exitban.report.discovery import Box

    box = Box({"a": (0.6, np.inf), "b": (-np.inf, 0.3), "c": (0.1, 0.2)}, 10, 0.5, 0.9)
    assert box.describe() == "a > 0.6 and b ≤ 0.3 and 0.1 < c ≤ 0.2"
