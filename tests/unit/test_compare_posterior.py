"""``exitban compare`` over a posterior (issue 23, item 4): paired draws and seeds, the difference's 90% band,
and the band's variance split into the parameters' part and chance's.

The band's test needs no exact output: two posteriors of one field, narrow and wide, on a tiny
scenario pair whose difference grows with that field; the wide one's band must be the wider, and
the parameters' share of its variance the larger.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest
from typer.testing import CliRunner

from exitban.cli import app
from exitban.errors import ScenarioError
from exitban.sweep.compare import nested_spread
from exitban.workflow import compare

FIELD = "institutions.officers.desire_mean"  # more who want out: more leave once the ban is lifted
SCALE, DAYS = 0.002, 90
PAIR = ["army-officers-2019", "army-officers-2019-ban-lifted"]


def _posterior(tmp_path: Path, name: str, values: list[float]) -> Path:
    path = tmp_path / name / "posterior.parquet"
    path.parent.mkdir()
    pl.DataFrame({FIELD: values, "weight": [1.0 / len(values)] * len(values)}).write_parquet(path)
    return path


def test_the_nested_split_of_known_layouts() -> None:
    """Rows are draws, columns seeds: equal rows are chance alone; constant rows that differ are parameters alone."""
    chance = nested_spread(np.array([[1.0, 3.0], [1.0, 3.0], [1.0, 3.0]]))
    assert chance.chance == pytest.approx(2.0) and chance.parameters == 0.0 and chance.chance_share == 1.0
    params = nested_spread(np.array([[0.0, 0.0], [10.0, 10.0]]))
    assert params.chance == 0.0 and params.parameters == pytest.approx(50.0) and params.parameters_share == 1.0
    both = nested_spread(np.array([[0.0, 2.0], [10.0, 12.0]]))  # W = 2, var(means 1, 11) = 50: B = 50 - 2 / 2
    assert both.parameters == pytest.approx(49.0) and both.parameters_share == pytest.approx(49 / 51)
    assert (both.low, both.high) == pytest.approx(tuple(np.quantile([0.0, 2.0, 10.0, 12.0], [0.05, 0.95])))
    with pytest.raises(ValueError, match="2 or more seeds"):
        nested_spread(np.zeros((3, 1)))


def test_the_band_widens_when_the_posterior_is_wider(tmp_path: Path) -> None:
    """Same draws count, seeds and scenarios: a posterior spread over [0.2, 0.8] gives a wider 90% band of the
    difference than one within [0.49, 0.51], and more of its variance comes from the parameters."""
    narrow = _posterior(tmp_path, "narrow", list(np.linspace(0.49, 0.51, 20)))
    wide = _posterior(tmp_path, "wide", list(np.linspace(0.2, 0.8, 20)))
    found = {}
    for name, path in (("narrow", narrow), ("wide", wide)):
        table = compare(PAIR, 2, seed=3, days=DAYS, scale=SCALE, outputs=["exits_total"], posterior=path, draws=6)
        row = table.filter(pl.col("scenario") == PAIR[1]).row(0, named=True)
        assert row["n"] == 12  # 6 draws x 2 seeds, every one paired
        assert row["band_low"] <= row["diff"] <= row["band_high"]
        assert row["from_parameters"] + row["from_chance"] == pytest.approx(1.0)
        found[name] = row
    width = {k: r["band_high"] - r["band_low"] for k, r in found.items()}
    assert width["wide"] > 2 * width["narrow"], width
    assert found["wide"]["from_parameters"] > found["narrow"]["from_parameters"]
    assert found["wide"]["from_parameters"] > 0.5


def test_draws_are_paired_across_the_scenarios(tmp_path: Path) -> None:
    """Replicate p x S + s takes draw p and the same seed in every arm; the drawn value is in the runs table."""
    from exitban.sweep.compare import compare_tasks

    sets = [{FIELD: 0.3}, {FIELD: 0.7}]
    tasks, man = compare_tasks(PAIR, 2, 0, DAYS, SCALE, draws=sets, drawn_from="test")
    assert man["draws"] == 2 and man["seeds_per_draw"] == 2 and len(tasks) == 8
    by = {(t.point, t.replicate): t for t in tasks}
    for r in range(4):
        first, other = by[(0, r)], by[(1, r)]
        assert first.seed == other.seed and first.params == other.params == {FIELD: sets[r // 2][FIELD], "draw": r // 2}
        assert other.scenario["institutions"]["officers"]["desire_mean"] == sets[r // 2][FIELD]
    plain, plain_man = compare_tasks(PAIR, 2, 0, DAYS, SCALE)
    assert len(plain) == 4 and "draws" not in plain_man and all(t.params == {} for t in plain)
    assert plain_man["spec_hash"] != man["spec_hash"]


def test_a_posterior_the_sets_fix_or_no_posterior_at_all_is_refused(tmp_path: Path) -> None:
    """--set on a drawn field would be undone by the draws; --draws without any posterior has nothing to draw."""
    path = _posterior(tmp_path, "p", [0.4, 0.6])
    with pytest.raises(ScenarioError, match="which --set also fixes"):
        compare(PAIR, 2, days=DAYS, scale=SCALE, sets=[f"{FIELD}=0.5"], posterior=path, draws=2)
    with pytest.raises(ScenarioError, match="no compared scenario is calibrated"):
        compare(PAIR, 2, days=DAYS, scale=SCALE, draws=2)
    with pytest.raises(ScenarioError, match="--draws 0 compares over seeds alone"):
        compare(PAIR, 2, days=DAYS, scale=SCALE, posterior=path, draws=0)


def test_compare_prints_the_band_and_its_split(tmp_path: Path) -> None:
    """The command line prints the band and the shares; without a posterior the table is as before."""
    path = _posterior(tmp_path, "p", [0.3, 0.7])
    args = ["compare", *PAIR, "-n", "2", "--scale", str(SCALE), "--days", str(DAYS), "--workers", "1"]
    args += ["--outputs", "exits_total"]
    result = CliRunner().invoke(app, [*args, "--posterior", str(path), "--draws", "2", "--out", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    assert "90% band" in result.output and "parameters / chance" in result.output
    assert "2 parameter sets drawn from the posterior (" in result.output
    assert "x 2 seeds, the same in every scenario" in " ".join(result.output.split())
    stored = pl.read_parquet(tmp_path / "s" / "compare.parquet")
    assert {"band_low", "band_high", "from_parameters", "from_chance"} <= set(stored.columns)
    plain = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "plain")])
    assert plain.exit_code == 0, plain.output
    assert "90% band" not in plain.output
    assert "band_low" not in pl.read_parquet(tmp_path / "plain" / "compare.parquet").columns


def test_a_calibrated_scenario_brings_its_posterior() -> None:
    """A shipped calibrated scenario is compared over draws of its own posterior by default."""
    from exitban.workflow import DEFAULT_DRAWS, posterior_draws

    name = "army-officers-2019-calibrated"
    drawn = posterior_draws([name, "army-officers-2019-ban-lifted"], None, None, 0)
    assert drawn is not None
    sets, where = drawn
    assert len(sets) == DEFAULT_DRAWS and "posterior.parquet" in where
    assert sets[0] and all(k.startswith("behaviour.") for k in sets[0])  # the shipped posterior's fields
    assert posterior_draws([name, "army-officers-2019-ban-lifted"], None, 0, 0) is None
