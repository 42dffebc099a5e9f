"""Bad input to any verb or to the Python API: one line and the documented exit code, or a typed error naming the argument."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from typer.testing import CliRunner

import exitban
from exitban.cli import app
from exitban.errors import ScenarioError
from exitban.sweep.outputs import check_outputs

TINY = ["--days", "3", "--scale", "0.001"]


@pytest.mark.parametrize("value", ["1e400", "1e30", "inf", "nan", "-5", "lots"])
@pytest.mark.parametrize("verb", [["check", "army-officers-2019"], ["run", "army-officers-2019", *TINY]])
def test_an_impossible_memory_limit_is_one_line(
    verb: list[str], value: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """EXITBAN_MEMORY_LIMIT=1e400 (and other non-sizes) is exit 2 with one line naming the variable."""
    monkeypatch.setenv("EXITBAN_MEMORY_LIMIT", value)
    args = [*verb, "--out", str(tmp_path / "o")] if verb[0] == "run" else verb
    out = CliRunner().invoke(app, args)
    assert out.exit_code == 2, out.output
    assert out.stderr.startswith(f"error: EXITBAN_MEMORY_LIMIT='{value}': ")
    assert len(out.stderr.strip().splitlines()) == 1


def test_negative_zero_is_zero_from_check_to_run(tmp_path: Path) -> None:
    """A spread written -0.0 is the number 0.0: `check` and `run` both accept it (NumPy never sees the sign)."""
    path = tmp_path / "z.toml"
    path.write_text('extends = "army-officers-2019"\nname = "z"\n[institutions.officers]\ndesire_sd = -0.0\n')
    sd = exitban.load_scenario(path).institutions["officers"].desire_sd
    assert sd == 0.0 and math.copysign(1.0, sd) == 1.0
    assert CliRunner().invoke(app, ["check", str(path)]).exit_code == 0
    out = CliRunner().invoke(app, ["run", str(path), *TINY, "--out", str(tmp_path / "r")])
    assert out.exit_code == 0, out.output


@pytest.mark.parametrize(("seed", "kind"), [("1", "str"), (True, "bool"), (1.0, "float"), (None, "NoneType")])
def test_simulate_seed_of_the_wrong_type_is_a_type_error(army_small: exitban.Scenario, seed: object, kind: str) -> None:
    """simulate(seed='1'), seed=True, seed=1.0 raise TypeError naming the argument and the type given."""
    with pytest.raises(TypeError, match=rf"simulate\(\): argument 'seed' must be an int, got {kind}"):
        exitban.simulate(army_small, seed=seed)  # type: ignore[arg-type]


@pytest.mark.parametrize("seed", [-1, 2**63, 10**30])
def test_simulate_seed_out_of_range_is_a_scenario_error(army_small: exitban.Scenario, seed: int) -> None:
    """A negative or too large seed is a ScenarioError with the allowed range."""
    with pytest.raises(ScenarioError, match=r"argument 'seed' = -?\d+: out of range \(allowed: 0 to 2\*\*63 - 1\)"):
        exitban.simulate(army_small, seed=seed)


def test_a_numpy_integer_seed_is_an_int_in_the_summary(army_small: exitban.Scenario) -> None:
    """np.int64(3) is accepted and written to the summary as the plain int 3."""
    result = exitban.simulate(army_small.with_overrides(days=2), seed=np.int64(3))
    assert result.summary["seed"] == 3 and type(result.summary["seed"]) is int


def test_a_text_column_as_output_is_one_line(tmp_path: Path) -> None:
    """`compare --outputs scenario` (a text column) is exit 2 with one line naming it; no traceback."""
    args = ["compare", "army-officers-2019", "army-officers-2019-ban-lifted", "-n", "2", *TINY, "--workers", "1"]
    out = CliRunner().invoke(app, [*args, "--outputs", "scenario,serving", "--out", str(tmp_path / "s")])
    assert out.exit_code == 2, out.output
    assert "unknown output(s) ['scenario'] (not numbers: scenario; outputs of these runs:" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_outputs_of_a_runs_table_where_every_run_failed() -> None:
    """With no completed run there is no output to analyse, and the message says so."""
    runs = pl.DataFrame({"run_id": ["a"], "point": [0], "status": ["failed"], "error": ["boom"]})
    with pytest.raises(ScenarioError, match=r"unknown output\(s\) \['serving'\] \(outputs of these runs: none"):
        check_outputs(runs, ["serving"])
