"""The shipped calibrated scenarios: each loads, carries its calibration record, and says which fields were fitted."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from exitban.calibration.page import shipped_calibrated
from exitban.calibration.record import find_posterior, parameter_columns
from exitban.calibration.targets import load_targets
from exitban.scenario import resolve_provenance
from exitban.scenario.fields import leaf_values
from exitban.scenario.load import load_scenario

NAMES = shipped_calibrated()
DOC = Path(__file__).resolve().parents[2] / "docs" / "validation.md"


def test_every_seed_scenario_and_the_long_run_have_a_calibrated_version() -> None:
    """Issue 12, item 4: the three seed scenarios ship calibrated; issue 23, item 4: so do the long run, fitted on
    its patterns up to mid-2023, and its officials' view, fitted on the officials' own."""
    assert NAMES == [
        "army-officers-2019-calibrated",
        "fsb-mobilization-2023-calibrated",
        "officials-2023-calibrated",
        "war-2022-2025-calibrated",
        "war-2022-2025-officials-calibrated",
    ]


@pytest.mark.parametrize("name", NAMES)
def test_calibrated_fields_carry_their_record(name: str) -> None:
    """Each posterior column is a field of the scenario, set to one of the posterior's particles, provenance 'calibrated'."""
    sc = load_scenario(name)
    path = find_posterior(name)
    assert path is not None, f"{name}: no posterior shipped"
    post = pl.read_parquet(path)
    assert abs(post["weight"].sum() - 1.0) < 1e-9
    fields = parameter_columns(post)
    assert fields
    resolved = resolve_provenance(sc)
    for field in fields:
        value, provenance = resolved[field]
        assert provenance.startswith("calibrated: "), field
        assert value in post[field].round(6).to_list(), field
    assert (path.parent / "identifiability.md").is_file()


@pytest.mark.parametrize("name", NAMES)
def test_a_calibrated_scenario_is_its_base_as_it_is_now_plus_the_calibrated_fields(name: str) -> None:
    """A calibrated file sets every field: after a change to its base it would keep the base's old values
    (officials-2023-calibrated once lacked the governors and the ban's trigger of issue 22). Every field other
    than the calibrated ones equals the base's; `python tools/ship_calibration.py --rebase NAME` rewrites it."""
    calibrated, base = load_scenario(name), load_scenario(name.removesuffix("-calibrated"))
    fitted = {k for k, (_, src) in resolve_provenance(calibrated).items() if src.startswith("calibrated")}
    mine, theirs = leaf_values(calibrated), leaf_values(base)
    ignored = {"name", "title", "extends", *fitted}
    stale = sorted(k for k in mine.keys() | theirs.keys() if k not in ignored and mine.get(k) != theirs.get(k))
    assert not stale, f"{name} differs from its base in {stale[:8]}: python tools/ship_calibration.py --rebase {name}"


def test_validation_page_lists_every_held_out_figure() -> None:
    """docs/validation.md was regenerated after the last change to the targets (exitban validate --doc ...)."""
    text = DOC.read_text(encoding="utf-8")
    targets, _ = load_targets()
    for t in targets.targets.values():
        assert f"| {t.figure} |" in text, f"regenerate docs/validation.md: {t.figure} is missing"
