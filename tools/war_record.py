"""The long run beside the record, before calibration: ``python tools/war_record.py [--write]``.

Runs the shipped war-2022-2025 scenario (uncalibrated, a few seeds at a small scale, counts scaled
back to full size) and sets its absence cases per half-year beside the court counts of
../shared/calibration-targets.md (Mediazona): about 1,040 in 2022, 2,076 in H1 2023, 10,025 in all by
June 2024 and 20,538 by June 2025. What the dated record is about is the direction of the trend;
the levels are the calibration issue's. Beside them, per half-year, the military-justice pipeline's
outputs (issue 22, item 1): deserter episodes per absence case, absence over disobedience cases and the
suspended share of absence sentences, uncalibrated. ``--write`` rewrites docs/war-record.md.
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

import polars as pl

from exitban import load_scenario, simulate

SCALE = 0.02
SEEDS = (1, 2, 3)
DOC = Path(__file__).resolve().parents[1] / "docs" / "war-record.md"
# the record by period: (label, cases in the period or None where only a sum over periods is published)
RECORD = {
    "2022": 1_040,
    "2023H1": 2_076,
    "2023H2+2024H1": 10_025 - 1_040 - 2_076,
    "2024H2+2025H1": 20_538 - 10_025,
}


HALVES = ("2022H1", "2022H2", "2023H1", "2023H2", "2024H1", "2024H2", "2025H1")
# the pipeline's counts summed per half-year (rules.justice): the ratios of the second table are made from them
JUSTICE = (
    "desertion_episodes",
    "cases_absence",
    "cases_disobedience",
    "convictions_absence",
    "absence_sentences_suspended",
)


def _half(ts: pl.DataFrame) -> pl.Expr:
    return pl.col("date").dt.year().cast(pl.String) + pl.when(pl.col("date").dt.month() <= 6).then(
        pl.lit("H1")
    ).otherwise(pl.lit("H2"))


def justice_halves(ts: pl.DataFrame) -> dict[str, dict[str, float]]:
    """Per half-year: deserter episodes per absence case, absence over disobedience cases, and the suspended
    share of absence sentences (NaN where a denominator is 0)."""
    by = ts.group_by(_half(ts).alias("half")).agg(pl.col(c).sum() for c in JUSTICE)
    rows = {row["half"]: row for row in by.iter_rows(named=True)}
    nan = float("nan")

    def share(a: float, b: float) -> float:
        return a / b if b > 0 else nan

    out: dict[str, dict[str, float]] = {}
    for h in HALVES:
        r = rows.get(h, dict.fromkeys(JUSTICE, 0.0))
        out[h] = {
            "episodes": r["desertion_episodes"],
            "per_case": share(r["desertion_episodes"], r["cases_absence"]),
            "mix": share(r["cases_absence"], r["cases_disobedience"]),
            "suspended": share(r["absence_sentences_suspended"], r["convictions_absence"]),
        }
    return out


def _periods(ts: pl.DataFrame, up: float) -> dict[str, float]:
    by = ts.group_by(_half(ts).alias("half")).agg(pl.col("cases_absence").sum()).sort("half")
    cases = {row["half"]: row["cases_absence"] * up for row in by.iter_rows(named=True)}
    out = {h: cases.get(h, 0.0) for h in HALVES}
    out["2022"] = out["2022H1"] + out["2022H2"]
    out["2023H2+2024H1"] = out["2023H2"] + out["2024H1"]
    out["2024H2+2025H1"] = out["2024H2"] + out["2025H1"]
    return out


def model_periods(scale: float = SCALE, seeds: tuple[int, ...] = SEEDS) -> dict[str, list[float]]:
    """Absence cases (full-size equivalent) per half-year and per the record's periods, one value per seed;
    the pipeline's figures per half-year under ``"justice:<half>:<figure>"`` (episodes at full size)."""
    sc = load_scenario("war-2022-2025").with_overrides(scale=scale)
    values: dict[str, list[float]] = {}
    for seed in seeds:
        ts = simulate(sc, seed=seed).timeseries
        for period, v in _periods(ts, 1.0 / scale).items():
            values.setdefault(period, []).append(v)
        for half, figures in justice_halves(ts).items():
            for name, v in figures.items():
                values.setdefault(f"justice:{half}:{name}", []).append(v / scale if name == "episodes" else v)
    return values


def _median(v: list[float]) -> str:
    kept = [x for x in v if x == x]  # NaN where a half-year had no case or conviction
    return f"{statistics.median(kept):,.2f}" if kept else "n/a"


def justice_table(values: dict[str, list[float]]) -> list[str]:
    """The second table: the pipeline's figures per half-year (medians over seeds), none of them inputs."""
    if not any(k.startswith("justice:") for k in values):
        return []
    lines = [
        "",
        "## The military-justice pipeline, uncalibrated",
        "",
        "Per half-year, the median over seeds of: deserter episodes (servicemen past the absence limit, as a",
        "ministry would count men leaving their units; full size), episodes per absence case, absence cases",
        "over disobedience cases, and the suspended share of absence sentences. All three ratios are outputs of",
        "the pipeline (ODD 7.9), none is an input. The record: about 50,000 claimed deserters by end 2024",
        "(unverified) against about 10,000 absence cases by mid-2024, so roughly 5 per case; court counts",
        "dominated by the absence article; a third of absence sentences suspended in April 2023, about 60% by",
        "mid-2023 (calibration-targets.md).",
        "",
        "| half-year | deserter episodes | episodes per absence case | absence / disobedience cases | absence sentences suspended |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for h in HALVES:
        ep = [x for x in values[f"justice:{h}:episodes"] if x == x]
        episodes = f"{statistics.median(ep):,.0f}" if ep else "n/a"
        lines.append(
            f"| {h} | {episodes} | {_median(values[f'justice:{h}:per_case'])} | "
            f"{_median(values[f'justice:{h}:mix'])} | {_median(values[f'justice:{h}:suspended'])} |"
        )
    return lines


def render(values: dict[str, list[float]], scale: float = SCALE, seeds: tuple[int, ...] = SEEDS) -> str:
    lines = [
        "# The long run beside the record: absence cases, uncalibrated",
        "",
        "Generated by `python tools/war_record.py --write` from the shipped `war-2022-2025` scenario (issue 21),",
        f"before any calibration: {len(seeds)} seeds at scale {scale:g}, counts scaled to full size (the",
        "median over seeds, with the lowest and highest). The record is the court count of absence cases",
        "(Mediazona, ../shared/calibration-targets.md); where it is published only as a running total, the",
        "period is the difference of two totals. Simulated figures, not reported ones.",
        "",
        "| period | record | model (median) | model (range over seeds) | model / record |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for period in ("2022H1", "2022H2", "2022", "2023H1", "2023H2", "2024H1", "2023H2+2024H1", "2024H2", "2025H1",
                   "2024H2+2025H1"):  # fmt: skip
        v = values[period]
        med = statistics.median(v)
        rec = RECORD.get(period)
        ratio = f"{med / rec:.1f}" if rec else ""
        lines.append(
            f"| {period} | {f'{rec:,}' if rec else ''} | {med:,.0f} | {min(v):,.0f} to {max(v):,.0f} | {ratio} |"
        )
    first, last = statistics.median(values["2023H1"]), statistics.median(values["2025H1"])
    lines += [
        "",
        f"Direction: from H1 2023 to H1 2025 the model's half-yearly count goes ×{last / max(first, 1e-9):.2f}; the",
        "record's pace rises from about 2,100 a half-year (H1 2023) to about 5,300 (the mean half-year from",
        "July 2024 to June 2025). The levels are not fitted: that is the calibration issue's work.",
        *justice_table(values),
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite docs/war-record.md")
    parser.add_argument("--scale", type=float, default=SCALE)
    args = parser.parse_args(argv)
    page = render(model_periods(args.scale), args.scale)
    if args.write:
        DOC.write_text(page)
    print(page)


if __name__ == "__main__":
    main()
