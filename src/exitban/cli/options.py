"""Options several verbs share: one name, one default, one help text and one range everywhere.

The ranges are the ones the scenario schema declares ``days`` and ``scale`` with
(``exitban.scenario.run_size``), so the command line never accepts what the schema refuses.
"""

from __future__ import annotations

from typing import Any

import typer

from exitban.errors import ScenarioError
from exitban.scenario.run_size import DAYS_MAX, DAYS_MIN, SCALE_MAX

SCALE_MIN = 1e-6  # the schema takes any scale above 0; an option's range needs a closed end
REPLICATIONS = 5  # seeds per scenario for comparisons and bands, in every verb that replicates
SET_HELP = (
    "Change one field of the scenario, e.g. --set regime.prosecution_threat=0.5 (repeatable; "
    "VALUE is read as TOML: true, 0.5, 30, off)."
)


def set_option() -> Any:
    return typer.Option([], "--set", metavar="FIELD=VALUE", help=SET_HELP)


def replications_option(minimum: int = 1, help: str = "Runs (seeds) per scenario.", unset_text: str = "") -> Any:
    """``-n/--replications``, default ``REPLICATIONS``; with ``unset_text``, None when not given (the help says what then)."""
    default = None if unset_text else REPLICATIONS
    shown = f"{REPLICATIONS}{unset_text}" if unset_text else True
    return typer.Option(
        default, "--replications", "-n", min=minimum, max=100_000, metavar="N", help=help, show_default=shown
    )


def draws_option(help: str) -> Any:
    """``--draws P``: parameter sets a comparison draws from a posterior (None: the command's default)."""
    return typer.Option(None, "--draws", min=0, max=10_000, metavar="P", help=help)


def days_option(help: str = "Days to simulate (default: the scenario's).") -> Any:
    return typer.Option(None, "--days", min=DAYS_MIN, max=DAYS_MAX, metavar="DAYS", help=help)


def scale_option(help: str = "Population scale; 1 = real size.", default: float | None = None) -> Any:
    return typer.Option(default, "--scale", min=SCALE_MIN, max=float(SCALE_MAX), metavar="SCALE", help=help)


def json_option(what: str = "the result") -> Any:
    return typer.Option(False, "--json", help=f"Print {what} as JSON on stdout (messages go to stderr).")


def csv_option(what: str = "the table") -> Any:
    return typer.Option(False, "--csv", help=f"Print {what} as CSV on stdout (messages go to stderr).")


def machine_format(as_json: bool, as_csv: bool = False) -> str | None:
    """'json', 'csv' or None (a table for people); both flags at once is a usage error."""
    if as_json and as_csv:
        raise ScenarioError("--json and --csv: give one of them")
    return "json" if as_json else "csv" if as_csv else None
