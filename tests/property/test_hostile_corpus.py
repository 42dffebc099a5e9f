"""A corpus of damage (issue 26 item 7): every file kind exitban reads, every folder kind it writes, damaged at random.

Each example takes one pristine folder (a run folder, a sweep store, a calibration folder) or
one input file (a scenario TOML, a targets file), made once for the module, copies it into a
fresh sandbox and damages one file in it (or the folder itself): truncated at a random byte,
a random byte flipped, replaced by a link to an identical copy outside the sandbox, by a FIFO,
or by a huge sparse file. Then it runs a reading verb on it in this process (``report``,
``query``, ``calibrate --from``, ``check``, ``targets``) and asks for:

- no traceback: exit 0, or exit 2 with one ``error:`` line (a warning may come before it, and a refused
  file's further problems after it, one line each);
- no hang: every example ends within ``LIMIT_S`` (an alarm, whose exception no handler catches);
- no write outside: the folder the links lead to, and the sandbox beside the damaged folder
  and the verb's own ``--out``, are byte for byte as before.

A run folder's or calibration's file whose bytes changed is always exit 2: its checksums.json
vouches for every byte a verb reads (issue 26 item 2); the lists themselves are damaged too.

Kept small (three examples a case, 60 in all): the pristine folders are made once, each example copies, and
figures are built but not rasterised (``Figure.savefig`` writes a 1x1 PNG): drawing pixels reads
nothing, and took most of a report's 20 s on a loaded CI core.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import exitban
from exitban.cli import app
from exitban.sweep import SerialExecutor, SweepSpec, run_sweep
from tests.unit.test_calibrate_cli import TARGETS

LIMIT_S = 30  # one example's verb; each takes about a second
HUGE = 64 << 30  # a sparse file far over every bound (a summary's, a table's, a scenario's)
DAMAGES = ["truncate", "flip", "link out", "fifo", "huge"]
FOLDER_DAMAGES = ["link out", "fifo", "huge", "file"]

STORE_SPEC = {
    "name": "corpus",
    "base": "army-officers-2019",
    "days": 5,
    "scale": 0.002,
    "replications": 1,
    "root_seed": 7,
    "parameters": {"regime.prosecution_threat": {"values": [0.1, 0.6]}},
}


TINY_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


@pytest.fixture(scope="module", autouse=True)
def _no_pixels() -> Iterator[None]:
    from matplotlib.figure import Figure

    def savefig(self: Figure, fname: object, **kwargs: object) -> None:
        if hasattr(fname, "write"):
            fname.write(TINY_PNG)
        else:
            Path(str(fname)).write_bytes(TINY_PNG)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Figure, "savefig", savefig)
        yield


class Hang(BaseException):
    """A verb ran past LIMIT_S (a BaseException: no `except Exception` in exitban can swallow it)."""


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory, army_small: exitban.Scenario) -> dict[str, Path]:
    """The folders and files the examples damage copies of, made once."""
    root = tmp_path_factory.mktemp("corpus")
    run = exitban.simulate(army_small.with_overrides(days=5), seed=0).write(root / "run")
    run_sweep(SweepSpec.model_validate(STORE_SPEC), root / "store", executor=SerialExecutor())
    (root / "targets.toml").write_text(TARGETS)
    args = ["calibrate", "army-officers-2019", "--targets", str(root / "targets.toml"), "--out", str(root / "cal")]
    done = CliRunner().invoke(
        app, [*args, "--particles", "10", "--generations", "1", "--batch", "10", "--workers", "1"]
    )
    assert done.exit_code == 0, done.output
    shutil.copy(run / "scenario.toml", root / "scenario.toml")
    return {"run": run, "store": root / "store", "cal": root / "cal", "scenario": root / "scenario.toml",
            "targets": root / "targets.toml"}  # fmt: skip


# (what is damaged, the file inside it, or "" for the folder itself)
CASES = [
    *(("run", f) for f in ("summary.json", "scenario.toml", "timeseries.parquet", "tallies.parquet",
                           "histograms.parquet", "checksums.json", "")),
    *(("store", f) for f in ("manifest.json", "records/p000000-r0000.json", "timeseries/p000000-r0000.parquet",
                             "tallies/p000001-r0000.parquet", "runs.parquet", "checksums.json", "")),
    *(("cal", f) for f in ("calibration.json", "posterior.parquet", "checksums.json", "")),
    ("scenario", ""),
    ("targets", ""),
]  # fmt: skip


def _verbs(kind: str, target: Path, out: Path) -> list[list[str]]:
    """The reading verbs of one kind of folder or file (``out``: where a verb may write, in the sandbox)."""
    return {
        "run": [["report", str(target), "--out", str(out / "report.html")]],
        "store": [
            ["query", str(target), "SELECT count(*) AS n FROM timeseries JOIN runs USING (run_id)"],
            ["report", str(target), "--out", str(out / "report.html")],
        ],
        "cal": [["calibrate", "officials-2023", "--from", str(target), "--out", str(out / "xfer")]],
        "scenario": [["check", str(target)]],
        "targets": [["targets", "--targets", str(target)]],
    }[kind]


def _damage(path: Path, how: str, outside: Path, cut: float, at: float, mask: int) -> None:
    """Damage ``path`` (a file, or a folder for the folder kinds) in the way ``how``."""
    if how in ("truncate", "flip"):
        blob = bytearray(path.read_bytes())
        if how == "truncate":
            blob = blob[: int(len(blob) * cut)]
        elif blob:
            blob[min(int(len(blob) * at), len(blob) - 1)] ^= mask
        path.write_bytes(bytes(blob))
        return
    copy = outside / path.name  # an identical copy outside: a command that followed the link would succeed
    if path.is_dir():
        shutil.copytree(path, copy)
        shutil.rmtree(path)
    else:
        shutil.copy(path, copy)
        path.unlink()
    if how == "link out":
        path.symlink_to(copy)
    elif how == "fifo":
        os.mkfifo(path)
    elif how == "huge":
        with open(path, "wb") as fh:
            fh.truncate(HUGE)
    elif how == "file":
        path.write_text("not a folder\n")


def _snapshot(root: Path, skip: tuple[Path, ...]) -> dict[str, str]:
    """Every entry under ``root`` (not following links) but those under ``skip``: its kind and contents' hash."""
    seen: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = [d for d in dirnames if here / d not in skip]
        for name in [*dirnames, *filenames]:
            p = here / name
            if p in skip:
                continue
            if p.is_symlink():
                seen[str(p)] = "link " + os.readlink(p)
            elif p.is_file() and p.stat().st_size < (1 << 30):
                seen[str(p)] = hashlib.sha256(p.read_bytes()).hexdigest()
            else:
                seen[str(p)] = f"{p.stat().st_mode:o} {p.stat().st_size}"
    return seen


def _within_limit(args: list[str]):  # type: ignore[no-untyped-def]
    def expire(signum: int, frame: object) -> None:
        raise Hang(f"{args[0]} ran past {LIMIT_S} s on {args}")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(LIMIT_S)
    try:
        return CliRunner().invoke(app, args)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def sandboxes() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="exitban-corpus-") as where:
        yield Path(where)


@pytest.mark.parametrize("case", CASES, ids=[f"{k}:{f or 'itself'}" for k, f in CASES])
@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    how=st.sampled_from(DAMAGES),
    folder_how=st.sampled_from(FOLDER_DAMAGES),
    verb=st.integers(0, 1),
    cut=st.floats(0, 1),
    at=st.floats(0, 1),
    mask=st.integers(1, 255),
)
def test_a_damaged_file_or_folder_is_one_line_never_a_traceback_a_hang_or_a_write_outside(
    pristine: dict[str, Path],
    sandboxes: Path,
    case: tuple[str, str],
    how: str,
    folder_how: str,
    verb: int,
    cut: float,
    at: float,
    mask: int,
) -> None:
    kind, inner = case
    box = Path(tempfile.mkdtemp(dir=sandboxes))
    outside, out = box / "outside", box / "out"
    outside.mkdir()
    out.mkdir()
    target = box / pristine[kind].name
    if pristine[kind].is_dir():
        shutil.copytree(pristine[kind], target)
    else:
        shutil.copy(pristine[kind], target)
    damaged = target / inner if inner else target
    folder = pristine[kind].is_dir() and not inner
    _damage(damaged, folder_how if folder else how, outside, cut, at, mask)
    verbs = _verbs(kind, target, out)
    args = verbs[verb % len(verbs)]
    vouched = (
        kind in ("run", "cal") and inner and inner != "checksums.json" and not folder and how in ("truncate", "flip")
    )
    changed = vouched and damaged.is_file() and damaged.read_bytes() != (pristine[kind] / inner).read_bytes()
    before = _snapshot(box, skip=(target, out))
    inside_before = _snapshot(outside, skip=())

    result = _within_limit(args)

    event(f"{args[0]} on {kind}: exit {result.exit_code}")
    shown = f"{args} after {folder_how if folder else how} of {damaged.relative_to(box)}: {result.output[-600:]}"
    assert result.exception is None or isinstance(result.exception, SystemExit), shown
    assert "Traceback" not in result.output and "PanicException" not in result.output, shown
    assert result.exit_code in (0, 2), shown
    if result.exit_code == 2:
        errors = [line for line in result.stderr.strip().splitlines() if line.startswith("error:")]
        assert len(errors) == 1 and "Traceback" not in result.stderr, shown  # one line per problem, one error
    if changed:
        assert result.exit_code == 2, shown  # checksums.json vouches for every byte the verb reads (issue 26 item 2)
    if folder and (folder_how != "link out"):
        assert result.exit_code == 2, shown  # no folder to read at all
    if how in ("fifo", "huge") and not folder and kind in ("scenario", "targets"):
        assert result.exit_code == 2, shown  # the named input itself is not a readable file
    assert _snapshot(box, skip=(target, out)) == before, shown
    if not (folder and folder_how == "link out"):  # a folder the user names may be a link: it is then that folder
        assert _snapshot(outside, skip=()) == inside_before, shown
