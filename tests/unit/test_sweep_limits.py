"""A sweep too large for its limits is refused before anything is allocated, with the figure and the limit."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from exitban.cli import app
from exitban.errors import ResourceError
from exitban.sweep.compare import compare_tasks
from exitban.sweep.sizing import design_points
from exitban.sweep.spec import SweepSpec, build_tasks

BASE = {"base": "army-officers-2019", "days": 5, "scale": 0.001}
NINE_BY_TEN = {f"institutions.officers.{f}": {"values": [i / 20 for i in range(10)]} for f in (
    "junior_share", "desire_mean", "desire_sd", "loyalty_mean", "loyalty_sd", "risk_aversion_mean",
    "competence_mean", "health_mean", "means_mean",
)}  # fmt: skip


def test_a_billion_grid_points_are_refused_at_once_without_memory() -> None:
    """9 parameters x 10 values (10^9 points) are refused in well under a second, allocating almost nothing."""
    spec = SweepSpec.model_validate({**BASE, "parameters": NINE_BY_TEN})
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(ResourceError, match=r"the design has 1,000,000,000 points \(allowed: at most 1,000,000\)"):
        build_tasks(spec)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert time.perf_counter() - started < 5
    assert peak < 50 * 2**20


def test_too_many_runs_are_refused_with_the_product() -> None:
    """20 points x 100,000 replications is refused as 2,000,000 runs."""
    spec = SweepSpec.model_validate(
        {**BASE, "replications": 100_000, "parameters": {"days": {"values": list(range(1, 21))}}}
    )
    with pytest.raises(ResourceError, match=r"20 points x 100,000 replications = 2,000,000 runs \(allowed: at most"):
        build_tasks(spec)


def test_a_sweep_larger_than_the_memory_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """With EXITBAN_MEMORY_LIMIT=20MB, a 2,000-run sweep (about 40 MiB of records) is refused with both figures."""
    monkeypatch.setenv("EXITBAN_MEMORY_LIMIT", "20MB")
    spec = SweepSpec.model_validate({**BASE, "replications": 1000, "parameters": {"days": {"values": [1, 2]}}})
    with pytest.raises(ResourceError, match=r"2,000 runs need about \d+ MiB of memory .* only 19 MiB is available"):
        build_tasks(spec)
    with pytest.raises(ResourceError, match=r"2,000 runs need about"):
        compare_tasks(["officials-2023", "army-officers-2019"], 1000, 0, 5, 0.001)


@settings(max_examples=20, deadline=None)
@given(
    design=st.sampled_from(["grid", "latin", "sobol", "morris"]),
    d=st.integers(1, 4),
    n=st.sampled_from([2, 4, 8]),
    levels=st.integers(2, 4),
)
def test_design_points_counts_what_the_design_builds(design: str, d: int, n: int, levels: int) -> None:
    """The count used for the limits equals the number of rows each design really builds."""
    params = {f"institutions.officers.{f}": {"range": [0.1, 0.9], "levels": levels} for f in
              ["desire_mean", "loyalty_mean", "health_mean", "means_mean"][:d]}  # fmt: skip
    spec = SweepSpec.model_validate({**BASE, "design": design, "samples": None if design == "grid" else n,
                                     "parameters": params})  # fmt: skip
    assert design_points(design, [levels] * d, spec.samples) == len(spec.design_matrix())


def test_cli_refuses_a_huge_sweep_in_one_line(tmp_path: Path) -> None:
    """`exitban sweep` on a 10^9-point spec exits 2 with one line and creates no store."""
    spec = tmp_path / "huge.toml"
    lines = ['base = "army-officers-2019"']
    for key, p in NINE_BY_TEN.items():
        lines += [f'[parameters."{key}"]', f"values = {p['values']}"]
    spec.write_text("\n".join(lines) + "\n")
    out = CliRunner().invoke(app, ["sweep", str(spec), "--out", str(tmp_path / "s")])
    assert out.exit_code == 2
    assert len(out.stderr.strip().splitlines()) == 1 and "1,000,000,000 points" in out.stderr
    assert not (tmp_path / "s").exists()
