"""Events move people both ways (ODD 7.14): rewards and co-optation raise loyalty, losses and mobilization the wish to leave."""

from __future__ import annotations

import pytest

from tests.helpers import final, paired, phases, scenario, total

pytestmark = pytest.mark.mechanism("P3", "O2")


def _defend(result) -> float:
    return sum(final(result, "would_defend", k) for k in result.scenario.institutions)


def test_rewards_raise_the_share_who_would_defend() -> None:
    """More rewards and promotions a year: more people above the defend cut-off at the end, seed by seed."""
    rare = scenario("fsb-mobilization-2023", days=180, **{"pressure.reward_per_year": 0.0})
    often = scenario("fsb-mobilization-2023", days=180, **{"pressure.reward_per_year": 1.0})
    for few, many in paired(rare, often, _defend):
        assert many > few


def test_threats_lower_the_share_who_would_defend() -> None:
    """A harsher pressure ladder erodes loyalty: fewer would defend the regime at the end, seed by seed."""
    kw = {"behaviour.display_stake_weight": 0.0, "regime.unity_pressure": 0.0}  # many file and are pressed
    mild = scenario("army-officers-2019", days=240, **kw, **{"pressure.threat_loyalty_loss": 0.0})
    harsh = scenario("army-officers-2019", days=240, **kw, **{"pressure.threat_loyalty_loss": 0.5})
    for many, few in paired(mild, harsh, _defend):
        assert few < many


def test_cooptation_buys_off_waiting_requests() -> None:
    """Commanders who co-opt: people are bought off and fewer requests still wait at the end, seed by seed."""
    kw = {"behaviour.display_stake_weight": 0.0, "regime.unity_pressure": 0.0}
    none = scenario("army-officers-2019", days=240, **kw, **{"pressure.cooptation_rate": 0.0})
    some = scenario("army-officers-2019", days=240, **kw, **{"pressure.cooptation_rate": 0.05})
    for (c0, w0), (c1, w1) in paired(none, some, lambda r: (total(r, "coopted"), final(r, "backlog_unit", "officers"))):
        assert c0 == 0 and c1 > 0
        assert w1 < w0


def test_losses_in_ones_unit_raise_the_wish_to_leave() -> None:
    """Mourning: weighting yesterday's casualties into the wish to leave raises the mean desire at the end."""
    numb = scenario("fsb-mobilization-2023", days=180, **{"behaviour.casualty_desire_weight": 0.0})
    grieving = scenario("fsb-mobilization-2023", days=180, **{"behaviour.casualty_desire_weight": 20.0})
    desire = lambda r: final(r, "mean_desire", "mobilized")  # noqa: E731
    for low, high in paired(numb, grieving, desire):
        assert high > low


def test_mobilization_raises_the_wish_to_leave_and_its_end_lets_it_rest() -> None:
    """The decree adds to the drift: with the extra drift the share who want out ends higher; ended on day 0, it adds nothing."""
    calm = scenario("fsb-mobilization-2023", days=180, **{"behaviour.mobilization_drift_per_year": 0.0})
    stirred = scenario("fsb-mobilization-2023", days=180, **{"behaviour.mobilization_drift_per_year": 1.0})
    want = lambda r: final(r, "mean_desire", "special_services")  # noqa: E731
    for low, high in paired(calm, stirred, want):
        assert high > low
    ended = phases("fsb-mobilization-2023", (0, "regime.mobilization", False))
    calm_end = scenario("fsb-mobilization-2023", days=60, **ended, **{"behaviour.mobilization_drift_per_year": 0.0})
    stirred_end = scenario("fsb-mobilization-2023", days=60, **ended, **{"behaviour.mobilization_drift_per_year": 1.0})
    for a, b in paired(calm_end, stirred_end, want, seeds=range(3)):
        assert a == b


def test_a_pay_rise_keeps_people_at_contract_end() -> None:
    """A pay rise from day 0 raises the value of staying: fewer contract-end exits, seed by seed."""
    kw = {"institutions.officers.contract_years": 1.0}
    flat = scenario("army-officers-2019", days=200, **kw)
    raised = scenario("army-officers-2019", days=200, **kw, **{"regime.pay_rise": 2.0})
    for many, few in paired(flat, raised, lambda r: total(r, "exits_contract_end", "officers")):
        assert few < many


def test_losses_in_ones_unit_erode_loyalty() -> None:
    """Mourning: weighting yesterday's casualties into loyalty lowers the mean loyalty at the end, seed by seed."""
    numb = scenario("fsb-mobilization-2023", days=180, **{"behaviour.casualty_loyalty_weight": 0.0})
    grieving = scenario("fsb-mobilization-2023", days=180, **{"behaviour.casualty_loyalty_weight": 20.0})
    loyalty = lambda r: final(r, "mean_loyalty", "mobilized")  # noqa: E731
    for high, low in paired(numb, grieving, loyalty):
        assert low < high
