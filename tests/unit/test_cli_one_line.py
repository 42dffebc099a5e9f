"""Every verb's error path ends in one readable line and exit 2, whatever library raised it (issue 26, item 5).

A bug (an error exitban does not expect from the user's input) still shows its traceback: the
one-line rule is for the user's data, disk and environment, not a way to hide defects.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from exitban.cli import app
from exitban.cli.errors import check_environment, describe
from exitban.errors import ExitbanError

SMALL = ["army-officers-2019", "--days", "2", "--scale", "0.001"]


def _one_line_exit_2(result) -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.output
    return lines[0]


@pytest.mark.parametrize("value", ["0", "abc", "-3", "1.5", ""])
def test_a_bad_thread_count_in_the_environment_is_named(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """NUMBA_NUM_THREADS that Numba would choke on is refused by name before anything loads."""
    monkeypatch.setenv("NUMBA_NUM_THREADS", value)
    line = _one_line_exit_2(CliRunner().invoke(app, ["run", *SMALL, "--out", "unused"]))
    assert "NUMBA_NUM_THREADS must be a positive integer" in line


def test_a_good_thread_count_passes() -> None:
    check_environment({"NUMBA_NUM_THREADS": "2"})
    check_environment({})
    with pytest.raises(ExitbanError, match="NUMBA_NUM_THREADS"):
        check_environment({"NUMBA_NUM_THREADS": "two"})


@pytest.mark.parametrize(
    "item, words",
    [
        ("regime.prosecution_threat=" + "[" * 500 + "]" * 500, "nested"),
        ("regime.prosecution_threat=" + "[" * 5000 + "]" * 5000, "nested too deeply"),
        (".".join(["a"] * 2000) + "=1", "2,000 parts"),
    ],
)
def test_set_nested_or_long_is_one_line(item: str, words: str) -> None:
    """--set with a value hundreds deep or a name of thousands of parts: one line, no RecursionError."""
    line = _one_line_exit_2(CliRunner().invoke(app, ["run", *SMALL, "--set", item, "--out", "unused"]))
    assert words in line


def _raise(exc: BaseException):
    def boom(*args: object, **kwargs: object) -> None:
        raise exc

    return boom


def _library_errors() -> list[BaseException]:
    import duckdb
    import polars.exceptions as pe

    return [
        pe.PanicException("called `Result::unwrap()` on an `Err` value"),  # a BaseException from Rust
        pe.ComputeError("cannot cast Interval to a Python value"),
        duckdb.ConversionException("Could not convert"),
        RecursionError("maximum recursion depth exceeded"),
        MemoryError(),
        OSError(28, "No space left on device", "runs/x/timeseries.parquet"),
    ]


@pytest.mark.parametrize("exc", _library_errors(), ids=lambda e: type(e).__name__)
def test_library_errors_on_the_users_data_are_one_line(exc: BaseException, monkeypatch: pytest.MonkeyPatch) -> None:
    """Polars (a Rust panic included), DuckDB, recursion, memory and the disk: one line and exit 2."""
    monkeypatch.setattr("exitban.cli.run.simulate", _raise(exc))
    _one_line_exit_2(CliRunner().invoke(app, ["run", *SMALL, "--out", "unused"]))


def test_a_validation_error_that_reaches_the_command_line_is_one_line() -> None:
    """pydantic's many-line dump (a ValueError) is folded into one line naming the field."""
    import exitban

    try:
        exitban.load_scenario("army-officers-2019").with_overrides(days=-3)
    except ValueError as exc:
        line = describe(exc)
    assert line is not None and "\n" not in line and line.startswith("invalid input: days: ")


def test_a_bug_keeps_its_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    """An error that is not about the user's input is not dressed up as one: it propagates."""
    monkeypatch.setattr("exitban.cli.run.simulate", _raise(ZeroDivisionError("a defect")))
    result = CliRunner().invoke(app, ["run", *SMALL, "--out", "unused"])
    assert result.exit_code == 1 and isinstance(result.exception, ZeroDivisionError)
    assert describe(ZeroDivisionError()) is None
