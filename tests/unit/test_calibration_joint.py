"""The posterior read jointly: weighted correlations, ridges named in the verdict, the pairwise plot."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from exitban.calibration.joint import RIDGE, correlations, pairs_plot, ridge_partners
from exitban.calibration.priors import Priors
from exitban.calibration.record import identifiability, identifiability_markdown
from exitban.scenario.load import SHIPPED

NAMES = ("a.x", "a.y", "a.z")
PRIORS = Priors(NAMES, np.zeros(3), np.full(3, 10.0))


def _ridge(n: int = 400, seed: int = 0) -> pl.DataFrame:
    """x narrow (pinned down on its marginal), y = x plus a little noise (a ridge), z free and unrelated."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(4.0, 5.0, n)
    return pl.DataFrame({"a.x": x, "a.y": x + rng.normal(0, 0.05, n), "a.z": rng.uniform(0, 10, n), "weight": 1.0 / n})


def test_weighted_correlations_are_pearsons_with_equal_weights_and_ignore_zero_weights() -> None:
    post = _ridge()
    r = correlations(post, NAMES)
    assert r[0, 1] == pytest.approx(np.corrcoef(post["a.x"], post["a.y"])[0, 1])
    assert np.allclose(np.diag(r), 1.0)
    # particles of zero weight do not count: adding anti-correlated ones changes nothing
    extra = pl.DataFrame({"a.x": [0.0, 10.0], "a.y": [10.0, 0.0], "a.z": [5.0, 5.0], "weight": [0.0, 0.0]})
    assert correlations(pl.concat([post, extra]), NAMES) == pytest.approx(r)


def test_a_field_on_a_ridge_is_pinned_down_only_jointly_and_the_verdict_names_the_pair() -> None:
    """Issue 23: no field reported as pinned down alone when its correlation with another is beyond 0.9."""
    table = {r["parameter"]: r for r in identifiability(_ridge(), PRIORS).iter_rows(named=True)}
    assert table["a.x"]["width_ratio"] < 0.5
    assert table["a.x"]["verdict"].startswith("pinned down only jointly with a.y (r = +")
    assert table["a.z"]["verdict"] == "not identified" and table["a.z"]["ridge_with"] == ""
    assert ridge_partners(_ridge(), NAMES)["a.z"] == []


def test_the_record_page_holds_the_correlation_matrix_and_links_the_plot() -> None:
    post = _ridge()
    page = identifiability_markdown(identifiability(post, PRIORS), "test", ["t"], post)
    assert "## The posterior's correlations (weighted)" in page and "[pairs.png](pairs.png)" in page
    assert "| `x` |  | +0.99 |" in page


def test_the_pairwise_plot_is_a_png_and_the_same_bytes_for_the_same_posterior() -> None:
    post = _ridge()
    first = pairs_plot(post, NAMES, PRIORS.low, PRIORS.high)
    assert first.startswith(b"\x89PNG") and first == pairs_plot(post, NAMES, PRIORS.low, PRIORS.high)


@pytest.mark.parametrize("record", sorted(p.name for p in (Path(str(SHIPPED)) / "calibrated").iterdir()))
def test_shipped_records_name_every_ridge_in_their_verdicts(record: str) -> None:
    """tools/refresh_identifiability.py was run: each shipped record has its joint diagnostics, and its
    verdicts and the calibrated scenario's provenance name each pair beyond the ridge threshold."""
    folder = Path(str(SHIPPED)) / "calibrated" / record
    assert (folder / "pairs.png").is_file() and (folder / "correlations.parquet").is_file()
    table = pl.read_parquet(folder / "identifiability.parquet")
    corr = pl.read_parquet(folder / "correlations.parquet")
    names = corr["parameter"].to_list()
    scenario = (Path(str(SHIPPED)) / f"{record}.toml").read_text(encoding="utf-8")
    for i, name in enumerate(names):
        row = table.filter(pl.col("parameter") == name).row(0, named=True)
        for other in names:
            if other != name and abs(corr[other][i]) > RIDGE and row["verdict"] != "not identified":
                assert f"only jointly with {other}" in row["verdict"], (name, other)
        assert f'{row["verdict"]}"' in scenario, f"run tools/refresh_identifiability.py: {name}"
    manifest = json.loads((folder / "calibration.json").read_text(encoding="utf-8"))
    assert manifest["scenario"] in record
