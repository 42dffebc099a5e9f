"""The one way in for a posterior file (``posterior.parquet``, written by a calibration).

One row per particle: the calibrated parameters as dotted columns (``behaviour.absence_bias``)
and a ``weight``. ``read_posterior`` checks the table itself; ``check_parameters`` checks it
against the scenario it will be drawn into, before any run: every parameter column names a
real-valued field of that scenario (a switch or a count is never calibrated, so a column for
one is not a posterior of this package).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from exitban.calibration.record import parameter_columns
from exitban.errors import ScenarioError
from exitban.files import InputFileError, read_parquet_checked
from exitban.scenario import Scenario


def read_posterior(path: str | Path) -> pl.DataFrame:
    """The posterior table at ``path``: readable Parquet with usable weights and numeric parameter columns.

    Read as plain columns (Parquet holds no code; nothing is unpickled). Every error is one line
    that names the file.
    """
    path = Path(path)
    try:  # a regular file beside its scenario (no link out of that folder), footer checked first, no glob
        table = read_parquet_checked(path, path.parent, what="a posterior")
    except InputFileError as exc:
        raise ScenarioError(f"{path}: not a readable posterior Parquet file ({exc})") from None
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
    total = float(weights.sum())
    if (weights < 0).any() or not (total > 0 and total < float("inf")):
        raise ScenarioError(f"{path}: 'weight' must be >= 0 with a positive, finite sum (got a sum of {total:g})")
    return table


def check_parameters(posterior: pl.DataFrame, scenario: Scenario, where: str | Path) -> None:
    """Refuse, naming the file and the column, a parameter that is not a real-valued field of ``scenario``."""
    from exitban.scenario.fields import field_at

    for column in parameter_columns(posterior):
        try:
            field = field_at(scenario, column)
        except ScenarioError as exc:
            raise ScenarioError(f"{where}: column '{column}': {exc}") from None
        if field.annotation is not float:
            kind = "a switch" if field.annotation is bool else f"of type {getattr(field.annotation, '__name__', '?')}"
            raise ScenarioError(
                f"{where}: column '{column}' is {kind}, not a real-valued field: a calibration draws real numbers only"
            )
