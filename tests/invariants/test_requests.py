"""Resignation requests in the unit (E1, R8, R10), the ministry queue (R9), waits (O5) and loopholes (E2)."""

from __future__ import annotations

import numpy as np
import pytest

import exitban
from tests.helpers import paired, scenario, total


@pytest.mark.mechanism("E1", "R8", "R10", "O5")
def test_under_the_ban_requests_pile_up_and_wait() -> None:
    """With no written ban, commanders just do not sign: requests accumulate and their age grows."""
    # showing the wish costs only unity pressure and risk (no stake): enough officers file to see the queue
    filing = scenario("army-officers-2019", days=240, **{"behaviour.display_stake_weight": 0.0})
    for seed in range(10):
        ts = exitban.simulate(filing, seed=seed).timeseries
        officers = ts.filter(ts["institution"] == "officers")
        assert officers["requests_filed"].sum() > 0
        assert officers["backlog_unit"][-1] > 0
        assert officers["pending_wait_years"][-1] > officers["pending_wait_years"][30]


@pytest.mark.mechanism("R10", "E1")
def test_lost_requests_are_filed_again() -> None:
    """When requests get 'lost', people file again and again: more requests per person."""
    kept = scenario("army-officers-2019", days=240, **{"bureaucracy.request_loss_prob": 0.0})
    lost = scenario("army-officers-2019", days=240, **{"bureaucracy.request_loss_prob": 0.05})

    def repeat_share(result):
        filed = result.population.n_requests
        return float(np.mean(filed[filed > 0] > 1)) if (filed > 0).any() else 0.0

    for once, again in paired(kept, lost, repeat_share):
        assert again > once


@pytest.mark.mechanism("R9", "O5")
def test_centralizing_approvals_lengthens_waits() -> None:
    """Routing lieutenants' releases through a ministry queue of limited capacity makes them wait longer."""
    levers = {"regime.resignation_ban": "off", "bureaucracy.ministry_capacity_per_day": 100}
    central = scenario("army-officers-2019", days=240, **levers, **{"regime.centralized_approvals": True})
    local = scenario("army-officers-2019", days=240, **levers, **{"regime.centralized_approvals": False})

    def mean_wait(result):
        return float(result.waits_years().mean())

    for fast, slow in paired(local, central, mean_wait):
        assert slow > fast


@pytest.mark.mechanism("R9", "O5")
def test_under_the_ban_the_ministry_binds_for_lieutenants() -> None:
    """B:76: with approvals centralized, lieutenants' signed requests go on to the ministry: a
    ministry of small capacity builds a queue, and a larger one releases more lieutenants, seed by seed."""
    kw = {
        "behaviour.display_stake_weight": 0.0,
        "regime.unity_pressure": 0.0,
        "bureaucracy.ministry_approve_banned": 0.5,
        "bureaucracy.sign_prob_banned": 0.05,  # commanders sign often, so signed requests reach the ministry
    }
    small = scenario("army-officers-2019", scale=0.02, days=240, **kw, **{"bureaucracy.ministry_capacity_per_day": 2})
    large = scenario(
        "army-officers-2019", scale=0.02, days=240, **kw, **{"bureaucracy.ministry_capacity_per_day": 2000}
    )

    def approved_and_waiting(result):
        ts = result.timeseries
        return total(result, "exits_approved"), float(ts.filter(ts["day"] == 239)["backlog_ministry"].sum())

    # the end-of-day backlog holds the day's own entrants, served the next morning: a large ministry leaves
    # only those (a few), a small one a queue that grows
    for (few, queued), (many, cleared) in paired(small, large, approved_and_waiting, range(5)):
        assert queued > 5 and cleared <= 3 and cleared < queued / 10
        assert many > few


@pytest.mark.mechanism("R9", "O5")
def test_the_ministry_queue_only_holds_juniors_when_centralized() -> None:
    """Nobody waits at the ministry when approvals are decentralized."""
    result = exitban.simulate(scenario("army-officers-2019-approvals-decentralized", days=240), seed=0)
    assert total(result, "backlog_ministry") == 0


@pytest.mark.mechanism("E2")
def test_a_loophole_that_works_releases_more_people() -> None:
    """Citing a loophole (a registered business) speeds signature only as much as loophole_bonus allows."""
    levers = {"behaviour.loophole_bias": 3.0, "bureaucracy.sign_prob_banned": 0.005}
    useless = scenario("army-officers-2019", days=240, **levers, **{"behaviour.loophole_bonus": 0.0})
    useful = scenario("army-officers-2019", days=240, **levers, **{"behaviour.loophole_bonus": 1.0})
    pairs = paired(useless, useful, lambda r: total(r, "exits_approved"))
    assert sum(b for _, b in pairs) > 1.3 * sum(a for a, _ in pairs)
