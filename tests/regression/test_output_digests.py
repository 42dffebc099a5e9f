"""The outputs of every shipped scenario are the bytes recorded in tests/data/output_digests.json.

A failure here means the model now computes something else. If that is the intent (a rule
change, with its own paired-seed test), regenerate the fixture with
``python -m tests.regression.output_digests`` and say so in the commit; if the change was
meant to move code only, it is a bug.
"""

from __future__ import annotations

import json

import pytest

import exitban
from tests.regression.output_digests import FIXTURE, SEEDS, run

RECORDED = json.loads(FIXTURE.read_text())


def test_fixture_covers_every_shipped_scenario() -> None:
    """Every shipped scenario and seed has a recorded digest, and nothing else does."""
    expected = {f"{name}/seed={seed}" for name in exitban.list_scenarios() for seed in SEEDS}
    assert set(RECORDED) == expected


@pytest.mark.parametrize("key", sorted(RECORDED))
def test_outputs_unchanged(key: str) -> None:
    """Daily table, summary figures and final population match the recorded digest."""
    name, seed = key.split("/seed=")
    assert run(name, int(seed)) == RECORDED[key]
