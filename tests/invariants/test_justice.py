"""The military-justice pipeline (issue 22, item 1; R13, E8): absence is an episode, a case one end of it.

Runs of the long scenario war-2022-2025 at a small scale (as tests/invariants/test_war_record.py runs it),
read over 2023-24, paired on seeds: the deserters a ministry would count exceed the absence cases by a
factor that the notice chance and the investigators' capacity move; absence cases outnumber disobedience
cases; the suspended share of absence sentences is an output that the investigators' capacity and the
penalty scale move.
"""

from __future__ import annotations

import datetime
from functools import cache

import polars as pl
import pytest

import exitban

pytestmark = pytest.mark.mechanism("R13", "E8")

SCALE = 0.003
SEEDS = (1, 2)
FROM, TO = datetime.date(2023, 1, 1), datetime.date(2024, 12, 31)
COLUMNS = (
    "desertion_episodes",
    "cases_absence",
    "cases_disobedience",
    "convictions_absence",
    "absence_sentences_suspended",
    "exits_absence",
)


@cache
def sums(seed: int, **changes: float) -> dict[str, float]:
    """The 2023-24 totals of the pipeline's outputs, over all institutions, for one seed and changes."""
    sc = exitban.load_scenario("war-2022-2025").with_overrides(scale=SCALE)
    if changes:
        sc = sc.with_params({k.replace("__", "."): v for k, v in changes.items()})
    ts = exitban.simulate(sc, seed=seed).timeseries.filter(pl.col("date").is_between(FROM, TO))
    return {c: float(ts[c].sum()) for c in COLUMNS}


def ratio(s: dict[str, float]) -> float:
    return s["desertion_episodes"] / max(s["cases_absence"], 1.0)


def suspended(s: dict[str, float]) -> float:
    return s["absence_sentences_suspended"] / max(s["convictions_absence"], 1.0)


@pytest.mark.parametrize("seed", SEEDS)
def test_deserter_episodes_exceed_absence_cases(seed: int) -> None:
    """As in the record (about 50,000 claimed deserters against about 10,000 absence cases), not the reverse:
    a case is one end of an episode, and the episodes are counted whatever comes of them."""
    s = sums(seed)
    assert s["cases_absence"] > 0
    assert s["desertion_episodes"] > 1.5 * s["cases_absence"]


@pytest.mark.parametrize("seed", SEEDS)
def test_the_notice_chance_moves_deserters_per_case_over_a_wide_range(seed: int) -> None:
    """Noticed less often, fewer absentees are reported and more are gone before anyone reports them: the
    episodes per case rise several-fold; noticed more often, they fall toward 1."""
    rare = ratio(sums(seed, pressure__absence_catch_prob=0.003))
    base = ratio(sums(seed))
    often = ratio(sums(seed, pressure__absence_catch_prob=0.1))
    assert rare > 2.0 * base and rare > 2.0 * often
    assert rare > 4.0 * often


@pytest.mark.parametrize("seed", SEEDS)
def test_the_investigators_capacity_moves_deserters_per_case(seed: int) -> None:
    """A queue with little capacity leaves reported absentees away until they are gone: fewer cases per episode."""
    few = ratio(sums(seed, bureaucracy__investigator_capacity_per_day=2.0))
    many = ratio(sums(seed, bureaucracy__investigator_capacity_per_day=500.0))
    assert few > 2.0 * many


@pytest.mark.parametrize("seed", SEEDS)
def test_absence_cases_outnumber_disobedience_cases(seed: int) -> None:
    """The courts' counts are dominated by the absence article (calibration-targets.md), and so are the model's."""
    s = sums(seed)
    assert s["cases_absence"] > s["cases_disobedience"]


@pytest.mark.parametrize("seed", SEEDS)
def test_the_suspended_share_is_an_output_of_the_pipeline(seed: int) -> None:
    """Not an input: harsher sentences suspend fewer, and a slower queue leaves men away longer, into the
    higher grades of art. 337, whose sentences are suspended less often."""
    base = sums(seed)
    assert 0.0 < suspended(base) < 1.0
    harsh = sums(seed, pressure__penalty_scale=1.5)
    assert suspended(harsh) < suspended(base)
    slow = sums(seed, bureaucracy__investigator_capacity_per_day=5.0)
    fast = sums(seed, bureaucracy__investigator_capacity_per_day=500.0)
    assert suspended(slow) < suspended(fast)
