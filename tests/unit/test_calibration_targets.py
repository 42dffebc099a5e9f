"""The shipped targets file holds together, and a bad targets file is refused with the file and field named."""

from __future__ import annotations

from pathlib import Path

import pytest

from exitban.calibration.priors import build_priors
from exitban.calibration.targets import ScenarioCalibration, load_targets
from exitban.errors import ScenarioError
from exitban.scenario.load import list_scenarios, load_scenario
from exitban.simulate import simulate

GOOD = """
fit_until = 2023-06-30
[targets.t]
figure = "x"
low = {low}
high = 10
date = {date}
period = "p"
source = "s"
scenario = "army-officers-2019"
role = "fit"
measure = {{ columns = ["cases_absence"], days = [0, 10] }}
independent = false
independent_why = "fitted"
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "targets.toml"
    path.write_text(text)
    return path


def test_shipped_targets_name_shipped_scenarios_and_real_outputs() -> None:
    """Every figure's scenario is shipped, its columns are outputs of that scenario, its institution exists."""
    targets, _ = load_targets()
    for key, t in targets.targets.items():
        assert t.scenario in list_scenarios(), key
        sc = load_scenario(t.scenario)
        columns = simulate(sc.with_overrides(scale=0.0005, days=2), seed=0).timeseries.columns
        assert set(t.measure.columns) <= set(columns), key
        assert set(t.measure.chosen() or []) <= set(sc.institutions), key
        assert set(t.measure.of or []) <= set(columns), key


def test_shipped_fit_targets_are_dated_up_to_mid_2023_and_later_ones_held_out() -> None:
    """The split of issue 12: fitted figures end by mid-2023; everything later is held out."""
    targets, _ = load_targets()
    assert str(targets.fit_until) == "2023-06-30"
    assert all(t.date <= targets.fit_until for t in targets.targets.values() if t.role == "fit")
    assert {k for k, t in targets.targets.items() if t.date > targets.fit_until} <= {
        k for k, t in targets.targets.items() if t.role == "holdout"
    }


def test_shipped_priors_are_assumptions_within_their_allowed_ranges() -> None:
    """The shipped calibration tables build: only assumption fields, priors inside the schema's ranges."""
    targets, path = load_targets()
    for name, spec in targets.calibrate.items():
        priors = build_priors(load_scenario(name), spec, str(path))
        assert (priors.low < priors.high).all()


def test_a_point_figure_is_refused(tmp_path: Path) -> None:
    """low = high is a point, not a range: the error names the file and the field."""
    path = _write(tmp_path, GOOD.format(low=10, date="2020-01-01"))
    with pytest.raises(ScenarioError, match=r"targets\.toml.*targets.*range \[low, high\]"):
        load_targets(path)


def test_a_fitted_figure_after_the_cutoff_is_refused(tmp_path: Path) -> None:
    """A figure dated after fit_until cannot be fitted: it must be held out."""
    path = _write(tmp_path, GOOD.format(low=1, date="2024-01-01"))
    with pytest.raises(ScenarioError, match="dated after fit_until"):
        load_targets(path)


def _flagged(independent: str | None, role: str = "holdout", why: str | None = '"a reason"') -> str:
    """GOOD as a held-out figure (by default), with the ``independent`` line given (None: left out)."""
    text = GOOD.format(low=1, date="2024-01-01").replace('role = "fit"', f'role = "{role}"')
    text = text.replace("independent = false\n", "" if independent is None else f"independent = {independent}\n")
    return text.replace('independent_why = "fitted"\n', "" if why is None else f"independent_why = {why}\n")


def test_a_figure_without_the_independent_flag_is_refused(tmp_path: Path) -> None:
    """Every figure says whether it is independent evidence: a missing flag names the file and the field."""
    path = _write(tmp_path, _flagged(None))
    with pytest.raises(ScenarioError, match=r"targets\.toml.*targets\.t\.independent"):
        load_targets(path)


@pytest.mark.parametrize("value", ['"yes"', "1", '"true"', "0.5"])
def test_an_independent_flag_that_is_not_a_boolean_is_refused(tmp_path: Path, value: str) -> None:
    """``independent`` is a TOML boolean: a string or a number is refused, naming the file and the field."""
    path = _write(tmp_path, _flagged(value))
    with pytest.raises(ScenarioError, match=r"targets\.toml.*targets\.t\.independent"):
        load_targets(path)


def test_a_figure_without_its_reason_is_refused(tmp_path: Path) -> None:
    """The flag comes with its why: a missing or empty ``independent_why`` is refused."""
    for why in (None, '""'):
        path = _write(tmp_path, _flagged("true", why=why))
        with pytest.raises(ScenarioError, match=r"targets\.toml.*targets\.t\.independent_why"):
            load_targets(path)


def test_a_fitted_figure_cannot_be_independent(tmp_path: Path) -> None:
    """A figure used to calibrate is never evidence of validity."""
    text = _flagged("true", role="fit").replace("date = 2024-01-01", "date = 2020-01-01")
    with pytest.raises(ScenarioError, match=r"targets\.toml.*'independent' = true on a fitted figure"):
        load_targets(_write(tmp_path, text))


def test_a_held_out_figure_may_be_independent_and_give_its_point(tmp_path: Path) -> None:
    """The flag and a point inside the range load; a point outside the range is refused."""
    good = _flagged("true").replace("high = 10\n", "high = 10\npoint = 4\n")
    targets, _ = load_targets(_write(tmp_path, good))
    assert targets.targets["t"].independent and targets.targets["t"].point == 4
    with pytest.raises(ScenarioError, match=r"targets\.toml.*'point' = 12.0 must lie inside"):
        load_targets(_write(tmp_path, good.replace("point = 4", "point = 12")))


def test_shipped_leaks_are_marked_not_independent() -> None:
    """MODEL-REVIEW section 5: the two held-out figures that set an input are not independent; no fitted one is."""
    targets, _ = load_targets()
    assert not targets.targets["defend_share_fsb"].independent
    assert not targets.targets["waits_of_years"].independent
    assert not any(t.independent for t in targets.targets.values() if t.role == "fit")
    assert all(t.independent_why for t in targets.targets.values())


def test_a_missing_targets_file_is_named(tmp_path: Path) -> None:
    """A path that does not exist is reported as such."""
    with pytest.raises(ScenarioError, match="no such targets file"):
        load_targets(tmp_path / "nope.toml")


def test_a_sourced_field_cannot_be_calibrated() -> None:
    """A contract's length is a sourced figure (B:16): calibrating it is refused; an assumed level is allowed."""
    spec = ScenarioCalibration(scale=0.01, parameters={"institutions.officers.desire_mean": {}})
    sc = load_scenario("army-officers-2019")
    priors = build_priors(sc, spec, "t.toml")  # an assumption: allowed
    assert priors.names == ("institutions.officers.desire_mean",)
    bad = ScenarioCalibration(scale=0.01, parameters={"institutions.conscripts.contract_years": {"prior": [0.5, 2.0]}})
    with pytest.raises(
        ScenarioError, match=r"t\.toml: parameter 'institutions\.conscripts\.contract_years' is a sourced"
    ):
        build_priors(sc, bad, "t.toml")


def test_a_prior_outside_the_allowed_range_is_refused() -> None:
    """A prior wider than the schema allows is an error naming the range."""
    spec = ScenarioCalibration(scale=0.01, parameters={"behaviour.legal_help_uptake": {"prior": [0.0, 2.0]}})
    with pytest.raises(ScenarioError, match=r"leaves the allowed range \[0.0, 1.0\]"):
        build_priors(load_scenario("army-officers-2019"), spec, "t.toml")


def test_an_unknown_field_is_named() -> None:
    """A misspelt parameter names the closest field and the table's fields."""
    spec = ScenarioCalibration(scale=0.01, parameters={"behaviour.absense_bias": {}})
    with pytest.raises(
        ScenarioError, match=r"unknown field 'behaviour.absense_bias' in \[behaviour\]: did you mean 'absence_bias'"
    ):
        build_priors(load_scenario("army-officers-2019"), spec, "t.toml")


CHECKED = (
    GOOD.replace('scenario = "army-officers-2019"', 'scenario = "{scenario}"').replace(
        'measure = {{ columns = ["cases_absence"], days = [0, 10] }}', "measure = {{ {measure} }}"
    )
    + """
[calibrate.{scenario}]
scale = 0.001
parameters = {{ "behaviour.absence_bias" = {{}} }}
"""
)


@pytest.mark.parametrize(
    "measure, words",
    [
        ('columns = ["cases_absense"], days = [0, 10]', "'cases_absense' is not a column of the daily table"),
        ('columns = ["cases_absence"], institution = "generals", days = [0, 10]', "'generals' is not an institution"),
    ],
)
def test_a_measure_no_run_can_produce_is_refused_before_any_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, measure: str, words: str
) -> None:
    """Check before work (issue 26, item 4): an unknown column or institution is refused while building the
    problem, naming the file and the target, before a single proposal is simulated."""
    from exitban.calibration.problem import build_problem

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("a run started before the targets were checked")

    monkeypatch.setattr("exitban.engine.loop.run_days", never)
    path = _write(tmp_path, CHECKED.format(low=1, date="2023-01-01", scenario="army-officers-2019", measure=measure))
    targets, where = load_targets(path)
    with pytest.raises(ScenarioError, match=words) as caught:
        build_problem(load_scenario("army-officers-2019"), targets, where)
    assert str(caught.value).startswith(f"{path}: targets.t.measure.")


def test_the_columns_known_without_a_run_are_the_columns_a_run_writes() -> None:
    """timeseries_columns (the check's list) is what a one-day run writes, for every shipped scenario."""
    from exitban.observe import timeseries_columns

    for name in ("army-officers-2019", "officials-2023"):
        sc = load_scenario(name)
        assert timeseries_columns(sc) == simulate(sc.with_overrides(scale=0.0005, days=2), seed=0).timeseries.columns
