"""The results store of a sweep: a directory a user can query with DuckDB or load with Polars.

Layout::

    OUT/manifest.json                 what sweep this is (spec, spec hash, version, run count)
    OUT/timeseries/<run_id>.parquet   one file per completed run: the daily table, with run_id
    OUT/records/<run_id>.json         one record per finished run (status, parameters, summary)
    OUT/runs.parquet                  the runs table: one row per finished run, rebuilt from records
    OUT/sensitivity.parquet, OUT/compare.parquet   written by the analyses

Every file is written to a hidden temporary name and renamed into place, and a run's
timeseries is in place before its record: a record means the run is complete. A sweep
killed at any moment loses no completed run; the next command removes stray temporary
files and runs only what has no record.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl

from exitban.atomic import atomic_write as _atomic_write
from exitban.errors import StoreError
from exitban.sweep.worker import VOLATILE

TEMP_PREFIX = ".tmp-"


def atomic_write(target: Path, write: Callable[[str], Any]) -> None:
    """An atomic write whose temporary name the store recognises (and clears) on reopening."""
    _atomic_write(target, write, prefix=TEMP_PREFIX, suffix="")


def write_bytes(target: Path, blob: bytes) -> None:
    atomic_write(target, lambda p: Path(p).write_bytes(blob))


def write_text(target: Path, text: str) -> None:
    atomic_write(target, lambda p: Path(p).write_text(text))


class Store:
    """One sweep's directory of results."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.timeseries_dir = self.root / "timeseries"
        self.records_dir = self.root / "records"

    @classmethod
    def open(cls, root: str | Path, manifest: dict[str, Any]) -> Store:
        """Create the store, or reopen it if it holds the same sweep; refuse one that holds another."""
        store = cls(root)
        path = store.root / "manifest.json"
        if path.is_file():
            old = json.loads(path.read_text())
            if old.get("spec_hash") != manifest["spec_hash"] or old.get("kind") != manifest["kind"]:
                raise StoreError(
                    f"{store.root}: holds a different {old.get('kind', 'sweep')} ('{old.get('name')}'); "
                    "its spec or scenarios changed since. Give a new --out directory."
                )
            if old.get("version") != manifest["version"]:
                raise StoreError(
                    f"{store.root}: was written by exitban {old.get('version')}, this is {manifest['version']}; "
                    "runs of two versions would not be comparable. Give a new --out directory."
                )
        elif store.root.exists() and any(store.root.iterdir()):
            raise StoreError(f"{store.root}: exists, is not empty and is not a sweep store; give a new --out")
        store.timeseries_dir.mkdir(parents=True, exist_ok=True)
        store.records_dir.mkdir(parents=True, exist_ok=True)
        if not path.is_file():
            write_text(path, json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        store.remove_temporaries()
        return store

    def manifest(self) -> dict[str, Any]:
        path = self.root / "manifest.json"
        if not path.is_file():
            raise StoreError(f"{self.root}: not a sweep store (no manifest.json)")
        return json.loads(path.read_text())

    def remove_temporaries(self) -> int:
        """Delete temporary files a killed sweep left behind (ours only: they carry our prefix)."""
        stale = [p for d in (self.root, self.timeseries_dir, self.records_dir) for p in d.glob(f"{TEMP_PREFIX}*")]
        for p in stale:
            p.unlink(missing_ok=True)
        return len(stale)

    def finished(self) -> set[str]:
        """Run ids with a record (a completed or a failed run)."""
        return {p.stem for p in self.records_dir.glob("*.json")}

    def save(self, record: dict[str, Any], blob: bytes | None) -> None:
        """Store one run: its timeseries first, then its record (which marks it finished)."""
        rid = record["run_id"]
        if blob is not None:
            write_bytes(self.timeseries_dir / f"{rid}.parquet", blob)
        write_text(self.records_dir / f"{rid}.json", json.dumps(record, sort_keys=True) + "\n")

    def records(self) -> list[dict[str, Any]]:
        return [json.loads(p.read_text()) for p in sorted(self.records_dir.glob("*.json"))]

    def runs(self) -> pl.DataFrame:
        """The runs table from the records, sorted by run id, without timing fields."""
        rows = [{k: v for k, v in r.items() if k not in VOLATILE} for r in self.records()]
        if not rows:
            return pl.DataFrame({"run_id": [], "status": []}, schema={"run_id": pl.String, "status": pl.String})
        first = ["run_id", "point", "replicate", "seed", "scenario", "status", "error"]
        frame = pl.DataFrame(rows, infer_schema_length=None)
        if "error" in frame.columns:  # all-null when no run failed: keep the column's type stable
            frame = frame.with_columns(pl.col("error").cast(pl.String))
        return frame.select([c for c in first if c in frame.columns] + [c for c in frame.columns if c not in first])

    def write_runs_table(self) -> Path:
        target = self.root / "runs.parquet"
        frame = self.runs()
        atomic_write(target, lambda p: frame.write_parquet(p, statistics=False))
        return target

    def write_table(self, name: str, frame: pl.DataFrame) -> Path:
        target = self.root / f"{name}.parquet"
        atomic_write(target, lambda p: frame.write_parquet(p, statistics=False))
        return target

    def timeseries(self) -> pl.LazyFrame:
        """Every completed run's daily table as one lazy Polars frame."""
        return pl.scan_parquet(self.timeseries_dir / "*.parquet")

    def connect(self) -> Any:
        """A DuckDB connection with views ``runs`` and ``timeseries`` over this store."""
        import duckdb

        con = duckdb.connect()
        runs = (self.root / "runs.parquet").as_posix().replace("'", "''")
        ts = (self.timeseries_dir / "*.parquet").as_posix().replace("'", "''")
        con.execute(f"CREATE VIEW runs AS SELECT * FROM read_parquet('{runs}')")
        con.execute(f"CREATE VIEW timeseries AS SELECT * FROM read_parquet('{ts}', union_by_name = true)")
        return con


def open_store(root: str | Path) -> Store:
    """Open an existing store for reading (``Store(root)`` after checking its manifest)."""
    store = Store(root)
    store.manifest()
    return store
