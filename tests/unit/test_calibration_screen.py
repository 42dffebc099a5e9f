"""Published figures as sensitivity outputs (``target:NAME``): refused before any run where the base
scenario's runs cannot give them, and read off each run's daily table as the calibration reads it."""

from __future__ import annotations

import math

import polars as pl
import pytest

import exitban
from exitban.calibration.screen import chosen_targets, split_outputs, with_target_outputs
from exitban.calibration.targets import Measure
from exitban.errors import ScenarioError
from tests.helpers import target


def test_target_outputs_are_told_apart_from_summary_outputs() -> None:
    assert split_outputs(["exits_total", "target:a", "target:b_c"]) == (["exits_total"], ["a", "b_c"])


def _file(**targets: object) -> object:
    from exitban.calibration.targets import TargetsFile

    return TargetsFile.model_validate({"fit_until": "2023-06-30", "targets": targets})


def test_an_unknown_target_is_refused_with_the_scenarios_targets_named() -> None:
    base = exitban.load_scenario("war-2022-2025")
    mine = target(1, 2, scenario="war-2022-2025", measure=Measure(columns=["cases_absence"], days=(0, 10)))
    with pytest.raises(ScenarioError, match=r"t\.toml has no target 'nope' \(allowed: target:mine\)"):
        chosen_targets(["nope"], _file(mine=mine), "t.toml", base)


def test_a_window_past_the_sweeps_days_is_refused_before_any_run() -> None:
    base = exitban.load_scenario("war-2022-2025").with_overrides(days=100)
    late = target(1, 2, scenario="war-2022-2025", measure=Measure(columns=["cases_absence"], days=(0, 200)))
    with pytest.raises(ScenarioError, match=r"target:late of t\.toml reads day 200 .* days >= 200"):
        chosen_targets(["late"], _file(late=late), "t.toml", base)


def test_a_column_the_scenario_lacks_is_refused() -> None:
    base = exitban.load_scenario("war-2022-2025")
    odd = target(1, 2, scenario="war-2022-2025", measure=Measure(columns=["no_such_column"], days=(0, 10)))
    with pytest.raises(ScenarioError, match="no_such_column"):
        chosen_targets(["odd"], _file(odd=odd), "t.toml", base)


def test_each_completed_run_gets_its_figure_and_a_failed_run_nan() -> None:
    """The figure is the calibration's: the window's sum over 1 / scale; a failed run has no table."""
    runs = pl.DataFrame({"run_id": ["r0", "r1", "r2"], "status": ["ok", "ok", "failed"]})
    days = pl.DataFrame({"day": [0, 1, 2] * 2, "cases": [1, 2, 3, 4, 5, 6], "run_id": ["r0"] * 3 + ["r1"] * 3})
    figure = target(1, 2, measure=Measure(columns=["cases"], days=(1, 3)))
    out = with_target_outputs(runs, days.lazy(), {"f": figure}, scale=0.5)
    values = out["target:f"].to_list()
    assert values[:2] == [(2 + 3) / 0.5, (5 + 6) / 0.5]
    assert math.isnan(values[2])


def test_a_morris_screen_reads_a_published_figure_off_every_run(tmp_path: object) -> None:
    """End to end (a few hundred agents): ``exitban.sensitivity`` with a ``target:`` output gives finite
    Morris indices for the figure, one row per swept field."""
    from pathlib import Path

    folder = Path(str(tmp_path))
    (folder / "t.toml").write_text(
        'fit_until = 2023-06-30\n[targets.requests]\nfigure = "requests"\nlow = 1\nhigh = 1000\n'
        'date = 2019-12-31\nperiod = "2019"\nsource = "test"\nscenario = "army-officers-2019"\nrole = "fit"\n'
        'measure = { columns = ["requests_filed"], days = [0, 20] }\nindependent = false\n'
        'independent_why = "fitted"\n',
        encoding="utf-8",
    )
    spec = {
        "name": "screen",
        "base": "army-officers-2019",
        "days": 20,
        "scale": 0.0005,
        "design": "morris",
        "samples": 2,
        "parameters": {"behaviour.beta_desire": {"range": [0.0, 6.0]}, "regime.unity_pressure": {"range": [0, 0.5]}},
    }
    table = exitban.sensitivity(spec, ["target:requests"], out=folder / "store", targets=folder / "t.toml")
    assert table["output"].unique().to_list() == ["target:requests"]
    assert table["parameter"].to_list() == ["behaviour.beta_desire", "regime.unity_pressure"]
    assert all(math.isfinite(v) for v in table["mu_star"].to_list())


def test_the_long_runs_fitted_fields_are_seen_by_its_fitted_figures() -> None:
    """docs/calibration-screen.md (tools/calibration_screen.py) lists every field fitted for war-2022-2025, and
    each is seen by some fitted figure: the fit's parameters are chosen by what its figures can identify."""
    from pathlib import Path

    from exitban.calibration.targets import load_targets

    page = Path(__file__).resolve().parents[2] / "docs" / "calibration-screen.md"
    rows = {}
    for line in page.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if line.startswith("| `") and len(cells) > 2:
            rows[cells[0].strip("`")] = (cells[-2], cells[-1])
    targets, _ = load_targets()
    fitted = set(targets.calibrate["war-2022-2025"].parameters)
    assert fitted <= set(rows), f"regenerate docs/calibration-screen.md: {sorted(fitted - set(rows))} missing"
    for field in fitted:
        seen, mark = rows[field]
        assert mark == "yes", f"regenerate docs/calibration-screen.md: {field} is fitted"
        assert seen != "**none**", f"{field} is fitted but no fitted figure sees it"
    assert {f for f, (_, mark) in rows.items() if mark == "yes"} == fitted
