"""`exitban run --out`: checked before running, no foreign file overwritten, no stale result left beside new data."""

from __future__ import annotations

import importlib
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import exitban
from exitban.cli import app
from exitban.runfolder import RUN_FILES, clear_stale, foreign_entries, prepare, vouch_report

SMALL = ["run", "army-officers-2019", "--days", "2", "--scale", "0.001"]


def _never(*args: object, **kwargs: object) -> None:
    raise AssertionError("simulate ran although the output was refused")


def test_a_folder_with_other_files_is_refused_before_running(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unrelated summary.json and scenario.toml are not overwritten: exit 2, nothing run, files unchanged."""
    (tmp_path / "summary.json").write_text('{"my": "notes"}')
    (tmp_path / "scenario.toml").write_text("mine = true\n")
    monkeypatch.setattr("exitban.cli.run.simulate", _never)
    out = CliRunner().invoke(app, [*SMALL, "--out", str(tmp_path)])
    assert out.exit_code == 2
    assert "holds files exitban did not write (summary.json)" in out.stderr and "--overwrite" in out.stderr
    assert (tmp_path / "summary.json").read_text() == '{"my": "notes"}'
    assert (tmp_path / "scenario.toml").read_text() == "mine = true\n"


def test_overwrite_writes_beside_other_files_and_keeps_them(tmp_path: Path) -> None:
    """With --overwrite the run is written and a file exitban does not name is kept."""
    (tmp_path / "notes.txt").write_text("keep me")
    out = CliRunner().invoke(app, [*SMALL, "--out", str(tmp_path), "--overwrite"])
    assert out.exit_code == 0, out.output
    assert (tmp_path / "notes.txt").read_text() == "keep me"
    assert {f for f in RUN_FILES} <= {p.name for p in tmp_path.iterdir()}


def test_out_under_proc_is_refused_before_running(monkeypatch: pytest.MonkeyPatch) -> None:
    """`--out /proc/x` fails at once with exit 2, not after the simulation."""
    monkeypatch.setattr("exitban.cli.run.simulate", _never)
    out = CliRunner().invoke(app, [*SMALL, "--out", "/proc/exitban-test/x"])
    assert out.exit_code == 2
    assert out.stderr.startswith("error: --out /proc/exitban-test/x: cannot write there")


def test_report_out_that_cannot_be_written_is_refused_before_running(monkeypatch: pytest.MonkeyPatch) -> None:
    """`exitban report SCENARIO --out` in an unwritable place fails before any run."""
    monkeypatch.setattr(importlib.import_module("exitban.simulate"), "simulate", _never)  # `report` imports it late
    out = CliRunner().invoke(app, ["report", "army-officers-2019", "--out", "/proc/exitban-test/r.html"])
    assert out.exit_code == 2
    assert "cannot write there" in out.stderr


def test_a_rewritten_run_folder_has_no_stale_report(tmp_path: Path, army_small: exitban.Scenario) -> None:
    """A new run into a folder removes the old run's report.html, its PNGs and temporary files."""
    result = exitban.simulate(army_small.with_overrides(days=3), seed=0)
    run = result.write(tmp_path / "run")
    (run / "report.html").write_text("old report")
    (run / "report-plots").mkdir()
    (run / "report-plots" / "headcount.png").write_bytes(b"old")
    vouch_report(run, run / "report.html")  # as `exitban report RUN` lists what it writes
    (run / ".timeseries.parquet.k2j4.part").write_bytes(b"half")
    result.write(run)
    assert sorted(p.name for p in run.iterdir()) == sorted(RUN_FILES)


def test_with_a_list_only_vouched_files_are_exitbans(tmp_path: Path, army_small: exitban.Scenario) -> None:
    """A run file edited by hand, or a report.html exitban did not list, is the user's: refused, then kept."""
    result = exitban.simulate(army_small.with_overrides(days=3), seed=0)
    run = result.write(tmp_path / "run")
    assert foreign_entries(run) == []
    (run / "report.html").write_text("my own report")
    (run / "scenario.toml").write_text((run / "scenario.toml").read_text() + "# my note\n")
    assert foreign_entries(run) == ["report.html", "scenario.toml"]
    with pytest.raises(exitban.ExitbanError, match=r"holds files exitban did not write \(report.html, scenario.toml\)"):
        prepare(run)
    assert clear_stale(run) == []
    assert (run / "report.html").read_text() == "my own report"


# a folder without a checksums.json (an older exitban's) is judged by its names
OWN = [
    *(f for f in RUN_FILES if f != "checksums.json"),
    "report.html",
    ".summary.json.a1.part",
    ".timeseries.parquet.zz.part",
]
OTHER = ["notes.txt", "report.htm", ".summary.json", "x.part", ".other.part", "summary.json.bak", "data.csv"]


@settings(max_examples=60, deadline=None)
@given(
    own=st.sets(st.sampled_from(OWN)),
    other=st.sets(st.sampled_from(OTHER)),
    pngs=st.sets(st.sampled_from(["a.png", "b.txt"])),
)
def test_prepare_and_clear_touch_only_exitban_files(own: set[str], other: set[str], pngs: set[str]) -> None:
    """Any mix of files: refused iff something is not exitban's; clearing never removes a file exitban does not name."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name in own | other:
            text = '{"scenario_hash": "h", "version": "v", "seed": 0}' if name == "summary.json" else "x"
            (folder / name).write_text(text)
        for name in pngs:
            (folder / "report-plots").mkdir(exist_ok=True)
            (folder / "report-plots" / name).write_text("x")
        expected_foreign = sorted(other) + (["report-plots/b.txt"] if "b.txt" in pngs else [])
        assert sorted(foreign_entries(folder)) == sorted(expected_foreign)
        if expected_foreign:
            with pytest.raises(exitban.ExitbanError, match="holds files exitban did not write"):
                prepare(folder)
        else:
            prepare(folder)
        clear_stale(folder)
        left = {p.name for p in folder.iterdir()}
        assert other <= left
        assert left & set(OWN) == own & set(RUN_FILES)
        assert ("b.txt" in pngs) == (folder / "report-plots" / "b.txt").exists()
