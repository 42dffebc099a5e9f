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

import polars as pl

from exitban import sensitivity
from exitban.calibration.screen import PREFIX
from exitban.calibration.targets import load_targets
from exitban.sweep.spec import load_spec

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "examples" / "sweeps" / "war-screen.toml"
DOC = ROOT / "docs" / "calibration-screen.md"
SEEN = 0.25  # a figure "sees" a field that moves it by a quarter of its published range or more


def widths(table: pl.DataFrame) -> dict[str, float]:
    """Each target output's published range width: on a log scale for counts, as the fit measures misses."""
    targets, _ = load_targets()
    out = {}
    for output in table["output"].unique().to_list():
        t = targets.targets[output.removeprefix(PREFIX)]
        log = t.scale == "log" and t.low > 0
        out[output] = math.log(t.high / t.low) if log else t.high - t.low
    return out


def render(table: pl.DataFrame, spec_name: str, runs: int) -> str:
    w = widths(table)
    outputs = sorted(w)
    lines = [
        "# What the long run's fitted figures can identify (a Morris screen)",
        "",
        f"Regenerate with `python tools/calibration_screen.py` (the sweep `{spec_name}` of "
        "`examples/sweeps/war-screen.toml`: "
        f"{runs} runs of war-2022-2025 to the fit's cut-off, 30 June 2023). Each cell is Morris mu*, the mean "
        "absolute elementary effect of a field over its range, in widths of the figure's published range (a "
        "count's width on a log scale: mu* of the count over the geometric middle of the range, roughly). "
        f"A figure *sees* a field it moves by {SEEN} widths or more; a field that no fitted figure sees cannot "
        "be identified by the fit and keeps its assumed value. The model is uncalibrated here, so effects are "
        "read at the prior's centre, not at the posterior.",
        "",
        "| field | " + " | ".join(o.removeprefix(PREFIX) for o in outputs) + " | seen by |",
        "| --- | " + " | ".join("---" for _ in outputs) + " | --- |",
    ]
    for field in table["parameter"].unique(maintain_order=True).to_list():
        rows = table.filter(pl.col("parameter") == field)
        cells, seen = [], []
        for o in outputs:
            r = rows.filter(pl.col("output") == o)
            mu = float(r["mu_star"][0]) / w[o] if r.height and w[o] > 0 else math.nan
            cells.append("n/a" if not math.isfinite(mu) else f"{mu:.2f}")
            if math.isfinite(mu) and mu >= SEEN:
                seen.append(o.removeprefix(PREFIX))
        lines.append(f"| `{field}` | " + " | ".join(cells) + f" | {', '.join(seen) or '**none**'} |")
    lines += [
        "",
        "mu* is read for counts on the count itself, divided by the range's middle and the log width: a "
        "rough, first-order conversion. n/a: the figure could not be read in some run (a share with no "
        "sentence in its window at this scale).",
    ]
    return "\n".join(lines) + "\n"


def _log_counts(table: pl.DataFrame) -> pl.DataFrame:
    """mu* of a count over its range's geometric middle: a first-order move on the log scale."""
    targets, _ = load_targets()
    middles = {}
    for o in table["output"].unique().to_list():
        t = targets.targets[o.removeprefix(PREFIX)]
        middles[o] = math.sqrt(t.low * t.high) if t.scale == "log" and t.low > 0 else 1.0
    factor = pl.col("output").replace_strict(middles, return_dtype=pl.Float64)
    return table.with_columns(mu_star=pl.col("mu_star") / factor)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=ROOT / "sweeps" / "war-screen", help="the sweep's store")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--write", action="store_true", help=f"write {DOC.relative_to(ROOT)}")
    args = parser.parse_args()
    spec, _ = load_spec(SPEC)
    table = sensitivity(SPEC, out=args.store, workers=args.workers, progress=True)
    page = render(_log_counts(table), spec.name, len(spec.design_matrix()) * spec.replications)
    if args.write:
        DOC.write_text(page, encoding="utf-8")
        print(f"wrote {DOC}")
    else:
        print(page)


if __name__ == "__main__":
    main()
