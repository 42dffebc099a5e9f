"""How long and how large a run may be: the bounds the schema declares for ``days`` and ``scale``.

They are plain numbers, not read back from the pydantic fields, so the command line can offer
them as option ranges without loading the schema at start (``tests/unit/test_cli_startup.py``).
"""

from __future__ import annotations

DAYS_MIN, DAYS_MAX = 1, 36_500  # a day to a hundred years; also the last day a mid-run change may name
SCALE_MAX = 10  # ten times the real size; the lower bound is open: any scale above 0
