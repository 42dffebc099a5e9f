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
