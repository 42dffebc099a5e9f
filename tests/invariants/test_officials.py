"""The officials as the record has them (issue 22, item 3; R1, R3, E6, E11, R5, O4): the wish to resign is betrayal
from the war's start (A:17), so wishes go into quiet channels (A:23,25); the regime's ban reacts to the flow of
wishes shown to it (A:13)."""

from __future__ import annotations

import polars as pl
import pytest

import exitban
from tests.helpers import paired, scenario, total

pytestmark = pytest.mark.mechanism("R3", "R1", "E6", "E11", "O4")

SENIOR = "senior_officials"


def _open_quiet(result: exitban.Result) -> tuple[float, float]:
    return total(result, "exits_open", SENIOR), total(result, "exits_quiet", SENIOR)


def _civil(result: exitban.Result, column: str) -> float:
    """A column summed over the senior officials by post (every civil_official institution: governors, ministers
    and deputies, state-company managers)."""
    ts = result.timeseries.filter(pl.col("kind") == "civil_official")
    return float(ts[column].sum())


def test_a_higher_betrayal_cost_means_fewer_open_and_more_quiet_exits() -> None:
    """Paired seeds: raising the cost of showing the wish (A:17) lowers the open exits (approved, court) and raises
    the quiet ones (payment, health, corruption, transfer) over five seeds together; never more open for a seed."""
    # officials whose request must be shown (not asked of the central office in private, A:19)
    unit = {
        f"institutions.{k}.central_resignation": False
        for k in ("senior_officials", "governors", "state_company_managers")
    }
    base = scenario("officials-2023", scale=0.1, days=365, **unit)
    costly = base.with_params({"regime.betrayal_cost": 1.2})
    pairs = paired(base, costly, lambda r: (_civil(r, "exits_open"), _civil(r, "exits_quiet")), range(5))
    assert all(b[0] >= c[0] for b, c in pairs)
    assert sum(c[0] for _, c in pairs) < sum(b[0] for b, _ in pairs)
    assert sum(c[1] for _, c in pairs) > sum(b[1] for b, _ in pairs)


def test_without_betrayal_and_ban_the_wish_spreads_and_betrayal_keeps_it_quiet() -> None:
    """With no ban and no betrayal cost the shown wish spreads as a threshold cascade (the unity pressure alone
    is its cost, ODD 7.5): the share who show it climbs over the weeks. A betrayal cost without a ban (A:17)
    keeps most quiet: every day fewer show it than want out, and at the end under a tenth of the free share."""
    sc = scenario("officials-2023", scale=0.05, days=60, **{"regime.resignation_ban": "off", "regime.betrayal_cost": 0})

    def shown_share(s: exitban.Scenario) -> pl.DataFrame:
        ts = exitban.simulate(s, seed=0).timeseries.filter(pl.col("institution") == SENIOR)
        return ts.with_columns(share=pl.col("displayed") / pl.col("want_out"))

    free = shown_share(sc)
    assert free["share"][-1] > free["share"][0] + 0.3, free["share"].to_list()  # a cascade, not a one-day step
    costly = shown_share(sc.with_params({"regime.betrayal_cost": 0.4}))
    assert (costly["displayed"] < costly["want_out"]).all()
    assert costly["share"][-1] < 0.1 * free["share"][-1]


def _ban_day(result: exitban.Result) -> int | None:
    ts = result.timeseries.filter((pl.col("institution") == SENIOR) & pl.col("ban_active"))
    return int(ts["day"].min()) if ts.height else None


@pytest.mark.mechanism("R1")
def test_the_ban_comes_by_the_flow_of_shown_wishes() -> None:
    """R1 on the flow (A:13): the ban is off on day 0 and comes by the rule within the year; the old stock rule (the
    acted share, those gone included) brings it later or never, for each seed."""
    flow = scenario("officials-2023", scale=0.25, days=365)
    stock = flow.with_params({"regime.ban_trigger_window_days": 0, "regime.ban_trigger_share": 0.2})
    for seed in range(3):
        on, late = _ban_day(exitban.simulate(flow, seed=seed)), _ban_day(exitban.simulate(stock, seed=seed))
        assert on is not None and on > 0
        assert late is None or late > on


def _seniors_at_full_size() -> exitban.Scenario:
    """officials-2023 with every senior official (scale 1) and a token special service: the record's counts are
    of people, so the senior officials run at their real size."""
    sc = exitban.load_scenario("officials-2023").with_overrides(scale=1.0)
    return sc.with_params({"institutions.special_services.size": 1_000})


@pytest.mark.mechanism("R1", "R2", "R3", "O4", "O5")
def test_open_senior_resignations_stay_at_the_record() -> None:
    """The record (A:13,19-25; MODEL-REVIEW miss C): open senior resignations at the record's 0-3 a year (within
    the noise of a count of a few: at most 5 for a seed; about 3,000 before this rule), quiet exits above 0, senior
    officials who try and are refused by the central office (A:19), and the ban by the rule, not on day 0."""
    sc = _seniors_at_full_size()
    for seed in range(3):
        result = exitban.simulate(sc, seed=seed)
        assert _civil(result, "exits_open") <= 5
        assert _civil(result, "exits_quiet") > 0
        assert _civil(result, "central_refused") >= 1
        day = _ban_day(result)
        assert day is not None and day > 0


@pytest.mark.mechanism("R2", "O5")
def test_the_central_office_decides_senior_resignations() -> None:
    """A:19: a senior request goes to the central office, none waits for a unit signature; letting some go under
    the ban (paired seeds) raises the open exits."""
    base = scenario("officials-2023", scale=0.25, days=365)
    lenient = base.with_params({"bureaucracy.central_approve_banned": 0.5})
    pairs = paired(base, lenient, lambda r: total(r, "exits_open", SENIOR), range(3))
    assert sum(b for b, _ in pairs) < sum(lenient_open for _, lenient_open in pairs)
    ts = exitban.simulate(base, seed=0).timeseries.filter(pl.col("institution") == SENIOR)
    assert ts["backlog_unit"].max() == 0 and ts["central_decided"].sum() > 0


@pytest.mark.mechanism("R7", "E9", "O8")
def test_no_more_than_a_tenth_wait_for_a_permit() -> None:
    """A:37-39: the lists are reviewed at the top, so on no day of the base scenario does more than 10% of any
    travel-restricted institution wait for a permit."""
    sc = scenario("officials-2023", scale=0.1, days=365)
    for seed in range(2):
        ts = exitban.simulate(sc, seed=seed).timeseries.group_by("day").agg(pl.col("backlog_travel", "headcount").sum())
        share = (ts["backlog_travel"] / ts["headcount"].clip(lower_bound=1)).max()
        assert share <= 0.10


@pytest.mark.mechanism("R7", "E1")
def test_one_waiting_for_a_permit_can_still_act() -> None:
    """With the lists a person on the list can still resign, appeal or pay: with a list reviewed only once a year
    (everyone who asks waits all year) more requests are filed than when each trip freezes its traveller in a
    queue that moves at one permit every ten days (paired seeds)."""
    lists = scenario("officials-2023", scale=0.1, days=240, **{"bureaucracy.permit_list_review_days": 365})
    frozen = lists.with_params(
        {"bureaucracy.permit_list_review_days": 0, "bureaucracy.top_reviewer_capacity_per_day": 1}
    )
    pairs = paired(frozen, lists, lambda r: total(r, "requests_filed") + total(r, "appeals_filed"), range(3))
    assert sum(f for f, _ in pairs) < sum(x for _, x in pairs)


@pytest.mark.mechanism("P1", "R2", "O5")
def test_governors_try_and_are_refused() -> None:
    """A:19: at least one governor a year tries to leave and is refused by the central office (89 governors at
    their real number: the record names at least two), for each seed, while no governor resigns openly."""
    sc = _seniors_at_full_size()
    assert sc.institutions["governors"].size == 89
    for seed in range(3):
        result = exitban.simulate(sc, seed=seed)
        assert total(result, "central_refused", "governors") >= 1
        assert total(result, "exits_open", "governors") <= 1
