"""exitban as a Mesa 3 model: one Agent per person, written to be read and to dock the engine against.

The compiled engine (``exitban.engine``) and this model implement the same rules
independently; ``exitban.mesa.docking`` tests that their outputs have the same
distributions (Axtell et al. 1996). Needs the optional 'mesa' extra: Mesa 3.3 or newer (``pip install -e '.[mesa]'`` in a clone, or
``pip install 'mesa>=3.3,<4'``).
"""

from __future__ import annotations

try:
    import mesa as _mesa  # noqa: F401
except ImportError as err:  # pragma: no cover - exercised only without the extra
    from exitban.extras import install_hint

    raise ImportError(f"exitban.mesa needs Mesa; install it with: {install_hint('mesa')}") from err

from exitban.mesa.model import ExitBanModel
from exitban.mesa.person import Person

__all__ = ["ExitBanModel", "Person"]
