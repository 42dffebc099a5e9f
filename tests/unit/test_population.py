"""The starting population: institutions side by side, real sizes, per-person state in range."""

from __future__ import annotations

import numpy as np
import pytest

import exitban
from exitban.engine.build import initial_population


@pytest.mark.mechanism("P1")
def test_institutions_sit_side_by_side_in_contiguous_units() -> None:
    """Each institution's people are one block, each unit's people are contiguous and in one institution."""
    sc = exitban.load_scenario("fsb-mobilization-2023").with_overrides(scale=0.002)
    pop = initial_population(sc, seed=0)
    assert np.all(np.diff(pop.inst) >= 0), "institutions are not contiguous"
    assert np.all(np.diff(pop.unit) >= 0), "units are not contiguous"
    for u in range(pop.n_units):
        members = pop.inst[pop.unit_start[u] : pop.unit_start[u + 1]]
        assert np.all(members == pop.unit_inst[u])
    assert set(np.unique(pop.inst)) == set(range(len(sc.institutions)))


@pytest.mark.mechanism("P1")
def test_conscripts_are_not_resignation_cases() -> None:
    """Conscripts never want out in the model's sense; at term end each is released and another called up."""
    result = exitban.simulate("army-officers-2019", seed=0, days=400, scale=0.002)
    ts = result.timeseries.filter(result.timeseries["institution"] == "conscripts")
    assert ts.height == 400
    assert ts["want_out"].sum() == 0
    assert ts["exits_contract_end"].sum() == 0
    assert ts["released"].sum() >= result.summary["institutions"]["conscripts"]["start"] * 0.95
    assert (ts["called_up"] == ts["released"]).all()


@pytest.mark.mechanism("P2")
@pytest.mark.parametrize(
    ("name", "institution", "size"),
    [
        ("army-officers-2019", "officers", 250_000),
        ("fsb-mobilization-2023", "mobilized", 300_000),
    ],
)
def test_default_sizes_are_the_sourced_ones(name: str, institution: str, size: int) -> None:
    """Shipped scenarios run 1:1 by default with the sizes the sources give."""
    sc = exitban.load_scenario(name)
    assert sc.scale == 1.0
    assert sc.agents()[institution] == size


@pytest.mark.mechanism("P2")
def test_army_scenario_has_over_a_million_people_at_full_scale() -> None:
    """army-officers-2019 at scale 1 holds the >1M military personnel of source B:18."""
    assert exitban.load_scenario("army-officers-2019").total_agents() >= 1_000_000


@pytest.mark.mechanism("P2")
def test_scale_is_a_parameter() -> None:
    """Scaling a scenario scales every institution's agent count."""
    sc = exitban.load_scenario("army-officers-2019")
    assert sc.with_overrides(scale=0.01).total_agents() == pytest.approx(sc.total_agents() * 0.01, rel=1e-3)


@pytest.mark.mechanism("P3")
def test_personal_state_is_in_range_and_compact() -> None:
    """Every trait lies in [0, 1] and the whole state costs at most 200 bytes a person."""
    pop = initial_population(exitban.load_scenario("officials-2023").with_overrides(scale=0.05), seed=1)
    for trait in ("desire", "loyalty", "fear", "risk_aversion", "competence", "health", "family", "means", "reach"):
        values = getattr(pop, trait)
        assert values.min() >= 0.0 and values.max() <= 1.0, trait
        assert values.std() > 0.0 or trait == "fear", f"{trait} has no spread"
    assert pop.nbytes_per_agent() <= 200


@pytest.mark.mechanism("P3")
def test_initial_population_is_a_function_of_the_seed() -> None:
    """The same seed draws the same people; another seed draws others."""
    sc = exitban.load_scenario("army-officers-2019").with_overrides(scale=0.002)
    a, b, c = (initial_population(sc, seed=s) for s in (4, 4, 5))
    assert np.array_equal(a.desire, b.desire) and np.array_equal(a.threshold, b.threshold)
    assert not np.array_equal(a.desire, c.desire)
