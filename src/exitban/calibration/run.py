"""Drive ABC-SMC on the sweep executors: proposals in seeded batches, stored as they finish.

Proposal ``i`` of generation ``g`` lies in batch ``i // batch``, whose random numbers (the
particles and their run seeds) come from ``SeedSequence(seed, spawn_key=(g, batch))`` alone. A
generation's population is the first ``particles`` accepted proposals in proposal order, so it
does not depend on how many runs were in flight, on the executor, or on an interruption:
the same (scenario, targets, settings, version) give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import math
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field

import numpy as np
import polars as pl

from exitban._version import __version__
from exitban.calibration import smc
from exitban.calibration.folder import CalibrationFolder
from exitban.calibration.priors import Priors
from exitban.calibration.targets import Target
from exitban.calibration.worker import ParticleTask, run_particle
from exitban.errors import ScenarioError
from exitban.sweep.executors import Executor

Progress = Callable[[int, int, int, int, float], None]  # (generation, accepted, wanted, proposed, epsilon)


@dataclass(frozen=True)
class Settings:
    """How hard to search. ``generations`` may grow between commands on one folder; nothing else may."""

    particles: int = 2000
    generations: int = 6
    quantile: float = 0.5
    batch: int = 250
    min_acceptance: float = 0.01
    seed: int = 0

    def fixed(self) -> dict[str, float | int]:
        """The settings a folder's results depend on (the number of generations only extends them)."""
        return {k: v for k, v in asdict(self).items() if k != "generations"}


@dataclass(frozen=True)
class Problem:
    """What is calibrated: a scenario (plain data, at the calibration's scale and days), priors, targets."""

    scenario_name: str
    scenario: dict
    priors: Priors
    targets: dict[str, Target]

    def manifest(self, settings: Settings) -> dict:
        body = {
            "scenario": self.scenario_name,
            "scenario_data": self.scenario,
            "parameters": {n: [float(lo), float(hi)] for n, lo, hi in zip(*self._bounds(), strict=True)},
            "targets": {k: t.fitted_fields() for k, t in self.targets.items()},  # what a fit reads
            "settings": settings.fixed(),
            "version": __version__,
        }
        digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
        return {**body, "hash": digest}

    def _bounds(self) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
        return self.priors.names, self.priors.low, self.priors.high

    def distance(self, values: list[float]) -> tuple[float, list[float]]:
        """Root mean square of each target's miss in widths of its range; a failed or NaN run is infinitely far."""
        if any(not math.isfinite(v) for v in values):
            return math.inf, [math.inf] * len(values)
        misses = [t.miss(v) for t, v in zip(self.targets.values(), values, strict=True)]
        return math.sqrt(sum(m * m for m in misses) / len(misses)), misses


@dataclass
class Outcome:
    """What a calibration command ends with."""

    populations: list[pl.DataFrame]
    generations: pl.DataFrame
    stopped: str
    simulations: int = 0
    simulate_s: float = 0.0
    elapsed_s: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def posterior(self) -> pl.DataFrame:
        return self.populations[-1]


def _batch_rng(settings: Settings, gen: int, batch: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(settings.seed, spawn_key=(gen, batch)))


def _proposals(
    problem: Problem, settings: Settings, gen: int, batch: int, previous: tuple[np.ndarray, np.ndarray] | None
) -> tuple[np.ndarray, np.ndarray]:
    """The unit-cube points and run seeds of one batch (pure function of its inputs)."""
    rng = _batch_rng(settings, gen, batch)
    dims = len(problem.priors.names)
    if previous is None:
        u = smc.sample_prior(rng, settings.batch, dims)
    else:
        pop_u, pop_w = previous
        u = smc.propose(rng, settings.batch, pop_u, pop_w, smc.kernel_covariance(pop_u, pop_w))
    seeds = rng.integers(0, 2**63 - 1, size=settings.batch, dtype=np.int64)
    return u, seeds


def _unit_columns(names: tuple[str, ...]) -> list[str]:
    return [f"u.{n}" for n in names]


def _batch_frame(
    problem: Problem, gen: int, batch: int, u: np.ndarray, seeds: np.ndarray, records: dict[int, dict], size: int
) -> pl.DataFrame:
    """One finished batch as a table: index, seed, unit coordinates, values, per-target figures, distance."""
    names = problem.priors.names
    values = problem.priors.to_values(u)
    rows = []
    for i in range(size):
        rec = records[i]
        dist, misses = problem.distance(rec["values"])
        row = {"index": batch * size + i, "seed": int(seeds[i]), "status": rec["status"], "error": rec["error"]}
        row.update({c: float(u[i, j]) for j, c in enumerate(_unit_columns(names))})
        row.update({n: float(values[i, j]) for j, n in enumerate(names)})
        row.update({f"value.{k}": float(v) for k, v in zip(problem.targets, rec["values"], strict=True)})
        row.update({f"miss.{k}": float(m) for k, m in zip(problem.targets, misses, strict=True)})
        row["distance"] = dist  # no timings: the stored tables are the same bytes on any executor
        rows.append(row)
    return pl.DataFrame(rows, schema_overrides={"error": pl.String})


def _accepted(batches: dict[int, pl.DataFrame], epsilon: float, wanted: int) -> tuple[pl.DataFrame | None, int]:
    """The first ``wanted`` accepted proposals over the stored batches 0, 1, ... (no gap), and how many were read."""
    taken: list[pl.DataFrame] = []
    have = proposed = 0
    b = 0
    while b in batches and have < wanted:
        ok = batches[b].filter((pl.col("status") == "ok") & (pl.col("distance") <= epsilon))
        taken.append(ok.head(wanted - have))
        have += min(ok.height, wanted - have)
        proposed += batches[b].height
        b += 1
    if have < wanted:
        return None, proposed
    frame = pl.concat(taken)
    # proposals counted up to the last accepted one, so the acceptance rate does not depend on batch size
    proposed = int(frame["index"][-1]) + 1
    return frame, proposed


def _generation(
    problem: Problem,
    settings: Settings,
    folder: CalibrationFolder,
    executor: Executor,
    gen: int,
    epsilon: float,
    previous: tuple[np.ndarray, np.ndarray] | None,
    progress: Progress | None,
    clock: dict[str, float],
) -> tuple[pl.DataFrame | None, int]:
    """Run batches of generation ``gen`` until ``particles`` are accepted (or the acceptance is too low)."""
    wanted, size = settings.particles, settings.batch
    most = math.ceil(wanted / settings.min_acceptance / size)
    done = folder.batches(gen)
    frame, proposed = _accepted(done, epsilon, wanted)
    if frame is not None:
        return frame, proposed
    drawn: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    got: dict[int, dict[int, dict]] = {}
    measures = tuple(t.measure for t in problem.targets.values())
    names = problem.priors.names

    def tasks() -> Iterator[ParticleTask]:
        for b in range(most):
            if b in done:
                continue
            u, seeds = drawn[b] = _proposals(problem, settings, gen, b, previous)
            values = problem.priors.to_values(u)
            got[b] = {}
            for i in range(size):
                params = {n: float(values[i, j]) for j, n in enumerate(names)}
                yield ParticleTask(f"g{gen:03d}-b{b:05d}-{i:05d}", int(seeds[i]), problem.scenario, params, measures)

    def report() -> None:
        if progress:
            n = sum(
                f.filter((pl.col("status") == "ok") & (pl.col("distance") <= epsilon)).height for f in done.values()
            )
            progress(gen, min(n, wanted), wanted, sum(f.height for f in done.values()), epsilon)

    report()
    results = executor.map_unordered(tasks(), fn=run_particle)
    try:
        for record, _ in results:
            clock["simulations"] += 1
            clock["simulate_s"] += record["elapsed_s"]
            _, b_text, i_text = record["run_id"].split("-")
            b, i = int(b_text[1:]), int(i_text)
            got[b][i] = record
            if len(got[b]) < size:
                continue
            done[b] = _batch_frame(problem, gen, b, *drawn.pop(b), got.pop(b), size)
            folder.save_batch(gen, b, done[b])
            report()
            frame, proposed = _accepted(done, epsilon, wanted)
            if frame is not None:
                return frame, proposed
    finally:
        close = getattr(results, "close", None)
        if close:
            close()
    return None, sum(f.height for f in done.values())


def _first_error(folder: CalibrationFolder) -> str:
    for frame in folder.batches(0).values():
        failed = frame.filter(pl.col("status") != "ok")
        if failed.height:
            return str(failed["error"][0])
    return "no batch was stored"


def calibrate(
    problem: Problem,
    settings: Settings,
    folder: CalibrationFolder,
    executor: Executor,
    progress: Progress | None = None,
) -> Outcome:
    """ABC-SMC from the prior to the last generation (or an earlier stop); each generation is stored."""
    started = time.perf_counter()
    clock = {"simulations": 0.0, "simulate_s": 0.0}
    names = problem.priors.names
    populations: list[pl.DataFrame] = []
    summary: list[dict] = []
    stopped = f"ran all {settings.generations} generations"
    previous: tuple[np.ndarray, np.ndarray] | None = None
    for gen in range(settings.generations):
        last = populations[-1] if populations else None
        epsilon = math.inf if last is None else smc.next_epsilon(last["distance"].to_numpy(), settings.quantile)
        if last is not None and summary[-1]["epsilon"] == 0.0:
            stopped = f"every target was within its range in generation {gen - 1}: nothing left to tighten"
            break
        pop = folder.population(gen)
        if pop is None:
            frame, proposed = _generation(problem, settings, folder, executor, gen, epsilon, previous, progress, clock)
            if frame is None and gen == 0:
                raise ScenarioError(f"{problem.scenario_name}: no run of the prior finished: {_first_error(folder)}")
            if frame is None:
                stopped = (
                    f"generation {gen} accepted under {settings.min_acceptance:.0%} of {proposed} proposals "
                    f"(epsilon {epsilon:.3g}): generation {gen - 1} is the posterior"
                )
                break
            u = frame.select(_unit_columns(names)).to_numpy()
            if previous is None:
                weights = np.full(frame.height, 1.0 / frame.height)
            else:
                weights = smc.importance_weights(u, *previous, smc.kernel_covariance(*previous))
            pop = frame.with_columns(
                pl.Series("weight", weights),
                pl.lit(gen).alias("generation"),
                pl.lit(epsilon).alias("epsilon"),
                pl.lit(proposed).alias("proposed"),
            ).with_row_index("particle")
            folder.save_population(gen, pop)
        populations.append(pop)
        w = pop["weight"].to_numpy()
        summary.append(
            {
                "generation": gen,
                "epsilon": float(pop["epsilon"][0]),
                "proposed": int(pop["proposed"][0]),
                "accepted": pop.height,
                "acceptance": pop.height / int(pop["proposed"][0]),
                "ess": smc.effective_sample_size(w),
                "median_distance": float(np.median(pop["distance"].to_numpy())),
            }
        )
        previous = (pop.select(_unit_columns(names)).to_numpy(), w)
    if not populations:
        raise RuntimeError("no generation finished")  # generation 0 accepts every run that did not fail
    table = pl.DataFrame(summary)
    folder.write_frame("generations.parquet", table)
    return Outcome(
        populations,
        table,
        stopped,
        int(clock["simulations"]),
        clock["simulate_s"],
        time.perf_counter() - started,
    )
