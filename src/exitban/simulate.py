"""The public entry point: ``simulate(scenario, seed=..., days=...)`` -> ``Result``."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exitban._version import __version__
from exitban.atomic import atomic_write_bytes, parquet_bytes
from exitban.checksums import NAME as CHECKSUMS
from exitban.checksums import Checksums
from exitban.errors import ScenarioError
from exitban.runfolder import clear_stale  # light: files and errors only

if TYPE_CHECKING:  # the engine (Numba), NumPy, Polars and pydantic load when used, not on `import exitban`
    import numpy as np
    import polars as pl

    from exitban.engine.state import Population
    from exitban.scenario import Scenario


@dataclass(repr=False)
class Result:
    """What a run produced: the raw tallies, the daily table derived from them, the summary, the final population.

    Attributes
    ----------
    scenario:
        The scenario as it ran (``days`` and ``scale`` applied).
    seed, days:
        The run's seed and number of days.
    tallies:
        Raw counts, one row per day and institution (``day, institution, ban_active`` and one float
        column per tally): what every output derives from.
    timeseries:
        The daily outputs O1-O10, one row per day and institution (docs/reference/outputs.md).
    summary:
        Final figures per institution and in total, with the scenario hash, seed and version
        (what ``summary.json`` holds).
    population:
        The final state of every person (the engine's arrays; ``waits_years()`` and ``histograms()`` read it).

    The tables hold the reported days only (from ``scenario.start``); the population's day fields
    (``request_day``, ``exit_day``, ...) count from the first simulated day, ``start - spin_up_days``.
    """

    scenario: Scenario
    seed: int
    days: int
    tallies: pl.DataFrame
    timeseries: pl.DataFrame
    summary: dict[str, Any]
    population: Population

    def __repr__(self) -> str:
        from exitban.reprs import result_repr

        return result_repr(self)

    def _repr_html_(self) -> str:
        from exitban.reprs import result_html

        return result_html(self)

    def waits_years(self) -> np.ndarray:
        """Waiting times (years, first request to release) of everyone released by request (O5).

        Returns
        -------
        numpy.ndarray
            One float64 per person whose request was approved and who left, in years.
        """
        import numpy as np

        from exitban.engine import codes
        from exitban.engine.units import DAYS_PER_YEAR

        pop = self.population
        done = (pop.request_day >= 0) & (pop.exit_day >= 0) & (pop.status == codes.EXIT_APPROVED)
        return (pop.exit_day[done] - pop.request_day[done]).astype(np.float64) / DAYS_PER_YEAR

    def histograms(self) -> pl.DataFrame:
        """Final distributions of loyalty, fear, desire and waiting times, per institution (O2, O5).

        Returns
        -------
        polars.DataFrame
            One row per (institution, quantity, bin): ``loyalty``, ``fear`` and ``desire`` of the serving
            people, ``wait_released_years`` and ``wait_pending_years``; what ``histograms.parquet`` holds.
        """
        from exitban.distributions import population_histograms

        # the people's day fields count from the first simulated day, spin-up included
        return population_histograms(self.scenario, self.population, self.scenario.spin_up_days + self.days)

    def write(self, out_dir: str | Path) -> Path:
        """Write tallies.parquet, timeseries.parquet, histograms.parquet, scenario.toml, summary.json and checksums.json.

        The whole folder is written beside ``out_dir`` and renamed into place (``exitban.swap``): a signal or a
        full disk leaves the previous folder or the complete new one, never part, and a previous run's report
        goes with the folder it described. Only a folder holding files exitban did not write (accepted with
        ``--overwrite``) is written in place, file by file, each atomically and summary.json last.

        Parameters
        ----------
        out_dir:
            The run folder (created if missing); ``exitban report DIR`` reads it.

        Returns
        -------
        pathlib.Path
            ``out_dir``.
        """
        from exitban.runfolder import foreign_entries
        from exitban.swap import replace_folder

        out = Path(out_dir)
        here = Path.cwd().resolve()
        in_use = out.exists() and (out.resolve() == here or out.resolve() in here.parents)
        if out.is_dir() and (in_use or foreign_entries(out)):
            self._write_in_place(out)
            return out
        with replace_folder(out) as staging:
            self._write_files(staging)
        return out

    def _blobs(self) -> dict[str, bytes]:
        """Each file of a run folder (``runfolder.RUN_FILES``) and its bytes, summary.json (the mark of a
        complete run) last."""
        from exitban.scenario.load import to_toml

        summary = json.dumps(self.summary, indent=2, sort_keys=True) + "\n"
        return {
            "tallies.parquet": parquet_bytes(self.tallies),
            "timeseries.parquet": parquet_bytes(self.timeseries),
            "histograms.parquet": parquet_bytes(self.histograms()),
            "scenario.toml": to_toml(self.scenario).encode(),
            "summary.json": summary.encode(),
        }

    def _write_files(self, folder: Path) -> None:
        listed = Checksums(folder)
        for name, blob in self._blobs().items():
            (folder / name).write_bytes(blob)
            listed.put(name, blob)
        listed.save()  # last: the list vouches for files already in place

    def _write_in_place(self, out: Path) -> None:
        blobs = self._blobs()
        clear_stale(out)  # the previous run's report and a killed write's temporary files
        # summary.json and checksums.json, written last, mark a complete run: drop the older ones first, so a
        # run interrupted here never leaves new tables beside a previous run's summary or list
        (out / CHECKSUMS).unlink(missing_ok=True)
        (out / "summary.json").unlink(missing_ok=True)
        listed = Checksums(out)
        for name, blob in blobs.items():
            atomic_write_bytes(out / name, blob)
            listed.put(name, blob)
        listed.save()


MAX_SEED = 2**63 - 1


def _check_seed(seed: object) -> int:
    """A seed is a whole number from 0 to 2**63 - 1: not a string, not True, not a float."""
    import numpy as np

    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise TypeError(f"simulate(): argument 'seed' must be an int, got {type(seed).__name__} {seed!r}")
    if not 0 <= int(seed) <= MAX_SEED:
        raise ScenarioError(f"simulate(): argument 'seed' = {int(seed)}: out of range (allowed: 0 to 2**63 - 1)")
    return int(seed)


def simulate(
    scenario: Scenario | str | Path,
    seed: int = 0,
    days: int | None = None,
    scale: float | None = None,
    on_day: Callable[[int], None] | None = None,
    progress: bool = False,
    on_tallies: Callable[[pl.DataFrame], None] | None = None,
) -> Result:
    """Run a scenario once: a pure function of (scenario, seed, days, scale, package version).

    Parameters
    ----------
    scenario:
        A ``Scenario``, a shipped scenario's name or a scenario TOML file.
    seed:
        The random seed, 0 to 2**63 - 1: the same seed gives the same bytes, on one thread or many.
    days:
        Days to simulate (default: the scenario's ``days``).
    scale:
        Population scale (default: the scenario's; 1 = the institutions' real size).
    on_day:
        Called with each simulated day's index (0-based), for a progress display of one's own.
    progress:
        Show a progress bar over the days (Rich: live in a terminal, an updating output in a notebook).
    on_tallies:
        Called as the run goes, after each stretch of reported days (a few dozen times a run), with the raw
        tallies of the reported days so far, as ``Result.tallies`` will hold them: for plots that fill while
        it runs (the dashboard). It changes nothing in the run.

    Returns
    -------
    Result
        ``timeseries`` (Polars, one row per day and institution, outputs O1-O10), ``tallies``,
        ``summary`` (final figures, scenario hash, seed, version) and the final ``population``.

    Raises
    ------
    ScenarioError
        A seed, ``days`` or ``scale`` out of range (naming the allowed range), or a run too large for
        this machine's memory (both figures given), before anything is allocated.
    TypeError
        A seed that is not a whole number.
    """
    import numpy as np
    from pydantic import ValidationError

    from exitban.engine.build import build, phase_inputs
    from exitban.engine.codes import SERVING
    from exitban.engine.columns import TALLIES
    from exitban.engine.loop import run_days
    from exitban.limits import check_fits
    from exitban.observe import summarize, tally_table, timeseries
    from exitban.scenario import Scenario
    from exitban.scenario.load import load_scenario
    from exitban.scenario.messages import format_validation_error

    seed = _check_seed(seed)
    sc = load_scenario(scenario) if not isinstance(scenario, Scenario) else scenario
    changes: dict[str, Any] = {}
    if days is not None:
        changes["days"] = days
    if scale is not None:
        changes["scale"] = scale
    if changes:
        try:
            sc = sc.with_overrides(**changes)
        except ValidationError as exc:
            raise ScenarioError(format_validation_error(f"simulate('{sc.name}')", exc, root=Scenario)) from None
    spin = sc.spin_up_days
    check_fits(sc, spin + sc.days)  # refuse with both figures, before allocating, a run that would not fit
    inputs, state = build(sc, seed)
    pop = state.people
    size0 = pop.inst_size0.copy()  # each institution's strength: the denominator of its shares
    # who serves on the first simulated day: the strength, less the posts of a cohort called up later
    serving0 = np.bincount(pop.inst[pop.status == SERVING], minlength=size0.shape[0])
    reported = None if on_day is None else (lambda day: on_day(day - spin) if day >= spin else None)
    phases = phase_inputs(sc, inputs)
    so_far = None
    if on_tallies is not None:

        def so_far(done: int, series: np.ndarray, bans: np.ndarray) -> None:
            if done > spin:  # the spin-up days are not reported
                on_tallies(tally_table(sc, series[spin:done], bans[spin:done]))

    if progress:
        series, bans = _run_with_bar(inputs, state, spin + sc.days, reported, phases, so_far)
    else:
        series, bans = run_days(inputs, state, spin + sc.days, reported, phases, so_far)
    tallies = tally_table(sc, series[spin:], bans[spin:])  # the spin-up days are not reported
    ts = timeseries(sc, tallies, size0)  # shares over the people drawn, as the rules read them (R1's trigger)
    # the summary's "start" is the headcount on the start date: with the reported flows it balances
    on_start = series[spin - 1, :, TALLIES.index("headcount")].astype(np.int64) if spin else serving0
    summary = {
        "scenario": sc.name,
        "scenario_hash": sc.content_hash(),
        "seed": seed,
        "days": sc.days,
        "start": sc.start.isoformat(),
        "end": sc.end.isoformat(),
        "spin_up_days": spin,
        "scale": sc.scale,
        "version": __version__,
        **summarize(sc, ts, on_start),
    }
    return Result(scenario=sc, seed=seed, days=sc.days, tallies=tallies, timeseries=ts, summary=summary, population=pop)


def _run_with_bar(
    inputs: Any, state: Any, days: int, on_day: Callable[[int], None] | None, phases: Any = None, on_span: Any = None
) -> Any:
    """``run_days`` under a Rich progress bar (a notebook shows it as an updating output)."""
    from rich.progress import Progress

    from exitban.engine.loop import run_days

    with Progress(transient=False) as bar:
        task = bar.add_task("simulating", total=days)

        def step(day: int) -> None:
            bar.update(task, completed=day + 1)
            if on_day is not None:
                on_day(day)

        return run_days(inputs, state, days, step, phases, on_span)


def warmup(scenario: Scenario | str | Path = "army-officers-2019") -> float:
    """Compile the engine into Numba's cache, or load it from there, with a two-day run of about 100 agents.

    The first call on a machine (after installing or upgrading) compiles: minutes
    (``exitban.compiled.FIRST_COMPILE``); later ones, in any process, load the cache in about a second.
    ``exitban warmup`` and ``make demo`` call it before the first real run.

    Parameters
    ----------
    scenario:
        The scenario whose tiny run compiles the engine (every scenario compiles the same code).

    Returns
    -------
    float
        The seconds it took.
    """
    import time

    from exitban.scenario import Scenario
    from exitban.scenario.load import load_scenario

    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    started = time.perf_counter()
    simulate(sc.with_overrides(scale=min(sc.scale, 100 / sc.total_agents() * sc.scale), days=2, spin_up_days=0), seed=0)
    return time.perf_counter() - started
