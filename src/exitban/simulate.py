"""The public entry point: ``simulate(scenario, seed=..., days=...)`` -> ``Result``."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exitban._version import __version__
from exitban.atomic import atomic_write
from exitban.errors import ScenarioError
from exitban.runfolder import clear_stale  # light: files and errors only

if TYPE_CHECKING:  # the engine (Numba), NumPy, Polars and pydantic load when used, not on `import exitban`
    import numpy as np
    import polars as pl

    from exitban.engine.state import Population
    from exitban.scenario import Scenario


@dataclass
class Result:
    """What a run produced: the raw tallies, the daily table derived from them, the summary, the final population.

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

    def waits_years(self) -> np.ndarray:
        """Waiting times (years, first request to release) of everyone released by request (O5)."""
        import numpy as np

        from exitban.engine import codes
        from exitban.engine.units import DAYS_PER_YEAR

        pop = self.population
        done = (pop.request_day >= 0) & (pop.exit_day >= 0) & (pop.status == codes.EXIT_APPROVED)
        return (pop.exit_day[done] - pop.request_day[done]).astype(np.float64) / DAYS_PER_YEAR

    def histograms(self) -> pl.DataFrame:
        """Final distributions of loyalty, fear, desire and waiting times, per institution (O2, O5)."""
        from exitban.distributions import population_histograms

        # the people's day fields count from the first simulated day, spin-up included
        return population_histograms(self.scenario, self.population, self.scenario.spin_up_days + self.days)

    def write(self, out_dir: str | Path) -> Path:
        """Write tallies.parquet, timeseries.parquet, histograms.parquet, scenario.toml and summary.json atomically.

        A previous run's report (report.html, report-plots/) is removed first: it would describe other data.
        Other files in ``out_dir`` are left alone; ``exitban.runfolder.prepare`` refuses a folder that holds any.
        """
        from exitban.scenario.load import to_toml

        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        clear_stale(out)  # the previous run's report and a killed write's temporary files
        # summary.json, written last, marks a complete run: drop an older one first, so a run
        # interrupted here never leaves new tables beside a previous run's summary
        (out / "summary.json").unlink(missing_ok=True)
        atomic_write(out / "tallies.parquet", lambda p: self.tallies.write_parquet(p, statistics=False))
        atomic_write(out / "timeseries.parquet", lambda p: self.timeseries.write_parquet(p, statistics=False))
        atomic_write(out / "histograms.parquet", lambda p: self.histograms().write_parquet(p, statistics=False))
        atomic_write(out / "scenario.toml", lambda p: Path(p).write_text(to_toml(self.scenario)))
        text = json.dumps(self.summary, indent=2, sort_keys=True) + "\n"
        atomic_write(out / "summary.json", lambda p: Path(p).write_text(text))
        return out


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
) -> Result:
    """Run a scenario. A pure function of (scenario, seed, days, scale, package version)."""
    import numpy as np
    from pydantic import ValidationError

    from exitban.engine.build import build, phase_inputs
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
    size0 = pop.inst_size0.copy()
    reported = None if on_day is None else (lambda day: on_day(day - spin) if day >= spin else None)
    series, bans = run_days(inputs, state, spin + sc.days, reported, phase_inputs(sc, inputs))
    tallies = tally_table(sc, series[spin:], bans[spin:])  # the spin-up days are not reported
    ts = timeseries(sc, tallies, size0)  # shares over the people drawn, as the rules read them (R1's trigger)
    # the summary's "start" is the headcount on the start date: with the reported flows it balances
    on_start = series[spin - 1, :, TALLIES.index("headcount")].astype(np.int64) if spin else size0
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
