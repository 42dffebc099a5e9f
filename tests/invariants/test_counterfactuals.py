"""Every shipped counterfactual differs from its base beyond seed noise on the outputs its lever is about."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import exitban
from tests.helpers import scenario

SCENARIOS = Path(exitban.__file__).parent / "scenarios"
# counterfactual -> the outputs its lever is about (summed over the run and the institutions), and the
# scale at which a year shows it: few lieutenants show the wish under the ban, so that lever needs more people
ABOUT = {
    "army-officers-2019-ban-lifted": (["exits_approved", "threats"], 0.02),
    "army-officers-2019-approvals-decentralized": (["backlog_ministry"], 0.1),
    "fsb-mobilization-2023-mobilization-ended": (["exits_total", "held_past_contract"], 0.02),
    "officials-2023-travel-control-removed": (["reviewer_decisions", "exits_defection"], 0.02),
}
SEEDS = range(5)


def _counterfactuals() -> list[str]:
    return sorted(p.stem for p in SCENARIOS.glob("*.toml") if "\nextends = " in p.read_text())


def test_every_shipped_counterfactual_names_what_it_is_about() -> None:
    """A new counterfactual must say which outputs it moves, so that the test below covers it."""
    assert _counterfactuals() == sorted(ABOUT)


def _welch_t(a: list[float], b: list[float]) -> float:
    n = len(a)
    ma, mb = sum(a) / n, sum(b) / n
    va = sum((x - ma) ** 2 for x in a) / (n - 1)
    vb = sum((x - mb) ** 2 for x in b) / (n - 1)
    se = math.sqrt(va / n + vb / n)
    return math.inf if se == 0 and ma != mb else (abs(ma - mb) / se if se else 0.0)


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
