"""Every bad scenario in the corpus is refused with one clear message: file, field, value, what is allowed."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exitban import ScenarioError, load_scenario
from exitban.cli import app

CORPUS = Path(__file__).parent.parent / "data" / "bad_scenarios"
MANIFEST = tomllib.loads((CORPUS / "manifest.toml").read_text())
CASES = sorted(MANIFEST)


def test_manifest_lists_every_corpus_file() -> None:
    """The manifest and the corpus directory name the same files, so no bad file goes untested."""
    files = {p.stem for p in CORPUS.glob("*.toml")} - {"manifest"}
    assert files == set(MANIFEST)
    assert len(files) >= 50


@pytest.mark.parametrize("case", CASES)
def test_loader_refuses_with_clear_message(case: str) -> None:
    """load_scenario raises ScenarioError whose message names the file, the field, the value and the range."""
    with pytest.raises(ScenarioError) as info:
        load_scenario(CORPUS / f"{case}.toml")
    message = str(info.value)
    assert ".toml" in message and CORPUS.name in message, message
    for fragment in MANIFEST[case]["fragments"]:
        assert fragment in message, f"{case}: {fragment!r} not in {message!r}"
    assert "Traceback" not in message and "pydantic" not in message, message


@pytest.mark.parametrize("case", CASES)
def test_check_command_exits_2_with_one_line_per_error(case: str) -> None:
    """`exitban check FILE` prints 'error:' and the message on stderr and exits 2."""
    result = CliRunner().invoke(app, ["check", str(CORPUS / f"{case}.toml")])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr.startswith("error: ")
    for fragment in MANIFEST[case]["fragments"]:
        assert fragment in result.stderr, f"{case}: {fragment!r} not in {result.stderr!r}"


@pytest.mark.parametrize("command", ["check", "show", "run"])
def test_commands_refuse_bad_file_without_traceback(command: str, tmp_path: Path) -> None:
    """In a real process, check/show/run on a bad file exit 2 with no traceback and write nothing."""
    args = [command, str(CORPUS / "probability_above_one.toml")]
    if command == "run":
        args += ["--out", str(tmp_path / "out")]
    proc = subprocess.run(
        [sys.executable, "-m", "exitban", *args], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "regime.prosecution_threat' = 1.5" in proc.stderr
    assert "a number from 0 to 1" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_check_accepts_every_shipped_scenario() -> None:
    """The strict loader still accepts every shipped scenario (strictness refuses no valid file)."""
    from exitban import list_scenarios

    for name in list_scenarios():
        result = CliRunner().invoke(app, ["check", name])
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith("ok: ")


def test_default_unit_size_is_not_checked_against_a_small_size(tmp_path: Path) -> None:
    """The default unit_size caps at a small institution; a 50-person institution with it loads, and `run`
    accepts what `check` accepts: a copy validated again (--scale, --set) keeps it valid (issue 26, item 4)."""
    path = tmp_path / "small.toml"
    path.write_text('name = "small"\n[institutions.a]\nkind = "cadet"\nsize = 50\n')
    sc = load_scenario(path)
    assert sc.institutions["a"].unit_size == 100
    assert sc.with_overrides(scale=0.5).with_params({"regime.prosecution_threat": 0.4}).institutions["a"].size == 50
    assert CliRunner().invoke(app, ["check", str(path)]).exit_code == 0
    result = CliRunner().invoke(app, ["run", str(path), "--days", "2", "--scale", "0.5", "--out", str(tmp_path / "r")])
    assert result.exit_code == 0, result.output
    path.write_text('name = "small"\n[institutions.a]\nkind = "cadet"\nsize = 50\nunit_size = 60\n')
    result = CliRunner().invoke(app, ["check", str(path)])
    assert result.exit_code == 2 and "unit_size 60 is larger than the institution's size 50" in result.stderr
