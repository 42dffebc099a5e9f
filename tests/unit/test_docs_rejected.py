"""The how-to 'When a scenario is rejected' shows the messages exitban really prints, and its Python runs."""

from __future__ import annotations

import contextlib
import io
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exitban.cli import app

ROOT = Path(__file__).parents[2]
DOC = ROOT / "docs" / "how-to" / "when-a-scenario-is-rejected.md"
TEXT = DOC.read_text()
CONSOLE = re.findall(r"```console\n(.*?)```", TEXT, flags=re.S)
PYTHON = re.findall(r"```python\n(.*?)```", TEXT, flags=re.S)


@pytest.mark.parametrize("block", CONSOLE, ids=[b.splitlines()[0] for b in CONSOLE])
def test_console_examples_match_real_output(block: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each `$ exitban ...` example prints exactly the lines the doc shows."""
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("EXITBAN_MEMORY_LIMIT", raising=False)
    command, *expected = block.strip().splitlines()
    args = shlex.split(command.removeprefix("$ "))
    assert args[0] == "exitban"
    result = CliRunner().invoke(app, args[1:])
    assert result.output.strip().splitlines() == expected


def test_python_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Python example runs and prints the error line and the estimate."""
    monkeypatch.chdir(ROOT)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(PYTHON[0], str(DOC), "exec"), {})  # the doc's own example, not user input
    printed = out.getvalue()
    assert "negative_size.toml: field 'institutions.officers.size' = -5" in printed
    assert printed.strip().endswith("MiB")
