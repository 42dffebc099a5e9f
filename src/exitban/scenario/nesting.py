"""How deeply a scenario's input may nest: one bound for a file, ``--set``, a sweep spec and a prior.

Merging, validation and messages recurse over the input, so a value nested hundreds of levels
deep (or a dotted name of thousands of parts) would end in Python's RecursionError; it is refused
first, in one line, wherever it comes in.
"""

from __future__ import annotations

from typing import Any

MAX_DEPTH = 16  # nesting of tables and arrays; a scenario needs 2, and merging and validation recurse


def depth(value: Any) -> int:
    """How deeply tables and arrays nest in parsed input, without recursion (a 1,000-part dotted key is 1,000 deep)."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict | list | tuple):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in (node.values() if isinstance(node, dict) else node))
    return deepest
