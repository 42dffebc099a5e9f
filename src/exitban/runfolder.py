"""A run folder: what ``exitban run`` writes there, how exitban knows one, and what a rewrite clears.

Rules (docs/how-to/when-a-scenario-is-rejected.md, "Output folders"):

- ``--out`` is created and probed with a temporary file before any simulation, so a run is
  never computed only to be lost;
- a folder holding files exitban did not write is refused unless ``--overwrite``; with it,
  exitban writes its own files and leaves every other file as it was;
- a rewritten run folder holds no stale result of the previous run (its report, plots and
  temporary files are removed); exitban removes only files it names itself, and where the folder
  has a checksums.json only those whose bytes it vouches for;
- with a checksums.json, a file exitban's list does not vouch for (a scenario.toml edited by hand)
  counts as the user's: the folder is refused without ``--overwrite``.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path

from exitban.checksums import NAME as CHECKSUMS
from exitban.checksums import Checksums
from exitban.errors import OutputError, StoreError
from exitban.files import InputFileError, read_bounded

RUN_FILES = (
    "tallies.parquet",
    "timeseries.parquet",
    "histograms.parquet",
    "scenario.toml",
    "summary.json",
    "checksums.json",  # exitban.checksums: the size and SHA-256 of each file above (and of the report)
)
REPORT_HTML = "report.html"
REPORT_PLOTS = "report-plots"  # the PNGs `exitban report RUN_DIR` writes beside report.html
TEMP_SUFFIX = ".part"  # exitban.atomic's temporary files: .<target name>.<random>.part


def is_own_temporary(name: str) -> bool:
    """A temporary file exitban's atomic writes leave when killed: ``.summary.json.x1y2.part``."""
    return name.endswith(TEMP_SUFFIX) and any(name.startswith(f".{f}.") for f in (*RUN_FILES, REPORT_HTML))


def _looks_like_our_summary(path: Path) -> bool:
    try:
        data = json.loads(read_bounded(path, 16 << 20, "a summary", path.parent))
    except (InputFileError, ValueError):
        return False
    return isinstance(data, dict) and {"scenario_hash", "version", "seed"} <= data.keys()


def _listed(folder: Path) -> Checksums | bool | None:
    """The folder's checksums.json; None if it has none (an older run folder), False if it is damaged."""
    if not (folder / CHECKSUMS).exists() and not (folder / CHECKSUMS).is_symlink():
        return None
    try:
        return Checksums.load(folder, "")
    except StoreError:
        return False


def _vouched(listed: Checksums, name: str) -> bool:
    """Whether ``folder/name`` is a regular file inside the folder holding the bytes the list gives for it
    (``Checksums.read``, the one check a reader makes)."""
    try:
        listed.read(name, "a run folder's file", "")
    except StoreError:
        return False
    return True


def foreign_entries(folder: Path) -> list[str]:
    """Names in ``folder`` that exitban did not write (an empty list for a run folder).

    With a checksums.json, exactly: a file is exitban's if the list vouches for its bytes (so a
    scenario.toml edited by hand, or a report.html someone else wrote, is not), or if it is one of
    exitban's temporary files. A damaged list is itself foreign. A folder without a list (an older
    exitban's) is judged by its names, as before.
    """
    listed = _listed(folder)
    if listed is False:
        return [CHECKSUMS]
    if isinstance(listed, Checksums):
        unlisted = [n for n in listed.unlisted() if not is_own_temporary(Path(n).name)]
        changed = [n for n in listed.files if (folder / n).exists() or (folder / n).is_symlink()]
        return sorted([*unlisted, *(n for n in changed if not _vouched(listed, n))])
    foreign = []
    for entry in sorted(folder.iterdir()):
        name = entry.name
        if name == "summary.json" and not _looks_like_our_summary(entry):
            foreign.append(name)
        elif name == REPORT_PLOTS and entry.is_dir() and not entry.is_symlink():
            foreign += [f"{name}/{p.name}" for p in sorted(entry.iterdir()) if p.suffix != ".png" or not p.is_file()]
        elif name in RUN_FILES or name == REPORT_HTML:
            if entry.is_symlink() or not entry.is_file():
                foreign.append(name)
        elif not is_own_temporary(name):
            foreign.append(name)
    return foreign


def prepare(out: Path, overwrite: bool = False, option: str = "--out") -> None:
    """Check ``out`` can take a run's results before anything runs; create it; raise ``OutputError`` if not."""
    if out.exists() and not out.is_dir():
        raise OutputError(f"{option} {out}: is a file, not a directory")
    if out.is_dir() and not overwrite:
        foreign = foreign_entries(out)
        if foreign:
            shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
            raise OutputError(
                f"{option} {out}: holds files exitban did not write ({shown}); "
                "give a new or empty folder, or --overwrite to write the run beside them"
            )
    probe_writable(out, option)


def remove_if_empty(folder: Path) -> None:
    """Remove ``folder`` if it is an empty directory (one a failed command made); anything else stays."""
    with contextlib.suppress(OSError):  # rmdir refuses a folder that holds anything, and a link
        folder.rmdir()


def probe_writable(folder: Path, option: str = "--out") -> None:
    """Create ``folder`` and write and remove a temporary file in it: fails now, not after a run."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".summary.json.", suffix=TEMP_SUFFIX, dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise OutputError(f"{option} {folder}: cannot write there ({exc.strerror or exc})") from None


def vouch_report(run_dir: Path, html: Path) -> None:
    """Add a report written into ``run_dir`` (``html`` and its ``<stem>-plots/*.png``) to the run's checksums.json.

    A reader of the run folder then knows the report as exitban's own file rather than naming it as
    unlisted. A folder with no readable list (the report came from a run refused for it) is left as it is.
    """
    if html.parent.resolve() != run_dir.resolve():
        return
    try:
        listed = Checksums.load(run_dir, "")
    except StoreError:
        return
    plots = html.parent / f"{html.stem}-plots"
    for path in [html, *sorted(plots.glob("*.png"))]:
        if path.is_file() and not path.is_symlink():
            listed.put(path.relative_to(html.parent).as_posix(), path.read_bytes())
    listed.save()


def clear_stale(folder: Path) -> list[str]:
    """Remove what a previous run left that the new one would not replace; return the names removed.

    Only exitban's own files go: the report and its PNGs (they describe the old run) and
    temporary files of a killed write. Where the folder has a checksums.json, a report or PNG goes
    only if the list vouches for its bytes (one someone else wrote, or changed, stays). Anything
    else in the folder is left alone.
    """
    listed = _listed(folder)
    if listed is False:  # a damaged list vouches for nothing
        listed = Checksums(folder)

    def ours(entry: Path) -> bool:
        if entry.is_symlink() or not entry.is_file():
            return False
        name = entry.relative_to(folder).as_posix()
        return _vouched(listed, name) if isinstance(listed, Checksums) and name in listed else listed is None

    removed = []
    for entry in list(folder.iterdir()):
        if is_own_temporary(entry.name) or (entry.name == REPORT_HTML and ours(entry)):
            entry.unlink(missing_ok=True)
            removed.append(entry.name)
    plots = folder / REPORT_PLOTS
    if plots.is_dir() and not plots.is_symlink():
        for png in plots.glob("*.png"):
            if ours(png):
                png.unlink(missing_ok=True)
                removed.append(f"{REPORT_PLOTS}/{png.name}")
        if not any(plots.iterdir()):
            plots.rmdir()
    return removed
