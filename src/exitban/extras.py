"""The pip command that installs an optional extra, read from exitban's installed metadata.

exitban is not served by a package registry, so ``pip install 'exitban[mesa]'`` would fail; the
extra's own packages, with pyproject.toml's ranges, install from any registry.
"""

from __future__ import annotations

import importlib.metadata
import re
import shlex

_EXTRA = re.compile(r"""extra\s*==\s*["']([^"']+)["']""")


def install_hint(extra: str, requires: list[str] | None = None) -> str:
    """``pip install ...`` for the packages of ``extra`` (e.g. ``"mesa"``), with their version ranges.

    Parameters
    ----------
    extra:
        An optional-dependency group of pyproject.toml: ``dask``, ``dashboard``, ``discovery``, ``mesa``.
    requires:
        The requirement lines to read (default: the installed exitban's ``Requires-Dist``).

    Returns
    -------
    str
        A shell command; from a source tree with no metadata, ``pip install -e '.[extra]'``.
    """
    if requires is None:
        try:
            requires = importlib.metadata.requires("exitban") or []
        except importlib.metadata.PackageNotFoundError:
            requires = []
    wanted = []
    for line in requires:
        spec, _, marker = line.partition(";")
        if extra in _EXTRA.findall(marker) and not spec.strip().startswith("exitban"):
            wanted.append(spec.strip().replace(" ", ""))
    if not wanted:
        return f"pip install -e '.[{extra}]' (from a clone of exitban)"
    return "pip install " + " ".join(shlex.quote(w) for w in wanted)
