"""The Python workflow (exitban.replicate, exitban.compare) gives the CLI's own numbers on the same inputs."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal
from typer.testing import CliRunner

import exitban
from exitban.cli import app
from exitban.errors import ScenarioError

A, B = "army-officers-2019", "army-officers-2019-ban-lifted"
TINY = {"days": 15, "scale": 0.002}
runner = CliRunner()


@pytest.fixture(scope="module")
def api_table() -> pl.DataFrame:
    return exitban.compare([A, B], 3, seed=4, **TINY)


def test_compare_gives_the_numbers_exitban_compare_prints(api_table: pl.DataFrame, tmp_path: Path) -> None:
    args = ["compare", A, B, "-n", "3", "--seed", "4", "--days", "15", "--scale", "0.002", "--workers", "1"]
    result = runner.invoke(app, [*args, "--out", str(tmp_path / "cmp"), "--json"])
    assert result.exit_code == 0, result.output
    cli = pl.DataFrame(json.loads(result.stdout), schema=api_table.schema)
    assert_frame_equal(api_table, cli)
    assert_frame_equal(api_table, pl.read_parquet(tmp_path / "cmp" / "compare.parquet"))
    assert api_table["scenario"].unique(maintain_order=True).to_list() == [A, B]


def test_replicate_runs_the_replicates_compare_pairs(api_table: pl.DataFrame) -> None:
    """Replicate r has compare's seed for r: the mean over replicate's rows is compare's mean for A."""
    runs = exitban.replicate(A, 3, seed=4, **TINY)
    assert runs.height == 3 and runs["status"].to_list() == ["ok"] * 3
    assert runs["replicate"].to_list() == [0, 1, 2] and runs["seed"].n_unique() == 3
    for output in ("serving", "exits_total"):
        row = api_table.filter((pl.col("output") == output) & (pl.col("scenario") == A)).row(0, named=True)
        assert runs[output].cast(pl.Float64).mean() == pytest.approx(row["mean"], rel=1e-12)


def test_replicate_takes_a_scenario_object_and_sets(tmp_path: Path) -> None:
    scenario = exitban.load_scenario(A)
    out = tmp_path / "store"
    on = exitban.replicate(scenario, 2, seed=1, **TINY, out=out)
    off = exitban.replicate(scenario, 2, seed=1, **TINY, sets=["regime.resignation_ban=off"])
    assert (out / "runs.parquet").is_file() and on["seed"].to_list() == off["seed"].to_list()
    assert on["scenario_hash"][0] != off["scenario_hash"][0]
    again = exitban.replicate(scenario, 2, seed=1, **TINY, out=out)  # a kept store: nothing runs twice
    assert_frame_equal(on, again)


def test_unknown_outputs_are_refused_before_any_run() -> None:
    with pytest.raises(ScenarioError, match=r"unknown output\(s\) \['servng'\].*serving"):
        exitban.compare([A, B], 2, outputs=["servng"], **TINY)


MORRIS = {
    "name": "api-morris",
    "base": A,
    "days": 15,
    "scale": 0.002,
    "design": "morris",
    "samples": 2,
    "root_seed": 4,
    "parameters": {"regime.prosecution_threat": {"range": [0.0, 0.8]}, "pressure.pressure_rate": {"range": [0.0, 0.1]}},
    "sensitivity": {"outputs": ["serving", "exits_total"], "num_resamples": 50},
}


def _toml(spec: dict[str, object]) -> str:
    lines = [f"{k} = {json.dumps(v)}" for k, v in spec.items() if not isinstance(v, dict)]
    for name, param in MORRIS["parameters"].items():  # type: ignore[attr-defined]
        lines += [f'[parameters."{name}"]', f"range = {json.dumps(param['range'])}"]
    lines += ["[sensitivity]", 'outputs = ["serving", "exits_total"]', "num_resamples = 50"]
    return "\n".join(lines) + "\n"


def test_sensitivity_and_sweep_give_the_cli_numbers(tmp_path: Path) -> None:
    """The same spec as a dict (Python) and as a file (CLI): the same runs and the same Morris indices."""
    spec_file = tmp_path / "m.toml"
    spec_file.write_text(_toml(MORRIS))
    result = runner.invoke(app, ["sensitivity", str(spec_file), "--out", str(tmp_path / "s"), "--workers", "1"])
    assert result.exit_code == 0, result.output
    indices = exitban.sensitivity(MORRIS)
    assert_frame_equal(indices, pl.read_parquet(tmp_path / "s" / "sensitivity.parquet"))
    assert set(indices["parameter"]) == set(MORRIS["parameters"])  # type: ignore[arg-type]
    runs = exitban.sweep_runs(spec_file)
    stored = pl.read_parquet(tmp_path / "s" / "runs.parquet")
    assert_frame_equal(runs, stored)
    assert runs.height == 2 * 3 and set(MORRIS["parameters"]) <= set(runs.columns)  # type: ignore[arg-type]


GRID = {k: v for k, v in MORRIS.items() if k != "samples"}


def test_a_bad_spec_dict_is_one_line_naming_the_field() -> None:
    with pytest.raises(ScenarioError, match=r"^spec: .*design"):
        exitban.sweep_runs({**MORRIS, "design": "nonsense"})
    with pytest.raises(ScenarioError, match="must be 'sobol' or 'morris'"):
        exitban.sensitivity({**GRID, "design": "grid", "parameters": {"regime.prosecution_threat": {"values": [0.1]}}})


def test_discover_finds_the_known_box() -> None:
    """The outcome rises with a alone: one box, a above its 75th percentile, b left free, every run in it a case."""
    a = [i / 199 for i in range(200)]
    b = [(i * 37 % 200) / 199 for i in range(200)]
    runs = pl.DataFrame({"a": a, "b": b, "exits_total": [10 * x for x in a]})
    boxes = exitban.discover(runs, ["a", "b"], "exits_total")
    assert boxes.columns == ["box", "runs", "coverage", "density", "a_low", "a_high", "b_low", "b_high"]
    best = boxes.row(0, named=True)
    assert best["density"] == 1.0 and best["coverage"] == 1.0 and best["runs"] == 50
    assert best["a_low"] == pytest.approx(0.75, abs=0.01) and best["a_high"] == float("inf")
    assert best["b_low"] == float("-inf") and best["b_high"] == float("inf")
    assert best["box"].startswith("a > 0.7")


def test_plot_draws_each_report_figure_and_names_them_when_wrong() -> None:
    from matplotlib.figure import Figure

    from exitban.report.figures import PLOTS

    result = exitban.simulate(A, seed=2, **TINY)
    for entry in PLOTS:
        fig = exitban.plot(result, entry.name)
        assert isinstance(fig, Figure) and fig.axes, entry.name
    with pytest.raises(exitban.ExitbanError, match=r"no figure 'headcont' \(figures: headcount, institutions"):
        exitban.plot(result, "headcont")
