"""`exitban report` on a damaged or foreign run directory: a report or one line with exit code 2, never a traceback."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import exitban
from exitban.cli import app
from exitban.runfolder import RUN_FILES
from tests.helpers import seal

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)
SUMMARY_KEYS = ["seed", "days", "scale", "agents", "serving", "want_out", "defend_share", "exits", "exits_total",
                "institutions", "scenario", "institutions.officers", "institutions.officers.start", "exits.approved",
                "institutions.officers.pending_wait_years"]  # fmt: skip
FILES = list(RUN_FILES)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory, army_small: exitban.Scenario) -> Path:
    return exitban.simulate(army_small.with_overrides(days=5), seed=0).write(tmp_path_factory.mktemp("p") / "run")


def _set(data: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, leaf = dotted.split(".")
    for part in parents:
        data = data.get(part) if isinstance(data.get(part), dict) else {}
    data[leaf] = value


def _mutate(run: Path, kind: str, key: str, value: Any, file: str, cut: int) -> None:
    """Damage ``run`` and list the result in its checksums.json: the checks behind the list must refuse it.

    (A damage the list does not vouch for is refused by the list: tests/property/test_hostile_corpus.py.)
    """
    _damage(run, kind, key, value, file, cut)
    seal(run)


def _damage(run: Path, kind: str, key: str, value: Any, file: str, cut: int) -> None:
    path = run / file
    if kind == "delete":
        path.unlink()
    elif kind == "truncate":
        path.write_bytes(path.read_bytes()[:cut])
    elif kind == "folder":
        path.unlink()
        path.mkdir()
    elif kind == "summary value":
        summary = json.loads((run / "summary.json").read_text())
        _set(summary, key, value)
        (run / "summary.json").write_text(json.dumps(summary))
    elif kind == "summary is":
        (run / "summary.json").write_text(json.dumps(value))
    elif kind in ("drop column", "text column", "no rows"):
        table = file if file in ("timeseries.parquet", "tallies.parquet") else "timeseries.parquet"
        ts = pl.read_parquet(run / table)
        col = ts.columns[cut % len(ts.columns)]
        ts = {"drop column": lambda: ts.drop(col), "text column": lambda: ts.with_columns(pl.col(col).cast(pl.String)),
              "no rows": lambda: ts.head(0)}[kind]()  # fmt: skip
        ts.write_parquet(run / table)
    elif kind == "histogram column":
        h = pl.read_parquet(run / "histograms.parquet")
        h.drop(h.columns[cut % len(h.columns)]).write_parquet(run / "histograms.parquet")


KINDS = ["delete", "truncate", "folder", "summary value", "summary is", "drop column", "text column", "no rows",
         "histogram column"]  # fmt: skip


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    kind=st.sampled_from(KINDS),
    key=st.sampled_from(SUMMARY_KEYS),
    value=JSON,
    file=st.sampled_from(FILES),
    cut=st.integers(0, 400),
)
def test_a_damaged_run_directory_is_reported_or_refused_in_one_line(
    pristine: Path, kind: str, key: str, value: Any, file: str, cut: int
) -> None:
    """Any single damage to a run directory gives a report or exit 2 with one line; never an exception."""
    with tempfile.TemporaryDirectory() as tmp:
        run = Path(tmp) / "run"
        shutil.copytree(pristine, run)
        _mutate(run, kind, key, value, file, cut)
        out = CliRunner().invoke(app, ["report", str(run), "--out", str(Path(tmp) / "r.html")])
        assert out.exception is None or isinstance(out.exception, SystemExit), repr(out.exception)
        assert out.exit_code in (0, 2), out.output
        if out.exit_code == 2:
            assert len(out.stderr.strip().splitlines()) == 1, out.stderr
            assert not (Path(tmp) / "r.html").exists()


def test_a_script_in_the_seed_is_refused_as_not_a_number(pristine: Path, tmp_path: Path) -> None:
    """A summary.json whose seed holds markup is refused, naming the file and the field."""
    run = tmp_path / "run"
    shutil.copytree(pristine, run)
    _mutate(run, "summary value", "seed", "<script>alert(1)</script>", "", 0)
    out = CliRunner().invoke(app, ["report", str(run)])
    assert out.exit_code == 2
    assert "summary.json: field 'seed' = '<script>alert(1)</script>': Input should be a valid integer" in out.stderr


def test_every_column_the_report_reads_is_checked(pristine: Path) -> None:
    """The checked columns are columns of a real run, totals makes them, and tallies.parquet has the checked schema."""
    from exitban.observe import TALLY_SCHEMA
    from exitban.report.runcheck import REPORT_COLUMNS
    from exitban.report.rundata import RunData

    ts = pl.read_parquet(pristine / "timeseries.parquet")
    assert set(REPORT_COLUMNS) <= set(ts.columns)
    assert dict(pl.read_parquet(pristine / "tallies.parquet").schema) == TALLY_SCHEMA
    assert set(REPORT_COLUMNS) <= set(RunData.from_dir(pristine).totals.columns)


SECRET = "secret-7f3a9c"  # a value in a file outside the run folder: never read, never quoted


@pytest.mark.parametrize(
    ("file", "outside_text"),
    [
        ("summary.json", json.dumps({"seed": SECRET, "scenario": SECRET})),
        ("scenario.toml", f'name = "{SECRET}"\ntitle = "{SECRET}"\n'),
        ("timeseries.parquet", SECRET),
    ],
)
def test_a_run_file_that_links_outside_the_folder_is_refused_unread(
    pristine: Path, tmp_path: Path, file: str, outside_text: str
) -> None:
    """A run file that is a link to a file outside the run folder: one line naming it, nothing of it quoted."""
    run = tmp_path / "run"
    shutil.copytree(pristine, run)
    outside = tmp_path / "outside" / file
    outside.parent.mkdir()
    outside.write_text(outside_text)
    (run / file).unlink()
    (run / file).symlink_to(outside)
    out = CliRunner().invoke(app, ["report", str(run), "--out", str(tmp_path / "r.html")])
    assert out.exit_code == 2, out.output
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert f"{file}: is a link that leads outside its folder" in out.stderr
    assert SECRET not in out.output
    assert not (tmp_path / "r.html").exists()


def _panicking_footer_byte(blob: bytes) -> int | None:
    """A footer byte whose flip makes Polars' own reader panic (a ``PanicException``, not a ``PolarsError``)."""
    import io
    import struct

    end = len(blob) - 8
    for i in range(end - struct.unpack("<i", blob[-8:-4])[0], end):
        damaged = bytearray(blob)
        damaged[i] ^= 0xFF
        try:
            pl.read_parquet(io.BytesIO(bytes(damaged)))
        except pl.exceptions.PanicException:
            return i
        except pl.exceptions.PolarsError:
            pass
    return None


@pytest.mark.parametrize("damage", ["truncated", "footer byte", "rows"])
@pytest.mark.parametrize("file", ["timeseries.parquet", "tallies.parquet"])
def test_a_damaged_run_table_is_one_line_and_exit_2(pristine: Path, tmp_path: Path, damage: str, file: str) -> None:
    """A truncated table, one damaged footer byte (a panic of Polars' reader) or rows the summary does not
    count: `exitban report` exits 2 with one line naming the file, before drawing anything."""
    run = tmp_path / "run"
    shutil.copytree(pristine, run)
    blob = (run / file).read_bytes()
    if damage == "truncated":
        (run / file).write_bytes(blob[: len(blob) - 3])
        expected = "is not readable Parquet"
    elif damage == "footer byte":
        at = _panicking_footer_byte(blob)
        if at is None:
            pytest.skip("no single footer byte makes this Polars panic")
        (run / file).write_bytes(blob[:at] + bytes([blob[at] ^ 0xFF]) + blob[at + 1 :])
        expected = "is not readable Parquet"
    else:
        table = pl.read_parquet(run / file)
        pl.concat([table] * 50).write_parquet(run / file)
        expected = f"holds {table.height * 50:,} rows where its folder's records say {table.height:,}"
    seal(run)  # vouched for: the table's own checks refuse it
    out = CliRunner().invoke(app, ["report", str(run), "--out", str(tmp_path / "r.html")])
    assert out.exception is None or isinstance(out.exception, SystemExit), repr(out.exception)
    assert out.exit_code == 2, out.output
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert f"{run / file}: {expected}" in out.stderr
    assert not (tmp_path / "r.html").exists()
