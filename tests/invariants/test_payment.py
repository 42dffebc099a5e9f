"""Money (R6, E6): paying a high price to leave quietly, and superiors who extort."""

from __future__ import annotations

import pytest

import exitban
from tests.helpers import paired, scenario, total

pytestmark = pytest.mark.mechanism("R6", "E6")


def test_nobody_pays_their_way_out_when_no_one_can_afford_it() -> None:
    """With the price at the top of everyone's means, there are no payment exits."""
    for seed in range(10):
        result = exitban.simulate(scenario("officials-2023", scale=0.05, **{"regime.bribe_price": 1.0}), seed=seed)
        assert result.summary["exits"]["payment"] == 0


def test_a_cheaper_price_buys_more_exits() -> None:
    """Lowering the price of a quiet exit raises payment exits, seed by seed."""
    dear = scenario("officials-2023", scale=0.05, **{"regime.bribe_price": 0.9})
    cheap = scenario("officials-2023", scale=0.05, **{"regime.bribe_price": 0.3})
    for few, many in paired(dear, cheap, lambda r: total(r, "exits_payment")):
        assert many > few


def test_superiors_demand_payment_from_those_waiting() -> None:
    """Extortion happens only to pending requests and only when its rate is above zero."""
    none = scenario("army-officers-2019", **{"regime.extortion_rate": 0.0})
    some = scenario("army-officers-2019", **{"regime.extortion_rate": 0.05})
    for zero, positive in paired(none, some, lambda r: total(r, "extortions")):
        assert zero == 0 and positive > 0
