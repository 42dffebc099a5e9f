"""Dated phases (ODD 3): the schema refuses what cannot change mid-run, the day loop applies a phase from its
date and not before, without compiling again, and the spin-up days are simulated but never reported."""

from __future__ import annotations

import datetime
import sys

import polars as pl
import pytest
from numba.core.registry import CPUDispatcher

import exitban
from exitban.scenario.load import to_toml
from exitban.scenario.phases import mobilization_end_day, timeline
from tests.helpers import phases, scenario

ARMY = "army-officers-2019"
DAY = 40  # the phase's day in the engine tests


def _phase(date: datetime.date, field: str, value: object) -> dict[str, object]:
    return {"date": date, "field": field, "value": value, "provenance": "test"}


def test_the_shipped_scenarios_state_their_start() -> None:
    """Each shipped scenario's start is the first day of its period; only the dated long run (and its views,
    which extend it) has spin-up and phases."""
    for name in exitban.list_scenarios():
        sc = exitban.load_scenario(name)
        assert sc.start == datetime.date(int(sc.period[:4]), 1, 1), name
        if name.startswith("war-2022-2025"):
            assert sc.spin_up_days == 365 and sc.end == datetime.date(2025, 6, 30) and len(sc.phases) >= 10
        else:
            assert sc.spin_up_days == 0 and sc.phases == [], name


def test_timeline_applies_phases_in_date_order_and_keeps_the_earlier_ones() -> None:
    """The scenario as of each phase date holds every earlier phase's value, and none of the later ones."""
    start = exitban.load_scenario(ARMY).start
    sc = exitban.load_scenario(ARMY).with_params(
        {
            "phases": [
                _phase(start + datetime.timedelta(days=50), "regime.prosecution_threat", 0.9),
                _phase(start + datetime.timedelta(days=10), "regime.wartime_law", True),
                _phase(start + datetime.timedelta(days=10), "institutions.officers.casualty_per_year", 0.05),
            ]
        }
    )
    days = timeline(sc)
    assert [d for d, _ in days] == [10, 50]
    early, late = days[0][1], days[1][1]
    assert early.regime.wartime_law and early.institutions["officers"].casualty_per_year == 0.05
    assert early.regime.prosecution_threat == sc.regime.prosecution_threat
    assert late.regime.wartime_law and late.regime.prosecution_threat == 0.9
    assert all(s.phases == [] for _, s in days)


def test_a_second_mobilization_after_its_end_is_refused() -> None:
    """Demobilization counts from one end: mobilization that starts again after a phase ended it is refused."""
    start = exitban.load_scenario("fsb-mobilization-2023").start
    ended = [_phase(start + datetime.timedelta(days=30), "regime.mobilization", False)]
    sc = exitban.load_scenario("fsb-mobilization-2023").with_params({"phases": ended})
    assert mobilization_end_day(sc) == 30
    again = [*ended, _phase(start + datetime.timedelta(days=60), "regime.mobilization", True)]
    with pytest.raises(exitban.ScenarioError, match=r"phases\[1\].*mobilization starts again"):
        sc.with_params({"phases": again})


def test_a_phase_on_a_drawn_trait_is_refused() -> None:
    """The people are drawn from the trait distributions at the start: a phase may not change them."""
    start = exitban.load_scenario(ARMY).start
    bad = [_phase(start, "institutions.officers.desire_mean", 0.9)]
    with pytest.raises(exitban.ScenarioError, match="cannot change mid-run: the people are drawn from it"):
        exitban.load_scenario(ARMY).with_params({"phases": bad})


def test_phases_and_start_survive_the_written_scenario(tmp_path) -> None:
    """``to_toml`` writes the start as a TOML date and the phases as [[phases]]: it loads back equal."""
    sc = scenario(ARMY, days=60, **phases(ARMY, (20, "regime.resignation_ban", "off"), (30, "regime.pay_rise", 0.5)))
    path = tmp_path / "phased.toml"
    path.write_text(to_toml(sc))
    back = exitban.load_scenario(path)
    assert back.start == sc.start and back.phases == sc.phases
    assert back.content_hash() == sc.content_hash()


def test_a_shorter_run_drops_the_phases_after_its_end() -> None:
    """``--days`` shorter than a phase's date: the run never reaches it, and is not refused for it."""
    sc = scenario(ARMY, days=60, **phases(ARMY, (20, "regime.wartime_law", True), (50, "regime.pay_rise", 0.5)))
    short = sc.with_overrides(days=30)
    assert [p.field for p in short.phases] == ["regime.wartime_law"]


def _tallies(sc: exitban.Scenario, seed: int) -> pl.DataFrame:
    return exitban.simulate(sc, seed=seed).tallies


@pytest.mark.parametrize(
    ("field", "value"),
    [("regime.resignation_ban", "off"), ("regime.prosecution_threat", 0.9), ("regime.pay_rise", 2.0)],
)
def test_a_phase_changes_the_run_from_its_date_and_not_before(field: str, value: object) -> None:
    """Paired seeds: every tally is equal on the days before the phase, and the run differs from its day on."""
    base = scenario(ARMY, scale=0.01, days=90)
    phased = scenario(ARMY, scale=0.01, days=90, **phases(ARMY, (DAY, field, value)))
    for seed in (1, 2):
        a, b = _tallies(base, seed), _tallies(phased, seed)
        assert a.filter(pl.col("day") < DAY).equals(b.filter(pl.col("day") < DAY))
        assert not a.filter(pl.col("day") >= DAY).equals(b.filter(pl.col("day") >= DAY))


def test_lifting_the_ban_by_a_phase_releases_more_from_its_date() -> None:
    """Direction: the ban lifted on day 40 gives more approved exits after it than the ban kept, seed by seed."""
    base = scenario(ARMY, scale=0.01, days=90)
    lifted = scenario(ARMY, scale=0.01, days=90, **phases(ARMY, (DAY, "regime.resignation_ban", "off")))
    for seed in (1, 2, 3):
        after = [
            exitban.simulate(sc, seed=seed).timeseries.filter(pl.col("day") >= DAY)["exits_approved"].sum()
            for sc in (base, lifted)
        ]
        assert after[1] > after[0]


def _signatures() -> int:
    return sum(
        len(obj.signatures)
        for name, module in list(sys.modules.items())
        if name.startswith("exitban.engine.") and module is not None
        for obj in vars(module).values()
        if isinstance(obj, CPUDispatcher)
    )


def test_phases_are_applied_without_compiling_again() -> None:
    """Numba compiles on types, not values: a run with phases adds no compiled signature to the engine."""
    exitban.simulate(scenario(ARMY, days=10), seed=0)
    before = _signatures()
    many = phases(
        ARMY,
        (2, "regime.resignation_ban", "off"),
        (3, "regime.prosecution_threat", 1),  # an integer for a number: still a float64 in the rules
        (4, "institutions.officers.casualty_per_year", 0.2),
        (5, "bureaucracy.ministry_capacity_per_day", 5),
        (6, "institutions.officers.closed_moves", ["moonlight"]),
        (7, "regime.ban_trigger_share", 1),
    )
    exitban.simulate(scenario(ARMY, days=10, **many), seed=0)
    assert before > 0 and _signatures() == before


def test_spin_up_days_are_run_but_not_reported() -> None:
    """A run with 15 spin-up days reports the same days, byte for byte, as a run started 15 days earlier
    with none, less its first 15 days; its dates start at ``start``."""
    base = scenario(ARMY, scale=0.01, days=45)
    start = base.start
    earlier = base.with_overrides(start=start - datetime.timedelta(days=15))
    spun = base.with_overrides(days=30, spin_up_days=15)
    whole, res = exitban.simulate(earlier, seed=4), exitban.simulate(spun, seed=4)
    ts = res.timeseries
    assert ts["day"].min() == 0 and ts["day"].max() == 29
    assert ts.schema["date"] == pl.Date and res.tallies.schema["date"] == pl.Date
    assert ts["date"].min() == start and ts["date"].max() == start + datetime.timedelta(days=29)
    assert ts["date"].to_list() == [start + datetime.timedelta(days=d) for d in ts["day"].to_list()]
    assert res.summary["start"] == start.isoformat() and res.summary["spin_up_days"] == 15
    assert res.summary["end"] == (start + datetime.timedelta(days=29)).isoformat()
    head = whole.tallies.filter(pl.col("day") == 14)["headcount"].sum()
    assert res.summary["agents"] == head  # the headcount on the start date
    kept = whole.tallies.filter(pl.col("day") >= 15).with_columns(pl.col("day") - 15)
    assert kept.drop("date").equals(res.tallies.drop("date"))
    assert kept["date"].equals(res.tallies["date"])


def test_run_until_a_date(tmp_path) -> None:
    """``exitban run --until DATE`` runs from the start up to the date, not included; a bad date is one line."""
    import json

    from typer.testing import CliRunner

    from exitban.cli import app

    runner = CliRunner()
    out = tmp_path / "run"
    res = runner.invoke(app, ["run", ARMY, "--until", "2019-02-01", "--scale", "0.001", "--out", str(out)])
    assert res.exit_code == 0, res.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["days"] == 31 and summary["end"] == "2019-01-31"
    bad = runner.invoke(app, ["run", ARMY, "--until", "2018-12-31", "--out", str(tmp_path / "bad")])
    assert bad.exit_code != 0 and "a date after the start" in bad.output
    assert "not a date" in runner.invoke(app, ["run", ARMY, "--until", "July", "--out", str(tmp_path / "x")]).output
