"""The ``exitban`` command line: a thin client of the Python API.

Each verb imports what it needs when it runs (the engine, Polars, matplotlib, DuckDB), so
``exitban --help`` and the quick verbs start in a fraction of a second.
"""

from __future__ import annotations

import signal

import typer

from exitban._version import __version__

app = typer.Typer(
    name="exitban",
    help="Simulate exit bans: institutions whose people want to leave and are not allowed to.",
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion for bash, zsh, fish, PowerShell
    rich_markup_mode=None,  # help texts are plain text: "[default: ...]" is not Rich markup
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"exitban {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Simulate exit bans: institutions whose people want to leave and are not allowed to."""


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
