"""A validation check's verdict, ratio and interval score, by the strict rule.

A figure with a published point is a hit when the point lies inside the model's 5-95% interval;
a figure given as a range alone is a hit when the model's median lies inside the range. The
interval score is Gneiting & Raftery's (2007) at alpha = 0.1, over the point or the range's width.
"""

from __future__ import annotations

import math

import pytest

from exitban.calibration.validate import Check, interval_score, rows
from tests.helpers import target

# twenty values 1..20: numpy's quantiles (linear) are q05 = 1.95, median 10.5, q95 = 19.05
SPREAD = [float(v) for v in range(1, 21)]
Q05, Q50, Q95 = 1.95, 10.5, 19.05


def _check(
    values: list[float],
    low: float = 100,
    high: float = 400,
    scale: str = "log",
    point: float | None = None,
    independent: bool = True,
) -> Check:
    t = target(low, high, scale=scale, date="2024-01-01", role="holdout", point=point, independent=independent)
    return Check("k", t, tuple(values))


def test_an_interval_that_only_overlaps_the_range_is_a_miss() -> None:
    """Runs from 50 to 150 overlap [100, 400], but their median (50) lies below it: no longer a hit."""
    c = _check([50.0] * 11 + [150.0] * 9)
    assert c.interval[1] == 50.0
    assert c.verdict == "miss"


def test_a_median_inside_the_range_is_a_hit() -> None:
    """Range alone: the median decides, however wide the interval."""
    c = _check([50.0] * 9 + [150.0] * 11)
    assert c.interval[1] == 150.0 and c.verdict == "hit"


def test_a_median_beside_the_range_is_a_miss() -> None:
    """Runs all below the range miss, and the ratio is the median over the geometric middle (200)."""
    c = _check([10.0] * 20)
    assert c.verdict == "miss"
    assert c.ratio == pytest.approx(10 / 200)


def test_a_point_inside_the_interval_is_a_hit_even_with_the_median_outside_the_range() -> None:
    """With a published point, the 5-95% interval must cover it: [1.95, 19.05] covers 3, though the median 10.5
    lies above the range [2, 4]."""
    c = _check(SPREAD, low=2, high=4, scale="linear", point=3)
    assert c.interval == pytest.approx((Q05, Q50, Q95))
    assert c.verdict == "hit"


def test_a_point_outside_the_interval_is_a_miss_even_with_the_median_inside_the_range() -> None:
    """The median 10.5 lies inside [1, 30], but the point 25 lies above the interval's 19.05: a miss."""
    c = _check(SPREAD, low=1, high=30, scale="linear", point=25)
    assert c.verdict == "miss"
    below = _check(SPREAD, low=1, high=30, scale="linear", point=1.5)
    assert below.verdict == "miss"


def test_the_interval_score_has_its_known_values() -> None:
    """Width alone inside; width plus 20 times the distance outside (alpha = 0.1)."""
    assert interval_score(2.0, 5.0, 3.0) == pytest.approx(3.0)
    assert interval_score(2.0, 5.0, 6.0) == pytest.approx(3.0 + 20.0)
    assert interval_score(2.0, 5.0, 0.5) == pytest.approx(3.0 + 30.0)
    assert interval_score(2.0, 5.0, 1.0, alpha=0.5) == pytest.approx(3.0 + 4.0)


def test_a_checks_score_is_scaled_by_the_point_or_the_range_width() -> None:
    """Point 25 above [1.95, 19.05]: (17.1 + 20 x 5.95) / 25; a range [2, 4] (middle 3, inside): 17.1 / 2."""
    width = Q95 - Q05
    on_point = _check(SPREAD, low=1, high=30, scale="linear", point=25)
    assert on_point.score == pytest.approx((width + 20 * (25 - Q95)) / 25)
    on_range = _check(SPREAD, low=2, high=4, scale="linear")
    assert on_range.score == pytest.approx(width / 2)
    counts = _check(SPREAD, low=25, high=100)  # a count: the observation is the geometric middle, 50
    assert counts.score == pytest.approx((width + 20 * (50 - Q95)) / 75)


def test_a_share_uses_the_arithmetic_middle() -> None:
    """For a share the ratio's middle is (low + high) / 2."""
    assert _check([0.3] * 5, low=0.2, high=0.6, scale="linear").ratio == pytest.approx(0.75)


def test_a_figure_some_runs_cannot_give_is_not_measured() -> None:
    """An infinite value (a ratio over an empty window) is neither hit nor miss, and has no score."""
    c = _check([150.0, math.inf, 200.0])
    assert c.verdict == "not measured" and not c.hit
    assert math.isnan(c.score)


def test_rows_mark_independence_and_put_independent_held_out_figures_first() -> None:
    """A held-out figure that set an input is shown as not independent; fitted figures never are."""
    leak = Check("a", target(1, 3, date="2024-01-01", role="holdout", independent=False), (2.0, 2.0))
    fresh = Check("b", target(1, 3, date="2024-01-01", role="holdout", independent=True), (2.0, 2.0))
    fitted = Check("c", target(1, 3), (2.0, 2.0))
    assert [fresh.independent, leak.independent, fitted.independent] == [True, False, False]
    table = rows([fitted, leak, fresh])
    assert [r[-1] for r in table] == ["yes", "no", "no"]
    assert [r[-2] for r in table] == ["held out", "held out", "fitted (not evidence)"]


def test_the_page_counts_hits_among_independent_held_out_figures_only() -> None:
    """A hit on a figure that set an input is shown, marked, and left out of the score; so is a fitted hit."""
    from exitban.calibration.page import render_page
    from exitban.calibration.targets import TargetsFile

    figures = {
        "leak": target(1, 3, figure="leak", date="2024-01-01", role="holdout", independent=False),
        "fresh": target(1, 3, figure="fresh", date="2024-01-01", role="holdout", independent=True),
        "far": target(1, 3, figure="far", date="2024-01-01", role="holdout", independent=True),
        "fitted": target(1, 3, figure="fitted"),
    }
    values = {"leak": (2.0, 2.0), "fresh": (2.0, 2.1), "far": (9.0, 9.5), "fitted": (2.0, 2.0)}
    found = [Check(k, t, values[k]) for k, t in figures.items()]
    targets = TargetsFile(fit_until="2023-06-30", targets=figures)
    page = render_page([("test-calibrated", rows(found))], targets, seed=0)
    assert "Held out: 3 figures, 2 of them independent." in page
    assert "The score, over the independent ones: 1 hit, 1 miss, 0 not measured." in page
    assert "Not independent, so not counted: 1 hit, 0 misses, 0 not measured." in page
    assert "| test-calibrated | leak |" in page and "| held out | no |" in page
    assert "*not independent*: test." in page
