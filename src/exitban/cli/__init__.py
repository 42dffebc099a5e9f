"""The ``exitban`` command line: a thin client of the Python API."""

from __future__ import annotations

import signal

import typer

app = typer.Typer(
    name="exitban",
    help="Simulate exit bans: institutions whose people want to leave and are not allowed to.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

from exitban.cli import dashboard as _dashboard  # noqa: E402,F401
from exitban.cli import report as _report  # noqa: E402,F401
from exitban.cli import run as _run  # noqa: E402,F401  (registers commands)
from exitban.cli import scenarios as _scenarios  # noqa: E402,F401
from exitban.cli import sources as _sources  # noqa: E402,F401
from exitban.cli import sweep as _sweep  # noqa: E402,F401


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # a batch system's SIGTERM stops as cleanly as Ctrl-C


def main() -> None:
    signal.signal(signal.SIGTERM, _stop)
    app()
