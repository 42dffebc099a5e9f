"""A sweep store knows what it holds: checksummed runs, damaged ones re-run and named, one writer, read-only query."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from exitban.cli import app
from exitban.errors import StoreError
from exitban.sweep import SerialExecutor, SweepSpec, open_store, run_sweep
from exitban.sweep.store import Store
from tests.helpers import seal

SPEC = {
    "name": "integrity",
    "base": "army-officers-2019",
    "days": 10,
    "scale": 0.002,
    "replications": 2,
    "root_seed": 3,
    "parameters": {"regime.prosecution_threat": {"values": [0.1, 0.6]}},
}
RUNS = ["p000000-r0000", "p000000-r0001", "p000001-r0000", "p000001-r0001"]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("integrity") / "s"
    run_sweep(SweepSpec.model_validate(SPEC), out, executor=SerialExecutor())
    return out


def _copy(pristine: Path, where: Path) -> Path:
    shutil.copytree(pristine, where)
    return where


def _damage(store: Path, rid: str, how: str) -> None:
    ts, rec = store / "timeseries" / f"{rid}.parquet", store / "records" / f"{rid}.json"
    if how == "delete data":
        ts.unlink()
    elif how == "truncate data":
        ts.write_bytes(ts.read_bytes()[:100])
    elif how == "flip a byte":
        blob = bytearray(ts.read_bytes())
        blob[len(blob) // 2] ^= 0xFF
        ts.write_bytes(bytes(blob))
    elif how == "corrupt record":
        rec.write_text('{"half')
    elif how == "record is a list":
        rec.write_text("[]")
    elif how == "delete tallies":
        (store / "tallies" / f"{rid}.parquet").unlink()
    elif how == "flip a tallies byte":
        tallies = store / "tallies" / f"{rid}.parquet"
        blob = bytearray(tallies.read_bytes())
        blob[len(blob) // 2] ^= 0xFF
        tallies.write_bytes(bytes(blob))


HOW = ["delete data", "truncate data", "flip a byte", "corrupt record", "record is a list", "delete tallies",
       "flip a tallies byte"]  # fmt: skip


@settings(max_examples=8, deadline=None)
@given(damage=st.dictionaries(st.sampled_from(RUNS), st.sampled_from(HOW), min_size=1, max_size=4))
def test_resume_reruns_exactly_the_damaged_runs(pristine: Path, damage: dict[str, str]) -> None:
    """Any mix of lost, truncated, altered data and corrupt records: resume names and re-runs those runs only."""
    with tempfile.TemporaryDirectory() as tmp:
        store = _copy(pristine, Path(tmp) / "s")
        for rid, how in damage.items():
            _damage(store, rid, how)
        assert Store(store).inventory().stored == set(RUNS) - set(damage)
        report = run_sweep(SweepSpec.model_validate(SPEC), store, executor=SerialExecutor())
        assert set(report.damaged) == set(damage)
        assert (report.ran, report.skipped) == (len(damage), len(RUNS) - len(damage))
        for rid in RUNS:
            for table in ("timeseries", "tallies"):
                assert (store / table / f"{rid}.parquet").read_bytes() == (
                    pristine / table / f"{rid}.parquet"
                ).read_bytes()
        assert (store / "runs.parquet").read_bytes() == (pristine / "runs.parquet").read_bytes()


def test_the_damage_is_named_with_its_reason(pristine: Path, tmp_path: Path) -> None:
    """The inventory says why each run is not stored."""
    store = _copy(pristine, tmp_path / "s")
    for rid, how in zip(RUNS, ["delete data", "truncate data", "flip a byte", "record is a list"], strict=True):
        _damage(store, rid, how)
    _damage(store, "p000000-r0000", "delete tallies")  # the first problem found is named
    damaged = Store(store).inventory().damaged
    assert damaged["p000000-r0000"] == "timeseries file missing"
    assert damaged["p000000-r0001"].startswith("timeseries file is 100 bytes, its record says")
    assert damaged["p000001-r0000"] == "timeseries file's SHA-256 differs from its record"
    assert damaged["p000001-r0001"] == "record is not a JSON object (found list)"


def test_cli_resume_says_which_runs_run_again(pristine: Path, tmp_path: Path) -> None:
    """`exitban sweep` on a store with a lost file prints the run id and why, then runs it."""
    store = _copy(pristine, tmp_path / "s")
    _damage(store, "p000001-r0000", "delete data")
    spec = tmp_path / "spec.toml"
    spec.write_text(
        'name = "integrity"\nbase = "army-officers-2019"\ndays = 10\nscale = 0.002\nreplications = 2\n'
        'root_seed = 3\n[parameters."regime.prosecution_threat"]\nvalues = [0.1, 0.6]\n'
    )
    out = CliRunner().invoke(app, ["sweep", str(spec), "--out", str(store), "--workers", "1"])
    assert out.exit_code == 0, out.output
    assert (
        "1 stored run(s) lost data or are damaged and run again: p000001-r0000 (timeseries file missing)" in out.output
    )
    assert "3 already stored, 1 to run" in out.output


@pytest.mark.parametrize("text", ["[]", '{"half', "", "null"])
def test_a_corrupt_manifest_is_named_with_the_way_out(pristine: Path, tmp_path: Path, text: str) -> None:
    """A changed manifest is a one-line StoreError naming the file and what to do; one that checksums.json
    vouches for but is not a JSON object is refused by what it holds."""
    store = _copy(pristine, tmp_path / "s")
    (store / "manifest.json").write_text(text)
    with pytest.raises(StoreError, match=r"manifest.json: changed since exitban wrote it.*give a new --out"):
        run_sweep(SweepSpec.model_validate(SPEC), store, executor=SerialExecutor())
    seal(store, "manifest.json")
    with pytest.raises(StoreError, match=r"manifest.json: the store's manifest is not .*give a new --out"):
        run_sweep(SweepSpec.model_validate(SPEC), store, executor=SerialExecutor())
    out = CliRunner().invoke(app, ["query", str(store), "SELECT 1"])
    assert out.exit_code == 2 and len(out.stderr.strip().splitlines()) == 1


def test_two_writers_are_refused_with_store_in_use(pristine: Path, tmp_path: Path) -> None:
    """While one command holds the store, a second is refused; after it closes, the store opens again."""
    store = _copy(pristine, tmp_path / "s")
    manifest = json.loads((store / "manifest.json").read_text())
    first = Store.open(store, manifest)
    with pytest.raises(StoreError, match="store in use: another exitban command is writing to it"):
        Store.open(store, manifest)
    first.close()
    Store.open(store, manifest).close()


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("COPY runs TO 'stolen.csv'", "only one SELECT statement is allowed"),
        ("SELECT 1; SELECT 2", "only one SELECT statement is allowed"),
        ("CREATE TABLE t AS SELECT 1", "only one SELECT statement is allowed"),
        ("SELECT * FROM read_csv('/etc/passwd')", "query failed: Permission Error"),
        ("SELECT * FROM read_text('/etc/hostname')", "query failed: Permission Error"),
    ],
)
def test_query_reads_only_the_store_and_writes_nothing(pristine: Path, sql: str, message: str, tmp_path: Path) -> None:
    """`exitban query` refuses anything but one SELECT, and a SELECT cannot read files outside the store."""
    before = sorted(p.relative_to(pristine) for p in pristine.rglob("*"))
    out = CliRunner().invoke(app, ["query", str(pristine), sql])
    assert out.exit_code == 2
    assert message in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert sorted(p.relative_to(pristine) for p in pristine.rglob("*")) == before


def test_query_still_answers_a_select(pristine: Path) -> None:
    """A SELECT over both views works under the lockdown."""
    frame = open_store(pristine).query(
        "WITH t AS (SELECT run_id, max(day) AS d FROM timeseries GROUP BY run_id) SELECT count(*) AS n FROM t JOIN runs USING (run_id)"
    )
    assert frame["n"].to_list() == [4]


def test_query_on_a_store_whose_runs_all_failed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A store with no timeseries file answers queries: failed rows in runs, no rows in timeseries."""
    import importlib

    simulate_module = importlib.import_module("exitban.simulate")

    def broken(*args: object, **kwargs: object) -> None:
        raise FloatingPointError("boom")

    monkeypatch.setattr(simulate_module, "simulate", broken)
    run_sweep(SweepSpec.model_validate(SPEC), tmp_path / "s", executor=SerialExecutor())
    store = open_store(tmp_path / "s")
    assert store.query("SELECT status, count(*) AS n FROM runs GROUP BY status")["n"].to_list() == [4]
    assert store.query("SELECT count(*) AS n FROM timeseries")["n"].to_list() == [0]
    out = CliRunner().invoke(app, ["query", str(tmp_path / "s"), "SELECT count(*) FROM timeseries"])
    assert out.exit_code == 0, out.output


def test_query_warns_about_runs_that_are_not_stored_whole(pristine: Path, tmp_path: Path) -> None:
    """A query on a store that lost a data file warns with the run id and the reason (the query still runs)."""
    store = _copy(pristine, tmp_path / "s")
    _damage(store, "p000000-r0001", "delete data")
    out = CliRunner().invoke(app, ["query", str(store), "SELECT count(*) AS n FROM runs"])
    assert out.exit_code == 0
    assert "1 run(s) in" in out.stderr and "not stored whole: p000000-r0001 (timeseries file missing)" in out.stderr


def test_a_run_whose_tallies_are_lost_is_named(pristine: Path, tmp_path: Path) -> None:
    """The tallies are vouched for like the table: a lost or altered tallies file is damage, with its reason."""
    store = _copy(pristine, tmp_path / "s")
    _damage(store, "p000000-r0000", "delete tallies")
    _damage(store, "p000000-r0001", "flip a tallies byte")
    damaged = Store(store).inventory().damaged
    assert damaged == {
        "p000000-r0000": "tallies file missing",
        "p000000-r0001": "tallies file's SHA-256 differs from its record",
    }


@pytest.mark.parametrize("how", ["link outside", "fifo"])
def test_a_run_table_that_is_a_link_outside_or_a_fifo_is_refused_at_once(
    pristine: Path, tmp_path: Path, how: str
) -> None:
    """A run's table file replaced by a link out of the store (same bytes) or a FIFO: one line, no hang."""
    import os
    import signal

    store = _copy(pristine, tmp_path / "s")
    ts = store / "timeseries" / f"{RUNS[0]}.parquet"
    record = json.loads((store / "records" / f"{RUNS[0]}.json").read_text())
    if how == "link outside":
        outside = tmp_path / "outside.parquet"
        shutil.move(ts, outside)
        ts.symlink_to(outside)
        expected = "is a link that leads outside its folder"
    else:
        ts.unlink()
        os.mkfifo(ts)
        expected = "not a regular file"

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError("reading the table blocked")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(20)
    try:
        with pytest.raises(
            StoreError, match=rf"{RUNS[0]}\.parquet: cannot read run {RUNS[0]}'s timeseries .*{expected}"
        ):
            Store(store).read_table(record, "timeseries")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
