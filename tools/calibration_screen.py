"""What the long run's fitted figures can identify: ``python tools/calibration_screen.py``.

Runs (or resumes, from its store) the Morris screen of ``examples/sweeps/war-screen.toml`` on the
record's patterns up to the fit's cut-off, and writes docs/calibration-screen.md: for each assumed
field and each fitted figure, how far the figure moves over the field's range (Morris mu*, in widths
of the published range, so figures are comparable), and which fields no fitted figure can see. Issue
23, item 1: the fitted parameters are chosen from this table, not by habit.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import numpy as np

from exitban import load_scenario, sensitivity
from exitban.calibration.screen import PREFIX, split_outputs, with_target_outputs
from exitban.calibration.targets import Target, load_targets
from exitban.sweep.spec import load_spec
from exitban.sweep.store import open_store

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "examples" / "sweeps" / "war-screen.toml"
DOC = ROOT / "docs" / "calibration-screen.md"
SEEN = 0.25  # a figure "sees" a field that moves it by a quarter of its published range or more


def _scaled(targets: dict[str, Target], name: str, values: np.ndarray) -> np.ndarray:
    """A figure in widths of its published range: log widths for counts (as the fit measures misses)."""
    t = targets[name]
    if t.scale == "log" and t.low > 0:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log(np.maximum(values, 0.0) + 1.0) / math.log(t.high / t.low)
    return values / (t.high - t.low)


def elementary_effects(x: np.ndarray, y: np.ndarray, bounds: list[list[float]]) -> dict[int, list[float]]:
    """Morris's elementary effects per field, from trajectories of ``k + 1`` rows that change one field a
    step; a step whose figure is not finite in either run is left out (and counted), not set to zero."""
    k = x.shape[1]
    effects: dict[int, list[float]] = {j: [] for j in range(k)}
    for start in range(0, len(x), k + 1):
        for t in range(start, start + k):
            moved = np.flatnonzero(x[t + 1] != x[t])
            if len(moved) != 1:
                continue
            j = int(moved[0])
            step = (x[t + 1, j] - x[t, j]) / (bounds[j][1] - bounds[j][0])
            if np.isfinite(y[t]) and np.isfinite(y[t + 1]):
                effects[j].append(float((y[t + 1] - y[t]) / step))
    return effects


def noise(names: list[str], seeds: int) -> dict[str, float]:
    """Chance's share of an elementary effect, per figure: the spread of the figure over ``seeds`` seeds at
    the scenario's own values (in range widths) times sqrt(2) over Morris's step (a share of the range):
    what mu* would be if no field acted at all."""
    from exitban import simulate
    from exitban.calibration.measures import measure_value

    spec, _ = load_spec(SPEC)
    targets, _ = load_targets()
    base = load_scenario(spec.base).with_overrides(days=spec.days, scale=spec.scale)
    values = {n: [] for n in names}
    for seed in range(seeds):
        ts = simulate(base, seed=1_000 + seed).timeseries
        for n in names:
            values[n].append(measure_value(targets.targets[n].measure, ts, base.scale))
    step = spec.morris_levels / (2.0 * (spec.morris_levels - 1))  # Morris's delta, p / (2 (p - 1)): 2/3 at 4 levels
    out = {}
    for n in names:
        y = _scaled(targets.targets, n, np.array(values[n], dtype=np.float64))
        y = y[np.isfinite(y)]
        out[n] = float(np.std(y, ddof=1) * math.sqrt(2.0) / step) if len(y) > 1 else math.nan
    return out


def screen(store_path: Path) -> tuple[list[str], list[str], dict[tuple[str, str], tuple[float, int]]]:
    """(fields, figures, {(field, figure): (mu* in range widths, elementary effects counted)})."""
    spec, _ = load_spec(SPEC)
    targets, _ = load_targets()
    store = open_store(store_path)
    base = load_scenario(spec.base).with_overrides(days=spec.days, scale=spec.scale)
    _, names = split_outputs(spec.sensitivity.outputs)
    chosen = {n: targets.targets[n] for n in names}
    runs = with_target_outputs(store.runs(), store.timeseries(), chosen, base.scale).sort("point")
    x = spec.salib_samples()
    bounds = spec.problem()["bounds"]
    fields = list(spec.parameters)
    out: dict[tuple[str, str], tuple[float, int]] = {}
    for name in names:
        y = _scaled(targets.targets, name, runs[f"{PREFIX}{name}"].to_numpy().astype(np.float64))
        for j, effects in elementary_effects(x, y, bounds).items():
            mu = float(np.mean(np.abs(effects))) if effects else math.nan
            out[(fields[j], name)] = (mu, len(effects))
    return fields, names, out


def render(
    fields: list[str],
    names: list[str],
    found: dict[tuple[str, str], tuple[float, int]],
    floor: dict[str, float],
    runs: int,
    seeds: int,
) -> str:
    lines = [
        "# What the long run's fitted figures can identify (a Morris screen)",
        "",
        "Regenerate with `python tools/calibration_screen.py --write` (the sweep of "
        f"`examples/sweeps/war-screen.toml`: {runs} runs of war-2022-2025 to the fit's cut-off, 30 June 2023). "
        "Each cell is Morris's mu*, the mean absolute elementary effect of a field over its whole range, in "
        "widths of the figure's published range: a count on a log scale (log of the count over the log of "
        "high / low), a share on a linear one. The effects are those of the uncalibrated model, read across "
        f"the prior, not at a posterior. A figure *sees* a field it moves by {SEEN} widths or more and by "
        f"twice chance's share at least (the last row: the spread over {seeds} seeds at the scenario's own "
        "values, as an elementary effect); a field no fitted figure sees cannot be identified by the fit and "
        "keeps its assumed value. In brackets: the "
        "elementary effects counted, where a run's figure could not be read (a share with no sentence in its "
        "window at this scale) and its steps were left out.",
        "",
        "| field | " + " | ".join(f"`{n}`" for n in names) + " | seen by | fitted |",
        "| --- | " + " | ".join("---" for _ in names) + " | --- | --- |",
    ]
    targets, _ = load_targets()
    spec, _ = load_spec(SPEC)
    fitted = set(targets.calibrate[spec.base].parameters) if spec.base in targets.calibrate else set()
    for field in fields:
        cells, seen = [], []
        for name in names:
            mu, counted = found[(field, name)]
            full = counted == max(c for (f, _), (_, c) in found.items() if f == field)
            cells.append("n/a" if not math.isfinite(mu) else f"{mu:.2f}" + ("" if full else f" ({counted})"))
            if math.isfinite(mu) and mu >= max(SEEN, 2.0 * floor[name]):
                seen.append(f"`{name}`")
        mark = "yes" if field in fitted else "no"
        lines.append(f"| `{field}` | " + " | ".join(cells) + f" | {', '.join(seen) or '**none**'} | {mark} |")
    lines.append("| chance (seeds) | " + " | ".join(f"{floor[n]:.2f}" for n in names) + " | | |")
    lines += [
        "",
        f"*fitted*: the field is a parameter of `[calibrate.{spec.base}]` in the targets file. The two counts "
        "see most fields, so fitting them alone would leave a ridge; the suspended shares see the justice "
        "pipeline's grading, which the counts do not. A fitted field must be seen by some fitted figure "
        "(tests/unit/test_calibration_screen.py checks this page).",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=ROOT / "sweeps" / "war-screen", help="the sweep's store")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--seeds", type=int, default=8, help="seeds at the scenario's own values (chance's row)")
    parser.add_argument("--write", action="store_true", help=f"write {DOC.relative_to(ROOT)}")
    args = parser.parse_args()
    spec, _ = load_spec(SPEC)
    sensitivity(SPEC, out=args.store, workers=args.workers, progress=True)  # runs what the store lacks
    fields, names, found = screen(args.store)
    floor = noise(names, args.seeds)
    page = render(fields, names, found, floor, len(spec.design_matrix()) * spec.replications, args.seeds)
    if args.write:
        DOC.write_text(page, encoding="utf-8")
        print(f"wrote {DOC}")
    else:
        print(page)


if __name__ == "__main__":
    main()
