"""Little's law on the request pipeline (unit signature, then the ministry queue): L = lambda x W."""

from __future__ import annotations

import numpy as np
import pytest

import exitban
from exitban.engine.codes import EXIT_APPROVED, EXIT_CONTRACT_END, MINISTRY, REQUESTED

pytestmark = pytest.mark.mechanism("O5", "R9", "E1")

ONLY_REQUESTS = {
    f"{m}_bias": -20.0 for m in ("voice", "neglect", "moonlight", "absence", "pay", "defect", "health", "loophole")
}


def queue_world(capacity: int, days: int = 300) -> exitban.Scenario:
    """Everyone wants out and shows it; requests are signed at once and wait for a ministry of fixed capacity."""
    data = {
        "name": "little",
        "days": days,
        "regime": {"resignation_ban": "off", "centralized_approvals": True},
        "bureaucracy": {
            "sign_prob_free": 1.0,
            "grant_share_free": 1.0,  # everyone has grounds: no request ends by a refusal, the queue is pure
            "ministry_approve_free": 1.0,
            "ministry_capacity_per_day": capacity,
            "corruption_dismissal_per_year": 0.0,
            "offence_per_year": 0.0,
        },
        "behaviour": {"decision_rate": 0.004, **ONLY_REQUESTS},
        "institutions": {
            "lieutenants": {
                "kind": "military_officer",
                "size": 40_000,
                "contract_years": 40.0,  # few contracts end during the run; those that do end a pending request
                "junior_share": 1.0,
                "desire_mean": 1.0,
                "desire_sd": 0.0,
                "threshold_mean": -1.0,
                "threshold_sd": 0.0,
            }
        },
    }
    return exitban.Scenario.model_validate(data)


@pytest.mark.parametrize("seed", range(10))
def test_time_in_system_adds_up_to_the_backlog_summed_over_days(seed: int) -> None:
    """Sample-path Little's law: sum over days of the pending count = sum of every request's days pending."""
    sc = queue_world(capacity=150)
    result = exitban.simulate(sc, seed=seed)
    pop = result.population
    ts = result.timeseries
    area = int((ts["backlog_unit"] + ts["backlog_ministry"]).sum())
    # a request ends by release, or by the contract running out while it waits
    released = np.isin(pop.status, [EXIT_APPROVED, EXIT_CONTRACT_END]) & (pop.request_day >= 0)
    pending = (pop.status == 0) & np.isin(pop.stage, [REQUESTED, MINISTRY])
    waited = (pop.exit_day[released] - pop.request_day[released]).sum() + (sc.days - pop.request_day[pending]).sum()
    assert area == waited
    assert released.sum() > 1000


def test_steady_state_backlog_equals_arrival_rate_times_wait() -> None:
    """Over the middle of the run, mean backlog ~= arrivals per day x mean wait of those released (within 5%)."""
    sc = queue_world(capacity=150)
    result = exitban.simulate(sc, seed=3)
    ts = result.timeseries.filter((result.timeseries["day"] >= 100) & (result.timeseries["day"] < 250))
    backlog = float((ts["backlog_unit"] + ts["backlog_ministry"]).mean())
    arrivals = float(ts["requests_filed"].mean())
    pop = result.population
    mid = (pop.status == EXIT_APPROVED) & (pop.request_day >= 100) & (pop.exit_day < 250)
    wait = float((pop.exit_day[mid] - pop.request_day[mid]).mean())
    assert backlog == pytest.approx(arrivals * wait, rel=0.05)
    assert ts["backlog_ministry"].mean() > 20 and wait > 1.5  # the ministry queue really holds people
