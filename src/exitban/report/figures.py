"""The report's plots, drawn with matplotlib's object API (no pyplot state: safe in a web server).

Each plot function takes a ``RunData`` (and, optionally, the ``Seeds`` of its scenario, to shade
each line's 5-95% band over seeds) and returns a ``Figure``; ``PLOTS`` lists them in report order
with a title and the outputs (O1-O10) they show. The dashboard draws the same functions.
"""

from __future__ import annotations

import datetime
import functools
import math
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.ticker import Formatter, FuncFormatter, MaxNLocator, ScalarFormatter

from exitban.engine.codes import EXIT_CHANNELS
from exitban.report.bands import COMPARE_METRICS, HIGH, LOW, Bands, Seeds
from exitban.report.rundata import RunData, channels_used

WIDTH, HEIGHT = 9.0, 4.2
STAMP_WIDTH = 120  # characters of a stamp line at 10 pt across a WIDTH-inch figure
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


class Plain(Formatter):
    """Tick labels as a reader writes numbers: thousands separators, no offset or '1e6' above the axis, and
    the decimals the ticks' step needs (0.25 on a 0-1 axis, 2 and not 2.0 on a 0-4 one, 12,000 on a 0-60,000 one)."""

    def __call__(self, x: float, pos: int | None = None) -> str:
        locs = np.sort(np.asarray(self.axis.get_majorticklocs() if self.axis is not None else [x], dtype=np.float64))
        steps = np.diff(locs)
        step = float(steps[steps > 0].min()) if (steps > 0).any() else 1.0
        decimals = 0 if step >= 1 else min(6, -math.floor(math.log10(step) + 1e-9))
        text = f"{x:,.{decimals}f}"
        return "0" if text.lstrip("-").strip("0.,") == "" else text


def readable(fig: Figure) -> Figure:
    """Every axis of ``fig`` with matplotlib's default number labels gets ``Plain`` ones (names and log axes stay)."""
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if type(axis.get_major_formatter()) is ScalarFormatter:
                axis.set_major_formatter(Plain())
    return fig


def _readable(draw: Callable[..., Figure]) -> Callable[..., Figure]:
    @functools.wraps(draw)
    def drawn(*args: object, **kw: object) -> Figure:
        return readable(draw(*args, **kw))

    return drawn


def stamp(fig: Figure, title: str, line: str) -> Figure:
    """Write the title and a 'simulated — scenario, seed, version' line into the image itself, so a PNG
    copied out of the report still says what it shows."""
    fig.suptitle(f"{title}\n{textwrap.fill(line, STAMP_WIDTH)}", fontsize=10, x=0.01, ha="left", color="#222222")
    return fig


def _figure(ncols: int = 1, nrows: int = 1, height: float = HEIGHT) -> tuple[Figure, np.ndarray]:
    fig = Figure(figsize=(WIDTH, height), layout="constrained")
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False).ravel())
    return fig, axes


def _grid(n: int, max_cols: int, row_height: float, margin: float = 0.6) -> tuple[Figure, np.ndarray, int]:
    """Small multiples: ``n`` panels in rows of at most ``max_cols``; returns the figure, its ``n`` axes (the
    spare ones of the last row hidden) and the number of columns (``axes[::ncols]`` is the first column)."""
    ncols = min(max_cols, n)
    nrows = -(-n // ncols)
    fig, axes = _figure(ncols=ncols, nrows=nrows, height=row_height * nrows + margin)
    for ax in axes[n:]:
        ax.set_visible(False)
    return fig, axes[:n], ncols


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
    "threats": "#d62728",
    "families_pressured": "#ff7f0e",
    "cases": "#1f77b4",
}
LINESTYLES = ("-", "--", ":", "-.")  # compared scenarios differ in style as well as colour: none hides another
BAND = "seed-band"  # the gid of every 5-95% band over seeds, so that a figure can be asked whether it has one

Series = Callable[[pl.DataFrame], object]  # one daily series (array-like) from a table with a day column


def _line(
    ax: Axes, t: pl.DataFrame, value: Series, colour: str, seeds: Sequence[pl.DataFrame] | None = None, **kw: object
) -> None:
    """Plot ``value(t)`` by day, and its 5-95% band over the replications' tables when there are several."""
    ax.plot(t["day"].to_numpy(), value(t), color=colour, **kw)
    _band(ax, value, colour, seeds)


def _band(ax: Axes, value: Series, colour: str, seeds: Sequence[pl.DataFrame] | None, label: str = "") -> None:
    """Shade the 5-95% band of ``value`` over the replications' tables (nothing for fewer than two)."""
    if seeds is None or len(seeds) < 2:
        return
    days = min(f.height for f in seeds)
    stack = np.vstack([np.asarray(value(f), dtype=np.float64)[:days] for f in seeds])
    lo, hi = np.percentile(stack, [LOW, HIGH], axis=0)
    day = seeds[0]["day"].to_numpy()[:days]
    ax.fill_between(day, lo, hi, color=colour, alpha=0.25, lw=0, gid=BAND, label=label or None)


def has_band(fig: Figure) -> bool:
    """Whether any axis of ``fig`` shades a band over seeds."""
    return any(c.get_gid() == BAND for ax in fig.axes for c in ax.collections)


def headcount(run: RunData, seeds: Seeds | None = None) -> Figure:
    """O1: people kept in service against those who privately want out; the shares, small ones included, on their own axis."""
    t = run.totals
    over = seeds.totals if seeds else None
    fig, axes = _figure(ncols=2)
    day = t["day"].to_numpy()
    ax = axes[0]
    _line(ax, t, lambda f: f["headcount"], SERIES["serving"], over, lw=2, label="serving (headcount kept)")
    _line(ax, t, lambda f: f["want_out"], SERIES["want_out"], over, lw=2, label="privately want out")
    if over is None:
        ax.fill_between(day, 0, t["want_out"], color=SERIES["want_out"], alpha=0.15)
    ax.set_ylim(bottom=0)
    _style(ax, "people")
    ax.legend(loc="center right", fontsize=8)
    ax = axes[1]
    _line(ax, t, lambda f: f["want_out_share"] * 100, SERIES["want_out"], over, lw=2, label="privately want out")
    _line(
        ax,
        t,
        lambda f: f["displayed"] / f["headcount"].clip(1) * 100,
        SERIES["displayed"],
        over,
        lw=2,
        ls="--",
        label="openly show it",
    )
    ax.set_ylim(bottom=0)
    _style(ax, "% of those serving")
    ax.legend(fontsize=8)
    return fig


def exits(run: RunData, seeds: Seeds | None = None) -> Figure:
    """O4: cumulative exits by channel, each channel on its own axis so that small channels stay visible."""
    t = run.totals
    over = seeds.totals if seeds else None
    used = channels_used(run.summary)
    if seeds is not None:  # a channel another seed used gets its panel too (a flat line in this run)
        anywhere = {c for r in seeds.runs for c in channels_used(r.summary)}.union(used)
        used = [c for c in EXIT_CHANNELS if c in anywhere]
    if not used:
        fig, (ax,) = _figure()
        _no_data(ax, "nobody left during this run")
        return fig
    fig, axes, ncols = _grid(len(used) + 1, 3, 1.9)
    _exit_totals(axes[0], run, used, seeds)
    day = t["day"].to_numpy()
    for ax, c in zip(axes[1:], used, strict=False):
        total = np.cumsum(t[f"exits_{c}"].to_numpy())
        ax.plot(day, total, color=COLOURS[c], lw=2)
        if over is None:
            ax.fill_between(day, 0, total, color=COLOURS[c], alpha=0.2)
        _band(ax, lambda f, c=c: np.cumsum(f[f"exits_{c}"].to_numpy()), COLOURS[c], over)
        ax.set_title(f"{c.replace('_', ' ')}: {int(total[-1]):,}", fontsize=9)
        ax.set_ylim(bottom=0)
        _style(ax, "people (cumulative)" if ax in axes[::ncols] else "")
    return fig


TOTALS_TITLE = "all channels, one axis"


def _exit_totals(ax: Axes, run: RunData, used: list[str], seeds: Seeds | None) -> None:
    """The channels' totals as bars on one axis: how the panels beside it compare in size (their own axes
    make 325 approvals as tall as 52,843 contract ends); the 5-95% range over seeds as a whisker."""
    order = sorted(used, key=lambda c: run.summary["exits"].get(c, 0))
    totals = [run.summary["exits"].get(c, 0) for c in order]
    err = None
    if seeds is not None and len(seeds.runs) > 1:
        per = np.array([[r.summary["exits"].get(c, 0) for c in order] for r in seeds.runs], dtype=np.float64)
        lo, hi = np.percentile(per, [LOW, HIGH], axis=0)
        err = np.vstack([np.clip(totals - lo, 0, None), np.clip(hi - totals, 0, None)])
    y = np.arange(len(order))
    ax.barh(y, totals, xerr=err, color=[COLOURS[c] for c in order], capsize=2)
    ax.set_yticks(y, [c.replace("_", " ") for c in order], fontsize=7)
    for k, n in enumerate(totals):
        ax.text(n, k, f" {n:,}", va="center", fontsize=7)
    ax.set_xlim(0, max(max(totals), 1) * 1.3)
    ax.set_title(TOTALS_TITLE, fontsize=9)
    ax.grid(alpha=0.3, axis="x")
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_xlabel("people")


def institutions(run: RunData, seeds: Seeds | None = None) -> Figure:
    """O1, O2: each institution on its own: the shares who want out, show it and would defend the regime."""
    names = list(run.institutions())
    fig, axes, _ = _grid(len(names), 2, 2.3)
    for ax, name in zip(axes, names, strict=False):
        ts = run.timeseries.filter(pl.col("institution") == name).sort("day")
        over = seeds.institution(name) if seeds else None
        for column, series, ls, label in (
            ("want_out_share", "want_out", "-", "privately want out"),
            ("displayed_share", "displayed", "--", "openly show it"),
            ("defend_share", "defend", ":", "would defend the regime"),
        ):
            _line(ax, ts, lambda f, column=column: f[column] * 100, SERIES[series], over, lw=2, ls=ls, label=label)
        ax.set_title(f"{name} ({run.institutions()[name]['start']:,} at the start)", fontsize=9)
        ax.set_ylim(0, 100)
        _style(ax, "% of those serving")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=3, fontsize=8)
    return fig


QUEUES = {  # requests waiting, by queue: label and colour
    "backlog_unit": ("unit signature", "#1f77b4"),
    "backlog_ministry": ("ministry", "#ff7f0e"),
    "backlog_appeals": ("appeals (prosecutor)", "#2ca02c"),
    "backlog_travel": ("travel permits", "#d62728"),
}


def backlog(run: RunData, seeds: Seeds | None = None) -> Figure:
    """O5 and O8: requests waiting at the unit, at the ministry, appeals, travel permits, each queue on its own axis."""
    t = run.totals
    over = seeds.totals if seeds else None
    shown = [c for c in QUEUES if any(f[c].sum() > 0 for f in (t, *(over or ())))]
    if not shown:
        fig, (ax,) = _figure()
        _no_data(ax, "no request was waiting during this run")
        return fig
    fig, axes, ncols = _grid(len(shown), 2, 2.1)
    for ax, c in zip(axes, shown, strict=False):
        label, colour = QUEUES[c]
        _line(ax, t, lambda f, c=c: f[c], colour, over, lw=2)
        ax.set_title(f"{label}: {int(t[c][-1]):,} on the last day", fontsize=9)
        ax.set_ylim(bottom=0)
        _style(ax, "requests waiting" if ax in axes[::ncols] else "")
    return fig


def waits(run: RunData, seeds: Seeds | None = None) -> Figure:
    """O5: how long people waited: released by request, and still waiting on the last day."""
    del seeds  # a distribution on the last day: one run's, no band over seeds
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


def loyalty_fear(run: RunData, seeds: Seeds | None = None) -> Figure:
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
    t = run.totals
    _line(axes[2], t, lambda f: f["defend_share"] * 100, SERIES["defend"], seeds.totals if seeds else None, lw=2)
    axes[2].set_ylim(0, 100)
    _style(axes[2], "% who would defend the regime")
    return fig


def capacity(run: RunData, seeds: Seeds | None = None) -> Figure:
    """O3: competence-weighted work minus sabotage, in full-time equivalents, against headcount; the few sabotaging on their own axis."""
    t = run.totals
    over = seeds.totals if seeds else None
    fig, axes = _figure(ncols=2)
    day = t["day"].to_numpy()
    ax = axes[0]
    _line(ax, t, lambda f: f["headcount"], SERIES["serving"], over, lw=2, label="headcount")
    _line(
        ax,
        t,
        lambda f: f["capacity"],
        SERIES["capacity"],
        over,
        lw=2,
        label="effective capacity (full-time equivalents)",
    )
    if over is None:
        ax.fill_between(day, t["capacity"], t["headcount"], color="#7f7f7f", alpha=0.15, label="gap")
    ax.set_ylim(bottom=0)
    _style(ax, "people / equivalents")
    ax.legend(loc="lower right", fontsize=8)
    _line(axes[1], t, lambda f: f["sabotaging"], SERIES["sabotaging"], over, lw=2, label="sabotaging to get fired")
    axes[1].set_ylim(bottom=0)
    _style(axes[1], "people sabotaging to get fired")
    return fig


def pressure(run: RunData, seeds: Seeds | None = None) -> Figure:
    """O6: threats, families pressured and criminal cases, cumulative; and cases open."""
    t = run.totals
    over = seeds.totals if seeds else None
    fig, axes = _figure(ncols=2)
    for col, label, colour in (
        ("threats", "threats made", SERIES["threats"]),
        ("families_pressured", "families pressured", SERIES["families_pressured"]),
        ("cases_opened", "criminal cases opened", SERIES["cases"]),
    ):
        _line(axes[0], t, lambda f, col=col: np.cumsum(f[col].to_numpy()), colour, over, lw=2, label=label)
    _style(axes[0], "cumulative")
    axes[0].legend(fontsize=8)
    _line(axes[1], t, lambda f: f["cases_open"], SERIES["cases"], over, lw=2)
    _style(axes[1], "criminal cases open")
    return fig


def reported(run: RunData, seeds: Seeds | None = None) -> Figure:
    """O9: what the ministry reports against what is true."""
    t = run.totals
    over = seeds.totals if seeds else None
    fig, axes = _figure(ncols=2, nrows=2, height=5.6)
    pairs = (
        ("people at work", "reported_headcount", "true_present", False, "reported headcount", "actually at work"),
        ("wish to leave", "reported_want_out", "want_out", False, "reported", "privately want out"),
        ("complaints (cumulative)", "reported_complaints", "true_complaints", True, "reported", "filed"),
        ("threats (cumulative)", "reported_threats", "threats", True, "reported", "made"),
    )
    for ax, (title, rep, true, cumulative, rep_label, true_label) in zip(axes, pairs, strict=True):
        for col, colour, ls, label in ((true, "#d62728", "-", true_label), (rep, "#1f77b4", "--", rep_label)):
            value = (lambda f, col=col: np.cumsum(f[col].to_numpy())) if cumulative else (lambda f, col=col: f[col])
            _line(ax, t, value, colour, over, lw=2, ls=ls, label=label)
        ax.set_title(title, fontsize=10)
        ax.set_ylim(bottom=0)
        _style(ax)
        ax.legend(fontsize=8)
    return fig


def compare(bands: Bands) -> Figure:
    """Scenarios side by side: mean of the replications and their 5-95% band, per metric."""
    fig, axes = _figure(ncols=3, nrows=2, height=6.0)
    for ax, (metric, m) in zip(axes, COMPARE_METRICS.items(), strict=True):
        for k, label in enumerate(bands.labels):
            b = bands.table.filter((pl.col("label") == label) & (pl.col("metric") == metric)).sort("day")
            colour = f"C{k}"
            style = LINESTYLES[k % len(LINESTYLES)]
            mean, lo, hi = (b[c].to_numpy() * m.factor for c in ("mean", "lo", "hi"))
            ax.plot(b["day"], mean, color=colour, lw=2.5 - 0.4 * (k % 3), ls=style, label=label, zorder=3 + k)
            ax.fill_between(b["day"], lo, hi, color=colour, alpha=0.2, lw=0)
        _from_zero(ax, m.factor == 100)
        ax.set_title(m.title, fontsize=10)
        _style(ax, m.unit)
    handles, labels = axes[0].get_legend_handles_labels()
    legend = fig.legend(handles, labels, loc="outside lower center", ncols=min(3, len(labels)), fontsize=8)
    _plain_text(legend)
    return readable(fig)


def spread(bands: Bands, over: str = "seeds") -> Figure:
    """One scenario over seeds (or ``over`` other runs): the median of the replications and their 5-95% band, per metric."""
    fig, axes = _figure(ncols=3, nrows=2, height=6.0)
    label = bands.labels[0]
    for ax, (metric, m) in zip(axes, COMPARE_METRICS.items(), strict=True):
        b = bands.table.filter((pl.col("label") == label) & (pl.col("metric") == metric)).sort("day")
        lo, hi, median = (b[c].to_numpy() * m.factor for c in ("lo", "hi", "median"))
        ax.fill_between(b["day"], lo, hi, color="C0", alpha=0.2, lw=0, label=f"5-95% of {over}")
        ax.plot(b["day"], median, color="C0", lw=2, label=f"median over {over}")
        _from_zero(ax, m.factor == 100)
        ax.set_title(m.title, fontsize=10)
        _style(ax, m.unit)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=2, fontsize=8)
    return readable(fig)


def _from_zero(ax: Axes, percent: bool) -> None:
    """A zero-based axis (down to the data where it goes below 0): a one-point wobble no longer fills the panel."""
    lo, hi = ax.get_ylim()
    ax.set_ylim(min(0.0, lo), min(100.0, hi) if percent and hi <= 100 else hi)


def _plain_text(legend: Legend) -> None:
    """Show a legend's labels as written: a scenario named ``$x$`` or ``a$b`` is text, not mathtext."""
    for text in legend.get_texts():
        text.set_parse_math(False)


def calendar(fig: Figure, start: datetime.date) -> Figure:
    """Label every axis drawn by day with the calendar dates of those days (day 0 is the scenario's ``start``).

    The lines stay drawn by day; only the ticks read as dates: "Mar 2023", or "12 Mar" in a run of
    under four months.
    """

    def label(x: float, _pos: int, ax: Axes) -> str:
        date = start + datetime.timedelta(days=round(x))
        low, high = ax.get_xlim()
        return date.strftime("%b %Y" if high - low > 120 else "%d %b")

    for ax in fig.axes:
        if ax.get_xlabel() == "day":
            ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
            ax.xaxis.set_major_formatter(FuncFormatter(lambda x, pos, ax=ax: label(x, pos, ax)))
            ax.set_xlabel("date")
    return fig


def _dated(draw: Callable[..., Figure]) -> Callable[..., Figure]:
    """``draw`` with its day axes labelled by date, from the run's scenario."""

    def dated(run: RunData, seeds: Seeds | None = None) -> Figure:
        return calendar(draw(run, seeds), run.scenario.start)

    dated.__doc__ = draw.__doc__
    return dated


@dataclass(frozen=True)
class Plot:
    name: str
    title: str
    outputs: str
    draw: Callable[..., Figure]  # (run, seeds=None) -> Figure, its day axes labelled by date


# compare() and spread() keep days: the scenarios compared may start on different dates


def _dated_run_plot(name: str, title: str, outputs: str, draw: Callable[..., Figure]) -> Plot:
    """A plot of one run (or its seeds): day axes labelled by date, numbers plain (``_dated``, ``_readable``)."""
    return Plot(name, title, outputs, _readable(_dated(draw)))


PLOTS: tuple[Plot, ...] = (
    _dated_run_plot("headcount", "Headcount kept vs people who privately want out", "O1", headcount),
    _dated_run_plot(
        "institutions",
        "Each institution on its own: who wants out, shows it, would defend",
        "O1, O2",
        institutions,
    ),
    _dated_run_plot("exits", "Exits by channel over time, each on its own axis", "O4", exits),
    _dated_run_plot("backlog", "Request backlog, each queue on its own axis", "O5, O8", backlog),
    _dated_run_plot("waits", "Distribution of waiting times", "O5", waits),
    _dated_run_plot(
        "loyalty_fear",
        "Loyalty and fear, and the share who would defend the regime",
        "O2",
        loyalty_fear,
    ),
    _dated_run_plot("capacity", "Effective capacity vs headcount", "O3", capacity),
    _dated_run_plot("pressure", "Threats and prosecutions", "O6", pressure),
    _dated_run_plot("reported", "Reported vs true figures", "O9", reported),
)
