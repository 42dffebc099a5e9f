"""What can go wrong, by kind: each a one-line message the CLI prints with its exit code.

Every class is a ``ValueError`` as well, so code written against the first version's
``except ValueError`` keeps working; new code catches the kind it can handle.
"""

from __future__ import annotations


class ExitbanError(ValueError):
    """Any error exitban reports to its user: the message says what is wrong and how to fix it."""


class ScenarioError(ExitbanError):
    """A scenario file or value that cannot be used (names the file, the field and the allowed range)."""


class StoreError(ExitbanError):
    """A results folder (sweep store, calibration folder, run directory) that does not hold what it should,
    holds something else, or is being written by another command."""


class OutputError(ExitbanError):
    """An output location that cannot be written: a file where a folder should be, no permission."""


class ResourceError(ExitbanError):
    """A run or sweep that would need more memory than this machine (or the configured limit) allows."""
