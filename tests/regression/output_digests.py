"""Digests of every shipped scenario's outputs: the bytes a refactoring must not change.

``python -m tests.regression.output_digests`` rewrites ``tests/data/output_digests.json``.
Do that only for a change that is meant to change what the model computes, and say so in
the commit: a reshaping of the code (moving rules, renaming, new fields at their old values)
must leave every digest as it is.

A digest covers the daily table (every column's values), the summary (without the scenario
hash and the package version, which name the inputs rather than the results) and the final
state of every person. The scenario hash is left out because a new scenario field changes
it even at a value that reproduces the old rule.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import polars as pl

import exitban

SCALE, DAYS, SEEDS = 0.01, 365, (1, 2, 3)
FIXTURE = Path(__file__).parent.parent / "data" / "output_digests.json"
# the per-person state of the first version, by name: a field added later is not part of the digest
PERSON_FIELDS = (
    "inst", "unit", "junior", "seniority", "contract_end", "desire", "loyalty", "fear", "risk_aversion",
    "competence", "health", "family", "means", "reach", "threshold", "status", "stage", "flags",
    "pressure", "n_requests", "stage_day", "request_day", "case_day", "exit_day",
)  # fmt: skip


# columns added after the fixture at values that are zero in every shipped scenario (the front, rules.front):
# one enters the digest once it holds anything else, so a new output at its old value leaves the digest as it is
LATER_COLUMNS = frozenset({"deployed", "on_leave", "in_hospital", "hospitalized"})


def _table_digest(frame: pl.DataFrame) -> str:
    h = hashlib.sha256()
    for name in frame.columns:
        col = frame[name]
        if name in LATER_COLUMNS and (col == 0).all():
            continue
        h.update(f"{name}:{col.dtype}".encode())
        if col.dtype == pl.String:
            h.update("\x00".join(col.to_list()).encode())
        else:
            h.update(np.ascontiguousarray(col.to_numpy()).tobytes())
    return h.hexdigest()


def digest(result: exitban.Result) -> dict[str, str]:
    """SHA-256 of the daily table, the summary's figures and the final population."""
    summary = {k: v for k, v in result.summary.items() if k not in ("scenario_hash", "version")}
    people = hashlib.sha256()
    for name in PERSON_FIELDS:
        people.update(np.ascontiguousarray(getattr(result.population, name)).tobytes())
    return {
        "timeseries": _table_digest(result.timeseries),
        "summary": hashlib.sha256(json.dumps(summary, sort_keys=True).encode()).hexdigest(),
        "population": people.hexdigest(),
    }


def run(name: str, seed: int) -> dict[str, str]:
    scenario = exitban.load_scenario(name).with_overrides(scale=SCALE, days=DAYS)
    return digest(exitban.simulate(scenario, seed=seed))


def compute() -> dict[str, dict[str, str]]:
    return {f"{name}/seed={seed}": run(name, seed) for name in exitban.list_scenarios() for seed in SEEDS}


if __name__ == "__main__":
    FIXTURE.write_text(json.dumps(compute(), indent=2, sort_keys=True) + "\n")
    print(f"wrote {FIXTURE}", file=sys.stderr)
