"""exitban as a Mesa 3 model: one Agent per person, written to be read and to dock the engine against.

The compiled engine (``exitban.engine``) and this model implement the same rules
independently; ``exitban.mesa.docking`` tests that their outputs have the same
distributions (Axtell et al. 1996). Needs the optional extra: ``pip install 'exitban[mesa]'``.
"""

from __future__ import annotations

try:
    import mesa as _mesa  # noqa: F401
except ImportError as err:  # pragma: no cover - exercised only without the extra
    raise ImportError("exitban.mesa needs Mesa; install it with: pip install 'exitban[mesa]'") from err

from exitban.mesa.model import ExitBanModel
from exitban.mesa.person import Person

__all__ = ["ExitBanModel", "Person"]
