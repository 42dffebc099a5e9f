"""Published figures beside the model's values, before any calibration: ``python tools/magnitudes.py``.

Each figure of ../shared/calibration-targets.md (and a few the sources give) is matched to the
shipped scenario of its period and to the output that measures it. The scenarios run at a small
scale for a year and the counts are scaled back to full size; the table in docs/magnitudes.md
shows the published value, the model's, and their ratio. Figures that are the model's own
inputs (sizes, the suspended share) are listed as inputs, never as hits.
"""

from __future__ import annotations

import argparse
import datetime
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from exitban import load_scenario, simulate

SCALE = 0.05
SEEDS = (1, 2, 3)
DOC = Path(__file__).resolve().parents[1] / "docs" / "magnitudes.md"


@dataclass(frozen=True)
class Target:
    """A published figure, its period and source, and how to read the matching model value."""

    figure: str
    low: float
    high: float
    period: str
    source: str
    scenario: str
    output: str
    measure: Callable[[pl.DataFrame, float], float] | None  # (daily table, 1 / scale) -> full-scale value
    note: str = ""
    whole_run: bool = False  # run the scenario for its own period (a dated long run), not for one year

    @property
    def published(self) -> str:
        if self.high == float("inf"):
            return f"over {_num(self.low)}"
        return _num(self.low) if self.low == self.high else f"{_num(self.low)} to {_num(self.high)}"


def _num(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 10 else f"{value:.3g}"


def _sum(column: str, institution: str | None = None) -> Callable[[pl.DataFrame, float], float]:
    def measure(ts: pl.DataFrame, up: float) -> float:
        rows = ts if institution is None else ts.filter(pl.col("institution") == institution)
        return float(rows[column].sum()) * up

    return measure


def _last(column: str, institution: str, scaled: bool = True) -> Callable[[pl.DataFrame, float], float]:
    def measure(ts: pl.DataFrame, up: float) -> float:
        value = float(ts.filter(pl.col("institution") == institution)[column][-1])
        return value * up if scaled else value

    return measure


def _open_senior(ts: pl.DataFrame, up: float) -> float:
    """``exits_open`` (approved and court exits) of every civil-official institution: the senior officials by post."""
    return float(ts.filter(pl.col("kind") == "civil_official")["exits_open"].sum()) * up


def _over(numerator: str, denominator: str) -> Callable[[pl.DataFrame, float], float]:
    """A ratio of two sums over the run (NaN when the denominator is 0): not scaled."""

    def measure(ts: pl.DataFrame, up: float) -> float:
        below = float(ts[denominator].sum())
        return float(ts[numerator].sum()) / below if below > 0 else float("nan")

    return measure


def _between(column: str, first: datetime.date, last: datetime.date) -> Callable[[pl.DataFrame, float], float]:
    """The sum of ``column`` over the dates ``first`` to ``last`` (both included), all institutions."""

    def measure(ts: pl.DataFrame, up: float) -> float:
        rows = ts.filter((pl.col("date") >= first) & (pl.col("date") <= last))
        return float(rows[column].sum()) * up

    return measure


def _held(ts: pl.DataFrame, up: float) -> float:
    last = ts["day"].max()
    return float(ts.filter(pl.col("day") == last)["held_past_contract"].sum()) * up


TARGETS = (
    Target(
        "absence cases opened a year (art. 337)",
        4_150,
        4_150,
        "2023 (H1 2023 x 2)",
        "Mediazona: 2,076 in H1 2023",
        "fsb-mobilization-2023",
        "cases_absence",
        _sum("cases_absence"),
        "the mobilized and the contract army together; the FSB staff count in the model's figure too",
    ),
    Target(
        "absence cases opened a year, before the war",
        1_040,
        1_040,
        "2022 (H1 2023 was twice all of 2022)",
        "Mediazona",
        "army-officers-2019",
        "cases_absence",
        _sum("cases_absence"),
        "period mismatch: the nearest shipped scenario is 2019; shown for the order of magnitude",
    ),
    Target(
        "deserters a year",
        25_000,
        100_000,
        "2023-2024 (~50,000 by end 2024, unverified)",
        "leaked ministry figure (wide range)",
        "fsb-mobilization-2023",
        "desertion_episodes",
        _sum("desertion_episodes"),
        "an unverified claim: a wide range, never a point; the model counts episodes (men past the absence "
        "limit), as a ministry count of men leaving their units would, not only those gone for good",
    ),
    Target(
        "deserters per absence case",
        2,
        10,
        "to mid-2024 (~50,000 claimed deserters, ~10,000 cases)",
        "leaked ministry figure (unverified); Mediazona",
        "fsb-mobilization-2023",
        "desertion_episodes / cases_absence",
        _over("desertion_episodes", "cases_absence"),
        "an output of the military-justice pipeline (notice, report, the investigators' queue), not an input",
    ),
    Target(
        "absence cases per disobedience case",
        1,
        float("inf"),
        "2023-2024",
        "Mediazona (court counts dominated by the absence article)",
        "fsb-mobilization-2023",
        "cases_absence / cases_disobedience",
        _over("cases_absence", "cases_disobedience"),
        "the article mix: only its direction is published",
    ),
    Target(
        "senior officials who resign openly in a year",
        0,
        2,
        "2022-2023 (one public case, Mar 2022)",
        "news reports",
        "officials-2023",
        "exits_open (approved + court) of the civil officials",
        _open_senior,
    ),
    Target(
        "members of a support group for servicemen who want out",
        3_000,
        3_000,
        "2019",
        "B:78 (over three thousand members)",
        "army-officers-2019",
        "legal_help_new (a year)",
        _sum("legal_help_new"),
        "a group's membership is a stock; the model counts people taken on (the demand is legal_help_requests)",
    ),
    Target(
        "desertion-help requests in a month (June 2024)",
        54,
        54,
        "June 2024",
        "calibration-targets.md (a help group's own statements, The Moscow Times 14 Nov 2024)",
        "war-2022-2025",
        "help_requests (June 2024)",
        _between("help_requests", datetime.date(2024, 6, 1), datetime.date(2024, 6, 30)),
        "uncalibrated (ODD 7.16): Bass coefficients at their meta-analytic means, not fitted to these figures",
        whole_run=True,
    ),
    Target(
        "desertion-help requests in a month (October 2024)",
        218,
        218,
        "October 2024",
        "calibration-targets.md (a help group's own statements, The Moscow Times 14 Nov 2024)",
        "war-2022-2025",
        "help_requests (October 2024)",
        _between("help_requests", datetime.date(2024, 10, 1), datetime.date(2024, 10, 31)),
        "the record's growth Jun to Oct 2024 is x4.0; read the model's from the two rows",
        whole_run=True,
    ),
    Target(
        "people helped to desert, since the start",
        520,
        520,
        "to March 2024",
        "calibration-targets.md (a help group's own statements)",
        "war-2022-2025",
        "help_intake (Sep 2022 to Mar 2024)",
        _between("help_intake", datetime.date(2022, 1, 1), datetime.date(2024, 3, 31)),
        "the model's intake counts every absence or flight the helpers took on, caught later or not",
        whole_run=True,
    ),
    Target(
        "people helped to desert in a year",
        843,
        843,
        "2024",
        "calibration-targets.md (a help group's own statements)",
        "war-2022-2025",
        "help_intake (2024)",
        _between("help_intake", datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)),
        "one group's figure; the model's helpers are all groups together",
        whole_run=True,
    ),
    Target(
        "years a request waits",
        1,
        5,
        "2019",
        "B:20 (waits of years)",
        "army-officers-2019",
        "pending_wait_years (officers, day 365)",
        _last("pending_wait_years", "officers", scaled=False),
        "a one-year run cannot show waits over one year",
    ),
    Target(
        "share of FSB staff who would defend the regime",
        0.3,
        0.3,
        "2023",
        "C:15-17 (about 30%)",
        "fsb-mobilization-2023",
        "defend_share (special_services, day 365)",
        _last("defend_share", "special_services", scaled=False),
        "set largely by the input loyalty distribution (MODEL-REVIEW O2): not evidence of validity",
    ),
    Target(
        "US soldiers held past their contracts, monthly peak (comparison case)",
        15_758,
        15_758,
        "2005",
        "CRS R40121 (US stop-loss)",
        "fsb-mobilization-2023",
        "held_past_contract (day 365)",
        _held,
        "another country and army: shown for scale only",
    ),
    Target(
        "share of absence sentences suspended",
        0.33,
        0.6,
        "2023",
        "Mediazona",
        "fsb-mobilization-2023",
        "absence_sentences_suspended / convictions_absence",
        _over("absence_sentences_suspended", "convictions_absence"),
        "an output of the graded sentences of art. 337 (ODD 7.9), no longer an input; over time: war-record.md",
    ),
    Target(
        "mobilized reservists",
        300_000,
        300_000,
        "Sep-Oct 2022",
        "decree 647; C:5",
        "fsb-mobilization-2023",
        "institutions.mobilized.size",
        None,
        "an input",
    ),
    Target(
        "officer corps",
        250_000,
        250_000,
        "2019",
        "B:18",
        "army-officers-2019",
        "institutions.officers.size",
        None,
        "an input",
    ),
)


def model_values(scale: float = SCALE, seeds: tuple[int, ...] = SEEDS, days: int = 365) -> dict[str, list[float]]:
    """Each target's model value per seed (full scale), by figure; inputs are left out."""
    runs: dict[tuple[str, int], pl.DataFrame] = {}
    out: dict[str, list[float]] = {}
    for t in TARGETS:
        if t.measure is None:
            continue
        values = []
        for seed in seeds:
            key = (t.scenario, seed)
            if key not in runs:
                sc = load_scenario(t.scenario).with_overrides(scale=scale)
                sc = sc if t.whole_run else sc.with_overrides(days=days)
                runs[key] = simulate(sc, seed=seed).timeseries
            values.append(t.measure(runs[key], 1.0 / scale))
        out[t.figure] = values
    return out


def _ratio(t: Target, value: float) -> str:
    if t.high == float("inf"):
        return f"{value / t.low:.2g}" if t.low else "n/a"
    mid = (t.low + t.high) / 2
    if mid == 0:
        return "n/a (published 0)"
    return f"{value / mid:.2g}"


POINT_TOLERANCE = 0.1  # a single published figure counts as met within 10% either way


def _verdict(t: Target, values: list[float]) -> str:
    lo, hi = min(values), max(values)
    slack = POINT_TOLERANCE * abs(t.low) if t.low == t.high else 0.0
    if hi < t.low - slack:
        return "below"
    if lo > t.high + slack:
        return "above"
    return "within"


def render(values: dict[str, list[float]], scale: float = SCALE, seeds: tuple[int, ...] = SEEDS) -> str:
    """The page: one row per figure, the published value beside the model's, with the ratio."""
    lines = [
        "# Magnitudes: published figures beside the model, before calibration",
        "",
        "Regenerate with `python tools/magnitudes.py` (it runs each shipped scenario for a year at scale "
        f"{scale} with seeds {', '.join(map(str, seeds))}; counts are multiplied by {1 / scale:g} to full size).",
        "The figures are those of the project's calibration notes and the sources, in our own words. Nothing",
        "here has been calibrated: this is where the model stands, hits and misses alike. *ratio* is the",
        "model's mean over the published value (the middle of a range); *where* says whether the seeds'",
        "values fall below, within or above the published range (a single figure: within 10% of it). Rows",
        "marked *input* are figures the scenarios take as inputs: reproducing them proves nothing.",
        "",
        "What the misses say, before calibration: absence cases run several times the published counts.",
        "Senior officials no longer resign openly by the thousand before the automatic ban comes on: their",
        "open resignations are at the record's 0 to 2 (here, and in war-2022-2025's 2022-23: the ban comes by",
        "its rule, the shown wish is chosen again each day, tests/invariants/test_officials.py). Deserters are",
        "counted as episodes (men past the absence limit, as a",
        "ministry would count them): with the military-justice pipeline (ODD 7.9) they exceed absence cases, the",
        "absence article outnumbers disobedience, and the suspended share of absence sentences is an output, none",
        "of them fitted (over time, half-year by half-year: war-record.md). The",
        "calibrated scenarios (fitted to the figures up to mid-2023) and their comparison with the later,",
        "held-out figures are in [validation.md](validation.md). The long dated run (war-2022-2025, 2022 to",
        "mid-2025) is set beside the court counts half-year by half-year in [war-record.md](war-record.md); its",
        "rows here (the desertion-help figures of 2024, ODD 7.16) run it whole, 2022 to mid-2025.",
        "",
        "| figure | published | period | source | scenario | model output | model (full scale) | ratio | where | note |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for t in TARGETS:
        if t.measure is None:
            model = ratio = where = "input"
        else:
            vals = values[t.figure]
            mean = statistics.fmean(vals)
            model = _num(mean)
            if len(vals) > 1:
                model += f" ({_num(min(vals))} to {_num(max(vals))})"
            ratio, where = _ratio(t, mean), _verdict(t, vals)
        lines.append(
            f"| {t.figure} | {t.published} | {t.period} | {t.source} | {t.scenario} | `{t.output}` | {model} | "
            f"{ratio} | {where} | {t.note} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    """Write docs/magnitudes.md (or the path given)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DOC)
    parser.add_argument("--scale", type=float, default=SCALE)
    args = parser.parse_args(argv)
    page = render(model_values(args.scale), args.scale)
    args.out.write_text(page, encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
