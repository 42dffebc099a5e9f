"""An edited engine source drops Numba's cached code, which is keyed on each function's own file only."""

from __future__ import annotations

from pathlib import Path

from exitban.engine import STAMP, drop_stale_cache


def _tree(root: Path) -> Path:
    (root / "rules" / "__pycache__").mkdir(parents=True)
    (root / "__pycache__").mkdir()
    (root / "kernel.py").write_text("x = 1\n")
    (root / "rules" / "stages.py").write_text("y = 2\n")
    return root


def test_unchanged_sources_keep_the_cache(tmp_path: Path) -> None:
    """With the stamp matching the sources, cached files stay."""
    root = _tree(tmp_path)
    drop_stale_cache(root)
    cached = root / "__pycache__" / "kernel.step_unit-1.py311.1.nbc"
    cached.write_bytes(b"code")
    assert drop_stale_cache(root) is False
    assert cached.exists()


def test_an_edited_rule_drops_the_kernels_cache(tmp_path: Path) -> None:
    """Editing a rule file deletes the kernel's cached code and index, anywhere under the engine."""
    root = _tree(tmp_path)
    drop_stale_cache(root)
    stale = [root / "__pycache__" / "kernel.step_unit-1.py311.nbi", root / "rules" / "__pycache__" / "s.nbc"]
    for f in stale:
        f.write_bytes(b"old")
    (root / "rules" / "stages.py").write_text("y = 3\n")
    assert drop_stale_cache(root) is True
    assert not any(f.exists() for f in stale)
    assert (root / "__pycache__" / STAMP).is_file()
