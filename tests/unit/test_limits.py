"""A run that would not fit in memory is refused before allocating, with both figures in the message."""

from __future__ import annotations

import sys
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import exitban
from exitban.cli import app
from exitban.engine.columns import N_TALLIES
from exitban.limits import ENV_LIMIT, ResourceError, available_bytes, check_fits, estimate, parse_bytes
from exitban.scenario import Institution


def test_population_estimate_matches_the_real_arrays(army_small: exitban.Scenario) -> None:
    """The per-person and per-unit bytes in the estimate equal what state.Population really allocates."""
    result = exitban.simulate(army_small, seed=0, days=5)
    pop = result.population
    real = sum(getattr(pop, name).nbytes for name in pop._fields)
    est = estimate(army_small, days=5)
    assert est.positions == pop.n and est.units == pop.n_units and est.agents == int(pop.inst_size0.sum())
    # inst_size0, inst_start and the extra unit_start slot are the only arrays not sized by positions or units
    assert est.population <= real <= est.population + 16 + 16 * len(army_small.institutions)


def test_estimate_covers_what_a_run_holds(army_small: exitban.Scenario) -> None:
    """The total is above the population, queues, series and output table a run holds, and within 3x of them."""
    days = 60
    result = exitban.simulate(army_small, seed=1, days=days)
    pop = result.population
    held = (
        sum(getattr(pop, name).nbytes for name in pop._fields)
        + 2 * 3 * (pop.n + 1) * 4  # the queue ring buffers
        + days * len(army_small.institutions) * 8 * N_TALLIES  # the daily tallies
        + result.timeseries.estimated_size()
    )
    total = estimate(army_small, days).total
    assert held <= total <= 3 * held


def test_estimate_grows_with_agents_and_days(army_small: exitban.Scenario) -> None:
    """Doubling the people about doubles the estimate; more days add to the series and the table."""
    small = estimate(army_small, 10).total
    assert 1.8 < estimate(army_small.with_overrides(scale=0.02), 10).total / small < 2.2
    assert estimate(army_small, 3650).total > small


def test_simulate_refuses_huge_run_without_allocating(monkeypatch: pytest.MonkeyPatch) -> None:
    """10x a 1M-agent scenario for 36,500 days under a 1 GiB budget is refused, allocating almost nothing."""
    monkeypatch.setenv(ENV_LIMIT, "1GiB")
    sc = exitban.load_scenario("army-officers-2019")
    tracemalloc.start()
    try:
        with pytest.raises(ResourceError, match=r"needs about [0-9.]+ GiB of memory, but only 1.0 GiB") as info:
            exitban.simulate(sc, seed=0, days=36_500, scale=10)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 2**20, f"allocated {peak / 2**20:.0f} MiB before refusing"
    assert "10,000,000 agents" in str(info.value) and ENV_LIMIT in str(info.value)


def test_impossible_run_is_refused_on_any_machine() -> None:
    """64 institutions of 50M people at scale 10 (32 billion agents) never fits the detected memory."""
    insts = {f"i{k}": Institution(kind="civil_official", size=50_000_000) for k in range(64)}
    sc = exitban.Scenario(name="huge", institutions=insts, scale=10.0)
    if available_bytes() is None:
        pytest.skip("free memory cannot be read on this platform")
    with pytest.raises(ResourceError, match="32,000,000,000 agents"):
        exitban.simulate(sc)


def test_explicit_budget_decides(army_small: exitban.Scenario) -> None:
    """check_fits passes under a budget above the estimate and refuses one byte below it."""
    need = estimate(army_small).total
    assert check_fits(army_small, budget=need).total == need
    with pytest.raises(ResourceError, match="the given budget"):
        check_fits(army_small, budget=need - 1)


def test_cli_run_refuses_with_exit_2_and_writes_nothing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """`exitban run --scale 10 --days 36500` under a 1 GiB limit exits 2 with the figures and no output."""
    monkeypatch.setenv(ENV_LIMIT, "1GiB")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["run", "army-officers-2019", "--scale", "10", "--days", "36500", "--out", str(out)]
    )
    assert result.exit_code == 2, result.output
    assert "needs about" in result.stderr and "1.0 GiB is available" in result.stderr
    assert result.stdout == ""  # refused before the header and the progress bar
    assert not out.exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1073741824", 2**30), ("1GiB", 2**30), ("500 MB", 500 * 10**6), ("2e9", 2 * 10**9), ("8gib", 8 * 2**30)],
)
def test_parse_bytes(text: str, expected: int) -> None:
    """Sizes in bytes, decimal and binary units are read as bytes."""
    assert parse_bytes(text) == expected


@pytest.mark.parametrize("text", ["lots", "-1GB", "1 parsec", "", ".", "1.2.3GB"])
def test_bad_memory_limit_is_a_clear_error(text: str) -> None:
    """A value of EXITBAN_MEMORY_LIMIT that is not a size is refused, naming the variable."""
    with pytest.raises(exitban.ScenarioError, match=ENV_LIMIT):
        parse_bytes(text)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/meminfo")
def test_available_memory_is_detected_on_linux(monkeypatch: pytest.MonkeyPatch) -> None:
    """On Linux the free memory is read from the system: a positive figure with its source."""
    monkeypatch.delenv(ENV_LIMIT, raising=False)
    found = available_bytes()
    assert found is not None
    assert found[0] > 0 and ("MemAvailable" in found[1] or "cgroup" in found[1])
    assert np.isfinite(found[0])


def test_check_reports_the_estimate_and_warns_when_it_would_not_fit(monkeypatch: pytest.MonkeyPatch) -> None:
    """`exitban check` prints the memory a run needs, and warns (exit 0: the file is valid) if it would not fit."""
    monkeypatch.setenv(ENV_LIMIT, "100MB")
    result = CliRunner().invoke(app, ["check", "army-officers-2019"])
    assert result.exit_code == 0, result.output
    assert "a 365-day run needs about" in result.stdout
    assert "warning: only 95 MiB is available here (EXITBAN_MEMORY_LIMIT): a run would be refused" in result.stdout
    monkeypatch.setenv(ENV_LIMIT, "64GiB")
    assert "warning" not in CliRunner().invoke(app, ["check", "army-officers-2019"]).stdout


def _fake_system(tmp_path: Path, cgroup_line: str, files: dict[str, str]) -> tuple[Path, Path]:
    """A fake /proc and /sys/fs/cgroup: MemAvailable of 64 GiB and the given cgroup files."""
    proc, root = tmp_path / "proc", tmp_path / "cgroup"
    (proc / "self").mkdir(parents=True)
    (proc / "meminfo").write_text(f"MemTotal: {128 * 2**20} kB\nMemAvailable: {64 * 2**20} kB\n")
    (proc / "self" / "cgroup").write_text(cgroup_line + "\n")
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root, proc


def test_cgroup_v2_limit_counts_reclaimable_cache_as_free(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under a cgroup v2 limit of 4 GiB with 3 GiB used, 1 GiB of it inactive page cache, 2 GiB are free."""
    monkeypatch.delenv(ENV_LIMIT, raising=False)
    root, proc = _fake_system(
        tmp_path,
        "0::/job/step",
        {
            "job/memory.max": str(4 * 2**30),
            "job/memory.current": str(3 * 2**30),
            "job/memory.stat": f"anon 123\ninactive_file {2**30}\n",
            "job/step/memory.max": "max",
            "job/step/memory.current": str(2**30),
        },
    )
    assert available_bytes(root, proc) == (2 * 2**30, f"cgroup limit {root / 'job' / 'memory.max'}")


def test_cgroup_v1_limit_of_the_process_cgroup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under a cgroup v1 limit of 8 GiB with 7 GiB used, 1 GiB is free (less than MemAvailable)."""
    monkeypatch.delenv(ENV_LIMIT, raising=False)
    root, proc = _fake_system(
        tmp_path,
        "4:memory:/batch/123",
        {
            "memory/memory.limit_in_bytes": str(2**63 - 4096),  # the root: no limit
            "memory/memory.usage_in_bytes": str(50 * 2**30),
            "memory/batch/123/memory.limit_in_bytes": str(8 * 2**30),
            "memory/batch/123/memory.usage_in_bytes": str(7 * 2**30),
        },
    )
    free, source = available_bytes(root, proc)
    assert free == 2**30 and "batch/123/memory.limit_in_bytes" in source


def test_without_cgroup_limit_memavailable_decides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With no cgroup limit, the figure is MemAvailable."""
    monkeypatch.delenv(ENV_LIMIT, raising=False)
    root, proc = _fake_system(tmp_path, "0::/", {"memory.max": "max", "memory.current": "1000"})
    assert available_bytes(root, proc) == (64 * 2**30, "MemAvailable in /proc/meminfo")


def test_copies_must_fit_together(army_small: exitban.Scenario) -> None:
    """Several runs at once (local workers) need their memory together: two copies refuse a budget one fits."""
    need = estimate(army_small).total
    assert check_fits(army_small, budget=2 * need, copies=2).total == need
    with pytest.raises(ResourceError, match="3 runs at once"):
        check_fits(army_small, budget=2 * need, copies=3)
