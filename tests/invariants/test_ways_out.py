"""Which ways out exist depends on the institution (E1-E11): at the front there is no second job."""

from __future__ import annotations

import pytest

import exitban
from tests.helpers import paired, scenario, total

pytestmark = pytest.mark.mechanism("E7")


def test_a_closed_way_out_is_never_taken() -> None:
    """The shipped FSB scenario closes moonlighting to the mobilized: none of them ever moonlights."""
    sc = scenario("fsb-mobilization-2023", days=200)
    assert "moonlight" in sc.institutions["mobilized"].closed_moves
    for seed in range(3):
        result = exitban.simulate(sc, seed=seed)
        assert total(result, "moonlighting", "mobilized") == 0
        assert total(result, "moonlighting", "special_services") > 0


def test_opening_it_again_lets_people_take_it() -> None:
    """With the same move open, the mobilized moonlight too: the closure, not the people, kept them from it."""
    sc = scenario("fsb-mobilization-2023", days=200, **{"institutions.mobilized.closed_moves": []})
    assert total(exitban.simulate(sc, seed=0), "moonlighting", "mobilized") > 0


def test_an_unknown_way_out_is_refused_by_name() -> None:
    """A typo in closed_moves is a scenario error naming the allowed moves."""
    with pytest.raises(exitban.ScenarioError, match="closed_moves"):
        scenario("fsb-mobilization-2023", **{"institutions.mobilized.closed_moves": ["moonlite"]})


@pytest.mark.mechanism("E1")
def test_a_transfer_is_a_way_out_the_ban_all_but_closes() -> None:
    """Officials are moved to posts elsewhere when leaving is allowed, far more rarely under the ban (B:5), seed by seed."""
    kw = {"behaviour.transfer_bias": 2.0}
    free = scenario("officials-2023", scale=0.05, days=120, **kw, **{"regime.resignation_ban": "off"})
    held = scenario("officials-2023", scale=0.05, days=120, **kw, **{"regime.resignation_ban": "on"})
    moved = lambda r: total(r, "exits_transferred", "senior_officials")  # noqa: E731
    for many, few in paired(free, held, moved, range(5)):
        assert few < many


@pytest.mark.mechanism("E1", "R4")
def test_the_decree_allows_no_transfer_out() -> None:
    """Nobody the decree holds leaves by transfer, however much they ask."""
    sc = scenario("fsb-mobilization-2023", days=120, **{"behaviour.transfer_bias": 5.0})
    for seed in range(3):
        assert total(exitban.simulate(sc, seed=seed), "exits_transferred") == 0
