"""The sweep store: resumable, atomic, refuses a different sweep, queryable with DuckDB and Polars."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import polars as pl
import pytest

from exitban.errors import StoreError
from exitban.sweep import SerialExecutor, SweepSpec, open_store, run_sweep

SPEC = {
    "name": "store-test",
    "base": "army-officers-2019",
    "days": 20,
    "scale": 0.002,
    "replications": 2,
    "root_seed": 5,
    "parameters": {"regime.prosecution_threat": {"values": [0.1, 0.6]}},
}


@pytest.fixture(scope="module")
def swept(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("store") / "s"
    run_sweep(SweepSpec.model_validate(SPEC), out, executor=SerialExecutor())
    return out


def test_runs_table_lists_every_run_with_parameters_and_outputs(swept: Path) -> None:
    """runs.parquet has one ok row per run with its parameter value, seed and summary figures."""
    runs = pl.read_parquet(swept / "runs.parquet")
    assert runs["run_id"].to_list() == ["p000000-r0000", "p000000-r0001", "p000001-r0000", "p000001-r0001"]
    assert runs["status"].to_list() == ["ok"] * 4
    assert runs["regime.prosecution_threat"].to_list() == [0.1, 0.1, 0.6, 0.6]
    assert (runs["serving"] <= runs["positions"]).all() and (runs["agents"] > 0).all()
    assert "elapsed_s" not in runs.columns  # timings would make the table differ between executors


def test_duckdb_joins_runs_and_timeseries(swept: Path) -> None:
    """A DuckDB query over the store joins the runs table to every run's daily rows."""
    con = open_store(swept).connect()
    rows = con.execute(
        'SELECT r."regime.prosecution_threat" AS threat, count(*) AS n, max(t.day) AS last '
        "FROM timeseries t JOIN runs r USING (run_id) GROUP BY threat ORDER BY threat"
    ).fetchall()
    n_inst = 4  # army-officers-2019 has four institutions
    assert rows == [(0.1, 2 * 20 * n_inst, 19), (0.6, 2 * 20 * n_inst, 19)]


def test_polars_reads_the_timeseries_dataset(swept: Path) -> None:
    """The timeseries dataset loads lazily in Polars with a run_id column."""
    ts = open_store(swept).timeseries().collect()
    assert ts["run_id"].n_unique() == 4 and ts.height == 4 * 20 * 4


def test_resume_runs_only_missing(tmp_path: Path, swept: Path) -> None:
    """After two records are lost, running again runs exactly those two and restores identical bytes."""
    out = tmp_path / "s"
    spec = SweepSpec.model_validate(SPEC)
    run_sweep(spec, out, executor=SerialExecutor())
    before = {p.name: p.read_bytes() for p in (out / "timeseries").iterdir()}
    for rid in ("p000000-r0001", "p000001-r0000"):
        (out / "records" / f"{rid}.json").unlink()
        (out / "timeseries" / f"{rid}.parquet").unlink()
    (out / "records" / ".tmp-p000001-r0000.json.abc").write_text('{"half')  # as if killed mid-write
    report = run_sweep(spec, out, executor=SerialExecutor())
    assert (report.skipped, report.ran) == (2, 2)
    assert {p.name: p.read_bytes() for p in (out / "timeseries").iterdir()} == before
    assert not list(out.rglob(".tmp-*"))
    assert (out / "runs.parquet").read_bytes() == (swept / "runs.parquet").read_bytes()


def test_store_refuses_a_different_sweep(tmp_path: Path) -> None:
    """Reusing a store directory for a changed spec is an error, so runs of two sweeps never mix."""
    out = tmp_path / "s"
    small = {**SPEC, "replications": 1, "parameters": {"regime.prosecution_threat": {"values": [0.1]}}}
    run_sweep(SweepSpec.model_validate(small), out, executor=SerialExecutor())
    changed = {**small, "root_seed": 6}
    with pytest.raises(StoreError, match=r"holds this sweep \('store-test'\) run otherwise: spec\.root_seed 5 -> 6\."):
        run_sweep(SweepSpec.model_validate(changed), out, executor=SerialExecutor())


def test_failed_run_is_recorded_and_the_sweep_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run that raises becomes a 'failed' row with its error; the other runs complete."""
    simulate_module = importlib.import_module("exitban.simulate")
    real = simulate_module.simulate

    def flaky(scenario, seed=0, **kw):  # type: ignore[no-untyped-def]
        if scenario.regime.prosecution_threat > 0.5:
            raise FloatingPointError("boom")
        return real(scenario, seed=seed, **kw)

    monkeypatch.setattr(simulate_module, "simulate", flaky)
    report = run_sweep(SweepSpec.model_validate(SPEC), tmp_path / "s", executor=SerialExecutor())
    runs = pl.read_parquet(tmp_path / "s" / "runs.parquet")
    assert report.failed == 2
    assert runs.filter(pl.col("status") == "failed")["error"].str.starts_with("FloatingPointError: boom").all()
    assert sorted(p.stem for p in (tmp_path / "s" / "timeseries").iterdir()) == ["p000000-r0000", "p000000-r0001"]
    assert json.loads((tmp_path / "s" / "records" / "p000001-r0000.json").read_text())["status"] == "failed"


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT regime.prosecution_threat FROM runs",
        "SELECT r.regime.prosecution_threat FROM runs r",
        "SELECT avg(serving) FROM runs GROUP BY regime.prosecution_threat",
    ],
)
def test_an_unquoted_dotted_name_gets_the_quoted_one(swept: Path, sql: str) -> None:
    """DuckDB's binder error alone says a table 'regime' is missing; the message adds the quoted column to use."""
    with pytest.raises(StoreError, match=r'column names with dots need double quotes: "regime\.prosecution_threat"'):
        open_store(swept).query(sql)


def test_a_quoted_name_or_another_error_gets_no_quoting_hint(swept: Path) -> None:
    """A query that quotes the name right and fails for another reason gets DuckDB's line only."""
    with pytest.raises(StoreError) as err:
        open_store(swept).query('SELECT "regime.prosecution_threat", no_such_column FROM runs')
    assert "no_such_column" in str(err.value) and "double quotes" not in str(err.value)
