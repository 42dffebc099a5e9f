"""Every folder exitban writes is vouched for (issue 26 item 2): checksums.json, and readers that trust only it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

import exitban
from exitban.calibration.folder import CalibrationFolder
from exitban.checksums import NAME, Checksums
from exitban.cli import app
from exitban.errors import StoreError
from exitban.sweep import SerialExecutor, SweepSpec, run_sweep
from exitban.sweep.store import Store

SPEC = {
    "name": "vouched",
    "base": "army-officers-2019",
    "days": 5,
    "scale": 0.002,
    "replications": 1,
    "root_seed": 3,
    "parameters": {"regime.prosecution_threat": {"values": [0.1, 0.6]}},
}


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory, army_small: exitban.Scenario) -> Path:
    return exitban.simulate(army_small.with_overrides(days=5), seed=0).write(tmp_path_factory.mktemp("r") / "run")


def _copy(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


def _flip(path: Path, at: int = 20) -> None:
    blob = bytearray(path.read_bytes())
    blob[at % len(blob)] ^= 0x01
    path.write_bytes(bytes(blob))


def _error_lines(out: object) -> list[str]:
    return [line for line in out.stderr.strip().splitlines() if line.startswith("error:")]  # type: ignore[attr-defined]


def test_a_run_folder_lists_every_file_it_holds(run_dir: Path) -> None:
    """checksums.json names each file of the run with its size and SHA-256, and nothing else."""
    listed = Checksums.load(run_dir, "")
    files = {p.name for p in run_dir.iterdir() if p.name != NAME}
    assert set(listed.files) == files
    for name in files:
        assert listed.read(name, name, "") == (run_dir / name).read_bytes()
    assert listed.unlisted() == []


@pytest.mark.parametrize(
    "name", ["summary.json", "scenario.toml", "timeseries.parquet", "tallies.parquet", "histograms.parquet"]
)
def test_a_flipped_byte_in_a_run_file_is_refused_in_one_line(run_dir: Path, tmp_path: Path, name: str) -> None:
    """One changed byte anywhere in a vouched file: exit 2, one error line naming the folder's file."""
    run = _copy(run_dir, tmp_path / "run")
    _flip(run / name)
    out = CliRunner().invoke(app, ["report", str(run), "--out", str(tmp_path / "r.html")])
    assert out.exit_code == 2, out.output
    assert _error_lines(out) == [
        f"error: {run / name}: changed since exitban wrote it (its size or SHA-256 differs from {NAME}); "
        f"run it again: exitban run {run / 'scenario.toml'} --seed SEED --out {run}"
    ]
    assert not (tmp_path / "r.html").exists()


def test_an_extra_file_is_named_not_read_and_the_report_is_listed(run_dir: Path, tmp_path: Path) -> None:
    """A file the list does not name is named in a warning and not read; the report exitban writes joins the list."""
    run = _copy(run_dir, tmp_path / "run")
    (run / "notes.txt").write_text("mine")
    out = CliRunner().invoke(app, ["report", str(run)])
    assert out.exit_code == 0, out.output
    assert f"warning: {run}: not listed in {NAME}, so not read: notes.txt" in out.stderr
    listed = Checksums.load(run, "")
    assert "report.html" in listed and any(n.startswith("report-plots/") for n in listed.files)
    assert listed.unlisted() == ["notes.txt"]


@pytest.mark.parametrize("damage", ["flip", "not json", "deleted", "entry removed"])
def test_a_damaged_list_is_refused(run_dir: Path, tmp_path: Path, damage: str) -> None:
    """A list that is damaged, missing or no longer names a file the run needs: one line, exit 2."""
    run = _copy(run_dir, tmp_path / "run")
    path = run / NAME
    if damage == "flip":
        _flip(path, at=path.read_text().index("sha256") + 12)
    elif damage == "not json":
        path.write_text("{")
    elif damage == "deleted":
        path.unlink()
    else:  # a list edited by hand without its own SHA-256 updated
        data = json.loads(path.read_text())
        del data["files"]["summary.json"]
        path.write_text(json.dumps(data))
    out = CliRunner().invoke(app, ["report", str(run), "--out", str(tmp_path / "r.html")])
    assert out.exit_code == 2, out.output
    (line,) = _error_lines(out)
    expected = {"flip": "damaged (its own SHA-256", "not json": "damaged (not valid JSON)",
                "deleted": f"no {NAME}", "entry removed": "damaged (its own SHA-256"}[damage]  # fmt: skip
    assert expected in line and str(run) in line


def test_an_unlisted_table_is_refused_unread(run_dir: Path, tmp_path: Path) -> None:
    """A run file present but not in the list is exitban's name holding what exitban did not write: refused."""
    from tests.helpers import seal

    run = _copy(run_dir, tmp_path / "run")
    (run / NAME).unlink()
    seal(run, "summary.json", "scenario.toml", "timeseries.parquet", "tallies.parquet")
    out = CliRunner().invoke(app, ["report", str(run), "--out", str(tmp_path / "r.html")])
    assert out.exit_code == 2
    assert f"{run / 'histograms.parquet'}: not listed in {run / NAME}" in _error_lines(out)[0]


def test_a_rewritten_run_folder_gets_a_new_list(run_dir: Path, tmp_path: Path, army_small: exitban.Scenario) -> None:
    """Writing a run over an older one (in place, beside a user's file) leaves a list of the new run."""
    run = _copy(run_dir, tmp_path / "run")
    (run / "mine.txt").write_text("kept")
    exitban.simulate(army_small.with_overrides(days=5), seed=1).write(run)
    listed = Checksums.load(run, "")
    assert json.loads(listed.read("summary.json", "", ""))["seed"] == 1
    assert listed.unlisted() == ["mine.txt"]


def test_calibration_batches_are_vouched_for(tmp_path: Path) -> None:
    """A batch with a flipped byte, or one the list does not name, is refused in one line naming it."""
    folder = CalibrationFolder.open(tmp_path / "c", {"scenario": "a", "hash": "1", "version": "v"})
    frame = pl.DataFrame({"behaviour.absence_bias": [0.1, 0.2], "weight": [0.5, 0.5]})
    folder.save_batch(0, 0, frame)
    folder.save_population(0, frame)
    folder.close()
    assert set(Checksums.load(tmp_path / "c", "").files) == {
        "calibration.json", "generations/gen-000/batch-00000.parquet", "generations/gen-000.parquet"
    }  # fmt: skip
    batch = tmp_path / "c" / "generations" / "gen-000" / "batch-00000.parquet"
    shutil.copy(batch, batch.with_name("batch-00001.parquet"))  # dropped in: not exitban's
    again = CalibrationFolder.open(tmp_path / "c", {"scenario": "a", "hash": "1", "version": "v"})
    with pytest.raises(StoreError, match=r"not listed in checksums.json, so not read nor overwritten: .*batch-00001"):
        again.batches(0)
    batch.with_name("batch-00001.parquet").unlink()
    assert again.batches(0)[0].equals(frame)
    _flip(tmp_path / "c" / "generations" / "gen-000.parquet")
    with pytest.raises(StoreError, match=r"gen-000\.parquet: changed since exitban wrote it.*delete that file"):
        again.population(0)


def test_an_older_calibration_folder_is_refused(tmp_path: Path) -> None:
    """A calibration folder with no list (an older exitban's) is refused on reopening, with the way out."""
    CalibrationFolder.open(tmp_path / "c", {"scenario": "a", "hash": "1", "version": "v"}).close()
    (tmp_path / "c" / NAME).unlink()
    with pytest.raises(StoreError, match=r"no checksums.json .*give a new --out"):
        CalibrationFolder.open(tmp_path / "c", {"scenario": "a", "hash": "1", "version": "v"})


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("s") / "store"
    run_sweep(SweepSpec.model_validate(SPEC), root, executor=SerialExecutor())
    return root


def test_a_store_lists_its_own_files_and_records_check_themselves(store: Path, tmp_path: Path) -> None:
    """The store's list names its manifest and runs table; a record with one changed value is not stored."""
    assert {"manifest.json", "runs.parquet"} <= set(Checksums.load(store, "").files)
    copy = _copy(store, tmp_path / "s")
    record = copy / "records" / "p000000-r0000.json"
    data = json.loads(record.read_text())
    data["seed"] += 1  # still valid JSON, a plausible value: only the record's own SHA-256 tells
    record.write_text(json.dumps(data, sort_keys=True))
    inventory = Store(copy).inventory()
    assert "p000000-r0000" in inventory.damaged and "own SHA-256" in inventory.damaged["p000000-r0000"]
    out = CliRunner().invoke(app, ["query", str(copy), "SELECT count(*) AS n FROM runs"])
    assert out.exit_code == 0 and "1" in out.stdout


def test_a_flipped_byte_in_a_store_manifest_is_refused(store: Path, tmp_path: Path) -> None:
    copy = _copy(store, tmp_path / "s")
    _flip(copy / "manifest.json")
    out = CliRunner().invoke(app, ["query", str(copy), "SELECT 1"])
    assert out.exit_code == 2
    (line,) = _error_lines(out)
    assert f"{copy / 'manifest.json'}: changed since exitban wrote it" in line
