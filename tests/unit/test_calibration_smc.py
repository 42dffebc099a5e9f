"""ABC-SMC on a toy simulator with a known answer: recovery, weights, resumption and executor independence.

The toy replaces the engine (the executor computes a particle's figures from its parameters), so
these tests check the algorithm and its bookkeeping in a second; tests/regression/
test_calibration_recovery.py checks the same on the engine itself.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from exitban.calibration import smc
from exitban.calibration.folder import CalibrationFolder
from exitban.calibration.priors import Priors
from exitban.calibration.record import identifiability
from exitban.calibration.run import Problem, Settings, calibrate
from exitban.calibration.worker import ParticleTask
from exitban.errors import StoreError
from tests.helpers import target


class ToyExecutor:
    """Figures a = x + noise (sd 0.05, seeded by the task), b = y; optionally answers in reverse order of submission."""

    label = "toy"

    def __init__(self, reverse_chunks: int = 0) -> None:
        self.reverse_chunks = reverse_chunks
        self.calls = 0

    def _one(self, task: ParticleTask) -> tuple[dict, None]:
        self.calls += 1
        noise = np.random.default_rng(task.seed % 2**32).normal(0, 0.05)
        values = [task.params["p.x"] + noise, task.params["p.y"]]
        return {"run_id": task.run_id, "status": "ok", "error": None, "values": values, "elapsed_s": 0.0}, None

    def map_unordered(self, tasks: Iterable[ParticleTask], fn: object = None) -> Iterator[tuple[dict, None]]:
        if not self.reverse_chunks:
            for task in tasks:
                yield self._one(task)
            return
        chunk: list[ParticleTask] = []
        for task in tasks:
            chunk.append(task)
            if len(chunk) == self.reverse_chunks:
                yield from (self._one(t) for t in reversed(chunk))
                chunk = []
        yield from (self._one(t) for t in reversed(chunk))

    def close(self) -> None:
        pass


PROBLEM = Problem(
    "toy",
    {"name": "toy"},
    Priors(("p.x", "p.y"), np.array([0.0, -1.0]), np.array([1.0, 1.0])),
    {"a": target(0.55, 0.65), "b": target(-1.0, 1.0)},
)
SETTINGS = Settings(particles=200, generations=4, batch=50, seed=3)


def _run(tmp: Path, settings: Settings = SETTINGS, executor: ToyExecutor | None = None) -> pl.DataFrame:
    folder = CalibrationFolder.open(tmp, PROBLEM.manifest(settings))
    try:
        return calibrate(PROBLEM, settings, folder, executor or ToyExecutor()).posterior
    finally:
        folder.close()


def test_recovers_the_parameter_the_target_constrains(tmp_path: Path) -> None:
    """x is pinned near the target's range [0.55, 0.65]; y, which no target constrains, stays as wide as its prior."""
    post = _run(tmp_path / "c")
    table = {r["parameter"]: r for r in identifiability(post, PROBLEM.priors).iter_rows(named=True)}
    assert 0.5 < table["p.x"]["posterior_median"] < 0.7
    assert table["p.x"]["verdict"] == "pinned down"
    assert table["p.y"]["verdict"] == "not identified"
    w = post["weight"].to_numpy()
    assert w.sum() == pytest.approx(1.0) and (w > 0).all()
    assert post.height == SETTINGS.particles


def test_the_tolerance_falls_generation_by_generation(tmp_path: Path) -> None:
    """Each generation's epsilon is at most the one before, and every accepted particle is within it."""
    folder = CalibrationFolder.open(tmp_path / "c", PROBLEM.manifest(SETTINGS))
    outcome = calibrate(PROBLEM, SETTINGS, folder, ToyExecutor())
    eps = outcome.generations["epsilon"].to_list()
    assert all(later <= earlier for earlier, later in itertools.pairwise(eps))
    for pop in outcome.populations:
        assert (pop["distance"] <= pop["epsilon"]).all()


def test_completion_order_does_not_change_the_result(tmp_path: Path) -> None:
    """Results arriving in another order (as from a pool or a cluster) give the same posterior bytes."""
    a = _run(tmp_path / "a")
    b = _run(tmp_path / "b", executor=ToyExecutor(reverse_chunks=7))
    assert a.equals(b)
    assert (tmp_path / "a/generations/gen-002.parquet").read_bytes() == (
        tmp_path / "b/generations/gen-002.parquet"
    ).read_bytes()


def test_an_interrupted_calibration_resumes_to_the_same_bytes(tmp_path: Path) -> None:
    """Stopped after two generations, with a stored batch and a population lost, it ends as one never stopped."""
    whole = _run(tmp_path / "whole")
    part = tmp_path / "part"
    _run(part, Settings(**{**SETTINGS.__dict__, "generations": 2}))
    (part / "generations/gen-001.parquet").unlink()
    (part / "generations/gen-001/batch-00001.parquet").unlink()
    resumed_executor = ToyExecutor()
    resumed = _run(part, executor=resumed_executor)
    assert resumed.equals(whole)
    assert resumed_executor.calls < sum(
        pl.read_parquet(p).height for p in (tmp_path / "whole/generations").glob("gen-*/batch-*.parquet")
    )


def test_a_folder_refuses_another_calibration(tmp_path: Path) -> None:
    """Reopening a folder with other settings is an error naming the folder, not a silent mix."""
    _run(tmp_path / "c", Settings(**{**SETTINGS.__dict__, "generations": 1}))
    with pytest.raises(StoreError, match="holds another calibration"):
        _run(tmp_path / "c", Settings(**{**SETTINGS.__dict__, "seed": 4}))


def test_importance_weights_undo_the_proposal() -> None:
    """Proposals drawn from the kernel mixture and weighed by 1 / mixture density are uniform: weighted mean 0.5."""
    rng = np.random.default_rng(0)
    parents = rng.random((50, 1)) * 0.6  # a population crowded at the low end
    w = np.full(50, 1 / 50)
    cov = smc.kernel_covariance(parents, w)
    new = smc.propose(rng, 20_000, parents, w, cov)
    weights = smc.importance_weights(new, parents, w, cov)
    assert np.average(new[:, 0], weights=weights) == pytest.approx(0.5, abs=0.02)
    assert new[:, 0].mean() < 0.42  # the proposals themselves are not uniform


def test_weighted_quantile_of_equal_weights_is_the_median() -> None:
    """With equal weights the weighted median is the plain median."""
    x = np.array([5.0, 1.0, 3.0, 2.0, 4.0])
    assert smc.weighted_quantile(x, np.ones(5), 0.5) == pytest.approx(3.0)
