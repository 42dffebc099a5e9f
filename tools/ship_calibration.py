"""Ship a finished calibration: ``python tools/ship_calibration.py CALIBRATION_FOLDER``.

``--rebase NAME``, instead: rewrite the shipped calibrated scenario NAME as its base scenario as it is
now plus NAME's calibrated fields (values and provenance kept), after a change to the base: a
calibrated file sets every field, so without this it keeps the base's old values
(tests/unit/test_calibrated_scenarios.py checks that none has).

Copies the calibrated scenario's TOML into the shipped scenarios and its record (the posterior, the
generations' summary, the identifiability and joint diagnostics, the manifest) into
``scenarios/calibrated/<name>/``, with a checksums.json that lists just those files. The proposals'
batches stay behind: the record is what a reader of the calibration needs, and what ``exitban
report``, ``compare`` and ``validate`` read. Every file copied is first read through the folder's own
checksums, so a damaged calibration is refused rather than shipped.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from exitban.calibration.record import RECORDS
from exitban.checksums import Checksums
from exitban.scenario.load import SHIPPED

RECORD_FILES = (
    "calibration.json",
    "correlations.parquet",
    "generations.parquet",
    "identifiability.md",
    "identifiability.parquet",
    "pairs.png",
    "posterior.parquet",
)
WAY_OUT = "run the calibration again (exitban calibrate resumes from its batches)"


def ship(folder: Path, root: Path = Path(str(SHIPPED))) -> Path:
    """Copy ``folder``'s calibrated scenario and record into ``root``; returns the record's folder."""
    listed = Checksums.load(folder, WAY_OUT)
    tomls = sorted(folder.glob("*-calibrated.toml"))
    if len(tomls) != 1:
        raise SystemExit(f"{folder}: expected one *-calibrated.toml, found {len(tomls)}")
    name = tomls[0].stem
    record = root / RECORDS / name
    if record.exists():
        shutil.rmtree(record)
    record.mkdir(parents=True)
    shipped = Checksums(record)
    for file in RECORD_FILES:
        if file == "generations.parquet" and file not in listed:
            continue  # a transfer (exitban calibrate --from) runs no generation
        blob = listed.read(file, f"a calibration's {file}", WAY_OUT)
        (record / file).write_bytes(blob)
        shipped.put(file, blob)
    shipped.save()
    (root / tomls[0].name).write_bytes(listed.read(tomls[0].name, "a calibrated scenario", WAY_OUT))
    return record


def fold_view(view: Path, parent: Path) -> list[str]:
    """Set ``view``'s calibrated fields in the calibrated scenario file ``parent``; returns the fields."""
    from exitban.scenario import resolve_provenance
    from exitban.scenario.load import load_scenario, to_toml

    fitted = {k: (v, src) for k, (v, src) in resolve_provenance(load_scenario(str(view))).items()}
    fitted = {k: (v, src) for k, (v, src) in fitted.items() if src.startswith("calibrated: ")}
    into = load_scenario(str(parent))
    provenance = {k: src for k, (_, src) in resolve_provenance(into).items()}
    for field, (_, src) in fitted.items():
        provenance[field] = (
            f"calibrated in the view {view.stem.removesuffix('-calibrated')}: {src.removeprefix('calibrated: ')}"
        )
    changed = into.with_params({k: v for k, (v, _) in fitted.items()}, where=str(view)).with_overrides(
        provenance=provenance
    )
    parent.write_text(to_toml(changed), encoding="utf-8")
    return sorted(fitted)


def rebase(name: str, root: Path = Path(str(SHIPPED))) -> list[str]:
    """Rewrite the shipped ``name`` as its base now plus its calibrated fields; returns those fields."""
    from exitban.scenario import resolve_provenance
    from exitban.scenario.load import load_scenario, to_toml

    calibrated = load_scenario(name)
    base = load_scenario(name.removesuffix("-calibrated"))
    fitted = {k: (v, src) for k, (v, src) in resolve_provenance(calibrated).items() if src.startswith("calibrated")}
    provenance = {k: src for k, (_, src) in resolve_provenance(base).items()} | {k: s for k, (_, s) in fitted.items()}
    changed = base.with_params({k: v for k, (v, _) in fitted.items()}, where=name).with_overrides(
        name=calibrated.name, title=calibrated.title, provenance=provenance, extends=None
    )
    (root / f"{name}.toml").write_text(to_toml(changed), encoding="utf-8")
    return sorted(fitted)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "folder", type=Path, nargs="?", help="a finished calibration's folder (exitban calibrate --out)"
    )
    parser.add_argument("--fold-into", metavar="NAME", help="a shipped calibrated scenario to set the view's fields in")
    parser.add_argument(
        "--rebase", metavar="NAME", help="a shipped calibrated scenario to rewrite on its base as it is"
    )
    args = parser.parse_args()
    if args.rebase:
        print("kept in", args.rebase, ":", ", ".join(rebase(args.rebase)))
        return
    if args.folder is None:
        parser.error("give a calibration folder, or --rebase NAME")
    record = ship(args.folder)
    print(record)
    if args.fold_into:
        root = Path(str(SHIPPED))
        print(
            "set in",
            args.fold_into,
            ":",
            ", ".join(fold_view(root / f"{record.name}.toml", root / f"{args.fold_into}.toml")),
        )


if __name__ == "__main__":
    main()
