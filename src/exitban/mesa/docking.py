"""Docking (Axtell et al. 1996): do the engine and the Mesa model produce the same distributions?

Both implementations run the same scenario at the same size for ``n`` seeds each (the
random streams differ: the engine hashes counters, Mesa draws from its own generators,
and each draws its own starting population). For every key output we compare the two
samples of per-run values with a two-sample Kolmogorov-Smirnov test (shape) and a Welch
t-test (mean), take ``p = min(1, 2 * min(p_KS, p_Welch))`` (Bonferroni over the two
tests), and correct over the outputs with Holm's step-down method. An output *differs*
when its Holm-adjusted p is below ``alpha`` **and** the means differ by more than the
practical-equivalence tolerance ``rel_tol * max(|engine mean|, |Mesa mean|)``. The two
implementations dock when no output differs. ``docs/docking.md`` gives the reasoning.
"""

from __future__ import annotations

import datetime
import math
import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl
from scipy import stats

from exitban.engine.codes import EXIT_CHANNELS
from exitban.observe import JUSTICE_COLUMNS, LAW_COLUMNS, totals
from exitban.scenario import Scenario
from exitban.scenario.load import load_scenario
from exitban.simulate import simulate

ALPHA = 0.01  # family-wise error rate over the outputs of one scenario
REL_TOL = 0.05  # practical-equivalence tolerance: 5% of the larger of the two means

SUMMED = [*(f"exits_{c}" for c in EXIT_CHANNELS), "exits_total", "threats", "families_pressured", "cases_opened"]
SUMMED += ["extortions", "legal_help_new", "reviewer_decisions", "permits_granted", "rewards", "coopted"]
SUMMED += [*LAW_COLUMNS, "hospitalized"]
SUMMED += [c for c in JUSTICE_COLUMNS if c != "backlog_investigators"]  # the military-justice pipeline
SUMMED += ["legal_help_requests", "help_requests", "help_intake"]  # demand and intake of help (E4; ODD 7.16)
LAST = ["backlog", "backlog_travel", "pending_wait_years", "want_out_share", "displayed_share", "defend_share"]
LAST += ["capacity_share", "acted_share", "cases_open", "deployed", "on_leave", "in_hospital"]  # the front's stocks
LAST += ["backlog_investigators"]
LAST += ["knows_help"]  # who knows of help for leaving (ODD 7.16)
KEY_OUTPUTS = [*SUMMED, *LAST, "released_wait_years", "cascade_share"]


def run_outputs(daily: pl.DataFrame, agents: int, lift_day: int) -> dict[str, float]:
    """Reduce a run's daily totals (one row per day, O1-O10 columns) to the docked scalars.

    Sums over the run for events and exits, the last day's value for states, the mean
    wait of those released by request (NaN when none was), and the cascade: the share of
    the starting population that left from the day the ban was lifted (NaN without a lift).
    """
    d = daily.sort("day")
    last = d.row(-1, named=True)
    out = {c: float(d[c].sum()) for c in SUMMED}
    pending = d["backlog_unit"] + d["backlog_ministry"]
    last_pending = float(pending[-1])
    out["backlog"] = float(last["backlog_unit"] + last["backlog_ministry"] + last["backlog_appeals"])
    for c in LAST:
        if c not in out:
            out[c] = float(last[c])
    out["pending_wait_years"] = float(last["pending_wait_years"]) if last_pending else 0.0
    approved = float(d["exits_approved"].sum())
    waited = float((d["released_wait_years"].fill_nan(0.0).fill_null(0.0) * d["exits_approved"]).sum())
    out["released_wait_years"] = waited / approved if approved else math.nan
    if lift_day >= 0:
        out["cascade_share"] = float(d.filter(pl.col("day") >= lift_day)["exits_total"].sum()) / agents
    else:
        out["cascade_share"] = math.nan
    return out


def engine_run(scenario: Scenario, seed: int) -> dict[str, float]:
    """One engine run reduced to the docked outputs."""
    res = simulate(scenario, seed=seed)
    start = int(res.population.inst_size0.sum())
    return run_outputs(totals(scenario, res.tallies, start), start, lift_day(scenario))


def mesa_run(scenario: Scenario, seed: int, model_cls: Any = None) -> dict[str, float]:
    """One Mesa run reduced to the docked outputs (from its DataCollector)."""
    from exitban.mesa.model import ExitBanModel

    model = (model_cls or ExitBanModel)(scenario, seed=seed)
    model.run_model()
    frame = pl.from_pandas(model.datacollector.get_model_vars_dataframe().reset_index(drop=True))
    frame = frame.slice(model.spin_up)  # the spin-up days are not reported
    frame = frame.with_row_index("day").with_columns(pl.col("day").cast(pl.Int32))
    return run_outputs(frame, model.size0, lift_day(scenario))


def lift_day(scenario: Scenario) -> int:
    """The reported day a phase lifts the ban (sets ``regime.resignation_ban`` to "off"); -1 if none does."""
    lifts = [
        (p.date - scenario.start).days
        for p in scenario.phases
        if p.field == "regime.resignation_ban" and p.value == "off"
    ]
    return min(lifts, default=-1)


def ban_lifted(scenario: Scenario, day: int) -> dict[str, Any]:
    """The override that lifts ``scenario``'s ban on reported ``day``: a phase, as a scenario file writes it."""
    date = scenario.start + datetime.timedelta(days=day)
    phase = {"date": date, "field": "regime.resignation_ban", "value": "off", "provenance": "docking: the ban lifted"}
    return {"phases": [*(p.model_dump() for p in scenario.phases), phase]}


@dataclass
class OutputTest:
    """The comparison of one output between the two implementations."""

    output: str
    engine_mean: float
    mesa_mean: float
    engine_sd: float
    mesa_sd: float
    p_ks: float
    p_welch: float
    p: float
    p_holm: float = 1.0
    tolerance: float = 0.0
    differs: bool = False


@dataclass
class DockingReport:
    """Per-output tests for one scenario; ``docked`` is True when no output differs."""

    scenario: str
    agents: int
    days: int
    seeds: int
    alpha: float
    tests: list[OutputTest] = field(default_factory=list)

    @property
    def docked(self) -> bool:
        return not any(t.differs for t in self.tests)

    @property
    def failures(self) -> list[OutputTest]:
        return [t for t in self.tests if t.differs]

    def table(self) -> str:
        """A plain-text table, one line per output."""
        head = f"{'output':<22}{'engine':>12}{'mesa':>12}{'p_KS':>9}{'p_Welch':>9}{'p_Holm':>9}  verdict"
        lines = [f"{self.scenario}: {self.agents} agents, {self.days} days, {self.seeds} seeds each", head]
        for t in self.tests:
            verdict = "DIFFERS" if t.differs else "same"
            lines.append(
                f"{t.output:<22}{t.engine_mean:>12.4g}{t.mesa_mean:>12.4g}{t.p_ks:>9.3g}{t.p_welch:>9.3g}"
                f"{t.p_holm:>9.3g}  {verdict}"
            )
        return "\n".join(lines)


def compare(
    engine: Sequence[dict[str, float]],
    mesa_: Sequence[dict[str, float]],
    alpha: float = ALPHA,
    rel_tol: float = REL_TOL,
) -> list[OutputTest]:
    """Test every output present (non-NaN in at least 5 runs of each) and apply Holm's correction."""
    tests: list[OutputTest] = []
    for name in KEY_OUTPUTS:
        x = np.array([r[name] for r in engine], dtype=float)
        y = np.array([r[name] for r in mesa_], dtype=float)
        x, y = x[~np.isnan(x)], y[~np.isnan(y)]
        if len(x) < 5 or len(y) < 5:
            continue
        if x.std() == 0 and y.std() == 0:
            p_ks = p_welch = 1.0 if x[0] == y[0] else 0.0
        else:
            p_ks = float(stats.ks_2samp(x, y, method="asymp").pvalue)  # ties make the exact method fail
            p_welch = float(stats.ttest_ind(x, y, equal_var=False).pvalue)
        p = min(1.0, 2.0 * min(p_ks, p_welch))
        tests.append(OutputTest(name, x.mean(), y.mean(), x.std(ddof=1), y.std(ddof=1), p_ks, p_welch, p))
    # Holm: the i-th smallest p (0-based) is multiplied by (m - i); adjusted ps are made monotone
    m = len(tests)
    running = 0.0
    for i, t in enumerate(sorted(tests, key=lambda t: t.p)):
        running = max(running, min(1.0, (m - i) * t.p))
        t.p_holm = running
    for t in tests:
        t.tolerance = rel_tol * max(abs(t.engine_mean), abs(t.mesa_mean))
        t.differs = t.p_holm < alpha and abs(t.engine_mean - t.mesa_mean) > t.tolerance
    return tests


def _mesa_job(args: tuple[Scenario, int, Any]) -> dict[str, float]:
    return mesa_run(*args)


def sized(scenario: Scenario | str, agents: int, days: int, **overrides: Any) -> Scenario:
    """The scenario at ``agents`` people in total, run for ``days``, with top-level ``overrides``."""
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    scale = agents / sum(i.size for i in sc.institutions.values())
    return sc.with_overrides(scale=scale, days=days, **overrides)


def engine_runs(sc: Scenario, seeds: int) -> list[dict[str, float]]:
    """The engine's docked outputs for seeds 0 .. seeds-1."""
    return [engine_run(sc, seed) for seed in range(seeds)]


def mesa_runs(sc: Scenario, seeds: int, processes: int = 1, model_cls: Any = None) -> list[dict[str, float]]:
    """The Mesa model's docked outputs for seeds 10000 .. 10000+seeds-1 (no seed number shared with the engine)."""
    jobs = [(sc, 10_000 + seed, model_cls) for seed in range(seeds)]
    if processes <= 1:
        return [_mesa_job(j) for j in jobs]
    # spawn, not fork: the parent may hold Numba's worker threads
    with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn")) as pool:
        return list(pool.map(_mesa_job, jobs))


def dock(
    scenario: Scenario | str,
    agents: int = 1_500,
    days: int = 60,
    seeds: int = 30,
    processes: int = 1,
    alpha: float = ALPHA,
    mesa_model: Any = None,
    **overrides: Any,
) -> DockingReport:
    """Run both implementations ``seeds`` times on ``scenario`` and compare the key outputs.

    ``overrides`` are top-level scenario changes (e.g. a regime with a lift day);
    ``mesa_model`` swaps in a subclass of ``ExitBanModel``. Use ``processes=2`` or more
    from a script only under ``if __name__ == "__main__":`` (the workers are spawned).
    """
    sc = sized(scenario, agents, days, **overrides)
    report = DockingReport(sc.name, sc.total_agents(), days, seeds, alpha)
    report.tests = compare(engine_runs(sc, seeds), mesa_runs(sc, seeds, processes, mesa_model), alpha)
    return report


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m exitban.mesa.docking``: dock every shipped scenario, and one with the ban lifted half-way."""
    import argparse

    from exitban.scenario.load import list_scenarios

    ap = argparse.ArgumentParser(description=main.__doc__)
    ap.add_argument("--agents", type=int, default=1_000)
    ap.add_argument("--days", type=int, default=60)
    ap.add_argument("--seeds", type=int, default=30)
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("scenarios", nargs="*", help="scenario names (default: all shipped)")
    args = ap.parse_args(argv)
    cases: list[tuple[str, dict[str, Any]]] = [(name, {}) for name in args.scenarios or list_scenarios()]
    cases.append(("army-officers-2019", ban_lifted(load_scenario("army-officers-2019"), args.days // 2)))
    all_docked = True
    for name, overrides in cases:
        rep = dock(name, args.agents, args.days, args.seeds, args.processes, **overrides)
        lifted = f" (ban lifted on day {args.days // 2})" if overrides else ""
        print(rep.table().replace(":", lifted + ":", 1), f"\ndocked: {rep.docked}\n", flush=True)
        all_docked &= rep.docked
    return 0 if all_docked else 1


if __name__ == "__main__":
    raise SystemExit(main())
