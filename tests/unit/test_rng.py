"""The counter-based generator: uniform, and a pure function of its coordinates."""

from __future__ import annotations

import numba as nb
import numpy as np
import pytest

from exitban.engine.rng import seed_key, uniform


@nb.njit(cache=True)
def _draws(key, day, n, stream):
    out = np.empty(n)
    for i in range(n):
        out[i] = uniform(key, day, i, stream)
    return out


def test_draws_are_uniform_on_the_unit_interval() -> None:
    """A million draws have the mean, variance and decile counts of U(0, 1)."""
    x = _draws(seed_key(1), 3, 1_000_000, 0)
    assert x.min() >= 0.0 and x.max() < 1.0
    assert abs(x.mean() - 0.5) < 0.002
    assert abs(x.var() - 1 / 12) < 0.001
    counts = np.histogram(x, bins=10, range=(0, 1))[0]
    chi2 = ((counts - 100_000) ** 2 / 100_000).sum()
    assert chi2 < 27.9  # chi-square, 9 degrees of freedom, p = 0.001


def test_streams_and_days_are_uncorrelated() -> None:
    """Neighbouring streams and days give uncorrelated draws."""
    key = seed_key(2)
    a, b, c = _draws(key, 0, 200_000, 0), _draws(key, 0, 200_000, 1), _draws(key, 1, 200_000, 0)
    assert abs(np.corrcoef(a, b)[0, 1]) < 0.01
    assert abs(np.corrcoef(a, c)[0, 1]) < 0.01


def test_a_draw_depends_only_on_its_coordinates() -> None:
    """The same (seed, day, agent, stream) always gives the same number; another seed gives another."""
    assert np.array_equal(_draws(seed_key(5), 7, 1000, 2), _draws(seed_key(5), 7, 1000, 2))
    assert not np.array_equal(_draws(seed_key(5), 7, 1000, 2), _draws(seed_key(6), 7, 1000, 2))


def test_negative_seeds_are_refused() -> None:
    """Seeds are non-negative integers; the error says so."""
    with pytest.raises(ValueError, match="seed must be >= 0"):
        seed_key(-1)
