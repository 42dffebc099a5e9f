"""Prosecution threats (R2), the pressure ladder (R12) and what they leave behind (O6)."""

from __future__ import annotations

import pytest

import exitban
from exitban.engine.codes import F_CONFINED as CONFINED
from tests.helpers import final, paired, scenario, total

# no transfers: those who want out stay and file, so that the ladder has someone to press
BASE = {
    "bureaucracy.sign_prob_banned": 0.0005,
    "institutions.officers.desire_mean": 0.6,
    "behaviour.transfer_bias": -20.0,
}


ONLY_REQUESTS = {  # switch off every other road to a criminal case
    "behaviour.moonlight_bias": -20.0,
    "behaviour.absence_bias": -20.0,
    "behaviour.neglect_bias": -20.0,
    "behaviour.pay_bias": -20.0,
    "bureaucracy.offence_per_year": 0.0,
    "behaviour.decision_rate": 0.2,
    "bureaucracy.request_loss_prob": 0.02,  # lost requests are filed again: people insist
    "regime.unity_pressure": 0.0,
    # the case is weighed once a repeated filing (issue 22), not every day a request waits: a likely one, so that
    # each seed's few dozen repeated filings bring some
    "pressure.case_rate": 0.5,
}


@pytest.mark.mechanism("R2", "O6", "E1")
def test_insisting_on_resignation_earns_a_criminal_case() -> None:
    """Repeated requests lead to criminal cases only when the regime threatens prosecution."""
    off = scenario(
        "army-officers-2019", scale=0.02, days=240, **BASE, **ONLY_REQUESTS, **{"regime.prosecution_threat": 0.0}
    )
    on = scenario(
        "army-officers-2019", scale=0.02, days=240, **BASE, **ONLY_REQUESTS, **{"regime.prosecution_threat": 1.0}
    )
    for none, some in paired(off, on, lambda r: total(r, "cases_opened", "officers")):
        assert none == 0
        assert some > 0


@pytest.mark.mechanism("R2")
def test_the_threat_of_prosecution_deters_open_dissent() -> None:
    """Epstein deterrence: a stronger prosecution threat means fewer people show they want out."""
    off = scenario("army-officers-2019", **BASE, **{"regime.prosecution_threat": 0.0})
    on = scenario("army-officers-2019", **BASE, **{"regime.prosecution_threat": 1.0})
    for shown0, shown1 in paired(off, on, lambda r: total(r, "displayed", "officers")):
        assert shown1 < shown0


@pytest.mark.mechanism("R2", "R12", "O6")
def test_threats_raise_fear_and_lower_loyalty() -> None:
    """With the pressure ladder in use, officers end more afraid and less loyal than without it."""
    calm = scenario("army-officers-2019", scale=0.02, **BASE, **{"pressure.pressure_rate": 0.0})
    pressed = scenario("army-officers-2019", scale=0.02, **BASE, **{"pressure.pressure_rate": 0.2})

    def fear_and_loyalty(result):
        return final(result, "mean_fear", "officers"), final(result, "mean_loyalty", "officers")

    for (fear0, loyal0), (fear1, loyal1) in paired(calm, pressed, fear_and_loyalty):
        assert fear1 > fear0
        assert loyal1 < loyal0


@pytest.mark.mechanism("R12", "O6")
def test_families_are_pressured_only_as_part_of_threats() -> None:
    """Relatives are threatened on some rungs of the ladder, so they never outnumber the threats."""
    result_pairs = paired(
        scenario("army-officers-2019", **BASE, **{"pressure.pressure_rate": 0.0}),
        scenario("army-officers-2019", **BASE, **{"pressure.pressure_rate": 0.2}),
        lambda r: (total(r, "threats"), total(r, "families_pressured"), total(r, "persuasions")),
    )
    for (threats0, families0, persuasions0), (threats1, families1, persuasions1) in result_pairs:
        assert threats0 == families0 == persuasions0 == 0
        assert 0 < families1 < threats1
        assert persuasions1 > 0


@pytest.mark.mechanism("R2")
def test_cases_in_the_unit_deter_open_dissent() -> None:
    """Epstein: the more a unit's open cases weigh on perceived risk, the fewer show they want out."""
    levers = {"regime.prosecution_threat": 0.1, "bureaucracy.offence_per_year": 0.2}
    blind = scenario("fsb-mobilization-2023", **levers, **{"behaviour.case_deterrence": 0.0})
    watchful = scenario("fsb-mobilization-2023", **levers, **{"behaviour.case_deterrence": 40.0})
    for shown0, shown1 in paired(blind, watchful, lambda r: total(r, "displayed")):
        assert shown1 < shown0


@pytest.mark.mechanism("R12", "R2")
def test_officials_climb_their_own_ladder() -> None:
    """A:19-21: officials are threatened with prosecution, never confined to base; a harder-pressed official
    corps sees more corruption cases, seed by seed."""
    filing = {
        "behaviour.display_stake_weight": 0.0,
        "behaviour.transfer_bias": -20.0,
        "regime.unity_pressure": 0.0,
        "regime.betrayal_cost": 0.0,
        "regime.resignation_ban": "on",
        "behaviour.decision_rate": 0.2,
        # the unit's ladder: requests that wait at the unit, not at the central office (A:19; test_officials.py)
        "institutions.senior_officials.central_resignation": False,
    }
    mild = scenario("officials-2023", scale=0.1, days=240, **filing, **{"pressure.pressure_rate": 0.0})
    hard = scenario("officials-2023", scale=0.1, days=240, **filing, **{"pressure.pressure_rate": 0.5})
    cases = lambda r: total(r, "cases_corruption", "senior_officials")  # noqa: E731
    for few, many in paired(mild, hard, cases, range(5)):
        assert many > few
    result = exitban.simulate(hard, seed=0)
    start, stop = result.population.inst_start[0], result.population.inst_start[1]
    assert not (result.population.flags[start:stop] & CONFINED).any()
    assert total(result, "threats", "senior_officials") > 0
