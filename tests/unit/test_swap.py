"""exitban.swap puts a whole folder in place at once, with or without the system's exchange of two names."""

from __future__ import annotations

from pathlib import Path

import pytest

from exitban import swap


def _fill(folder: Path, text: str) -> None:
    (folder / "a.txt").write_text(text)
    (folder / "b.txt").write_text(text)


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "rename-aside"])
def test_replace_folder_swaps_whole_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool) -> None:
    """The new folder replaces the old one whole; an error inside leaves the old one as it was; no sibling stays."""
    if not exchange:
        monkeypatch.setattr(swap, "_EXCHANGE", None)
    target = tmp_path / "g[1]*x"  # a name that is a glob pattern is only a name
    with swap.replace_folder(target) as staging:
        _fill(staging, "one")
    with swap.replace_folder(target) as staging:
        _fill(staging, "two")
    assert {p.name: p.read_text() for p in target.iterdir()} == {"a.txt": "two", "b.txt": "two"}
    with pytest.raises(RuntimeError), swap.replace_folder(target) as staging:
        (staging / "a.txt").write_text("three")
        raise RuntimeError("disk full")
    assert {p.name: p.read_text() for p in target.iterdir()} == {"a.txt": "two", "b.txt": "two"}
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_leftovers_of_a_killed_write_are_cleared_and_nothing_else(tmp_path: Path) -> None:
    """A staging or old sibling of the same target goes on the next write; a neighbour's or a link is kept."""
    target = tmp_path / "run"
    for name in (".run.x1.staging", ".run.x2.old", ".other.x3.staging"):
        (tmp_path / name).mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / ".run.x4.staging").symlink_to(outside)
    with swap.replace_folder(target) as staging:
        _fill(staging, "new")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.x3.staging", ".run.x4.staging", "outside", "run"]
    assert outside.is_dir()
