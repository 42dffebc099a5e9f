"""The calibrator's own checks (issue 23, item 5) run: the toy problem's coverage machinery, without the engine.

The coverage figure itself (about 90% over 100 data sets) is the benchmark's (benchmarks/calibrate.py
--coverage 100); here a few data sets check that the toy runs through the whole of calibration.run and that
the figure is a share.
"""

from __future__ import annotations

import numpy as np

from exitban.calibration.selfcheck import TOY, coverage, ranges_around, toy_counts


def test_the_toy_counts_read_their_parameters() -> None:
    """The first count grows with a, the third with c; b moves only the second."""
    rng = np.random.default_rng(0)
    low, high = toy_counts(np.array([0.0, 0.5, 0.0]), rng), toy_counts(np.array([1.0, 0.5, 1.0]), rng)
    assert high[0] > 3 * low[0] and high[2] > 3 * low[2]


def test_a_synthetic_figure_is_a_range_around_it() -> None:
    """y becomes [y / 1.1, y x 1.1], fitted and never independent."""
    t = ranges_around({"y": 100.0}, "toy")["y"]
    assert (t.low, t.high) == (100 / 1.1, 100 * 1.1) and t.role == "fit" and not t.independent


def test_coverage_runs_the_calibration_on_the_toy() -> None:
    """Three data sets, a small population: every parameter's coverage is a share of three."""
    found = coverage(3, particles=40, generations=2)
    assert set(found.covered) == set(TOY)
    assert all(v in (0, 1 / 3, 2 / 3, 1) for v in found.covered.values())
    assert all(0 < w <= 1 for w in found.widths.values())
    assert 0 <= found.pooled <= 1 and found.half_width >= 0
