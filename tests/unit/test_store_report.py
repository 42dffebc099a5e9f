"""`exitban report STORE`: response curves, sensitivity bars and discovery for a sweep; bands for a comparison."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

import exitban
from exitban.cli import app
from exitban.report import RunData, replicate
from exitban.report.bands import replicate_all
from tests.helpers import seal

runner = CliRunner()
SPEC = """
name = "{name}"
base = "army-officers-2019"
days = 30
scale = 0.001
design = "{design}"
replications = {reps}
root_seed = 3
{samples}
[parameters."regime.prosecution_threat"]
{p1}
[parameters."pressure.pressure_rate"]
{p2}
"""


def _images(html: Path) -> dict[str, bytes]:
    text = html.read_text()
    found = re.findall(r'data-plot="([a-z_]+)"[^>]*src="data:image/png;base64,([^"]+)"', text)
    return {name: base64.b64decode(data) for name, data in found}


@pytest.fixture(scope="module")
def grid_store(tmp_path_factory) -> Path:
    """A 3 x 2 grid with two replications, run in this process."""
    root = tmp_path_factory.mktemp("grid")
    spec = root / "grid.toml"
    p1, p2 = "values = [0.0, 0.4, 0.8]", "range = [0.0, 0.06]\nlevels = 2"
    spec.write_text(SPEC.format(name="grid", design="grid", reps=2, samples="", p1=p1, p2=p2))
    res = runner.invoke(app, ["sweep", str(spec), "--out", str(root / "store"), "--workers", "1"])
    assert res.exit_code == 0, res.output
    return root / "store"


def test_sweep_store_report_has_curves_and_discovery(grid_store) -> None:
    """The report of a grid store draws response curves and the discovery plot, with the box table, from disk."""
    res = runner.invoke(app, ["report", str(grid_store), "--outcome", "want_out"])
    assert res.exit_code == 0, res.output
    html = grid_store / "report.html"
    images = _images(html)
    assert set(images) == {"response", "surface", "discovery"}
    assert all(blob.startswith(b"\x89PNG") for blob in images.values())
    text = html.read_text()
    assert "Scenario discovery: want_out" in text and "12 completed runs" in text
    assert (grid_store / "report-plots" / "response.png").is_file()


def test_grid_surface_has_every_value_pair_averaged_over_seeds(grid_store) -> None:
    """The heat map's table has one cell per grid value pair, each the mean of that pair's runs (two seeds)."""
    from exitban.report.store import load_store, surface_grid, surface_pairs

    data = load_store(grid_store)
    x, y = "regime.prosecution_threat", "pressure.pressure_rate"
    assert surface_pairs(data) == [(x, y)]
    cells = surface_grid(data, "want_out", x, y)
    assert cells.height == 3 * 2 and cells["runs"].to_list() == [2] * 6
    for row in cells.iter_rows(named=True):
        runs = data.runs.filter((pl.col(x) == row[x]) & (pl.col(y) == row[y]))
        assert row["mean"] == pytest.approx(runs["want_out"].cast(pl.Float64).mean())


def test_sobol_store_report_draws_indices_with_intervals(tmp_path) -> None:
    """A Sobol sweep without sensitivity.parquet still gets its indices, as bars with their intervals."""
    spec = tmp_path / "sobol.toml"
    p1, p2 = "range = [0.0, 0.8]", "range = [0.0, 0.08]"
    spec.write_text(SPEC.format(name="sob", design="sobol", reps=1, samples="samples = 8", p1=p1, p2=p2))
    assert runner.invoke(app, ["sweep", str(spec), "--out", str(tmp_path / "s"), "--workers", "1"]).exit_code == 0
    res = runner.invoke(app, ["report", str(tmp_path / "s"), "--out", str(tmp_path / "s.html")])
    assert res.exit_code == 0, res.output
    assert set(_images(tmp_path / "s.html")) == {"response", "surface", "sensitivity", "discovery"}


def test_compare_store_report_has_bands_and_table(compare_store) -> None:
    """The report of a comparison store draws the daily bands and the means, and tabulates compare.parquet."""
    store = compare_store
    res = runner.invoke(app, ["report", str(store)])
    assert res.exit_code == 0, res.output
    assert set(_images(store / "report.html")) == {"compare", "compare_means"}
    assert 'id="compare-table"' in (store / "report.html").read_text()


def test_unknown_outcome_is_refused_with_the_list(grid_store) -> None:
    """--outcome names an output of the runs, or the command exits 2 listing them."""
    res = runner.invoke(app, ["report", str(grid_store), "--outcome", "nonsense", "--out", "unused.html"])
    assert res.exit_code == 2 and "unknown output(s) ['nonsense']" in res.output and "exits_total" in res.output
    assert not Path("unused.html").exists()


def test_store_refuses_set_and_compare(grid_store) -> None:
    """A store is read as written: --set and --compare are usage errors."""
    res = runner.invoke(app, ["report", str(grid_store), "--set", "days=3"])
    assert res.exit_code == 2 and "is a store" in res.output


def test_replications_on_an_executor_equal_serial_runs() -> None:
    """report --compare's replications (on a sweep executor) give the same tables as running each seed in turn."""
    sc = exitban.load_scenario("army-officers-2019").with_overrides(scale=0.001, days=15)
    ((label, runs),) = replicate_all([("base", sc)], [4, 5])
    _, serial = replicate(sc, [4, 5], label="base")
    assert label == "base"
    for a, b in zip(runs, serial, strict=True):
        assert isinstance(a, RunData)
        assert a.timeseries.equals(b.timeseries.select(a.timeseries.columns))
        assert a.totals.equals(b.totals)
    assert pl.concat([r.timeseries for r in runs]).height == 2 * 15 * 4


@pytest.fixture(scope="module")
def compare_store(tmp_path_factory) -> Path:
    """Two scenarios, two replications of 20 days at scale 0.001, compared in this process."""
    store = tmp_path_factory.mktemp("cmp") / "store"
    args = ["compare", "army-officers-2019", "army-officers-2019-ban-lifted", "-n", "2", "--days", "20"]
    res = runner.invoke(app, [*args, "--scale", "0.001", "--seed", "7", "--out", str(store), "--workers", "1"])
    assert res.exit_code == 0, res.output
    return store


def test_store_bands_equal_the_bands_of_the_same_runs(compare_store) -> None:
    """A comparison store's bands (read from disk, shares by observe.derive) equal those of the same seeds run afresh."""
    from exitban.report.bands import bands
    from exitban.report.store import compare_bands, load_store
    from exitban.sweep.spec import derive_seed

    stored = compare_bands(load_store(compare_store))
    seeds = [derive_seed(7, r) for r in range(2)]
    names = ["army-officers-2019", "army-officers-2019-ban-lifted"]
    fresh = bands([replicate(exitban.load_scenario(n).with_overrides(days=20, scale=0.001), seeds) for n in names])
    assert stored.labels == fresh.labels == names
    assert stored.table.sort("label", "metric", "day").equals(fresh.table.sort("label", "metric", "day"))


def test_a_damaged_timeseries_is_refused_before_its_bands_are_drawn(compare_store, tmp_path) -> None:
    """A stored table changed in place (same size, other bytes) fails the SHA-256 check: exit 2, no report."""
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(compare_store, copy)
    target = sorted((copy / "timeseries").glob("*.parquet"))[1]
    blob = bytearray(target.read_bytes())
    blob[len(blob) // 2] ^= 0xFF
    target.write_bytes(bytes(blob))
    res = runner.invoke(app, ["report", str(copy), "--out", str(tmp_path / "r.html")])
    assert res.exit_code == 2 and "does not match the size and SHA-256 in its record" in res.output
    assert target.name in res.output and not (tmp_path / "r.html").exists()


def test_a_comparison_store_without_its_scenarios_is_refused(compare_store, tmp_path) -> None:
    """A comparison store whose manifest lacks the scenarios as they ran says to run compare again."""
    import json
    import shutil

    copy = tmp_path / "old"
    shutil.copytree(compare_store, copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    del manifest["resolved"]
    (copy / "manifest.json").write_text(json.dumps(manifest))
    seal(copy, "manifest.json")  # as an older exitban's store would be listed
    res = runner.invoke(app, ["report", str(copy), "--out", str(tmp_path / "r.html")])
    assert res.exit_code == 2 and "does not keep the scenarios as they ran" in res.output


def test_heat_map_cells_and_png_stamps_are_plain_numbers(grid_store) -> None:
    """A cell reads 9,990 or 10,000, never 9.99e+03; each exported PNG says it is simulated and from which store."""
    import io

    from PIL import Image

    from exitban.report.framing import about
    from exitban.report.store import load_store, response_surfaces

    assert (about(9990.4, 3), about(10_004, 3), about(0.1234, 3)) == ("9,990", "10,000", "0.123")  # what a cell uses
    data = load_store(grid_store)
    fig = response_surfaces(data, "want_out")
    cells = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert cells and not [c for c in cells if "e+" in c or "e-" in c]
    assert runner.invoke(app, ["report", str(grid_store), "--outcome", "want_out"]).exit_code == 0
    png = (grid_store / "report-plots" / "response.png").read_bytes()
    info = Image.open(io.BytesIO(png)).text
    assert info["Title"] == "Response curves" and info["Description"].startswith("simulated — sweep store ")
