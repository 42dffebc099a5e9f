"""Read the shipped calibration records jointly: ``python tools/refresh_identifiability.py``.

For each record under ``src/exitban/scenarios/calibrated/``, from its own posterior (nothing is run):
rewrites identifiability.parquet and .md with verdicts that read the joint posterior, and writes
correlations.parquet and pairs.png beside them (each listed in the record's checksums.json). In the
calibrated scenario's file only the verdict at the end of each calibrated field's provenance changes:
its values, and so its outputs, stay as they are.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np

from exitban.calibration.folder import CalibrationFolder
from exitban.calibration.posterior import read_posterior
from exitban.calibration.priors import Priors
from exitban.calibration.record import RECORDS, identifiability, identifiability_markdown, write_joint
from exitban.scenario.load import SHIPPED

ROOT = Path(str(SHIPPED))


def refresh(record: Path) -> list[tuple[str, str]]:
    """Rewrite one record's diagnostics; returns (field, verdict) pairs."""
    manifest = json.loads((record / "calibration.json").read_text(encoding="utf-8"))
    fit = manifest.get("transferred_from", manifest)
    bounds = fit["parameters"]
    names = tuple(bounds)
    priors = Priors(names, np.array([bounds[n][0] for n in names]), np.array([bounds[n][1] for n in names]))
    posterior = read_posterior(record / "posterior.parquet")
    table = identifiability(posterior, priors)
    title = manifest["scenario"] + (f" (transferred from {fit['scenario']})" if "transferred_from" in manifest else "")
    folder = CalibrationFolder(record)
    folder.write_frame("identifiability.parquet", table)
    write_joint(folder, posterior, priors)
    folder.write_text("identifiability.md", identifiability_markdown(table, title, list(fit["targets"]), posterior))
    return [(r["parameter"], r["verdict"]) for r in table.iter_rows(named=True)]


def patch_provenance(scenario_file: Path, verdicts: list[tuple[str, str]]) -> None:
    """The verdict after the last '; ' of each calibrated field's provenance line, and nothing else."""
    text = scenario_file.read_text(encoding="utf-8")
    for field, verdict in verdicts:
        line = re.compile(rf'^("{re.escape(field)}" = "calibrated: .*; )([^;"]*)"$', re.MULTILINE)
        text, n = line.subn(lambda m, v=verdict: f'{m.group(1)}{v}"', text)
        if n != 1:
            raise SystemExit(f"{scenario_file}: no single calibrated provenance line for {field}")
    scenario_file.write_text(text, encoding="utf-8")


def main() -> None:
    for record in sorted((ROOT / RECORDS).iterdir()):
        verdicts = refresh(record)
        patch_provenance(ROOT / f"{record.name}.toml", verdicts)
        print(record.name, "; ".join(f"{f}: {v}" for f, v in verdicts))


if __name__ == "__main__":
    main()
