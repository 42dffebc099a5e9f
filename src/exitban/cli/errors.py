"""Turn user errors into one clear line and a non-zero exit code, never a traceback."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import typer
from rich.console import Console
from rich.markup import escape

from exitban.errors import ExitbanError

err_console = Console(stderr=True)


@contextlib.contextmanager
def user_errors() -> Iterator[None]:
    try:
        yield
    except (ExitbanError, ValueError) as exc:
        # escape: messages quote user input and table names like [regime], which are not markup
        err_console.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
        raise typer.Exit(code=2) from None
    except OSError as exc:  # the disk, not the scenario: a full disk, a path that is a file
        where = f"{exc.filename}: " if exc.filename else ""
        err_console.print(
            f"[bold red]error:[/] {escape(where + (exc.strerror or str(exc)))}", highlight=False, soft_wrap=True
        )
        raise typer.Exit(code=1) from None
    except KeyboardInterrupt:
        err_console.print("[yellow]interrupted: nothing half-written was left behind[/]")
        raise typer.Exit(code=130) from None
