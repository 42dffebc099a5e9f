"""Names and labels from shared files: printable text only, and file names that stay in their folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

import exitban
from exitban.cli import app
from exitban.scenario.names import BIDI_CONTROLS, path_in, safe_file_name
from exitban.sweep.spec import SweepSpec

BASE = exitban.load_scenario("army-officers-2019")
CONTROL = st.sampled_from([chr(c) for c in (*range(32), 127, *range(0x80, 0xA0))] + sorted(BIDI_CONTROLS))
TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=20)


@given(TEXT, CONTROL, TEXT)
def test_control_and_bidi_characters_are_refused_in_names_titles_and_labels(a: str, bad: str, b: str) -> None:
    """A name, title or institution label holding a control or bidi-override character is a ScenarioError."""
    text = a + bad + b
    for change in ({"name": text}, {"title": text}):
        with pytest.raises(ValueError, match=r"holds a (control character|bidirectional override)"):
            BASE.with_overrides(**change)
    with pytest.raises(ValueError, match=r"institutions.officers.label"):
        BASE.with_params({"institutions.officers.label": text})


@given(TEXT, st.sampled_from(["/", "\\"]), TEXT)
def test_names_with_path_separators_are_refused(a: str, sep: str, b: str) -> None:
    """A scenario name is not a path: '/' and '\\' are refused."""
    with pytest.raises(ValueError, match="a name is not a path"):
        BASE.with_overrides(name=a + sep + b or "x")


@pytest.mark.parametrize("name", [".", "..", " .. "])
def test_dot_names_are_refused_for_scenarios_and_sweeps(name: str) -> None:
    """'.' and '..' are refused as scenario names and as sweep spec names."""
    with pytest.raises(ValueError, match="a name is not a path"):
        BASE.with_overrides(name=name)
    if name.strip() == name:
        with pytest.raises(ValueError, match="a name is not a path"):
            SweepSpec.model_validate({"name": name, "base": "x", "parameters": {"days": {"values": [1]}}})


@given(st.text(max_size=300), st.sampled_from(["", "-report.html", ".toml"]))
def test_a_file_name_from_any_text_stays_in_its_folder(name: str, suffix: str) -> None:
    """safe_file_name gives one plain, visible path component; path_in always lies directly in the folder."""
    file = safe_file_name(name, suffix)
    assert file not in ("", ".", "..")
    assert not file.startswith(".")
    assert "/" not in file and "\\" not in file and "\x00" not in file
    assert set(file) <= set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
    assert path_in("runs", name, suffix).parent == Path("runs")


def test_check_refuses_an_escape_sequence_in_a_name_without_printing_it(tmp_path: Path) -> None:
    """`exitban check` names the field and the character, and the terminal escape is not printed raw."""
    f = tmp_path / "esc.toml"
    f.write_text('extends = "army-officers-2019"\nname = "x\\u001b[2Jwiped"\n')
    out = CliRunner().invoke(app, ["check", str(f)])
    assert out.exit_code == 2
    assert "field 'name'" in out.output and "control character (U+001B)" in out.output
    assert "\x1b" not in out.output
