"""The value of staying (ODD 7.13, RAND's Dynamic Retention Model): pay, the pension cliff, the outside job."""

from __future__ import annotations

import numpy as np
import pytest

import exitban
from exitban.engine.build import rule_params
from exitban.engine.rules.retention import stay_value
from tests.helpers import paired, scenario, total

pytestmark = pytest.mark.mechanism("R4")

OFFICERS = "institutions.officers"


def test_the_pension_weighs_most_just_before_it_vests_and_nothing_after() -> None:
    """Known shape: the unvested pension's weight climbs toward the vesting year and drops to the pay premium after it."""
    s = exitban.load_scenario("army-officers-2019").with_params(
        {"behaviour.pension_value": 2.0, "behaviour.pension_discount": 0.8}
    )
    P = rule_params(s)
    served = np.arange(0.0, 30.0, 0.5)
    values = np.array([stay_value(x, 0.25, 20.0, P) for x in served])
    before, after = values[served < 20.0], values[served >= 20.0]
    assert np.all(np.diff(before) > 0.0)
    assert values[served == 19.5][0] == pytest.approx(0.25 + 2.0 * 0.8**0.5)
    assert np.all(after == 0.25)


def test_pay_over_the_outside_job_keeps_people_at_contract_end() -> None:
    """A post paid well above the outside job loses fewer people when contracts end, seed by seed."""
    kw = {f"{OFFICERS}.contract_years": 1.0}
    plain = scenario("army-officers-2019", days=200, **kw)
    paid = scenario("army-officers-2019", days=200, **kw, **{f"{OFFICERS}.pay_premium": 2.0})
    leaving = lambda r: total(r, "exits_contract_end", "officers")  # noqa: E731
    for many, few in paired(plain, paid, leaving):
        assert few < many


def test_a_better_outside_job_means_more_leave_at_contract_end() -> None:
    """Raising what competence is worth outside raises the contract-end exits, seed by seed."""
    kw = {f"{OFFICERS}.contract_years": 1.0}
    poor = scenario("army-officers-2019", days=200, **kw, **{"behaviour.outside_weight": 0.0})
    rich = scenario("army-officers-2019", days=200, **kw, **{"behaviour.outside_weight": 3.0})
    leaving = lambda r: total(r, "exits_contract_end", "officers")  # noqa: E731
    for few, many in paired(poor, rich, leaving):
        assert many > few


def test_everyone_with_a_pension_just_vested_loses_nothing_by_leaving() -> None:
    """With the pension past vesting for everyone (vesting at 0 years), its size no longer changes who leaves."""
    vested = {f"institutions.{k}.pension_years": 0.0 for k in ("officers", "contract_soldiers", "cadets", "conscripts")}
    kw = {f"{OFFICERS}.contract_years": 1.0, **vested}
    small = scenario("army-officers-2019", days=200, **kw, **{"behaviour.pension_value": 0.0})
    large = scenario("army-officers-2019", days=200, **kw, **{"behaviour.pension_value": 5.0})
    for a, b in paired(small, large, lambda r: total(r, "exits_contract_end", "officers"), seeds=range(3)):
        assert a == b
