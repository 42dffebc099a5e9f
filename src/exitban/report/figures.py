"""The report's plots, drawn with matplotlib's object API (no pyplot state: safe in a web server).

Each plot function takes a ``RunData`` and returns a ``Figure``; ``PLOTS`` lists them in report
order with a title and the outputs (O1-O10) they show. The dashboard draws the same functions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import polars as pl
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.legend import Legend

from exitban.report.bands import COMPARE_METRICS, Bands
from exitban.report.rundata import RunData, channels_used

WIDTH, HEIGHT = 9.0, 4.2
COLOURS = {
    "approved": "#1f77b4",
    "health": "#2ca02c",
    "corruption": "#8c564b",
    "conviction": "#d62728",
    "payment": "#bcbd22",
    "absence": "#7f7f7f",
    "defection": "#9467bd",
    "court": "#17becf",
    "contract_end": "#aec7e8",
    "dismissed": "#ff7f0e",
    "demobilized": "#98df8a",
    "age_limit": "#c5b0d5",
    "killed": "#000000",
    "missing": "#c49c94",
    "wounded": "#f7b6d2",
    "transferred": "#dbdb8d",
}


def _figure(ncols: int = 1, nrows: int = 1, height: float = HEIGHT) -> tuple[Figure, np.ndarray]:
    fig = Figure(figsize=(WIDTH, height), layout="constrained")
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False).ravel())
    return fig, axes


def _style(ax: Axes, ylabel: str = "", xlabel: str = "day") -> None:
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)


def _no_data(ax: Axes, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", wrap=True, transform=ax.transAxes, color="#555555")
    ax.set_xticks([])
    ax.set_yticks([])


# One colour per series, the same in every plot, the report and the dashboard.
SERIES = {
    "serving": "#1f77b4",
    "want_out": "#d62728",
    "displayed": "#ff7f0e",
    "defend": "#2ca02c",
    "capacity": "#17becf",
    "sabotaging": "#8c564b",
}
LINESTYLES = ("-", "--", ":", "-.")  # compared scenarios differ in style as well as colour: none hides another


def headcount(run: RunData) -> Figure:
    """O1: people kept in service against those who privately want out; the shares, small ones included, on their own axis."""
    t = run.totals()
    fig, axes = _figure(ncols=2)
    day = t["day"].to_numpy()
    ax = axes[0]
    ax.plot(day, t["headcount"], color=SERIES["serving"], lw=2, label="serving (headcount kept)")
    ax.plot(day, t["want_out"], color=SERIES["want_out"], lw=2, label="privately want out")
    ax.fill_between(day, 0, t["want_out"], color=SERIES["want_out"], alpha=0.15)
    ax.set_ylim(bottom=0)
    _style(ax, "people")
    ax.legend(loc="center right", fontsize=8)
    ax = axes[1]
    ax.plot(day, t["want_out_share"] * 100, color=SERIES["want_out"], lw=2, label="privately want out")
    ax.plot(
        day,
        t["displayed"] / t["headcount"].clip(1) * 100,
        color=SERIES["displayed"],
        lw=2,
        ls="--",
        label="openly show it",
    )
    ax.set_ylim(bottom=0)
    _style(ax, "% of those serving")
    ax.legend(fontsize=8)
    return fig


def exits(run: RunData) -> Figure:
    """O4: cumulative exits by channel, each channel on its own axis so that small channels stay visible."""
    t = run.totals()
    used = channels_used(run.summary)
    if not used:
        fig, (ax,) = _figure()
        _no_data(ax, "nobody left during this run")
        return fig
    ncols = min(3, len(used))
    nrows = -(-len(used) // ncols)
    fig, axes = _figure(ncols=ncols, nrows=nrows, height=1.9 * nrows + 0.6)
    day = t["day"].to_numpy()
    for ax, c in zip(axes, used, strict=False):
        total = np.cumsum(t[f"exits_{c}"].to_numpy())
        ax.plot(day, total, color=COLOURS[c], lw=2)
        ax.fill_between(day, 0, total, color=COLOURS[c], alpha=0.2)
        ax.set_title(f"{c.replace('_', ' ')}: {int(total[-1]):,}", fontsize=9)
        ax.set_ylim(bottom=0)
        _style(ax, "people (cumulative)" if ax in axes[::ncols] else "")
    for ax in axes[len(used) :]:
        ax.set_visible(False)
    return fig


def institutions(run: RunData) -> Figure:
    """O1, O2: each institution on its own: the shares who want out, show it and would defend the regime."""
    names = list(run.institutions())
    ncols = min(2, len(names))
    nrows = -(-len(names) // ncols)
    fig, axes = _figure(ncols=ncols, nrows=nrows, height=2.3 * nrows + 0.6)
    for ax, name in zip(axes, names, strict=False):
        ts = run.timeseries.filter(pl.col("institution") == name).sort("day")
        day = ts["day"].to_numpy()
        ax.plot(day, ts["want_out_share"] * 100, color=SERIES["want_out"], lw=2, label="privately want out")
        ax.plot(day, ts["displayed_share"] * 100, color=SERIES["displayed"], lw=2, ls="--", label="openly show it")
        ax.plot(day, ts["defend_share"] * 100, color=SERIES["defend"], lw=2, ls=":", label="would defend the regime")
        ax.set_title(f"{name} ({run.institutions()[name]['start']:,} at the start)", fontsize=9)
        ax.set_ylim(0, 100)
        _style(ax, "% of those serving")
    for ax in axes[len(names) :]:
        ax.set_visible(False)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=3, fontsize=8)
    return fig


def backlog(run: RunData) -> Figure:
    """O5 and O8: requests waiting at the unit, at the ministry, appeals, travel permits."""
    t = run.totals()
    fig, (ax,) = _figure()
    day = t["day"].to_numpy()
    parts = {
        "unit signature": "backlog_unit",
        "ministry": "backlog_ministry",
        "appeals (prosecutor)": "backlog_appeals",
        "travel permits": "backlog_travel",
    }
    shown = {k: c for k, c in parts.items() if t[c].sum() > 0}
    if not shown:
        _no_data(ax, "no request was waiting during this run")
        return fig
    ax.stackplot(day, [t[c].to_numpy() for c in shown.values()], labels=list(shown), alpha=0.8)
    _style(ax, "requests waiting")
    ax.legend(loc="upper left", fontsize=8)
    return fig


def waits(run: RunData) -> Figure:
    """O5: how long people waited: released by request, and still waiting on the last day."""
    fig, (ax,) = _figure()
    released = run.histogram("wait_released_years")
    pending = run.histogram("wait_pending_years")
    if released is None or pending is None:
        _no_data(ax, "this run directory has no histograms.parquet (written by an older exitban); re-run it")
        return fig
    if released["count"].sum() + pending["count"].sum() == 0:
        _no_data(ax, "nobody filed a resignation request that was released or still pending")
        return fig
    for h, colour, label in ((pending, "#d62728", "still waiting"), (released, "#1f77b4", "released by request")):
        lo, hi = h["bin_lo"].to_numpy(), h["bin_hi"].to_numpy()
        ax.bar(lo, h["count"].to_numpy(), width=hi - lo, align="edge", alpha=0.6, color=colour, label=label)
    _style(ax, "people", "years since the first resignation request")
    ax.legend()
    return fig


def loyalty_fear(run: RunData) -> Figure:
    """O2: final loyalty and fear of those serving, and the share who would defend the regime."""
    fig, axes = _figure(ncols=3)
    cutoff = run.scenario.outputs.defend_cutoff
    for ax, quantity, colour in ((axes[0], "loyalty", "#2ca02c"), (axes[1], "fear", "#9467bd")):
        h = run.histogram(quantity)
        if h is None:
            _no_data(ax, "no histograms.parquet:\nre-run to see this")
            ax.set_title(quantity)
            continue
        lo, hi = h["bin_lo"].to_numpy(), h["bin_hi"].to_numpy()
        ax.bar(lo, h["count"].to_numpy(), width=hi - lo, align="edge", color=colour, alpha=0.8)
        if quantity == "loyalty":
            ax.axvline(cutoff, color="black", ls="--", lw=1)
            ax.text(cutoff, ax.get_ylim()[1] * 0.95, " would defend →", fontsize=8, va="top")
            _style(ax, "people serving", "loyalty (last day)")
        else:
            ax.set_yscale("log")  # fear fades: most are near zero, the frightened few are the tail
            _style(ax, "people serving (log scale)", "fear (last day)")
    t = run.totals()
    axes[2].plot(t["day"], t["defend_share"] * 100, color="#2ca02c", lw=2)
    axes[2].set_ylim(0, 100)
    _style(axes[2], "% who would defend the regime")
    return fig


def capacity(run: RunData) -> Figure:
    """O3: competence-weighted work minus sabotage, in full-time equivalents, against headcount."""
    t = run.totals()
    fig, (ax,) = _figure()
    day = t["day"].to_numpy()
    ax.plot(day, t["headcount"], color="#1f77b4", lw=2, label="headcount")
    ax.plot(day, t["capacity"], color="#2ca02c", lw=2, label="effective capacity (full-time equivalents)")
    ax.fill_between(day, t["capacity"], t["headcount"], color="#7f7f7f", alpha=0.15, label="gap")
    ax.plot(day, t["sabotaging"], color="#ff7f0e", lw=1.5, ls="--", label="sabotaging to get fired")
    ax.set_ylim(bottom=0)
    _style(ax, "people / equivalents")
    ax.legend(loc="center right", fontsize=8)
    return fig


def pressure(run: RunData) -> Figure:
    """O6: threats, families pressured and criminal cases, cumulative; and cases open."""
    t = run.totals()
    fig, axes = _figure(ncols=2)
    day = t["day"].to_numpy()
    for col, label, colour in (
        ("threats", "threats made", "#d62728"),
        ("families_pressured", "families pressured", "#ff7f0e"),
        ("cases_opened", "criminal cases opened", "#1f77b4"),
    ):
        axes[0].plot(day, np.cumsum(t[col].to_numpy()), color=colour, lw=2, label=label)
    _style(axes[0], "cumulative")
    axes[0].legend(fontsize=8)
    axes[1].plot(day, t["cases_open"], color="#1f77b4", lw=2)
    _style(axes[1], "criminal cases open")
    return fig


def reported(run: RunData) -> Figure:
    """O9: what the ministry reports against what is true."""
    t = run.totals()
    fig, axes = _figure(ncols=2, nrows=2, height=5.6)
    day = t["day"].to_numpy()
    cum = np.cumsum
    pairs = (
        ("people at work", t["reported_headcount"], t["true_present"], "reported headcount", "actually at work"),
        ("wish to leave", t["reported_want_out"], t["want_out"], "reported", "privately want out"),
        ("complaints (cumulative)", cum(t["reported_complaints"]), cum(t["true_complaints"]), "reported", "filed"),
        ("threats (cumulative)", cum(t["reported_threats"]), cum(t["threats"]), "reported", "made"),
    )
    for ax, (title, rep, true, rep_label, true_label) in zip(axes, pairs, strict=True):
        ax.plot(day, true, color="#d62728", lw=2, label=true_label)
        ax.plot(day, rep, color="#1f77b4", lw=2, ls="--", label=rep_label)
        ax.set_title(title, fontsize=10)
        ax.set_ylim(bottom=0)
        _style(ax)
        ax.legend(fontsize=8)
    return fig


def compare(bands: Bands) -> Figure:
    """Scenarios side by side: mean of the replications and their 5-95% band, per metric."""
    fig, axes = _figure(ncols=3, nrows=2, height=6.0)
    for ax, (metric, (title, unit)) in zip(axes, COMPARE_METRICS.items(), strict=True):
        for k, label in enumerate(bands.labels):
            b = bands.table.filter((pl.col("label") == label) & (pl.col("metric") == metric)).sort("day")
            colour = f"C{k}"
            style = LINESTYLES[k % len(LINESTYLES)]
            ax.plot(b["day"], b["mean"], color=colour, lw=2.5 - 0.4 * (k % 3), ls=style, label=label, zorder=3 + k)
            ax.fill_between(b["day"], b["lo"], b["hi"], color=colour, alpha=0.2, lw=0)
        ax.set_title(title, fontsize=10)
        _style(ax, unit)
    handles, labels = axes[0].get_legend_handles_labels()
    legend = fig.legend(handles, labels, loc="outside lower center", ncols=min(3, len(labels)), fontsize=8)
    _plain_text(legend)
    return fig


def spread(bands: Bands) -> Figure:
    """One scenario over seeds: the median of the replications and their 5-95% band, per metric."""
    fig, axes = _figure(ncols=3, nrows=2, height=6.0)
    label = bands.labels[0]
    for ax, (metric, (title, unit)) in zip(axes, COMPARE_METRICS.items(), strict=True):
        b = bands.table.filter((pl.col("label") == label) & (pl.col("metric") == metric)).sort("day")
        ax.fill_between(b["day"], b["lo"], b["hi"], color="C0", alpha=0.2, lw=0, label="5-95% of seeds")
        ax.plot(b["day"], b["median"], color="C0", lw=2, label="median over seeds")
        ax.set_title(title, fontsize=10)
        _style(ax, unit)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=2, fontsize=8)
    return fig


def _plain_text(legend: Legend) -> None:
    """Show a legend's labels as written: a scenario named ``$x$`` or ``a$b`` is text, not mathtext."""
    for text in legend.get_texts():
        text.set_parse_math(False)


@dataclass(frozen=True)
class Plot:
    name: str
    title: str
    outputs: str
    draw: Callable[[RunData], Figure]


PLOTS: tuple[Plot, ...] = (
    Plot("headcount", "Headcount kept vs people who privately want out", "O1", headcount),
    Plot("institutions", "Each institution on its own: who wants out, shows it, would defend", "O1, O2", institutions),
    Plot("exits", "Exits by channel over time, each on its own axis", "O4", exits),
    Plot("backlog", "Request backlog", "O5, O8", backlog),
    Plot("waits", "Distribution of waiting times", "O5", waits),
    Plot("loyalty_fear", "Loyalty and fear, and the share who would defend the regime", "O2", loyalty_fear),
    Plot("capacity", "Effective capacity vs headcount", "O3", capacity),
    Plot("pressure", "Threats and prosecutions", "O6", pressure),
    Plot("reported", "Reported vs true figures", "O9", reported),
)
