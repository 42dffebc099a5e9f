"""install_hint: the pip command for an optional extra names its packages, never an exitban[...] no registry serves."""

from __future__ import annotations

from exitban.extras import install_hint

REQUIRES = [
    "numpy<3,>=2.3",
    'mesa<4,>=3.3; extra == "mesa"',
    'dask[distributed]>=2025.1; extra == "dask"',
    'distributed>=2025.1; extra == "dask"',
    'exitban[dask,mesa]; extra == "test"',
    'pytest>=8; extra == "test"',
]


def test_an_extra_gives_its_own_packages_with_their_ranges() -> None:
    assert install_hint("mesa", REQUIRES) == "pip install 'mesa<4,>=3.3'"
    assert install_hint("dask", REQUIRES) == "pip install 'dask[distributed]>=2025.1' 'distributed>=2025.1'"


def test_the_self_reference_is_left_out() -> None:
    assert install_hint("test", REQUIRES) == "pip install 'pytest>=8'"


def test_without_metadata_the_hint_installs_from_a_clone() -> None:
    assert install_hint("mesa", []) == "pip install -e '.[mesa]' (from a clone of exitban)"


def test_the_installed_metadata_names_mesa() -> None:
    assert "mesa" in install_hint("mesa").lower()


def test_no_page_installs_exitban_from_a_registry() -> None:
    """exitban is on no package registry: the docs install from a clone or a wheel, never `pip install exitban[...]`."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    pages = [root / "README.md", *sorted((root / "docs").rglob("*.md"))]
    wrong = re.compile(r"pip install\s+['\"]?exitban\b")
    found = [f"{p.relative_to(root)}:{n}" for p in pages for n, line in enumerate(p.read_text().splitlines(), 1)
             if wrong.search(line)]  # fmt: skip
    assert not found, f"pages tell users to install exitban from a registry: {found}"
