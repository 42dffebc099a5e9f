"""Turn the kernel's daily tallies into the output table (O1-O10), the run summary and daily totals.

The tallies are the run's raw results (``tallies.parquet``: one row per day and institution,
one column per tally of ``engine.columns.TALLIES``). Every share, mean, wait and reported figure
is made from them by ``derive``, once per table: per institution for the daily table, after
summing over institutions for the totals a report plots. Nothing is ever recovered from a share.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import polars as pl

from exitban.engine.build import scaled, unit_layout
from exitban.engine.codes import ARTICLES, EXIT_CHANNELS
from exitban.engine.columns import N_TALLIES, TALLIES
from exitban.engine.units import DAYS_PER_YEAR
from exitban.scenario import Scenario

EXIT_COLUMNS = [f"exits_{c}" for c in EXIT_CHANNELS]
# cases opened and convictions by article, comparable with published case counts (R13, R5)
LAW_COLUMNS = [*(f"cases_{a}" for a in ARTICLES), *(f"convictions_{a}" for a in ARTICLES), "sentences_suspended"]

# who joined and who moved on besides the exits (P1): with the exits they balance the headcount
FLOW_COLUMNS = ["recruited", "called_up", "commissioned", "released", "graduated", "awaiting_posting"]

# the front (rules.front): stocks at the end of the day and the wounded sent to hospital; all zero where no
# front is modelled. The killed, missing and discharged wounded are exits (O4).
FRONT_COLUMNS = ["deployed", "on_leave", "in_hospital", "hospitalized"]

# the military-justice pipeline (rules.justice): episodes of absence, what the units and investigators did with
# them, and the graded sentences; with cases_absence and convictions_absence they give deserters per case, the
# article mix and the suspended share as outputs
JUSTICE_COLUMNS = [
    "desertion_episodes",
    "absences_noticed",
    "absences_reported",
    "backlog_investigators",
    "sent_to_front",
    "absence_sentences_suspended",
]
# the help network for illegal exits (rules.help; E8, E9): demand and intake apart, and who knows of help
HELP_COLUMNS = ["help_requests", "help_intake", "knows_help", "knows_help_share"]
# The officials as the record has them (issue 22, item 3): exits of a shown wish against quiet ones. Open: a
# request signed or approved, or a release won by appeal or in court; each needs the wish shown (R3: the overt
# moves). Quiet: the ways out that A:23,25 name as exceptions taken without showing it: paying to leave quietly
# (A:25), release on health grounds and for corruption (A:23), and a transfer to a post outside the institution.
# Defection abroad is neither: it is flight, not a release. Both are sums of exit channels, not channels.
OPEN_CHANNELS = ("approved", "court")
QUIET_CHANNELS = ("payment", "health", "corruption", "transferred")

# Output columns, grouped by the brief's output IDs (the docs and a test read this map).
OUTPUTS: dict[str, list[str]] = {
    "O1": ["headcount", "want_out", "want_out_share", "displayed", "displayed_share"],
    "O2": ["would_defend", "defend_share", "rewards", "coopted"],
    "O3": ["capacity", "capacity_share", "sabotaging", "sabotage_share"],
    "O4": [*EXIT_COLUMNS, "exits_total", "exits_cumulative", "exits_open", "exits_quiet"],
    "O5": [
        "backlog_unit",
        "backlog_ministry",
        "backlog_appeals",
        "pending_wait_years",
        "released_wait_years",
        "backlog_central",
        "central_decided",
        "central_refused",
    ],
    "O6": [
        "threats",
        "families_pressured",
        "persuasions",
        "cases_opened",
        "cases_open",
        "extortions",
        *LAW_COLUMNS,
        *JUSTICE_COLUMNS,
        "absence_suspended_share",
    ],
    "O7": ["ban_active", "acted_share", "control_lost"],
    "O8": ["backlog_travel", "reviewer_decisions", "reviewer_load", "permits_granted"],
    "O9": [
        "reported_headcount",
        "true_present",
        "reported_want_out",
        "reported_complaints",
        "true_complaints",
        "reported_threats",
    ],
    "O10": ["legal_help_new", "legal_help_active", "legal_help_requests", *HELP_COLUMNS],
}
NOT_COUNTS = {"capacity", "pending_age_sum", "fear_sum", "loyalty_sum", "desire_sum", "wait_sum", "wait_n"}
COUNT_COLUMNS = (set(TALLIES) - NOT_COUNTS) | {
    "exits_total",
    "exits_cumulative",
    "reviewer_decisions",
    *OUTPUTS["O9"],
    "exits_open",
    "exits_quiet",
}
EXTRA = [
    "moonlighting",
    "absent",
    "confined",
    "in_court",
    "at_medical",
    "held_past_contract",
    *FLOW_COLUMNS,
    "requests_filed",
    "appeals_filed",
    "viral_posts",
    "moonlight_caught",
]


# The values each output column can take, declared beside its derivation (``derive``). The
# report's run check (report/runcheck.py) bounds a run's summary by these, and
# tests/invariants/test_output_ranges.py runs every shipped scenario against them, so the
# engine and the check cannot disagree. ``None`` is no bound.
Bounds = tuple[float | None, float | None]
SHARE: Bounds = (0.0, 1.0)
NONNEGATIVE: Bounds = (0.0, None)
RANGES: dict[str, Bounds] = {
    **dict.fromkeys(COUNT_COLUMNS, NONNEGATIVE),
    **dict.fromkeys(["want_out_share", "displayed_share", "defend_share"], SHARE),
    # the share of those serving in a covert stage or confined (issue 21, item 4)
    **dict.fromkeys(["sabotage_share", "moonlight_share", "confined_share"], SHARE),
    "knows_help_share": SHARE,  # of those serving (rules.help)
    # competence is at most 1, and a saboteur subtracts sabotage_damage x competence instead of adding
    # it (O3, R14): where neglect is common the unit undoes more work than the rest does, below 0
    "capacity": (None, None),
    "capacity_share": (None, 1.0),
    # who acted, the ones who left since included, over the starting size: recruits who act add to it
    "acted_share": NONNEGATIVE,
    "pending_wait_years": NONNEGATIVE,
    "released_wait_years": NONNEGATIVE,  # NaN on a day with no release by request
    "reviewer_load": NONNEGATIVE,
    "absence_suspended_share": SHARE,  # NaN on a day with no absence conviction
    **dict.fromkeys(["ban_active", "control_lost"], SHARE),  # true or false
    **dict.fromkeys(["mean_fear", "mean_loyalty", "mean_desire"], SHARE),
}


def derive(
    scenario: Scenario,
    raw: Mapping[str, np.ndarray],
    start: np.ndarray,
    ban_active: np.ndarray,
    exits_cumulative: np.ndarray,
) -> dict[str, np.ndarray]:
    """Every output column from the census's counts: the one place shares, waits and reported figures are made.

    ``raw`` maps each tally name to an array (one entry per row: a day and institution, or a
    total); ``start`` is the starting size of what each row counts. The engine's daily table,
    the Mesa model's DataCollector and sums over institutions all go through here.
    """
    head = raw["headcount"]
    per_head = np.maximum(head, 1.0)
    exits_total = sum(raw[c] for c in EXIT_COLUMNS)
    pending = raw["backlog_unit"] + raw["backlog_ministry"]
    denial = scenario.regime.denial  # R15: the regime's reports deny what the counts show
    complaints = raw["appeals_filed"] + raw["viral_posts"]
    reviewer_rate = scaled(scenario)["top_reviewer_capacity_per_day"]  # cases a day, may be < 1
    return {
        "headcount": head,
        "want_out": raw["want_out"],
        "want_out_share": raw["want_out"] / per_head,
        "displayed": raw["displayed"],
        "displayed_share": raw["displayed"] / per_head,
        "would_defend": raw["would_defend"],
        "defend_share": raw["would_defend"] / per_head,
        "rewards": raw["rewards"],
        "coopted": raw["coopted"],
        "capacity": raw["capacity"],
        "capacity_share": raw["capacity"] / per_head,
        "sabotaging": raw["sabotaging"],
        "sabotage_share": raw["sabotaging"] / per_head,
        **{c: raw[c] for c in EXIT_COLUMNS},
        "exits_total": exits_total,
        "exits_cumulative": exits_cumulative,
        "exits_open": sum(raw[f"exits_{c}"] for c in OPEN_CHANNELS),
        "exits_quiet": sum(raw[f"exits_{c}"] for c in QUIET_CHANNELS),
        "backlog_unit": raw["backlog_unit"],
        "backlog_ministry": raw["backlog_ministry"],
        "backlog_appeals": raw["backlog_appeals"],
        "backlog_central": raw["backlog_central"],
        "central_decided": raw["central_decided"],
        "central_refused": raw["central_refused"],
        "pending_wait_years": np.where(
            pending > 0, raw["pending_age_sum"] / np.maximum(pending, 1) / DAYS_PER_YEAR, 0.0
        ),
        "released_wait_years": np.where(
            raw["wait_n"] > 0, raw["wait_sum"] / np.maximum(raw["wait_n"], 1) / DAYS_PER_YEAR, np.nan
        ),
        "threats": raw["threats"],
        "families_pressured": raw["families_pressured"],
        "persuasions": raw["persuasions"],
        "cases_opened": raw["cases_opened"],
        "cases_open": raw["cases_open"],
        "extortions": raw["extortions"],
        **{c: raw[c] for c in LAW_COLUMNS},
        **{c: raw[c] for c in JUSTICE_COLUMNS},
        "absence_suspended_share": np.where(
            raw["convictions_absence"] > 0,
            raw["absence_sentences_suspended"] / np.maximum(raw["convictions_absence"], 1),
            np.nan,
        ),
        "ban_active": ban_active,
        "acted_share": raw["acted"] / start,
        "control_lost": head < scenario.outputs.control_loss_share * start,
        "backlog_travel": raw["backlog_travel"],
        "reviewer_decisions": raw["served_travel"],
        "reviewer_load": raw["served_travel"] / reviewer_rate,
        "permits_granted": raw["permits_granted"],
        # O9, preference falsification in the regime's own figures (R15): reported beside true
        "reported_headcount": head,
        "true_present": raw["present"],
        "reported_want_out": np.zeros_like(head) if denial else raw["displayed"],
        "reported_complaints": np.zeros_like(head) if denial else complaints,
        "true_complaints": complaints,
        "reported_threats": np.zeros_like(head) if denial else raw["threats"],
        "legal_help_new": raw["legal_help_new"],
        "legal_help_active": raw["legal_help_active"],
        # demand beside intake: those who sought a lawyer, and those who asked the helpers of illegal exits
        "legal_help_requests": raw["legal_help_requests"],
        "help_requests": raw["help_requests"],
        "help_intake": raw["help_intake"],
        "knows_help": raw["knows_help"],
        "knows_help_share": raw["knows_help"] / per_head,
        **{c: raw[c] for c in EXTRA},
        # the share of the force in each covert stage (A3, A4): sabotage is increasing (C:2-8), not universal
        "moonlight_share": raw["moonlighting"] / per_head,
        "confined_share": raw["confined"] / per_head,
        "mean_fear": raw["fear_sum"] / per_head,
        "mean_loyalty": raw["loyalty_sum"] / per_head,
        "mean_desire": raw["desire_sum"] / per_head,
        **{c: raw[c] for c in FRONT_COLUMNS},
    }


def tally_table(scenario: Scenario, series: np.ndarray, bans: np.ndarray, day0: int = 0) -> pl.DataFrame:
    """The run's raw results: one row per day and institution, the ban that day and every tally (float64).

    ``series`` is the engine's (days, institutions, tallies) array, ``bans`` its (days, institutions)
    ban state. This is what ``tallies.parquet`` holds; every output is derived from it.
    """
    days, n_inst, _ = series.shape
    flat = series.reshape(days * n_inst, -1)
    day = np.repeat(np.arange(day0, day0 + days, dtype=np.int32), n_inst)
    return pl.DataFrame(
        {
            "day": day,
            "date": dates(scenario, day),
            "institution": np.tile(np.array(list(scenario.institutions), dtype=object), days),
            "ban_active": bans.reshape(-1).astype(bool),
            **{name: flat[:, j] for j, name in enumerate(TALLIES)},
        }
    )


def dates(scenario: Scenario, day: np.ndarray | pl.Series) -> pl.Series:
    """The calendar date of each reported day: day 0 is the scenario's ``start``."""
    start = np.datetime64(scenario.start.isoformat(), "D")
    return pl.Series("date", start + np.asarray(day, dtype=np.int64).astype("timedelta64[D]"), dtype=pl.Date)


TALLY_SCHEMA = {
    "day": pl.Int32,
    "date": pl.Date,
    "institution": pl.String,
    "ban_active": pl.Boolean,
    **dict.fromkeys(TALLIES, pl.Float64),
}


def _raw(tallies: pl.DataFrame) -> dict[str, np.ndarray]:
    return {name: tallies[name].to_numpy().astype(np.float64) for name in TALLIES}


def _with_counts_as_integers(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(pl.col(c).cast(pl.Int64) for c in frame.columns if c in COUNT_COLUMNS)


def timeseries(scenario: Scenario, tallies: pl.DataFrame, size0: np.ndarray) -> pl.DataFrame:
    """One row per day and institution; a column for every output O1-O10, derived from ``tallies``."""
    n_inst = len(scenario.institutions)
    days = tallies.height // n_inst
    kinds = [inst.kind for inst in scenario.institutions.values()]
    raw = _raw(tallies)
    start = np.tile(size0.astype(np.float64), days)
    exits_total = sum(raw[c] for c in EXIT_COLUMNS)
    cumulative = np.cumsum(exits_total.reshape(days, n_inst), axis=0).reshape(-1)
    cols: dict[str, Any] = {
        "day": tallies["day"],
        "date": dates(scenario, tallies["day"]),
        "institution": tallies["institution"],
        "kind": np.tile(np.array(kinds, dtype=object), days),
        **derive(scenario, raw, start, tallies["ban_active"].to_numpy(), cumulative),
    }
    return _with_counts_as_integers(pl.DataFrame(cols))


def timeseries_columns(scenario: Scenario) -> list[str]:
    """The columns of ``scenario``'s daily table, without a run: derived from one day of zero tallies."""
    n_inst = len(scenario.institutions)
    zeros = tally_table(scenario, np.zeros((1, n_inst, N_TALLIES)), np.zeros((1, n_inst), dtype=np.int8))
    return timeseries(scenario, zeros, np.ones(n_inst)).columns


def summarize(scenario: Scenario, ts: pl.DataFrame, size0: np.ndarray) -> dict[str, Any]:
    """Final figures per institution and in total: what ``summary.json`` holds.

    ``size0`` is each institution's headcount on the start date (who serves on the first reported day's
    morning: the people drawn, less a cohort called up later, after any spin-up days).
    """
    last_day = ts["day"].max()
    final = ts.filter(pl.col("day") == last_day)
    totals = ts.group_by("institution", maintain_order=True).agg(
        *(
            pl.col(c).sum()
            for c in [
                *EXIT_COLUMNS,
                "threats",
                "families_pressured",
                "cases_opened",
                "legal_help_new",
                "requests_filed",
                "appeals_filed",
                "extortions",
                *LAW_COLUMNS,
                *FLOW_COLUMNS,
            ]
        ),
        pl.col("ban_active").sum().alias("ban_days"),
        pl.col("control_lost").any().alias("control_lost_any"),
        pl.col("reviewer_load").mean().alias("mean_reviewer_load"),
    )

    institutions: dict[str, Any] = {}
    counts = scenario.agents()
    for k, (name, spec) in enumerate(scenario.institutions.items()):
        row = final.filter(pl.col("institution") == name).row(0, named=True)
        tot = totals.filter(pl.col("institution") == name).row(0, named=True)
        exits = {c.removeprefix("exits_"): int(tot[c]) for c in EXIT_COLUMNS}
        institutions[name] = {
            "start": int(size0[k]),
            "positions": int(unit_layout(counts[name], spec)[1].sum()),
            "serving": int(row["headcount"]),
            "exits": exits,
            "exits_total": sum(exits.values()),
            "want_out_share": round(row["want_out_share"], 6),
            "displayed_share": round(row["displayed_share"], 6),
            "defend_share": round(row["defend_share"], 6),
            "capacity_share": round(row["capacity_share"], 6),
            "sabotaging": int(row["sabotaging"]),
            "backlog": int(row["backlog_unit"] + row["backlog_ministry"] + row["backlog_appeals"]),
            "pending_wait_years": round(row["pending_wait_years"], 6),
            "threats": int(tot["threats"]),
            "families_pressured": int(tot["families_pressured"]),
            "cases_opened": int(tot["cases_opened"]),
            "cases_by_article": {a: int(tot[f"cases_{a}"]) for a in ARTICLES},
            "convictions_by_article": {a: int(tot[f"convictions_{a}"]) for a in ARTICLES},
            "sentences_suspended": int(tot["sentences_suspended"]),
            "legal_help_sought": int(tot["legal_help_new"]),
            "ban_days": int(tot["ban_days"]),
            "control_lost": bool(tot["control_lost_any"]),
            "mean_reviewer_load": round(float(tot["mean_reviewer_load"]), 6),
            "held_past_contract": int(row["held_past_contract"]),
            "flows": {c: int(tot[c]) for c in FLOW_COLUMNS if c != "awaiting_posting"},
        }
    start = int(size0.sum())
    serving = sum(v["serving"] for v in institutions.values())
    exits_by = {c: sum(v["exits"][c] for v in institutions.values()) for c in EXIT_CHANNELS}
    return {
        "agents": start,
        "positions": sum(v["positions"] for v in institutions.values()),
        "serving": serving,
        "flows": {
            c: sum(v["flows"][c] for v in institutions.values()) for c in FLOW_COLUMNS if c != "awaiting_posting"
        },
        "exits": exits_by,
        "exits_total": sum(exits_by.values()),
        "want_out": int(final["want_out"].sum()),
        "defend_share": round(float(final["would_defend"].sum()) / max(1, serving), 6),
        "institutions": institutions,
    }


def totals(scenario: Scenario, tallies: pl.DataFrame, start: float) -> pl.DataFrame:
    """One row a day: every tally summed over the institutions in ``tallies``, then every output derived once.

    ``start`` is the starting size of those institutions together. ``ban_active`` becomes the number
    of institutions under the ban that day.
    """
    summed = (
        tallies.group_by("day", maintain_order=True)
        .agg(*(pl.col(c).sum() for c in TALLIES), pl.col("ban_active").cast(pl.Int64).sum())
        .sort("day")
    )
    raw = _raw(summed)
    cumulative = np.cumsum(sum(raw[c] for c in EXIT_COLUMNS))
    start_col = np.full(summed.height, float(start))
    cols = derive(scenario, raw, start_col, summed["ban_active"].to_numpy(), cumulative)
    return _with_counts_as_integers(
        pl.DataFrame({"day": summed["day"], "date": dates(scenario, summed["day"]), **cols})
    )
