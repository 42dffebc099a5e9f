"""A calibrated run's report: with -n N, runs 2 to N draw their parameters from the posterior, and the bands say so."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

import exitban
import exitban.report
from exitban.calibration.posterior import read_posterior
from exitban.cli import app
from exitban.errors import ScenarioError
from exitban.report.bands import Seeds
from exitban.report.posterior import drawn_scenarios
from exitban.scenario.load import to_toml

FIELD = "behaviour.absence_bias"
VALUES = (2.0, 4.0)  # both far from the scenario's own -3.0
TINY = ["--scale", "0.004", "--days", "20", "--workers", "1"]
PREDICTIVE = (
    "posterior predictive 5-95% band over 3 runs (parameters drawn from the calibration&#39;s posterior, one seed each)"
)


def _posterior(path: Path, drop: str = "", **columns: list[object]) -> Path:
    """A posterior table as a calibration writes it (parameters, unit-box coordinates, a figure, weights), changed."""
    table = {FIELD: list(VALUES), f"u.{FIELD}": [0.55, 0.6], "value.absence_cases": [1.0, 2.0], "weight": [0.5, 0.5]}
    pl.DataFrame({**table, **columns}).drop(drop or []).write_parquet(path)
    return path


@pytest.fixture
def calibrated(tmp_path: Path) -> Path:
    """A calibrated scenario's TOML with its posterior.parquet beside it, as a user calibration leaves them."""
    sc = exitban.load_scenario("officials-2023").with_overrides(name="officials-2023-calibrated")
    path = tmp_path / "officials-2023-calibrated.toml"
    path.write_text(to_toml(sc), encoding="utf-8")
    _posterior(tmp_path / "posterior.parquet")
    return path


def _spy_on_report(monkeypatch: pytest.MonkeyPatch) -> list[Seeds]:
    """Keep the Seeds the CLI hands to write_report (the report is still written)."""
    seen: list[Seeds] = []
    original = exitban.report.write_report

    def spy(*args: object, **kw: object) -> object:
        seen.append(kw["seeds"])  # type: ignore[arg-type]
        return original(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(exitban.report, "write_report", spy)
    return seen


def test_a_calibrated_scenario_bands_its_posterior_draws(
    calibrated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """-n 3 on a calibrated scenario: run 1 keeps its values, runs 2-3 use drawn values and seeds 1-2; captions say so."""
    seen = _spy_on_report(monkeypatch)
    html = tmp_path / "calibrated.html"
    out = CliRunner().invoke(app, ["report", str(calibrated), *TINY, "-n", "3", "--out", str(html)])
    assert out.exit_code == 0, out.output
    assert f"posterior: {calibrated.parent / 'posterior.parquet'}" in out.output
    (seeds,) = seen
    assert seeds.posterior == str(calibrated.parent / "posterior.parquet")
    assert seeds.seeds() == [0, 1, 2]
    values = [r.scenario.behaviour.absence_bias for r in seeds.runs]
    assert values[0] == -3.0  # the lines: the calibrated scenario itself
    assert set(values[1:]) <= set(VALUES)
    base = exitban.load_scenario(calibrated).with_overrides(scale=0.004, days=20)
    expected = [sc.behaviour.absence_bias for sc in drawn_scenarios(base, seeds.posterior, 3, 0)[1:]]
    assert values[1:] == expected  # the k-th of N draws, deterministic in the first seed
    page = html.read_text()
    assert page.count(PREDICTIVE) == len(exitban.report.PLOTS)  # all plots but the waiting times, and the spread
    assert "5-95% band over 3 seeds" not in page
    assert "Posterior predictive spread" in page
    assert "The shaded bands are posterior predictive: 3 runs, 2 of them with parameters drawn" in page


def test_the_drawn_runs_are_not_the_seed_only_runs(calibrated: Path) -> None:
    """With the same seeds, runs of drawn parameters differ from runs of the scenario's own: the band is another."""
    base = exitban.load_scenario(calibrated).with_overrides(scale=0.004, days=20)
    drawn = drawn_scenarios(base, calibrated.parent / "posterior.parquet", 3, 0)[1:]
    with_draws = [exitban.simulate(sc, seed=s).timeseries for sc, s in zip(drawn, (1, 2), strict=True)]
    seed_only = [exitban.simulate(base, seed=s).timeseries for s in (1, 2)]
    assert any(not a.equals(b) for a, b in zip(with_draws, seed_only, strict=True))


def test_posterior_option_on_a_plain_scenario(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--posterior FILE gives any scenario posterior predictive bands; without it, its bands stay over seeds."""
    seen = _spy_on_report(monkeypatch)
    posterior = _posterior(tmp_path / "p.parquet")
    html = tmp_path / "r.html"
    args = ["report", "officials-2023", *TINY, "-n", "3", "--out", str(html)]
    out = CliRunner().invoke(app, [*args, "--posterior", str(posterior)])
    assert out.exit_code == 0, out.output
    assert seen.pop().posterior == str(posterior) and PREDICTIVE in html.read_text()
    out = CliRunner().invoke(app, args)
    assert out.exit_code == 0, out.output
    assert seen.pop().posterior == "" and PREDICTIVE not in html.read_text()
    assert "5-95% band over 3 seeds (seeds 0 to 2)" in html.read_text()


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ({"drop": "weight"}, "no 'weight' column"),
        ({"behaviour.absense_bias": [0.0, 1.0]}, "unknown field 'behaviour.absense_bias'"),
        (
            {FIELD: [2.0, 99.0], "weight": [0.0, 1.0]},
            f"field '{FIELD}' = 99.0: Input should be less than or equal to 20",
        ),
        ({"drop": FIELD}, "no parameter columns"),
        ({"weight": [-1.0, 1.0]}, "'weight' must be >= 0"),
        ({FIELD: ["a", "b"]}, f"column '{FIELD}' is String, not a number"),
    ],
)
def test_a_bad_posterior_is_refused_naming_the_file(tmp_path: Path, columns: dict, message: str) -> None:
    """A posterior without weights, with a field the scenario lacks or a bad value exits 2 naming the file; nothing is written."""
    path = _posterior(tmp_path / "bad.parquet", **columns)
    html = tmp_path / "r.html"
    out = CliRunner().invoke(
        app, ["report", "officials-2023", *TINY, "-n", "3", "--posterior", str(path), "--out", str(html)]
    )
    assert out.exit_code == 2, out.output
    assert str(path) in out.output and message in out.output
    assert "running" not in out.output and not html.exists()


@pytest.mark.parametrize("content", [b"not parquet at all", None])
def test_an_unreadable_posterior_is_refused_naming_the_file(tmp_path: Path, content: bytes | None) -> None:
    """A file that is not Parquet, or no file at all, exits 2 with one line naming it."""
    path = tmp_path / "posterior.parquet"
    if content is not None:
        path.write_bytes(content)
    out = CliRunner().invoke(app, ["report", "officials-2023", *TINY, "-n", "3", "--posterior", str(path)])
    assert out.exit_code == 2, out.output
    assert f"{path}: not a readable posterior Parquet file" in out.output


def test_posterior_needs_replications(tmp_path: Path) -> None:
    """--posterior without -n N > 1 (and without --compare, which draws its own) is refused before any run."""
    posterior = str(_posterior(tmp_path / "p.parquet"))
    alone = CliRunner().invoke(app, ["report", "officials-2023", *TINY, "--posterior", posterior])
    assert alone.exit_code == 2 and "need -n N with N > 1" in alone.output


def test_set_on_a_drawn_parameter_is_refused(tmp_path: Path) -> None:
    """A --set of a field the posterior draws would be undone by every draw: refused, naming the file and field."""
    posterior = _posterior(tmp_path / "p.parquet")
    args = ["report", "officials-2023", *TINY, "-n", "3", "--posterior", str(posterior), "--set", f"{FIELD}=1.0"]
    out = CliRunner().invoke(app, args)
    assert out.exit_code == 2 and f"{posterior}: draws {FIELD}, which --set also fixes" in out.output


def test_draws_are_deterministic_and_take_only_parameter_columns(tmp_path: Path) -> None:
    """The same seed draws the same scenarios; u., value. and weight columns never reach the scenario."""
    path = _posterior(tmp_path / "p.parquet")
    base = exitban.load_scenario("officials-2023")
    a = drawn_scenarios(base, path, 8, seed=5)
    assert a == drawn_scenarios(base, path, 8, seed=5)
    assert {sc.behaviour.absence_bias for sc in a} <= set(VALUES)
    assert all(sc.model_dump(exclude={"behaviour"}) == base.model_dump(exclude={"behaviour"}) for sc in a)
    assert read_posterior(path).height == 2


def test_an_empty_posterior_is_refused(tmp_path: Path) -> None:
    """A posterior with no rows has nothing to draw from."""
    path = tmp_path / "empty.parquet"
    pl.DataFrame({FIELD: [], "weight": []}, schema={FIELD: pl.Float64, "weight": pl.Float64}).write_parquet(path)
    with pytest.raises(ScenarioError, match="'weight' must be >= 0 with a positive, finite sum"):
        read_posterior(path)


def test_weights_that_overflow_are_refused_by_name(tmp_path: Path) -> None:
    """Weights whose sum overflows to infinity would give numpy's message when drawn: refused at once."""
    path = tmp_path / "huge.parquet"
    pl.DataFrame({FIELD: [0.1, 0.2], "weight": [1e308, 1e308]}).write_parquet(path)
    with pytest.raises(ScenarioError, match=f"{path}: 'weight' must be >= 0 with a positive, finite sum"):
        read_posterior(path)


@pytest.mark.parametrize(
    "column, words",
    [
        ("regime.mobilization", "is a switch, not a real-valued field"),
        ("institutions.generals.desire_mean", "generals"),
    ],
)
def test_a_column_that_is_no_real_field_of_the_scenario_is_refused(tmp_path: Path, column: str, words: str) -> None:
    """A posterior column for a switch, or for an institution the scenario lacks: one line naming the file and
    the column, before any run (issue 26, item 4)."""
    path = tmp_path / "p.parquet"
    pl.DataFrame({column: [0.3, 0.7], "weight": [1.0, 1.0]}).write_parquet(path)
    with pytest.raises(ScenarioError, match=words) as caught:
        drawn_scenarios(exitban.load_scenario("officials-2023"), path, 4, seed=0)
    assert str(caught.value).startswith(f"{path}: column '{column}'")


def test_a_run_directory_with_a_posterior(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run directory's report with --posterior: the lines stay the directory's run, the other runs are draws."""
    seen = _spy_on_report(monkeypatch)
    sc = exitban.load_scenario("officials-2023").with_overrides(scale=0.004, days=15)
    run_dir = exitban.simulate(sc, seed=3).write(tmp_path / "run")
    posterior = _posterior(tmp_path / "p.parquet")
    out = CliRunner().invoke(app, ["report", str(run_dir), "-n", "2", "--workers", "1", "--posterior", str(posterior)])
    assert out.exit_code == 0, out.output
    assert "running" not in out.output  # the directory's run is the first of the two
    (seeds,) = seen
    assert seeds.seeds() == [3, 4] and seeds.posterior == str(posterior)
    assert seeds.runs[0].scenario.behaviour.absence_bias == -3.0
    assert seeds.runs[1].scenario.behaviour.absence_bias in VALUES
    assert PREDICTIVE.replace("3 runs", "2 runs") in (run_dir / "report.html").read_text()


@pytest.mark.parametrize("damage", ["truncated", "footer byte", "link outside"])
def test_a_damaged_posterior_is_one_line_and_exit_2(tmp_path: Path, damage: str) -> None:
    """A truncated posterior, one flipped footer byte, or a link out of its folder: exit 2, one line naming it."""
    folder = tmp_path / "cal"
    folder.mkdir()
    path = folder / "posterior.parquet"
    blob = _posterior(tmp_path / "good.parquet").read_bytes()
    if damage == "truncated":
        path.write_bytes(blob[: len(blob) // 2])
    elif damage == "footer byte":
        at = len(blob) - 8 - 40  # inside the footer (its metadata ends 8 bytes before the end)
        path.write_bytes(blob[:at] + bytes([blob[at] ^ 0xFF]) + blob[at + 1 :])
    else:
        path.symlink_to(tmp_path / "good.parquet")
    out = CliRunner().invoke(app, ["report", "officials-2023", *TINY, "-n", "3", "--posterior", str(path)])
    assert out.exception is None or isinstance(out.exception, SystemExit), repr(out.exception)
    assert out.exit_code == 2, out.output
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert f"{path}: not a readable posterior Parquet file" in out.stderr
    if damage == "link outside":
        assert "leads outside its folder" in out.stderr
