"""Short text and HTML views of a scenario and a run's result, for a console or a notebook cell.

The default reprs print every field and array (thousands of characters); these name what a
reader checks first and stay under 500 characters. Every inserted text is HTML-escaped.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from exitban.scenario import Scenario
    from exitban.simulate import Result

MAX_TEXT = 60  # characters of a title or a name shown before '...'
MAX_LISTED = 4  # institutions named before '... and N more'


def _cut(text: str, limit: int = MAX_TEXT) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _listed(names: list[str]) -> str:
    shown = ", ".join(_cut(n, 24) for n in names[:MAX_LISTED])
    return shown + (f" and {len(names) - MAX_LISTED} more" if len(names) > MAX_LISTED else "")


def scenario_repr(sc: Scenario) -> str:
    """``Scenario('army-officers-2019': 1 institution (army), 1,000,000 agents, 365 days, scale 1, hash 1a2b3c4d)``."""
    n = len(sc.institutions)
    title = f", {_cut(sc.title)!r}" if sc.title else ""
    return (
        f"Scenario({_cut(sc.name)!r}{title}: {n} institution{'s' * (n != 1)} ({_listed(list(sc.institutions))}), "
        f"{sc.total_agents():,} agents, {sc.days} days, scale {sc.scale:g}, hash {sc.content_hash()[:8]})"
    )


def scenario_html(sc: Scenario) -> str:
    """A small table: one row per institution (real size, agents at this scale, units) under the name and title."""
    agents = sc.agents()
    rows = "".join(
        f"<tr><td>{escape(name)}</td><td>{inst.size:,}</td><td>{agents[name]:,}</td></tr>"
        for name, inst in sc.institutions.items()
    )
    title = f"<br><i>{escape(sc.title)}</i>" if sc.title else ""
    return (
        f"<div><b>Scenario {escape(sc.name)}</b>{title}<br>{sc.days} days, scale {sc.scale:g}, "
        f"hash <code>{sc.content_hash()[:12]}</code>"
        "<table><tr><th>institution</th><th>real size</th><th>agents</th></tr>"
        f"{rows}</table></div>"
    )


def _headline(summary: dict[str, Any]) -> str:
    return (
        f"{summary['agents']:,} agents, serving {summary['serving']:,}, exits {summary['exits_total']:,}, "
        f"want out {summary['want_out']:,}"
    )


def result_repr(result: Result) -> str:
    """``Result('army-officers-2019', seed 1, 365 days: 1,000,000 agents, serving ..., exits ...; timeseries 365x80)``."""
    ts = result.timeseries
    return (
        f"Result({_cut(result.scenario.name)!r}, seed {result.seed}, {result.days} days: "
        f"{_headline(result.summary)}; timeseries {ts.height}x{ts.width}, tallies {result.tallies.height}x"
        f"{result.tallies.width}; .summary, .timeseries, .histograms(), .write(DIR))"
    )


def result_html(result: Result) -> str:
    """The run's headline and one row per institution of its summary (start, serving, want out, exits, backlog)."""
    rows = "".join(
        f"<tr><td>{escape(name)}</td><td>{v['start']:,}</td><td>{v['serving']:,}</td>"
        f"<td>{v['want_out_share']:.1%}</td><td>{v['exits_total']:,}</td><td>{v['backlog']:,}</td></tr>"
        for name, v in result.summary["institutions"].items()
    )
    return (
        f"<div><b>Result of {escape(result.scenario.name)}</b>, seed {result.seed}, {result.days} days: "
        f"{escape(_headline(result.summary))}"
        "<table><tr><th>institution</th><th>start</th><th>serving</th><th>want out</th><th>exits</th>"
        f"<th>backlog</th></tr>{rows}</table>"
        f"<small>timeseries: {result.timeseries.height} rows x {result.timeseries.width} columns</small></div>"
    )
