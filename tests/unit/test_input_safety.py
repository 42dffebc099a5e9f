"""Nothing from input is executed or unpickled: scenario text is data, and the package never evaluates it."""

from __future__ import annotations

import ast
import pickle
from pathlib import Path

import numpy as np
import pytest

import exitban
from exitban import ScenarioError, load_scenario

SRC = Path(exitban.__file__).parent
PAYLOADS = [
    "__import__('os').system('touch {marker}')",
    "eval(\"open('{marker}', 'w')\")",
    "{{ open('{marker}', 'w') }}",
    "!!python/object/apply:os.system ['touch {marker}']",
    "$(touch {marker})",
    "`touch {marker}`",
]


class _Exploit:
    """Unpickling this object would create the marker file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (str(self.marker), "w"))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_code_in_strings_is_kept_as_text(payload: str, tmp_path: Path) -> None:
    """Code-like strings in free-text fields load verbatim and never run."""
    marker = tmp_path / "pwned"
    text = payload.format(marker=marker)
    path = tmp_path / "s.toml"
    quoted = text.replace("\\", "\\\\").replace('"', '\\"')
    path.write_text(
        f'extends = "army-officers-2019"\nname = "payload"\ntitle = "{quoted}"\n'
        f'[institutions.officers]\nlabel = "{quoted}"\n'
    )
    sc = load_scenario(path)
    assert sc.title == text and sc.institutions["officers"].label == text
    assert not marker.exists()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_code_in_extends_is_a_name_not_a_command(payload: str, tmp_path: Path) -> None:
    """A code-like ``extends`` is looked up as a scenario name, refused, and never run."""
    marker = tmp_path / "pwned"
    path = tmp_path / "s.toml"
    quoted = payload.format(marker=marker).replace("\\", "\\\\").replace('"', '\\"')
    path.write_text(f'extends = "{quoted}"\nname = "payload"\n')
    with pytest.raises(ScenarioError, match="field 'extends': no scenario named"):
        load_scenario(path)
    assert not marker.exists()


@pytest.mark.parametrize("protocol", [0, 2, pickle.HIGHEST_PROTOCOL])
@pytest.mark.parametrize("suffix", [".toml", ".pkl"])
def test_pickle_files_are_refused_not_unpickled(protocol: int, suffix: str, tmp_path: Path) -> None:
    """A pickle (whose unpickling would create a file) is refused as unreadable or malformed TOML."""
    marker = tmp_path / "pwned"
    path = tmp_path / f"scenario{suffix}"
    path.write_bytes(pickle.dumps(_Exploit(marker), protocol=protocol))
    with pytest.raises(ScenarioError, match=r"malformed TOML|cannot read file"):
        load_scenario(path)
    assert not marker.exists()


def test_numpy_file_is_refused(tmp_path: Path) -> None:
    """A .npy array file given as a scenario is refused as not TOML."""
    path = tmp_path / "scenario.npy"
    np.save(path, np.arange(10))
    with pytest.raises(ScenarioError, match=r"malformed TOML|cannot read file"):
        load_scenario(path)


def test_huge_file_is_refused_before_parsing(tmp_path: Path) -> None:
    """A file over the size limit is refused with its size, without being parsed."""
    path = tmp_path / "big.toml"
    path.write_text("# padding\n" * 200_000)
    with pytest.raises(ScenarioError, match=r"big.toml: file is 2,000,000 bytes; a scenario file may be at most"):
        load_scenario(path)


def test_deep_nesting_is_malformed_not_a_crash(tmp_path: Path) -> None:
    """Arrays nested thousands deep are refused as malformed TOML, not a RecursionError."""
    path = tmp_path / "deep.toml"
    path.write_text("days = " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(ScenarioError, match="nested too deeply"):
        load_scenario(path)


UNSAFE_CALLS = {
    "eval",
    "exec",
    "compile",
    "__import__",
    "pickle.load",
    "pickle.loads",
    "marshal.loads",
    "shelve.open",
    "yaml.load",
    "yaml.unsafe_load",
    "cloudpickle.loads",
    "dill.loads",
    "pl.read_pickle",
    "pd.read_pickle",
}


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def test_package_has_no_eval_or_unpickling_calls() -> None:
    """No module of the package calls eval/exec/unpickling, or np.load with allow_pickle=True."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if not isinstance(node, ast.Call):
                continue
            name = _dotted(node.func)
            if name in UNSAFE_CALLS:
                found.append(f"{path.relative_to(SRC)}:{node.lineno} {name}")
            if name.endswith(".load") and any(
                kw.arg == "allow_pickle" and not (isinstance(kw.value, ast.Constant) and kw.value.value is False)
                for kw in node.keywords
            ):
                found.append(f"{path.relative_to(SRC)}:{node.lineno} {name}(allow_pickle=...)")
    assert found == []


@pytest.mark.parametrize("command", ["check", "show", "run"])
def test_markup_in_scenario_text_prints_as_written(command: str, tmp_path: Path) -> None:
    """Rich markup in a name, title or label ('[/]', '[bold]') is printed literally, never interpreted or a crash."""
    from typer.testing import CliRunner

    from exitban.cli import app

    path = tmp_path / "markup.toml"
    path.write_text(
        'extends = "army-officers-2019"\nname = "m[red]x"\ntitle = "close [/] tag [bold]"\n'
        '[institutions.officers]\nlabel = "[/bold]officers"\n'
    )
    args = [command, str(path)]
    if command == "run":
        args += ["--days", "2", "--scale", "0.001", "--out", str(tmp_path / "out")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "m[red]x" in result.stdout
    if command == "show":
        assert "close [/] tag [bold]" in result.stdout and "[/bold]officers" in result.stdout
