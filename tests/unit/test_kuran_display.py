"""The rule for showing the wish (ODD 7.5), checked on one person through its Python form."""

from __future__ import annotations

from collections import namedtuple

import numpy as np
import pytest

import exitban
from exitban.engine import codes as c
from exitban.engine.build import rule_params
from exitban.engine.rules.display import display_cost, update_display

People = namedtuple("People", ["flags", "threshold"])
pytestmark = pytest.mark.mechanism("R3")


def _shows(
    peer: float,
    banned: float,
    stake: float = 0.0,
    deter: float = 0.0,
    threshold: float = 0.1,
    betrayal: float = 0.0,
    shown: bool = False,
) -> bool:
    sc = exitban.load_scenario("army-officers-2019")
    P = rule_params(sc.with_params({"regime.unity_pressure": 0.2, "regime.betrayal_cost": betrayal}))
    people = People(np.array([c.F_DISPLAYED if shown else 0], np.uint8), np.array([threshold]))
    return bool(update_display.py_func(0, P, True, banned, peer, deter, stake, people))


def test_without_a_ban_the_threshold_still_decides() -> None:
    """Where resignation is legal the rule is a threshold rule too: one shows the wish once the peers who have
    shown it reach the threshold plus the unity pressure (the wish treated as betrayal, A:17), not at once."""
    assert not _shows(peer=0.0, banned=0.0, stake=5.0)  # bar: 0.1 + 0.2 * 1.0 = 0.3
    assert not _shows(peer=0.15, banned=0.0, stake=5.0)  # bar: 0.1 + 0.2 * 0.85 = 0.27
    assert _shows(peer=0.3, banned=0.0, stake=5.0)  # bar: 0.1 + 0.2 * 0.7 = 0.24: the stake is not at risk
    assert _shows(peer=0.0, banned=0.0, threshold=-0.2)  # bar: -0.2 + 0.2 = 0


def test_the_cost_is_never_zero_where_the_wish_is_betrayal_and_highest_under_the_ban() -> None:
    """Known answer: the cost of showing is the unity pressure without a ban, and adds deterrence and the
    weighted stake under it."""
    P = rule_params(exitban.load_scenario("army-officers-2019").with_params({"regime.unity_pressure": 0.2}))
    assert display_cost.py_func(P, False, 0.3, 0.5) == pytest.approx(0.2)
    assert display_cost.py_func(P, True, 0.3, 0.5) == pytest.approx(0.2 + 0.3 + P.display_stake_weight * 0.5)
    assert display_cost.py_func(P, True, 0.0, 0.0) >= display_cost.py_func(P, False, 0.0, 0.0) > 0.0


def test_under_the_ban_the_cost_is_unity_pressure_deterrence_and_the_stake() -> None:
    """Known answer: with threshold 0.1 and no peers, the bar is 0.1 + 0.2 + D + w*stake; below it the wish stays hidden."""
    assert not _shows(peer=0.3, banned=1.0, stake=0.5)  # bar: 0.1 + (0.2 + 0.5) * 0.7 = 0.59
    assert _shows(peer=0.6, banned=1.0, stake=0.5)  # bar: 0.1 + 0.7 * 0.4 = 0.38


def test_the_cost_falls_as_more_peers_show_it() -> None:
    """The same person under the same stake and risk shows the wish once enough peers have, and not before."""
    shown = [_shows(peer=p, banned=1.0, stake=1.0, deter=0.3) for p in np.linspace(0.0, 1.0, 21)]
    first = shown.index(True)
    assert first > 0 and all(shown[first:])


def test_one_who_no_longer_wants_out_stops_showing_it() -> None:
    """Desire below the cut-off clears the displayed flag."""
    P = rule_params(exitban.load_scenario("army-officers-2019"))
    people = People(np.array([c.F_DISPLAYED], np.uint8), np.array([0.0]))
    assert not update_display.py_func(0, P, False, 1.0, 1.0, 0.0, 0.0, people)
    assert people.flags[0] == 0


def test_the_betrayal_cost_does_not_fall_as_peers_show_it() -> None:
    """Known answer (A:17,19-21): the betrayal cost is added whole: with every peer showing the wish (peer 1, so
    the unity pressure costs nothing) one with threshold 0.7 does not show it at a betrayal cost of 0.4, and one
    with threshold 0.5 does."""
    assert not _shows(peer=1.0, banned=0.0, threshold=0.7, betrayal=0.4)  # bar: 0.7 + 0 + 0.4 = 1.1
    assert _shows(peer=1.0, banned=0.0, threshold=0.5, betrayal=0.4)  # bar: 0.5 + 0.4 = 0.9
    assert _shows(peer=1.0, banned=0.0, threshold=0.7)  # no betrayal: bar 0.7


def test_one_who_showed_it_hides_it_again_when_the_cost_rises() -> None:
    """Kuran: the shown wish is chosen again each day. One who shows it (threshold 0.1, peer 0.5: bar
    0.1 + 0.2 * 0.5 = 0.2) keeps showing it at no betrayal cost, and hides it again at a betrayal cost of 0.4
    (bar 0.6), although he still wants out."""
    assert _shows(peer=0.5, banned=0.0, shown=True)
    assert not _shows(peer=0.5, banned=0.0, shown=True, betrayal=0.4)
