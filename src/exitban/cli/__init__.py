"""The ``exitban`` command line: a thin client of the Python API.

Each verb imports what it needs when it runs (the engine, Polars, matplotlib, DuckDB), so
``exitban --help`` and the quick verbs start in a fraction of a second.
"""

from __future__ import annotations

import dataclasses
import signal
from typing import Any

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


from exitban.cli import calibrate as _calibrate  # noqa: E402,F401
from exitban.cli import dashboard as _dashboard  # noqa: E402,F401
from exitban.cli import report as _report  # noqa: E402,F401
from exitban.cli import run as _run  # noqa: E402,F401  (registers commands)
from exitban.cli import scenarios as _scenarios  # noqa: E402,F401
from exitban.cli import sources as _sources  # noqa: E402,F401
from exitban.cli import sweep as _sweep  # noqa: E402,F401


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # a batch system's SIGTERM stops as cleanly as Ctrl-C


def _unset_flags_need_no_pydantic() -> None:
    """Let an unset flag skip Typer's coercion, which would import pydantic (~0.15 s) in every verb.

    Typer 0.29 builds a pydantic TypeAdapter for each parameter it coerces, even for its own
    --help and completion flags when they are not given (value None, which coercion returns
    unchanged). A plain pass-through for those keeps `exitban scenarios` light. Should a later
    Typer rename these internals, this does nothing and the start is slower, not broken
    (tests/unit/test_cli_startup.py then reports pydantic among the imports).
    """
    try:
        from typer._coercion import PassThroughRuntimeParam
        from typer.core import _TyperParameter
    except ImportError:
        return
    process_value = getattr(_TyperParameter, "process_value", None)
    fields = (
        {f.name for f in dataclasses.fields(PassThroughRuntimeParam)}
        if dataclasses.is_dataclass(PassThroughRuntimeParam)
        else set()
    )
    if process_value is None or fields != {"parameter_info", "annotation"}:
        return

    def light(self: Any, ctx: Any, value: Any) -> Any:
        descriptor = getattr(self, "type_descriptor", None)
        unset_flag = value is None and getattr(descriptor, "annotation", None) is bool
        if unset_flag and getattr(self, "_runtime_param", False) is None:
            self._runtime_param = PassThroughRuntimeParam(parameter_info=descriptor.parameter_info, annotation=bool)
        return process_value(self, ctx, value)

    _TyperParameter.process_value = light


def main() -> None:
    signal.signal(signal.SIGTERM, _stop)
    _unset_flags_need_no_pydantic()
    app()
