"""Posterior predictive runs: a calibration's posterior, checked, and scenarios drawn from it.

A posterior (``posterior.parquet``, written by a calibration) holds one row per particle: the
calibrated parameters as dotted columns (``behaviour.absence_bias``) and a ``weight``. The
report's bands over N runs then vary the parameters as well as the seed: run k (k >= 1) takes
seed ``seed + k`` and the k-th of N parameter sets drawn by weight.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import polars as pl

from exitban.calibration.record import parameter_columns
from exitban.errors import ScenarioError
from exitban.scenario import Scenario


def read_posterior(path: str | Path) -> pl.DataFrame:
    """The posterior table at ``path``: readable Parquet with usable weights and numeric parameter columns.

    Read as plain columns (Parquet holds no code; nothing is unpickled). Every error is one line
    that names the file.
    """
    path = Path(path)
    try:
        with path.open("rb") as f:  # a file handle: no glob expansion of the name, a folder is an error
            table = pl.read_parquet(f)
    except (OSError, pl.exceptions.PolarsError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc).splitlines()[0]
        raise ScenarioError(f"{path}: not a readable posterior Parquet file ({reason})") from None
    if "weight" not in table.columns:
        raise ScenarioError(f"{path}: no 'weight' column (a calibration's posterior.parquet has one)")
    parameters = parameter_columns(table)
    if not parameters:
        raise ScenarioError(f"{path}: no parameter columns (dotted scenario fields such as 'behaviour.absence_bias')")
    for column in ["weight", *parameters]:
        if not table[column].dtype.is_numeric():
            raise ScenarioError(f"{path}: column '{column}' is {table[column].dtype}, not a number")
        values = table[column].cast(pl.Float64)
        if values.null_count() or not values.is_finite().all():
            raise ScenarioError(f"{path}: column '{column}' has missing or infinite values")
    weights = table["weight"].cast(pl.Float64)
    if (weights < 0).any() or not weights.sum() > 0:
        raise ScenarioError(f"{path}: 'weight' must be >= 0 with a positive sum")
    return table


def drawn_scenarios(
    scenario: Scenario, path: str | Path, n: int, seed: int, fixed: Collection[str] = ()
) -> list[Scenario]:
    """``n`` copies of ``scenario``, each with one parameter set drawn from the posterior at ``path``.

    The draws are ``record.draw_parameters(posterior, n, seed)``, deterministic in ``seed``. A column
    that names no field of the scenario, a value outside a field's range, or a parameter among
    ``fixed`` (fields set with ``--set``, which a draw would silently undo) is refused, naming the file.
    """
    from exitban.calibration.record import draw_parameters

    draws = draw_parameters(read_posterior(path), n, seed)
    clash = sorted(set(fixed).intersection(draws[0])) if draws else []
    if clash:
        raise ScenarioError(
            f"{path}: draws {', '.join(clash)}, which --set also fixes; drop the --set or the posterior"
        )
    return [scenario.with_params(d, where=str(path)) for d in draws]
