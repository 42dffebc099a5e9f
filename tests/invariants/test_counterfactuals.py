"""Every shipped counterfactual differs from its base beyond seed noise on the outputs its lever is about."""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

import exitban
from tests.helpers import is_view, scenario

SCENARIOS = Path(exitban.__file__).parent / "scenarios"
# counterfactual -> the outputs its lever is about (summed over the run and the institutions), and the
# scale at which half a year shows it: few lieutenants are signed off under the ban (and only those wait at the
# ministry, R9), so that lever needs more people
ABOUT = {
    "army-officers-2019-ban-lifted": (["exits_approved", "threats"], 0.02),
    "army-officers-2019-approvals-decentralized": (["backlog_ministry"], 0.4),
    "fsb-mobilization-2023-mobilization-ended": (["exits_total", "held_past_contract"], 0.02),
    # permit lists are reviewed at the top (A:37-39), so one waiting for a permit can still act: travel control
    # lowers defection by about a tenth in half a year (t about 2 to 3 on five seeds), a direction that
    # tests/invariants/test_travel.py checks over ten seeds; the reviewer's decisions differ far beyond noise
    "officials-2023-travel-control-removed": (["reviewer_decisions"], 0.02),
}
SEEDS = range(5)


def _counterfactuals() -> list[str]:
    """Scenarios that extend another, but views (which change only sizes, ``tests.helpers.is_view``)."""
    found = [p.stem for p in SCENARIOS.glob("*.toml") if "\nextends = " in p.read_text()]
    return sorted(name for name in found if not is_view(name))


def test_every_shipped_counterfactual_names_what_it_is_about() -> None:
    """A new counterfactual must say which outputs it moves, so that the test below covers it."""
    assert _counterfactuals() == sorted(ABOUT)


def _welch_t(a: list[float], b: list[float]) -> float:
    """Welch's t statistic, absolute; infinite when both samples are constant and differ."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # scipy warns on constant samples
        t = stats.ttest_ind(a, b, equal_var=False).statistic
    return 0.0 if math.isnan(t) else abs(float(t))


@pytest.mark.parametrize("name", sorted(ABOUT))
def test_a_counterfactual_differs_from_its_base_beyond_seed_noise(name: str) -> None:
    """Five replications each: on every output the lever is about, Welch's t between base and counterfactual exceeds 4."""
    outputs, scale = ABOUT[name]
    cf = scenario(name, scale=scale, days=180)
    base = scenario(cf.extends, scale=scale, days=180)  # type: ignore[arg-type]
    runs = {
        label: [exitban.simulate(sc, seed=s).timeseries for s in SEEDS] for label, sc in (("base", base), ("cf", cf))
    }
    for column in outputs:
        a = [float(ts[column].sum()) for ts in runs["base"]]
        b = [float(ts[column].sum()) for ts in runs["cf"]]
        assert _welch_t(a, b) > 4.0, f"{name}: {column} base {a} vs counterfactual {b}"
