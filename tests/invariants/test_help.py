"""Help for illegal exits (rules.help; E4 with E8, E9): the Bass diffusion of knowing, requests, capacity, odds."""

from __future__ import annotations

import pytest

import exitban
from tests.helpers import paired, scenario, total

NAME = "fsb-mobilization-2023"
# the help network switched on at Bass's meta-analytic means (per year, over 365), plus the viral channel
HELP = {
    "behaviour.help_publicity_per_day": 0.03 / 365,
    "behaviour.help_imitation_per_day": 0.38 / 365,
    "behaviour.help_viral_per_post": 0.001,
}
# absence and flight chosen often enough at this size that the requests are counted in the dozens
EXITS = {"behaviour.absence_bias": 0.0, "behaviour.defect_bias": 0.0, "regime.travel_control": False}
SEEDS = range(6)


def helped_scenario(**params):
    return scenario(NAME, scale=0.004, days=240, **{**EXITS, **HELP, **params})


def requests(result) -> float:
    return total(result, "help_requests")


@pytest.mark.mechanism("E4", "E8", "E9")
def test_more_publicity_or_imitation_more_requests() -> None:
    """Bass: a larger publicity coefficient p, or a larger imitation coefficient q, makes more people know of
    help, so more of those who choose absence or flight ask for it (paired seeds)."""
    base = helped_scenario()
    more_p = helped_scenario(**{"behaviour.help_publicity_per_day": 10 * HELP["behaviour.help_publicity_per_day"]})
    more_q = helped_scenario(**{"behaviour.help_imitation_per_day": 0.5})
    for changed in (more_p, more_q):
        pairs = paired(base, changed, lambda r: (requests(r), total(r, "knows_help")), SEEDS)
        assert all(b[1] > a[1] for a, b in pairs), pairs  # more know of help on every seed
        assert sum(b[0] for _, b in pairs) > 1.5 * sum(a[0] for a, _ in pairs), pairs
        assert sum(b[0] > a[0] for a, b in pairs) >= 5, pairs


@pytest.mark.mechanism("E4", "E8", "E9")
def test_lower_capacity_fewer_helped_at_the_same_requests() -> None:
    """The helpers take on at most their capacity a day: a lower capacity helps fewer at the same requests;
    intake never exceeds demand. With help that changes no odds (help_catch_factor 1) being taken on is a draw of
    its own stream, so the paired runs have exactly the same requests; with help that does (the default), fewer
    helped are caught more often and go absent again, so the requests may grow, and intake still stays below."""
    many = {"behaviour.help_publicity_per_day": 0.01}  # nearly everyone knows within months
    for factor in (1.0, 0.5):
        same = {**many, "behaviour.help_catch_factor": factor}
        wide = helped_scenario(**same, **{"behaviour.help_capacity_per_day": 1000.0})
        narrow = helped_scenario(**same, **{"behaviour.help_capacity_per_day": 10.0})
        pairs = paired(wide, narrow, lambda r: (requests(r), total(r, "help_intake")), SEEDS)
        for (asked_w, helped_w), (asked_n, helped_n) in pairs:
            assert asked_w >= helped_w and asked_n >= helped_n
            assert helped_n < helped_w
            if factor == 1.0:
                assert asked_n == asked_w
        assert sum(b[1] for _, b in pairs) < 0.7 * sum(a[1] for a, _ in pairs), pairs
        ts = exitban.simulate(narrow, seed=0).timeseries
        assert (ts["help_intake"] <= ts["help_requests"]).all()


@pytest.mark.mechanism("E4", "E8", "E9")
def test_help_raises_illegal_exits_that_succeed() -> None:
    """Help that halves the chance of being caught or stopped (help_catch_factor) raises desertions and
    defections over help that changes nothing (factor 1), with helpers who take on all who ask."""
    many = {"behaviour.help_publicity_per_day": 0.01, "behaviour.help_capacity_per_day": 100_000.0}  # all who ask
    useless = helped_scenario(**many, **{"behaviour.help_catch_factor": 1.0})
    useful = helped_scenario(**many, **{"behaviour.help_catch_factor": 0.2})

    def got_away(r) -> float:
        return total(r, "exits_absence") + total(r, "exits_defection")

    pairs = paired(useless, useful, got_away, SEEDS)
    assert sum(b for _, b in pairs) > 1.1 * sum(a for a, _ in pairs), pairs
    assert sum(b > a for a, b in pairs) >= 5, pairs


@pytest.mark.mechanism("E4", "E8", "E9")
def test_nobody_asks_where_nobody_chooses_absence_or_flight() -> None:
    """Requests come only from absence and flight: with both moves closed nobody asks, however well known the
    help is; and nobody knows of it where all three diffusion coefficients are 0."""
    closed = helped_scenario(
        **{"behaviour.help_publicity_per_day": 0.05, "behaviour.absence_bias": -20.0, "behaviour.defect_bias": -20.0}
    )
    result = exitban.simulate(closed, seed=0)
    assert total(result, "knows_help") > 0
    assert total(result, "exits_absence") + total(result, "exits_defection") == 0
    assert total(result, "help_requests") == 0 and total(result, "help_intake") == 0
    off = scenario(NAME, scale=0.004, days=120, **EXITS, **dict.fromkeys(HELP, 0.0))  # the schema's default
    result = exitban.simulate(off, seed=0)
    assert total(result, "knows_help") == 0 and total(result, "help_requests") == 0


@pytest.mark.mechanism("E4")
def test_legal_help_demand_and_intake_apart() -> None:
    """E4: those who seek a lawyer (legal_help_requests, demand) and those taken on (legal_help_new, intake) are
    counted apart; a small capacity takes on fewer than ask."""
    vocal = {"behaviour.voice_bias": 2.0, "regime.unity_pressure": 0.0, "behaviour.display_stake_weight": 0.0}
    sc = scenario("army-officers-2019", days=240, **vocal, **{"behaviour.legal_help_capacity_per_day": 20.0})
    result = exitban.simulate(sc, seed=0)
    asked, taken = total(result, "legal_help_requests"), total(result, "legal_help_new")
    assert asked > taken > 0
    ts = result.timeseries
    assert (ts["legal_help_new"] <= ts["legal_help_requests"]).all()
