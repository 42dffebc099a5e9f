"""Which columns of a runs table an analysis may use as outputs: numbers (or switches), never text."""

from __future__ import annotations

import polars as pl

from exitban.errors import ScenarioError

NOT_OUTPUTS = {"point", "replicate", "seed"}
# columns of the runs table that hold text, as ``check_outputs`` names them after the runs
TEXT_COLUMNS = frozenset({"run_id", "scenario", "status", "error", "scenario_hash", "version"})


def numeric_outputs(runs: pl.DataFrame) -> list[str]:
    """Columns of the runs table that hold a number or a true/false per run."""
    return [c for c, t in runs.schema.items() if (t.is_numeric() or t == pl.Boolean) and c not in NOT_OUTPUTS]


def check_outputs(runs: pl.DataFrame, outputs: list[str]) -> None:
    """Raise ``ScenarioError`` (one line) for an output that is not a numeric column of ``runs``."""
    usable = numeric_outputs(runs)
    bad = [o for o in outputs if o not in usable]
    if bad:
        text = [o for o in bad if o in runs.columns]
        why = f"not numbers: {', '.join(text)}; " if text else ""
        listed = ", ".join(usable) if usable else "none: no run completed"
        raise ScenarioError(f"--outputs: unknown output(s) {bad} ({why}outputs of these runs: {listed})")


def check_known_outputs(outputs: list[str], scenario: object) -> None:
    """Refuse unknown output names before any run, naming the outputs a run has (from a two-day tiny run)."""
    from exitban.sweep.worker import known_outputs

    known = known_outputs(scenario)
    unknown = [o for o in outputs if o not in known]
    if unknown:
        text = [o for o in unknown if o in TEXT_COLUMNS]
        why = f"not numbers: {', '.join(text)}; " if text else ""
        raise ScenarioError(f"--outputs: unknown output(s) {unknown} ({why}outputs of these runs: {', '.join(known)})")
