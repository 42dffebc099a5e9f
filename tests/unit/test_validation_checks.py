"""A validation check's verdict and ratio: hit when the 90% interval overlaps the range, miss otherwise."""

from __future__ import annotations

import math

import pytest

from exitban.calibration.validate import Check
from tests.helpers import target


def _check(values: list[float], low: float = 100, high: float = 400, scale: str = "log") -> Check:
    t = target(low, high, scale=scale, date="2024-01-01", role="holdout")
    return Check("k", t, tuple(values))


def test_an_interval_overlapping_the_range_is_a_hit() -> None:
    """Runs from 50 to 150 overlap [100, 400]: a hit, though the median is below the range."""
    assert _check([50.0] * 10 + [150.0] * 10).verdict == "hit"


def test_an_interval_beside_the_range_is_a_miss() -> None:
    """Runs all below the range miss, and the ratio is the median over the geometric middle (200)."""
    c = _check([10.0] * 20)
    assert c.verdict == "miss"
    assert c.ratio == pytest.approx(10 / 200)


def test_a_share_uses_the_arithmetic_middle() -> None:
    """For a share the ratio's middle is (low + high) / 2."""
    assert _check([0.3] * 5, low=0.2, high=0.6, scale="linear").ratio == pytest.approx(0.75)


def test_a_figure_some_runs_cannot_give_is_not_measured() -> None:
    """An infinite value (a ratio over an empty window) is neither hit nor miss."""
    c = _check([150.0, math.inf, 200.0])
    assert c.verdict == "not measured" and not c.hit
