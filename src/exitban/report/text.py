"""A run's summary in plain language: wording around the summary figures, no model logic."""

from __future__ import annotations

from exitban.report.rundata import RunData, channels_used


def _n(x: float) -> str:
    return f"{round(x):,}"


def _pct(x: float) -> str:
    return f"{x:.0%}" if x >= 0.01 or x == 0 else f"{x:.1%}"


def plain_summary(run: RunData) -> list[str]:
    """Short paragraphs that say what happened in the run, with its numbers."""
    s = run.summary
    sc = run.scenario
    t = run.totals
    last = t.row(t.height - 1, named=True)
    start, serving = s["agents"], s["serving"]
    insts = run.institutions()
    scale = s.get("scale", sc.scale)
    scale_note = "at real size" if scale == 1 else f"at {scale:g} of real size"
    paras = [
        f"{sc.title or sc.name}: {_n(start)} people in {len(insts)} institution"
        f"{'s' if len(insts) != 1 else ''} ({', '.join(insts)}) were simulated {scale_note} "
        f"for {s['days']} days (seed {s['seed']}, exitban {s.get('version', '?')})."
    ]
    paras.append(
        f"On the last day {_n(serving)} were still serving ({_pct(serving / max(1, start))} of the start). "
        f"{_n(s['want_out'])} of them ({_pct(s['want_out'] / max(1, serving))}) privately wanted out, "
        f"but only {_n(last['displayed'])} showed it openly."
    )
    used = sorted(channels_used(s), key=lambda c: -s["exits"][c])
    if used:
        top = ", ".join(f"{c.replace('_', ' ')} ({_n(s['exits'][c])})" for c in used[:3])
        paras.append(
            f"{_n(s['exits_total'])} people left. The main ways out were {top}; "
            f"only {_n(s['exits'].get('approved', 0))} had a resignation request approved."
        )
    else:
        paras.append("Nobody left during the run.")
    backlog = sum(v["backlog"] for v in insts.values())
    waiting = [v["pending_wait_years"] for v in insts.values() if v["backlog"] > 0]
    wait_text = f" (in the slowest institution they had waited {max(waiting):.1f} years on average)" if waiting else ""
    paras.append(
        f"At the end {_n(backlog)} requests and appeals were waiting{wait_text}. "
        f"Superiors made {_n(sum(v['threats'] for v in insts.values()))} threats, pressured "
        f"{_n(sum(v['families_pressured'] for v in insts.values()))} families and opened "
        f"{_n(sum(v['cases_opened'] for v in insts.values()))} criminal cases."
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
    return paras
