"""The docking comparison itself: it passes samples from one distribution and flags a shifted one."""

from __future__ import annotations

import itertools
import math

import numpy as np

from exitban.mesa.docking import KEY_OUTPUTS, compare


def runs(rng: np.random.Generator, n: int, shift: dict[str, float] | None = None) -> list[dict[str, float]]:
    shift = shift or {}
    return [{k: 100.0 + rng.normal(0, 10) + shift.get(k, 0.0) for k in KEY_OUTPUTS} for _ in range(n)]


def test_same_distribution_docks() -> None:
    """Two samples of 30 from one distribution: no output differs."""
    rng = np.random.default_rng(1)
    tests = compare(runs(rng, 30), runs(rng, 30))
    assert len(tests) == len(KEY_OUTPUTS)
    assert not any(t.differs for t in tests)


def test_a_shift_of_two_sd_in_one_output_is_flagged() -> None:
    """A mean shifted by two standard deviations in one output is the only difference reported."""
    rng = np.random.default_rng(2)
    tests = compare(runs(rng, 30), runs(rng, 30, {"backlog": 20.0}))
    assert [t.output for t in tests if t.differs] == ["backlog"]


def test_significant_but_tiny_differences_are_within_tolerance() -> None:
    """A difference the test detects but smaller than 5% of the mean is practically equivalent."""
    rng = np.random.default_rng(3)
    a = [{k: 100.0 + rng.normal(0, 0.1) for k in KEY_OUTPUTS} for _ in range(30)]
    b = [{k: 101.0 + rng.normal(0, 0.1) for k in KEY_OUTPUTS} for _ in range(30)]
    tests = compare(a, b)
    assert all(t.p_holm < 1e-6 for t in tests)
    assert not any(t.differs for t in tests)


def test_holm_adjusted_p_values_are_monotone_and_at_least_raw() -> None:
    """Holm's adjustment never lowers a p-value and keeps the order of the raw ones."""
    rng = np.random.default_rng(4)
    tests = sorted(compare(runs(rng, 30), runs(rng, 30, {"threats": 8.0, "backlog": 15.0})), key=lambda t: t.p)
    assert all(t.p_holm >= t.p for t in tests)
    assert all(a.p_holm <= b.p_holm for a, b in itertools.pairwise(tests))


def test_outputs_missing_in_most_runs_are_left_out() -> None:
    """An output that is NaN in most runs (no release by request) is not tested."""
    rng = np.random.default_rng(5)
    a, b = runs(rng, 30), runs(rng, 30)
    for r in a[3:]:
        r["released_wait_years"] = math.nan
    names = [t.output for t in compare(a, b)]
    assert "released_wait_years" not in names
    assert "backlog" in names
