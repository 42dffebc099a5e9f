"""The shipped scenarios: valid, traceable, counterfactuals that change one lever, views that change only sizes."""

from __future__ import annotations

import pytest

import exitban
from exitban.scenario import Scenario, resolve_provenance
from exitban.scenario.load import to_toml
from tests.helpers import changed_from_parent, is_view

NAMES = exitban.list_scenarios()
REQUIRED = {
    "army-officers-2019",
    "officials-2023",
    "fsb-mobilization-2023",
    "army-officers-2019-ban-lifted",
    "fsb-mobilization-2023-mobilization-ended",
    "army-officers-2019-approvals-decentralized",
    "officials-2023-travel-control-removed",
}


def test_the_required_scenarios_ship() -> None:
    """The three base scenarios and the four one-lever counterfactuals are shipped."""
    assert set(NAMES) >= REQUIRED


@pytest.mark.parametrize("name", NAMES)
def test_every_value_says_where_it_comes_from(name: str) -> None:
    """Each resolved value has a provenance: a source line or a stated assumption, never a blank."""
    for key, (_, provenance) in resolve_provenance(exitban.load_scenario(name)).items():
        assert "no provenance given" not in provenance, f"{name}: {key} has no provenance"
        assert provenance.startswith(
            ("source", "assumption", "counterfactual", "view", "brief", "metadata", "calibrated")
        ), (
            key,
            provenance,
        )


EXTENDING = [n for n in NAMES if exitban.load_scenario(n).extends]


@pytest.mark.parametrize("name", [n for n in EXTENDING if not is_view(n)])
def test_a_counterfactual_changes_exactly_one_lever(name: str) -> None:
    """A counterfactual differs from the scenario it extends in one regime field and nothing else."""
    changed = changed_from_parent(name)
    assert len(changed) == 1 and changed[0].startswith("regime."), changed


@pytest.mark.parametrize("name", [n for n in EXTENDING if is_view(n)])
def test_a_view_changes_only_the_scale_and_sizes(name: str) -> None:
    """A view (war-2022-2025-officials) is the scenario it extends at other sizes: no rule or lever moves."""
    changed = changed_from_parent(name)
    assert changed and all(k == "scale" or (k.startswith("institutions.") and k.endswith(".size")) for k in changed)


@pytest.mark.parametrize("name", NAMES)
def test_resolved_toml_loads_back_to_the_same_scenario(name: str, tmp_path) -> None:
    """``scenario.toml`` written by a run is a complete scenario with the same content hash."""
    sc = exitban.load_scenario(name)
    path = tmp_path / "scenario.toml"
    path.write_text(to_toml(sc))
    again = exitban.load_scenario(path)
    assert again.content_hash() == sc.content_hash()


def test_with_params_names_a_missing_field() -> None:
    """Dotted overrides to fields that do not exist are refused with the path in the message."""
    sc = exitban.load_scenario("army-officers-2019")
    with pytest.raises(exitban.ScenarioError, match=r"regime\.no_such_lever"):
        sc.with_params({"regime.no_such_lever": 1})
    assert isinstance(sc.with_params({"regime.prosecution_threat": 0.9}), Scenario)
