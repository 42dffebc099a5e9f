"""However a sweep's runs are split up and ordered, the store ends with the same bytes."""

from __future__ import annotations

import functools
import hashlib
import itertools
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from exitban.sweep import SerialExecutor, SweepSpec, build_tasks, execute
from exitban.sweep.spec import manifest
from exitban.sweep.store import Store

SPEC = SweepSpec.model_validate(
    {"name": "partition", "base": "army-officers-2019", "days": 5, "scale": 0.001, "replications": 2,
     "root_seed": 31, "parameters": {"regime.prosecution_threat": {"values": [0.0, 0.5, 1.0]}}}
)  # fmt: skip
TASKS = build_tasks(SPEC)


def _digest(root: Path) -> dict[str, str]:
    files = [*sorted((root / "timeseries").iterdir()), root / "runs.parquet"]
    return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in files}


def _sweep(batches: list[list[int]], root: Path) -> dict[str, str]:
    """Run the tasks batch by batch (each batch one command), then the rest, into one store."""
    man = manifest(SPEC, TASKS)
    for batch in batches:
        execute([TASKS[i] for i in batch], Store.open(root, man), SerialExecutor())
    execute(TASKS, Store.open(root, man), SerialExecutor())
    return _digest(root)


@functools.cache
def _reference() -> dict[str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        return _sweep([], Path(tmp) / "ref")


@settings(max_examples=8, deadline=None)
@given(st.permutations(range(len(TASKS))), st.lists(st.integers(0, len(TASKS)), max_size=3))
def test_any_split_and_order_gives_the_same_store(order: list[int], cuts: list[int]) -> None:
    """Runs done in any order, over any number of interrupted commands, give the reference bytes."""
    bounds = [0, *sorted(cuts), len(order)]
    batches = [order[a:b] for a, b in itertools.pairwise(bounds) if b > a]
    with tempfile.TemporaryDirectory() as tmp:
        assert _sweep(batches, Path(tmp) / "s") == _reference()
