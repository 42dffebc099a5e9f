"""The results store of a sweep: a directory a user can query with DuckDB or load with Polars.

Layout::

    OUT/manifest.json                 what sweep this is (spec, spec hash, version, run count)
    OUT/timeseries/<run_id>.parquet   one file per completed run: the daily table, with run_id
    OUT/tallies/<run_id>.parquet      and its raw tallies (``observe.tally_table``), which totals derive from
    OUT/records/<run_id>.json         one record per finished run (status, parameters, summary)
    OUT/runs.parquet                  the runs table: one row per finished run, rebuilt from records
    OUT/sensitivity.parquet, OUT/compare.parquet   written by the analyses

Every file is written to a hidden temporary name and renamed into place, and a run's
tables are in place before its record. A record holds the size and SHA-256 of each of its
table files: a run counts as stored only when its record reads and both its files match.
Each record also holds its own SHA-256 (``record_sha256``), and ``OUT/checksums.json``
(``exitban.checksums``) vouches for the manifest, the runs table and the analyses.
A sweep killed at any moment loses no completed run; the next command removes stray
temporary files and runs what is not stored, naming any run whose files were lost or damaged.

One writer at a time, and only the sweep the manifest names (``exitban.lockedfolder``): a command
that writes holds an exclusive lock on ``OUT/.lock`` (released when it ends, even by ``kill -9``);
a second one is refused with "store in use".
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from exitban.atomic import atomic_write as _atomic_write
from exitban.atomic import parquet_bytes
from exitban.errors import StoreError
from exitban.files import InputFileError, check_inside, read_bounded
from exitban.lockedfolder import LockedFolder, read_json
from exitban.sweep.worker import VOLATILE, RunTables

TEMP_PREFIX = ".tmp-"
TABLES = RunTables._fields  # a completed run's tables, each a folder of <run_id>.parquet files
# What the store adds to a run's record to check its data files (kept out of runs.parquet, like timings).
SELF_CHECK = "record_sha256"  # a record's own checksum: records vouch for the run's tables, this for the record
CHECK_FIELDS = (*(f"{table}_{check}" for table in TABLES for check in ("bytes", "sha256")), SELF_CHECK)


def record_digest(record: dict[str, Any]) -> str:
    """The SHA-256 of a record without its own checksum, as canonical JSON."""
    body = {k: v for k, v in record.items() if k != SELF_CHECK}
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


@dataclass(frozen=True)
class Inventory:
    """What a store holds: run ids it can vouch for, and those whose record or data is damaged (with why)."""

    stored: set[str]
    damaged: dict[str, str] = field(default_factory=dict)


def atomic_write(target: Path, write: Callable[[str], Any]) -> None:
    """An atomic write whose temporary name the store recognises (and clears) on reopening."""
    _atomic_write(target, write, prefix=TEMP_PREFIX, suffix="")


def write_bytes(target: Path, blob: bytes) -> None:
    atomic_write(target, lambda p: Path(p).write_bytes(blob))


def write_text(target: Path, text: str) -> None:
    atomic_write(target, lambda p: Path(p).write_text(text))


SHOWN_CHANGES = 4  # differences a refusal names; the rest are counted
NOT_COMPARED = {"spec_hash", "version", "runs", "name"}  # identity and bookkeeping, not settings


def _flat(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            out |= _flat(v, f"{prefix}{k}.")
        return out
    return {prefix.rstrip("."): value}


def what_changed(old: dict[str, Any], new: dict[str, Any]) -> str:
    """'scale 0.002 -> 0.004 (army-officers-2019, ...); replications 2 -> 5': how two manifests' settings differ."""
    changes: dict[str, tuple[Any, Any, list[str]]] = {}
    for key in sorted((old.keys() | new.keys()) - NOT_COMPARED):
        a, b = old.get(key), new.get(key)
        if key == "resolved" and isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            for x, y in zip(a, b, strict=True):
                fx, fy = _flat(x), _flat(y)
                for field in sorted(fx.keys() | fy.keys()):
                    if field not in ("provenance", "name") and fx.get(field) != fy.get(field):
                        where = changes.setdefault(field, (fx.get(field), fy.get(field), []))[2]
                        where.append(str(fx.get("name", "?")))
        elif isinstance(a, dict) and isinstance(b, dict):  # a sweep's spec: name the keys that changed
            fa, fb = _flat(a, f"{key}."), _flat(b, f"{key}.")
            for field in sorted(fa.keys() | fb.keys()):
                if fa.get(field) != fb.get(field):
                    changes[field] = (fa.get(field), fb.get(field), [])
        elif a != b:
            changes[key] = (a, b, [])
    parts = [
        f"{k} {a!r} -> {b!r}" + (f" ({', '.join(where)})" if where else "")
        for k, (a, b, where) in list(changes.items())[:SHOWN_CHANGES]
    ]
    more = f"; and {len(changes) - SHOWN_CHANGES} more" if len(changes) > SHOWN_CHANGES else ""
    return "; ".join(parts) + more


class Store(LockedFolder):
    """One sweep's directory of results."""

    KIND = "sweep store"
    SHORT = "store"
    MANIFEST = "manifest.json"
    SUBFOLDERS = ("timeseries", "tallies", "records")
    TEMP_NAMES = (TEMP_PREFIX, "")

    def __init__(self, root: str | Path) -> None:
        super().__init__(root)
        self.timeseries_dir = self.root / "timeseries"
        self.tallies_dir = self.root / "tallies"
        self.records_dir = self.root / "records"

    def differs(self, old: dict[str, Any], new: dict[str, Any]) -> str | None:
        if old.get("spec_hash") != new["spec_hash"] or old.get("kind") != new["kind"]:
            changed = what_changed(old, new)
            if changed and old.get("name") == new.get("name") and old.get("kind") == new.get("kind"):
                return (  # the same sweep or pair, run otherwise: say how, not that it is another one
                    f"holds this {old.get('kind', 'sweep')} ('{old.get('name')}') run otherwise: {changed}. "
                    "Give a new --out directory (its runs would not be comparable with these)."
                )
            return (
                f"holds a different {old.get('kind', 'sweep')} ('{old.get('name')}'); "
                "its spec or scenarios changed since. Give a new --out directory."
            )
        if old.get("version") != new["version"]:
            return (
                f"was written by exitban {old.get('version')}, this is {new['version']}; "
                "runs of two versions would not be comparable. Give a new --out directory."
            )
        return None

    def is_own_temporary(self, name: str) -> bool:
        return name.startswith(TEMP_PREFIX)

    def prepare(self) -> None:
        """The run folders, and no temporary file a killed sweep left behind."""
        self.timeseries_dir.mkdir(exist_ok=True)
        self.tallies_dir.mkdir(exist_ok=True)
        self.records_dir.mkdir(exist_ok=True)
        self.remove_temporaries()

    def write_text(self, name: str, text: str) -> Path:
        target = self.root / name
        write_text(target, text)
        self.vouch(name, text.encode())
        return target

    def remove_temporaries(self) -> int:
        """Delete temporary files a killed sweep left behind (ours only: they carry our prefix)."""
        stale = [
            p
            for d in (self.root, self.timeseries_dir, self.tallies_dir, self.records_dir)
            for p in d.glob(f"{TEMP_PREFIX}*")
        ]
        for p in stale:
            p.unlink(missing_ok=True)
        return len(stale)

    def finished(self) -> set[str]:
        """Run ids the store holds: a failed run's record, or a completed run's record and matching data."""
        return self.inventory().stored

    def inventory(self) -> Inventory:
        """Check every record, and every completed run's data file against the size and SHA-256 in its record."""
        stored: set[str] = set()
        damaged: dict[str, str] = {}
        for path in sorted(self.records_dir.glob("*.json")):
            _, problem = self._examine(path, full=True)
            if problem is None:
                stored.add(path.stem)
            else:
                damaged[path.stem] = problem
        return Inventory(stored, damaged)

    def _examine(self, record_path: Path, full: bool) -> tuple[dict[str, Any], str | None]:
        """A record and why it does not vouch for a stored run (None if it does); ``full`` also checks the SHA-256."""
        try:
            record = read_json(record_path, "record", self.root)
        except StoreError as exc:
            return {}, str(exc).removeprefix(f"{record_path}: ")
        if record.get(SELF_CHECK) != record_digest(record):
            return (
                record,
                "record changed since it was written (its own SHA-256 differs), or has none (an older exitban)",
            )
        if record.get("run_id") != record_path.stem or record.get("status") not in ("ok", "failed"):
            return record, "record is not a run record (run_id or status wrong)"
        if record["status"] == "failed":
            return record, None
        for table in TABLES:
            problem = self._check_table(record, table, full)
            if problem is not None:
                return record, problem
        return record, None

    def _check_table(self, record: dict[str, Any], table: str, full: bool) -> str | None:
        """Why one of a completed run's table files does not match its record (None if it does)."""
        data = self.root / table / f"{record['run_id']}.parquet"
        size, digest = record.get(f"{table}_bytes"), record.get(f"{table}_sha256")
        if not isinstance(size, int) or not isinstance(digest, str):
            return f"record has no size and checksum of its {table}"
        try:  # a link out of the store is not the store's file, whatever it holds
            check_inside(data, self.root)
        except InputFileError:
            return f"{table} file is a link that leads outside the store"
        if not data.is_file():
            return f"{table} file missing"
        if data.stat().st_size != size:
            return f"{table} file is {data.stat().st_size:,} bytes, its record says {size:,}"
        if full:
            try:
                blob = read_bounded(data, size, f"run {record['run_id']}'s {table}", self.root)
            except InputFileError as exc:
                return f"{table} file cannot be read ({exc})"
            if hashlib.sha256(blob).hexdigest() != digest:
                return f"{table} file's SHA-256 differs from its record"
        return None

    def save(self, record: dict[str, Any], tables: RunTables | None) -> None:
        """Store one run: its tables first, then its record (with each file's size and SHA-256)."""
        rid = record["run_id"]
        if tables is not None:
            for table, blob in zip(TABLES, tables, strict=True):
                write_bytes(self.root / table / f"{rid}.parquet", blob)
                record = {**record, f"{table}_bytes": len(blob), f"{table}_sha256": hashlib.sha256(blob).hexdigest()}
        record = {**record, SELF_CHECK: record_digest(record)}
        write_text(self.records_dir / f"{rid}.json", json.dumps(record, sort_keys=True) + "\n")

    def records(self) -> list[dict[str, Any]]:
        """The records of the runs the store holds (a damaged record or a missing data file is left out).

        Checks sizes, not checksums, so the table can be rebuilt often; ``inventory`` checks both.
        """
        examined = (self._examine(p, full=False) for p in sorted(self.records_dir.glob("*.json")))
        return [record for record, problem in examined if problem is None]

    def runs(self, records: list[dict[str, Any]] | None = None) -> pl.DataFrame:
        """The runs table from the records (``records()`` unless given), sorted by run id, without timing and check fields."""
        chosen = self.records() if records is None else records
        rows = [{k: v for k, v in r.items() if k not in VOLATILE and k not in CHECK_FIELDS} for r in chosen]
        if not rows:
            return pl.DataFrame({"run_id": [], "status": []}, schema={"run_id": pl.String, "status": pl.String})
        first = ["run_id", "point", "replicate", "seed", "scenario", "status", "error"]
        frame = pl.DataFrame(rows, infer_schema_length=None)
        if "error" in frame.columns:  # all-null when no run failed: keep the column's type stable
            frame = frame.with_columns(pl.col("error").cast(pl.String))
        return frame.select([c for c in first if c in frame.columns] + [c for c in frame.columns if c not in first])

    def write_runs_table(self) -> Path:
        return self.write_table("runs", self.runs())

    def write_table(self, name: str, frame: pl.DataFrame) -> Path:
        """Write ``ROOT/<name>.parquet`` (the runs table, an analysis), then list it in checksums.json."""
        target = self.root / f"{name}.parquet"
        blob = parquet_bytes(frame)
        write_bytes(target, blob)
        self.vouch(target.name, blob)
        return target

    def read_table(self, record: dict[str, Any], table: str) -> pl.DataFrame:
        """One of a completed run's tables, parsed from bytes whose size and SHA-256 match its record.

        The bytes checked are the bytes parsed: a file changed between check and read cannot slip in.
        """
        rid = str(record.get("run_id"))
        path = self.root / table / f"{rid}.parquet"
        size, digest = record.get(f"{table}_bytes"), record.get(f"{table}_sha256")
        try:  # a regular file inside the store, no larger than its record says
            blob = read_bounded(
                path, size if isinstance(size, int) and size >= 0 else 0, f"run {rid}'s {table}", self.root
            )
        except InputFileError as exc:
            if not str(exc).startswith(("file is ", "file grew ")):  # larger than its record says: the message below
                raise StoreError(f"{path}: cannot read run {rid}'s {table} ({exc})") from None
            blob = b""
        if len(blob) != size or hashlib.sha256(blob).hexdigest() != digest:
            raise StoreError(
                f"{path}: run {rid}'s {table} does not match the size and SHA-256 in its record; "
                "run the sweep command again to re-run it"
            )
        try:
            return pl.read_parquet(io.BytesIO(blob))
        except pl.exceptions.PolarsError as exc:
            raise StoreError(f"{path}: run {rid}'s {table} is not readable Parquet ({exc})") from None

    def vouched_files(self, table: str) -> list[Path]:
        """The files of ``table`` that the store's records vouch for (completed runs whose sizes match), sorted.

        Views and scans are made from this list of explicit paths, never from a pattern: a store's
        own path may hold ``*``, ``?`` or ``[`` (a store named ``g*x`` would otherwise read its
        neighbour ``gax``; one named ``g[1]`` would match nothing), and a file dropped into the
        folder that no record vouches for is not read.
        """
        return [self.root / table / f"{r['run_id']}.parquet" for r in self.records() if r["status"] == "ok"]

    def timeseries(self) -> pl.LazyFrame:
        """Every completed run's daily table as one lazy Polars frame (the files the records vouch for)."""
        files = self.vouched_files("timeseries")
        if not files:
            return pl.LazyFrame({"run_id": [], "day": []}, schema={"run_id": pl.String, "day": pl.Int32})
        return pl.scan_parquet(files, glob=False)

    def connect(self) -> Any:
        """A read-only DuckDB connection with views ``runs`` and ``timeseries`` over this store.

        ``runs`` is the runs table made from the records; ``timeseries`` scans (lazily, through
        Arrow) exactly the files the records vouch for, named one by one, so no path is read as a
        pattern and no file the records do not name is counted. DuckDB itself may then read and
        write no file, and the setting is locked: ``COPY ... TO``, ``ATTACH``,
        ``read_csv('/etc/...')`` and ``INSTALL`` fail with a permission error. ``query`` also
        refuses any statement but one SELECT.
        """
        import duckdb
        import pyarrow as pa
        import pyarrow.dataset as ds
        import pyarrow.parquet as pq

        records = self.records()
        if not records and not (self.root / "runs.parquet").is_file():
            raise StoreError(f"{self.root}: no runs.parquet yet; run the sweep command again to finish the store")
        con = duckdb.connect(":memory:")
        con.register("runs", self.runs(records).to_arrow())
        files = [self.root / "timeseries" / f"{r['run_id']}.parquet" for r in records if r["status"] == "ok"]
        if files:
            paths = [f.as_posix() for f in files]
            try:  # the runs of a comparison may differ in columns: one schema for all, a missing column null
                schema = pa.unify_schemas([pq.read_schema(p) for p in paths], promote_options="permissive")
                con.register("timeseries", ds.dataset(paths, schema=schema, format="parquet"))
            except (pa.ArrowException, OSError, ValueError) as exc:
                con.close()
                first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                raise StoreError(f"{self.root}: cannot read the runs' timeseries files ({first})") from None
        else:  # every run failed: an empty view, so a query says 'no rows' rather than 'no files'
            con.execute("CREATE VIEW timeseries AS SELECT NULL::VARCHAR AS run_id, NULL::INTEGER AS day WHERE false")
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
        return con

    def query(self, sql: str) -> pl.DataFrame:
        """Run one SELECT (or WITH ... SELECT) over the store's views; anything else is a ``StoreError``."""
        import duckdb

        con = self.connect()
        try:
            statements = con.extract_statements(sql)
            kinds = [s.type.name for s in statements]
            if kinds != ["SELECT"]:
                raise StoreError(
                    f"query: only one SELECT statement is allowed (the store is read-only), got {', '.join(kinds) or 'none'}"
                )
            return con.execute(sql).pl()
        except duckdb.Error as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise StoreError(f"query failed: {first}{_dotted_hint(con, sql)}") from None
        finally:
            con.close()


def _dotted_hint(con: Any, sql: str) -> str:
    """'; column names with dots need double quotes: "regime.prosecution_threat"' when the query names one bare.

    Unquoted, DuckDB reads ``regime.prosecution_threat`` as column ``prosecution_threat`` of a table
    ``regime`` and says only that no such table or column exists.
    """
    try:
        dotted = {row[0] for row in con.execute("DESCRIBE runs").fetchall() if "." in row[0]}
    except Exception:  # the hint is a courtesy: a store too damaged to describe gets the plain message
        return ""
    bare = re.sub(r'"[^"]*"|\'[^\']*\'', " ", sql)  # quoted names and strings are not bare
    named = [
        name for name in sorted(dotted, key=len, reverse=True) if re.search(rf"(?<!\w){re.escape(name)}(?![\w])", bare)
    ]
    if not named:
        return ""
    return "; column names with dots need double quotes: " + ", ".join(f'"{n}"' for n in named[:3])


def open_store(root: str | Path) -> Store:
    """Open an existing store for reading (``Store(root)`` after checking its manifest)."""
    store = Store(root)
    store.manifest()
    return store
