"""A run's summary in plain language: wording around the summary figures, no model logic."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from exitban.report.framing import about, real_scale
from exitban.report.rundata import RunData, channels_used


def _pct(x: float) -> str:
    return f"{x:.0%}" if x >= 0.01 or x == 0 else f"{x:.1%}"


@dataclass(frozen=True)
class Counts:
    """How the summary writes a simulated count: at real size when the run was scaled, rounded when it is one
    seed's, with its 5-95% range when replications gave one (``others``: their summaries)."""

    scale: float
    others: Sequence[dict[str, Any]] = ()

    def __call__(self, x: float, of: Callable[[dict[str, Any]], float] | None = None) -> str:
        text = real_scale(x, self.scale, 1 + len(self.others))
        if of is not None and self.others:
            values = np.array([x, *(of(o) for o in self.others)], dtype=np.float64) / self.scale
            lo, hi = np.percentile(values, [5, 95])
            text += f" (5-95% over {len(values)} runs: {about(lo)} to {about(hi)})"
        return text


def plain_summary(run: RunData, others: Sequence[dict[str, Any]] = ()) -> list[str]:
    """Short paragraphs that say what happened in the run, with its numbers.

    Counts are at real size (the run's count beside it when it was scaled) and rounded when one seed
    made them; ``others``, the summaries of the run's replications, give each main count its range.
    """
    s = run.summary
    sc = run.scenario
    t = run.totals
    last = t.row(t.height - 1, named=True)
    start, serving = s["agents"], s["serving"]
    insts = run.institutions()
    scale = float(s.get("scale", sc.scale))
    _n = Counts(scale, others)
    scale_note = "at real size" if scale == 1 else f"at {scale:g} of real size"
    paras = [
        f"{sc.title or sc.name}: {start:,} people in {len(insts)} institution"
        f"{'s' if len(insts) != 1 else ''} ({', '.join(insts)}) were simulated {scale_note} "
        f"for {s['days']} days (seed {s['seed']}, exitban {s.get('version', '?')})."
    ]
    if scale != 1:
        paras[0] += (
            f" Counts below are at real size (the run's count x {1 / scale:,.4g}, rounded), the run's own in brackets."
        )
    elif not others:
        paras[0] += " Counts are one seed's, rounded to two significant figures."
    paras.append(
        f"On the last day {_n(serving, lambda o: o['serving'])} were still serving "
        f"({_pct(serving / max(1, start))} of the start). "
        f"{_n(s['want_out'], lambda o: o['want_out'])} of them ({_pct(s['want_out'] / max(1, serving))}) "
        "privately wanted out, "
        + (
            f"but only {_n(last['displayed'])} showed it openly."
            if last["displayed"] < s["want_out"]
            else "and every one of them showed it openly."
        )
    )
    used = sorted(channels_used(s), key=lambda c: -s["exits"][c])
    if used:
        top = ", ".join(f"{c.replace('_', ' ')} ({_n(s['exits'][c])})" for c in used[:3])
        approved = (
            ""  # named among the main ways already
            if "approved" in used[:3]
            else f"; only {_n(s['exits'].get('approved', 0))} had a resignation request approved"
        )
        paras.append(
            f"{_n(s['exits_total'], lambda o: o['exits_total'])} people left. The main ways out were {top}{approved}."
        )
    else:
        paras.append("Nobody left during the run.")
    backlog = sum(v["backlog"] for v in insts.values())
    waiting = [v["pending_wait_years"] for v in insts.values() if v["backlog"] > 0]
    wait_text = f" (in the slowest institution they had waited {max(waiting):.1f} years on average)" if waiting else ""
    paras.append(
        f"At the end {_n(backlog)} requests and appeals were waiting{wait_text}. "
        f"Superiors made {_n(*_total(s, 'threats'))} threats, pressured "
        f"{_n(*_total(s, 'families_pressured'))} families and opened "
        f"{_n(*_total(s, 'cases_opened'))} criminal cases."
    )
    paras.append(
        f"{_pct(s['defend_share'])} of those serving would defend the regime in a crisis. "
        + (
            f"Effective work capacity was {last['capacity_share']:.2f} of a full-time person per head, "
            if last["capacity_share"] >= 0
            else f"Sabotage undid more work than the rest did (effective capacity {last['capacity_share']:.2f} "
            "of a full-time person per head, below zero), "
        )
        + f"with {_n(last['sabotaging'])} people sabotaging work to get fired."
    )
    if sc.regime.denial:
        paras.append(
            f"The ministry's reports deny the problem: they show {_n(last['reported_want_out'])} people wanting "
            f"to leave against {_n(last['want_out'])} in fact, and {_n(t['reported_complaints'].sum())} complaints "
            f"against {_n(t['true_complaints'].sum())} filed."
        )
    return [_sentences_capitalized(p) for p in paras]


def _sentences_capitalized(text: str) -> str:
    """A sentence that opens with a rounded count ('about 2,700 people left') starts with a capital."""
    return re.sub(r"(^|\. )about ", lambda m: f"{m.group(1)}About ", text)


def _total(summary: dict[str, Any], key: str) -> tuple[float, Callable[[dict[str, Any]], float]]:
    """A per-institution count summed over institutions, and the same sum for another run's summary."""

    def of(s: dict[str, Any]) -> float:
        return float(sum(v[key] for v in s["institutions"].values()))

    return of(summary), of
