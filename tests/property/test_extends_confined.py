"""``extends`` (and a spec's ``base``) reach shipped scenarios and files under the extending file's folder only."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exitban import files
from exitban.errors import ScenarioError
from exitban.scenario import load
from exitban.scenario.load import SHIPPED, load_scenario
from exitban.sweep.spec import build_tasks, load_spec

SECRET = "S3CRET-VALUE"
WORK = Path(tempfile.mkdtemp(prefix="exitban-extends-"))
FOLDER = WORK / "shared"
(FOLDER / "sub").mkdir(parents=True)
(WORK / "outside.toml").write_text(f'name = "outside"\ndays = "{SECRET}"\n')
(FOLDER / "sub" / "inside.toml").write_text('extends = "army-officers-2019"\nname = "inside"\n')
os.symlink(WORK / "outside.toml", FOLDER / "link.toml")

ESCAPES = ["../outside.toml", "../outside", str(WORK / "outside.toml"), "link.toml", "/etc/passwd", "/dev/zero"]
ESCAPES += ["sub/../../outside.toml", "/proc/self/environ", "~/.ssh/id_rsa", "sub/../link"]


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every path the loader reads."""
    seen: list[Path] = []
    real = files.read_bounded

    def spy(path: Path, limit: int, what: str = "") -> bytes:
        seen.append(Path(path))
        return real(path, limit, what)

    monkeypatch.setattr(load, "read_bounded", spy)
    return seen


def _allowed(path: Path) -> bool:
    real = path.resolve()
    return real.is_relative_to(FOLDER.resolve()) or real.is_relative_to(Path(str(SHIPPED)).resolve())


@pytest.mark.parametrize("target", ESCAPES)
def test_extends_outside_the_folder_is_refused_unopened(target: str, opened: list[Path]) -> None:
    """An absolute path, '../' or a link out of the folder is refused; the outside file is never read or quoted."""
    child = FOLDER / "child.toml"
    child.write_text(f'extends = "{target}"\nname = "child"\n')
    with pytest.raises(ScenarioError, match="extends may not leave the extending file's folder") as exc:
        load_scenario(child)
    assert SECRET not in str(exc.value)
    assert all(_allowed(p) for p in opened), opened


def test_extends_reaches_files_below_the_folder_and_shipped_names() -> None:
    """A file in a subfolder and a shipped scenario name both resolve."""
    child = FOLDER / "ok.toml"
    child.write_text('extends = "sub/inside"\nname = "ok"\n')
    assert load_scenario(child).institutions == load_scenario("army-officers-2019").institutions


def test_a_spec_base_outside_its_folder_is_refused() -> None:
    """A sweep spec's base follows the same rule as extends."""
    spec = FOLDER / "spec.toml"
    spec.write_text('base = "../outside.toml"\n[parameters."regime.prosecution_threat"]\nvalues = [0.1]\n')
    with pytest.raises(ScenarioError, match=r"field 'base': no scenario named '\.\./outside\.toml'") as exc:
        build_tasks(*load_spec(spec))
    assert SECRET not in str(exc.value)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(
    parts=st.lists(
        st.sampled_from(
            ["..", ".", "sub", "outside.toml", "inside.toml", "link.toml", "", "etc", "army-officers-2019"]
        ),
        min_size=1,
        max_size=5,
    ),
    absolute=st.booleans(),
)
def test_generated_extends_paths_never_read_outside(parts: list[str], absolute: bool, opened: list[Path]) -> None:
    """Whatever path extends names, the loader reads only files under the folder or shipped scenarios."""
    target = ("/" if absolute else "") + "/".join(parts)
    child = FOLDER / "gen.toml"
    child.write_text(f'extends = "{target}"\nname = "gen"\n')
    opened.clear()
    try:
        load_scenario(child)
    except ScenarioError as exc:
        assert SECRET not in str(exc)
    assert all(_allowed(p) for p in opened), opened
