"""Terminal tables that never cut a value: a column too narrow folds its text onto the next line, and a
table of many columns is printed turned (one row per column) when the terminal is too narrow for it.

Rich's default shortens a cell that does not fit to ``12,9…``; a reader then copies a wrong number.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.markup import escape
from rich.table import Table

PADDING = 3  # a cell's padding and its border, in characters


def _width(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> int:
    """The width the table needs with no cell folded."""
    widths = [max(len(h), *(len(r[k]) for r in rows)) if rows else len(h) for k, h in enumerate(headers)]
    return sum(widths) + PADDING * len(widths) + 1


def folding(*headers: str, right: Sequence[str] = (), **kw: object) -> Table:
    """A Rich table whose every column folds a long value instead of cutting it."""
    table = Table(**kw)  # type: ignore[arg-type]
    for h in headers:
        table.add_column(h, justify="right" if h in right else "left", overflow="fold")
    return table


def fitted(
    console: Console,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    title: str = "",
    numeric: bool = True,
) -> Table:
    """The table as given if it fits the console, else turned: the first column's values become the headers.

    Values are plain text (escaped here). Every column folds, so even a turned table too wide for the
    terminal keeps every character of every value.
    """
    rows = [[escape(c) for c in r] for r in rows]
    headers = [escape(h) for h in headers]
    if _width(headers, rows) > console.width and len(rows) < len(headers):
        turned = [[headers[k], *(r[k] for r in rows)] for k in range(1, len(headers))]
        headers = [headers[0], *(r[0] for r in rows)]
        rows = turned
    table = folding(*headers, right=headers[1:] if numeric else (), title=escape(title))
    for r in rows:
        table.add_row(*r)
    return table
