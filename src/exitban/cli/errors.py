"""Turn user errors into one clear line and exit 2 (130 for a signal), never a traceback.

Besides exitban's own errors this covers what a library raises on bad input that got past the
checks: pydantic's validation, Polars (a damaged file can surface as a Rust panic, ``PanicException``,
which is a ``BaseException`` and escapes ``except Exception``), DuckDB's conversions, the disk
(``OSError``), input nested too deep for Python (``RecursionError``) and memory. They are told apart
by the module that defines them, so this module imports none of those libraries (``exitban --help``
stays fast).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

import typer
from rich.console import Console
from rich.markup import escape

from exitban.errors import ExitbanError

err_console = Console(stderr=True)

# the libraries whose errors on a user's data are told in one line (their module, up to the first dot)
FOREIGN_DATA_ERRORS = {
    "pydantic": "invalid input",
    "pydantic_core": "invalid input",
    "polars": "a table could not be read or converted",
    "pyo3_runtime": "a table could not be read (the file looks damaged)",
    "_duckdb": "a query could not be run or converted",
    "duckdb": "a query could not be run or converted",
    "numba": "the engine could not start",
}
# environment variables exitban's engine reads at start, with what each must be
ENVIRONMENT = {"NUMBA_NUM_THREADS": "a positive integer"}


def _say(message: str) -> None:
    # escape: messages quote user input and table names like [regime], which are not markup
    err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__


def check_environment(env: dict[str, str] | None = None) -> None:
    """Refuse, by name, an environment variable the engine would choke on later (with a traceback)."""
    env = os.environ if env is None else env
    raw = env.get("NUMBA_NUM_THREADS")
    if raw is not None and not (raw.strip().isdigit() and int(raw) > 0):
        raise ExitbanError(f"NUMBA_NUM_THREADS must be {ENVIRONMENT['NUMBA_NUM_THREADS']} (got {raw!r}); unset it "
                           "to use every core")  # fmt: skip


def describe(exc: BaseException) -> str | None:
    """The one line for an error on the user's input or disk, or None for a bug (left to show its traceback)."""
    errors = getattr(exc, "errors", None)
    if type(exc).__module__.startswith("pydantic") and callable(errors):  # a ValueError, but many lines
        return "invalid input: " + "; ".join(
            f"{'.'.join(map(str, e.get('loc', ()))) or 'value'}: {e.get('msg', '')}" for e in errors()[:5]
        )
    if isinstance(exc, ExitbanError | ValueError):
        return str(exc)
    if isinstance(exc, OSError):  # the disk, not the scenario: a full disk, a path that is a file
        where = f"{exc.filename}: " if exc.filename else ""
        return where + (exc.strerror or str(exc))
    if isinstance(exc, RecursionError):
        return "the input is nested too deeply to read (a table or list inside itself hundreds of times)"
    if isinstance(exc, MemoryError):
        return "not enough memory for this input or run (lower --scale or the number of workers)"
    module = type(exc).__module__.split(".")[0]
    if module in FOREIGN_DATA_ERRORS:
        return f"{FOREIGN_DATA_ERRORS[module]}: {_first_line(exc)}"
    return None


@contextlib.contextmanager
def user_errors() -> Iterator[None]:
    try:
        check_environment()
        yield
    except KeyboardInterrupt:
        err_console.print("[yellow]interrupted: nothing half-written was left behind[/]")
        raise typer.Exit(code=130) from None
    except (typer.Exit, typer.Abort, SystemExit, GeneratorExit):
        raise
    except BaseException as exc:  # PanicException is a BaseException; a bug still re-raises
        message = describe(exc)
        if message is None:
            raise
        _say(message)
        raise typer.Exit(code=2) from None
