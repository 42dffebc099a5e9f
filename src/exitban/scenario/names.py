"""Names and labels from shared files: plain printable text, and file names that stay in their folder.

A scenario's name, title or an institution's label is printed in terminals, inserted into
HTML and plot legends, and a name may become part of a file name. Text from a file someone
else wrote is checked here at load, so nothing downstream has to second-guess it:
no control characters (terminal escape sequences, NUL), no bidirectional overrides (text
that displays in another order than it reads), and for names no path separators.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

# Explicit directional formatting characters (Unicode TR9): they reorder what a reader sees.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
UNSAFE_FILE_CHARS = re.compile(r"[^A-Za-z0-9._-]+")
MAX_FILE_STEM = 100


def _bad_char(text: str, multiline: bool) -> str | None:
    for ch in text:
        if multiline and ch in "\n\t":
            continue
        if ch in BIDI_CONTROLS or unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp"):
            return ch
    return None


def check_text(value: str, *, multiline: bool = False) -> str:
    """Return ``value`` if it is printable text; raise ``ValueError`` naming the first bad character."""
    bad = _bad_char(value, multiline)
    if bad is not None:
        kind = "a bidirectional override" if bad in BIDI_CONTROLS else "a control character"
        allowed = "printable text, new lines and tabs" if multiline else "printable text on one line"
        raise ValueError(f"holds {kind} (U+{ord(bad):04X}) at position {value.index(bad)}; only {allowed} is allowed")
    return value


def check_name(value: str) -> str:
    """A name: printable text without path separators, and not '.' or '..'."""
    check_text(value)
    if "/" in value or "\\" in value or value.strip() in (".", ".."):
        raise ValueError("holds '/' or '\\', or is '.' or '..': a name is not a path")
    return value


def safe_file_name(name: str, suffix: str = "") -> str:
    """A file name made from ``name``: letters, digits, '.', '_' and '-' only, never hidden, '.' or '..'."""
    stem = UNSAFE_FILE_CHARS.sub("_", name).lstrip(".")[:MAX_FILE_STEM] or "unnamed"
    return stem + suffix


def path_in(folder: str | Path, name: str, suffix: str = "") -> Path:
    """``folder / safe_file_name(name + suffix)``: a path that is always directly inside ``folder``."""
    return Path(folder) / safe_file_name(name, suffix)
