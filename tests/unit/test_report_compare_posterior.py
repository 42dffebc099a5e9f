"""The report's comparisons of a calibrated scenario (issue 23, item 4): parameter sets drawn from the posterior
x seeds, paired across the scenarios; each difference with its 90% band and the band's variance split.

As for ``exitban compare``, the test needs no exact output: two posteriors of one field, narrow and wide,
on a scenario pair whose difference grows with that field.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest
from typer.testing import CliRunner

import exitban
import exitban.report
from exitban.cli import app
from exitban.report.differences import Differences

FIELD = "institutions.officers.desire_mean"  # more who want out: more leave once the ban is lifted
PAIR = ["army-officers-2019", "army-officers-2019-ban-lifted"]
TINY = ["--scale", "0.002", "--days", "90", "--workers", "1"]


def _posterior(tmp_path: Path, name: str, values: list[float]) -> Path:
    path = tmp_path / name / "posterior.parquet"
    path.parent.mkdir()
    pl.DataFrame({FIELD: values, "weight": [1.0 / len(values)] * len(values)}).write_parquet(path)
    return path


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[Differences | None]:
    """Keep the Differences the CLI hands to write_report (the report is still written)."""
    seen: list[Differences | None] = []
    original = exitban.report.write_report

    def spy(*args: object, **kw: object) -> object:
        seen.append(kw.get("differences"))  # type: ignore[arg-type]
        return original(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(exitban.report, "write_report", spy)
    return seen


def _report(tmp_path: Path, posterior: Path, name: str, *more: str) -> tuple[str, Path]:
    html = tmp_path / f"{name}.html"
    args = ["report", PAIR[0], "--compare", PAIR[1], *TINY, "--posterior", str(posterior), "--out", str(html), *more]
    out = CliRunner().invoke(app, args)
    assert out.exit_code == 0, out.output
    return " ".join(out.output.split()), html


def test_the_reports_band_widens_when_the_posterior_is_wider(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Same draws, seeds and scenarios: the wide posterior's band of the exits' difference is the wider, and more
    of its variance comes from the parameters; the page shows the table and says where the band comes from."""
    seen = _spy(monkeypatch)
    found = {}
    for name, values in (("narrow", np.linspace(0.49, 0.51, 20)), ("wide", np.linspace(0.2, 0.8, 20))):
        output, html = _report(tmp_path, _posterior(tmp_path, name, list(values)), name, "-n", "2", "--draws", "6")
        assert "6 parameter sets, paired across the scenarios" in output
        d = seen[-1]
        assert d is not None and (d.draws, d.seeds, d.reference) == (6, 2, PAIR[0])
        row = d.table.filter((pl.col("label") == PAIR[1]) & (pl.col("metric") == "exits_per_1000")).row(0, named=True)
        assert row["band_low"] <= row["mean"] <= row["band_high"]
        assert row["from_parameters"] + row["from_chance"] == pytest.approx(1.0)
        found[name] = row
        page = html.read_text(encoding="utf-8")
        assert 'id="difference-table"' in page and "6 parameter sets drawn from the calibration" in page
    width = {k: r["band_high"] - r["band_low"] for k, r in found.items()}
    assert width["wide"] > 2 * width["narrow"], width
    assert found["wide"]["from_parameters"] > found["narrow"]["from_parameters"]


def test_draws_zero_compares_over_seeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A calibrated scenario compared with --draws 0 keeps the scenarios' own values: bands over seeds, no split."""
    seen = _spy(monkeypatch)
    html = tmp_path / "seeds.html"
    args = ["report", "army-officers-2019-calibrated", "--compare", PAIR[1], *TINY, "-n", "2", "--draws", "0"]
    out = CliRunner().invoke(app, [*args, "--out", str(html)])
    assert out.exit_code == 0, out.output
    assert seen == [None] and 'id="difference-table"' not in html.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("more", "message"),
    [
        (["-n", "1", "--draws", "3"], "each parameter set drawn needs 2 or more seeds"),
        (["--compare", "RUNDIR"], "a run directory is read as it was written and cannot run the posterior"),
    ],
)
def test_a_comparison_that_cannot_split_its_band_is_refused(tmp_path: Path, more: list[str], message: str) -> None:
    """One seed a draw cannot split a band; a run directory cannot rerun the draws: refused before any run."""
    run_dir = tmp_path / "run"
    exitban.simulate(exitban.load_scenario(PAIR[1]).with_overrides(scale=0.002, days=5), seed=0).write(run_dir)
    posterior = _posterior(tmp_path, "p", [0.3, 0.7])
    more = [str(run_dir) if m == "RUNDIR" else m for m in more]
    html = tmp_path / "refused.html"
    args = ["report", PAIR[0], "--compare", PAIR[1], *TINY, "--posterior", str(posterior), *more, "--out", str(html)]
    out = CliRunner().invoke(app, args)
    assert out.exit_code == 2, out.output
    assert message in out.output and not html.exists()


def test_draws_without_compare_is_refused() -> None:
    """--draws belongs to --compare; alone, -n N already draws N-1 parameter sets."""
    out = CliRunner().invoke(app, ["report", PAIR[0], *TINY, "--draws", "3"])
    assert out.exit_code == 2 and "--draws 3: for --compare" in out.output
