"""Scenario comparison: per-scenario means with intervals, paired differences under common random numbers."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest

from exitban.errors import ScenarioError
from exitban.sweep import compare_runs, compare_tasks


def test_paired_difference_interval() -> None:
    """Known data: the difference is exact when the replicate noise is shared (common random numbers)."""
    noise = np.array([-3.0, 1.0, 0.5, 2.5, -1.0])
    a, b = 10 + noise, 14 + noise
    runs = pl.DataFrame(
        {"point": [0] * 5 + [1] * 5, "replicate": list(range(5)) * 2, "status": ["ok"] * 10,
         "y": np.concatenate([a, b])}
    )  # fmt: skip
    table = compare_runs(runs, ["A", "B"], ["y"])
    first, second = table.row(0, named=True), table.row(1, named=True)
    half = 2.7764451051977987 * noise.std(ddof=1) / math.sqrt(5)  # t(0.975, 4)
    assert first["mean"] == pytest.approx(10.0) and first["high"] - first["mean"] == pytest.approx(half)
    assert second["diff"] == pytest.approx(4.0) and second["diff_low"] == pytest.approx(4.0)
    assert first["diff"] is None


def test_failed_replicates_drop_out_of_the_pairs() -> None:
    """A failed run counts in neither its scenario's n nor the paired difference."""
    runs = pl.DataFrame(
        {"point": [0, 0, 0, 1, 1, 1], "replicate": [0, 1, 2, 0, 1, 2],
         "status": ["ok", "ok", "ok", "ok", "failed", "ok"], "y": [1.0, 2.0, 3.0, 2.0, None, 5.0]}
    )  # fmt: skip
    table = compare_runs(runs, ["A", "B"], ["y"])
    assert table["n"].to_list() == [3, 2]
    assert table["diff"][1] == pytest.approx(((2 - 1) + (5 - 3)) / 2)


def test_compare_uses_the_same_seed_for_a_replicate_in_every_scenario() -> None:
    """Replicate r has one seed across scenarios; replicates differ from each other."""
    tasks, man = compare_tasks(["army-officers-2019", "army-officers-2019-ban-lifted"], 3, 9, 10, 0.002)
    seeds = {(t.point, t.replicate): t.seed for t in tasks}
    assert all(seeds[(0, r)] == seeds[(1, r)] for r in range(3))
    assert len({seeds[(0, r)] for r in range(3)}) == 3
    assert man["scenarios"] == ["army-officers-2019", "army-officers-2019-ban-lifted"]


def test_compare_needs_two_distinct_scenarios() -> None:
    """One scenario, or the same one twice, is refused."""
    with pytest.raises(ScenarioError, match="at least two"):
        compare_tasks(["army-officers-2019"], 3, 0, None, None)
    with pytest.raises(ScenarioError, match="same scenario twice"):
        compare_tasks(["army-officers-2019", "army-officers-2019"], 3, 0, None, None)


def test_the_same_pair_at_another_scale_is_named_as_such(tmp_path) -> None:
    """Into a store of the same pair made at another scale, compare says what changed, not 'a different compare'."""
    from typer.testing import CliRunner

    from exitban.cli import app

    args = ["compare", "army-officers-2019", "army-officers-2019-ban-lifted", "-n", "2", "--days", "5"]
    args += ["--workers", "1", "--out", str(tmp_path / "s")]
    first = CliRunner().invoke(app, [*args, "--scale", "0.002"])
    assert first.exit_code == 0, first.output
    again = CliRunner().invoke(app, [*args, "--scale", "0.004"])
    assert again.exit_code == 2
    out = " ".join(again.output.split())
    assert "holds this compare ('army-officers-2019 vs army-officers-2019-ban-lifted') run otherwise" in out
    assert "scale 0.002 -> 0.004 (army-officers-2019, army-officers-2019-ban-lifted)" in out
    assert "different compare" not in out
