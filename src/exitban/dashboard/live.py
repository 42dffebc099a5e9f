"""The dashboard's interactive plots (Bokeh): hover, zoom and pan, counts at real size, filled as the run goes.

Each ``LivePlot`` is a Bokeh figure over one ``ColumnDataSource`` of daily totals: the dashboard
streams the days in as the engine runs them and sets the whole table once the run ends. Counts are
divided by the run's scale (a run at 0.01 of real size shows 100 times its own count, and says so);
shares are in % of those serving. The distributions on the last day (waiting times, loyalty, fear)
are ``LiveHistogram`` figures, drawn once the run has ended.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl
from bokeh.models import ColumnDataSource, HoverTool, Legend, LegendItem, NumeralTickFormatter, Range1d, Title
from bokeh.plotting import figure

from exitban.engine.codes import EXIT_CHANNELS
from exitban.report.bands import HIGH, LOW
from exitban.report.figures import COLOURS, QUEUES, SERIES

TOOLS = "pan,wheel_zoom,box_zoom,reset,save"
HEIGHT = 400  # the plot area stays readable under the title, the stamp, the axis labels and the legend
STAMP = "stamp"  # the line under each title: simulated, scenario, seed, version, scale (a saved PNG keeps it)
BAND = "seed-band"  # the name of every 5-95% band glyph, so that a figure can be asked whether it shows one
PEOPLE, PERCENT = "people", "percent"


@dataclass(frozen=True)
class Line:
    key: str  # the source's column
    label: str
    colour: str
    value: Callable[[pl.DataFrame], np.ndarray]  # the run's daily totals -> the simulated series
    dash: str = "solid"


def _col(name: str) -> Callable[[pl.DataFrame], np.ndarray]:
    return lambda t: t[name].to_numpy().astype(np.float64)


def _cum(name: str) -> Callable[[pl.DataFrame], np.ndarray]:
    return lambda t: np.cumsum(t[name].to_numpy().astype(np.float64))


def _pct(name: str) -> Callable[[pl.DataFrame], np.ndarray]:
    return lambda t: t[name].to_numpy().astype(np.float64) * 100


def _displayed_pct(t: pl.DataFrame) -> np.ndarray:
    return t["displayed"].to_numpy() / np.clip(t["headcount"].to_numpy(), 1, None) * 100


@dataclass(frozen=True)
class LivePlot:
    name: str
    title: str
    outputs: str  # the outputs (O1-O10) it shows
    unit: str  # PEOPLE: counts, shown at real size; PERCENT: % of those serving
    axis: str  # the y axis's words
    lines: tuple[Line, ...]

    def figure(self) -> tuple[figure, ColumnDataSource]:
        """A new figure and its (empty) source: a line, a hover tool and a seed band for each series."""
        source = ColumnDataSource(empty(self))
        fig = figure(
            height=HEIGHT,
            sizing_mode="stretch_width",
            x_axis_type="datetime",
            tools=TOOLS,
            active_scroll="wheel_zoom",
            title=f"{self.title} ({self.outputs})",
            name=f"plot-{self.name}",
        )
        fig.add_layout(Title(text="simulated", name=STAMP, text_font_size="9pt", text_font_style="normal"), "above")
        fig.yaxis.axis_label = self.axis
        fig.yaxis.formatter = NumeralTickFormatter(format="0,0" if self.unit == PEOPLE else "0.[0]")
        fig.xaxis.axis_label = "date"
        fig.title.text_font_size = "12pt"
        fig.axis.major_label_text_font_size = "10pt"
        fig.axis.axis_label_text_font_size = "10pt"
        if self.unit == PERCENT:
            fig.y_range = Range1d(0, 100)
        else:
            fig.y_range.start = 0  # zero-based: a small change does not fill the panel
        items = []
        suffix = "" if self.unit == PEOPLE else " %"
        for line in self.lines:
            fig.varea("date", f"{line.key}_lo", f"{line.key}_hi", source=source, fill_color=line.colour,
                             fill_alpha=0.25, name=BAND, visible=False)  # fmt: skip
            r = fig.line("date", line.key, source=source, line_color=line.colour, line_width=2,
                         line_dash=line.dash, name=line.key)  # fmt: skip
            fig.add_tools(
                HoverTool(
                    renderers=[r],
                    tooltips=[("date", "@date{%d %b %Y}"), (line.label, f"@{{{line.key}}}{{0,0.[0]}}{suffix}")],
                    formatters={"@date": "datetime"},
                    mode="vline",
                    description=f"Hover: {line.label}",
                )
            )
            items.append(LegendItem(label=line.label, renderers=[r]))  # a hidden band must not grey it
        fig.add_layout(
            Legend(items=items, click_policy="hide", label_text_font_size="9pt", ncols=2, orientation="horizontal"),
            "below",
        )
        fig.toolbar.autohide = False
        return fig, source


def _exit_lines() -> tuple[Line, ...]:
    return tuple(
        Line(f"exits_{c}", c.replace("_", " "), COLOURS.get(c, "#333333"), _cum(f"exits_{c}")) for c in EXIT_CHANNELS
    )


LIVE_PLOTS: tuple[LivePlot, ...] = (
    LivePlot("headcount", "Serving vs privately wanting out", "O1", PEOPLE, "people at real size", (
        Line("headcount", "serving (headcount kept)", SERIES["serving"], _col("headcount")),
        Line("want_out", "privately want out", SERIES["want_out"], _col("want_out")),
    )),
    LivePlot("institutions", "Who wants out, shows it, would defend the regime", "O1, O2", PERCENT,
             "% of those serving", (
        Line("want_out_share", "privately want out", SERIES["want_out"], _pct("want_out_share")),
        Line("displayed_share", "openly show it", SERIES["displayed"], _displayed_pct, "dashed"),
        Line("defend_share", "would defend the regime", SERIES["defend"], _pct("defend_share"), "dotted"),
    )),
    LivePlot("exits", "Exits by channel, cumulative, one axis (click a name to hide it)", "O4", PEOPLE,
             "people at real size (cumulative)", _exit_lines()),
    LivePlot("backlog", "Requests waiting, by queue", "O5, O8", PEOPLE, "requests at real size", tuple(
        Line(c, label, colour, _col(c)) for c, (label, colour) in QUEUES.items()
    )),
    LivePlot("capacity", "Effective capacity vs headcount", "O3", PEOPLE, "people / full-time equivalents at real size", (
        Line("headcount", "headcount", SERIES["serving"], _col("headcount")),
        Line("capacity", "effective capacity (full-time equivalents)", SERIES["capacity"], _col("capacity")),
        Line("sabotaging", "sabotaging to get fired", SERIES["sabotaging"], _col("sabotaging"), "dashed"),
    )),
    LivePlot("pressure", "Threats and prosecutions, cumulative; cases open", "O6", PEOPLE, "at real size", (
        Line("threats", "threats made", SERIES["threats"], _cum("threats")),
        Line("families_pressured", "families pressured", SERIES["families_pressured"], _cum("families_pressured")),
        Line("cases_opened", "criminal cases opened", SERIES["cases"], _cum("cases_opened")),
        Line("cases_open", "criminal cases open", "#9467bd", _col("cases_open"), "dashed"),
    )),
    LivePlot("reported", "Reported vs true figures", "O9", PEOPLE, "people at real size", (
        Line("true_present", "actually at work", "#d62728", _col("true_present")),
        Line("reported_headcount", "reported headcount", "#1f77b4", _col("reported_headcount"), "dashed"),
        Line("want_out_r", "privately want out", "#ff7f0e", _col("want_out")),
        Line("reported_want_out", "reported as wanting out", "#2ca02c", _col("reported_want_out"), "dashed"),
    )),
)  # fmt: skip


def empty(plot: LivePlot) -> dict[str, list]:
    cols: dict[str, list] = {"date": [], "day": []}
    for line in plot.lines:
        cols |= {line.key: [], f"{line.key}_lo": [], f"{line.key}_hi": []}
    return cols


def columns(plot: LivePlot, totals: pl.DataFrame, scale: float, seeds: Sequence[pl.DataFrame] | None = None) -> dict:
    """The source's columns for ``totals`` (one row a day): counts at real size, shares in %; with ``seeds``
    (the totals of several runs), each line's 5-95% band over them, else no band (NaN)."""
    factor = 1.0 / scale if plot.unit == PEOPLE else 1.0
    n = totals.height
    start = np.datetime64("1970-01-01", "D")
    dates = totals["date"].to_numpy().astype("datetime64[D]")
    cols: dict[str, np.ndarray] = {
        "date": (dates - start).astype(np.int64) * 86_400_000.0,  # ms since the epoch: Bokeh's datetime
        "day": totals["day"].to_numpy().astype(np.int64),
    }
    for line in plot.lines:
        cols[line.key] = line.value(totals) * factor
        lo = hi = np.full(n, np.nan)
        if seeds is not None and len(seeds) > 1:
            days = min(n, *(f.height for f in seeds))
            stack = np.vstack([line.value(f)[:days] * factor for f in seeds])
            lo, hi = (np.concatenate([b, np.full(n - days, np.nan)]) for b in np.percentile(stack, [LOW, HIGH], axis=0))
        cols[f"{line.key}_lo"], cols[f"{line.key}_hi"] = lo, hi
    return cols


def stamp(fig: figure, text: str) -> None:
    """Write what the figure shows (simulated, scenario, seed, version, scale) under its title."""
    for t in fig.select(name=STAMP):
        t.text = text


def show_bands(fig: figure, shown: bool) -> None:
    for r in fig.select(name=BAND):
        r.visible = shown


def has_band(fig: figure) -> bool:
    """Whether ``fig`` shows a 5-95% band over seeds."""
    return any(r.visible for r in fig.select(name=BAND))


def show_used(plot: LivePlot, fig: figure, items: Sequence[LegendItem], cols: dict) -> None:
    """Exit channels nobody used so far are left out of the plot and its legend (16 channels, most empty).

    ``items`` are the figure's legend items as made, one a line (the legend's own list changes here)."""
    if plot.name != "exits":
        return
    used = []
    for line, item in zip(plot.lines, items, strict=True):
        on = len(cols[line.key]) > 0 and float(np.nanmax(cols[line.key])) > 0
        item.renderers[0].visible = on  # the line; its band follows show_bands
        if on:
            used.append(item)
    fig.legend[0].items = used


@dataclass(frozen=True)
class LiveHistogram:
    name: str
    title: str
    outputs: str
    quantities: tuple[tuple[str, str, str], ...]  # (histogram quantity, label, colour)
    axis: str  # the x axis's words
    log: bool = False

    def figure(self) -> tuple[figure, ColumnDataSource]:
        source = ColumnDataSource({"lo": [], "hi": [], "count": [], "colour": [], "label": []})
        fig = figure(height=HEIGHT, sizing_mode="stretch_width", tools=TOOLS, title=f"{self.title} ({self.outputs})",
                     name=f"plot-{self.name}", y_axis_type="log" if self.log else "linear")  # fmt: skip
        fig.add_layout(Title(text="simulated", name=STAMP, text_font_size="9pt", text_font_style="normal"), "above")
        r = fig.quad(left="lo", right="hi", bottom=0.5 if self.log else 0, top="count", source=source,
                     fill_color="colour", fill_alpha=0.6, line_color=None, legend_field="label")  # fmt: skip
        fig.add_tools(HoverTool(renderers=[r], tooltips=[("", "@label"), (self.axis, "@lo{0.[00]} to @hi{0.[00]}"),
                                                         ("people at real size", "@count{0,0}")]))  # fmt: skip
        fig.xaxis.axis_label = self.axis
        fig.yaxis.axis_label = "people at real size" + (" (log scale)" if self.log else "")
        fig.yaxis.formatter = NumeralTickFormatter(format="0,0")
        fig.title.text_font_size = "12pt"
        return fig, source

    def columns(self, histogram: Callable[[str], pl.DataFrame | None], scale: float) -> dict:
        cols: dict[str, list] = {"lo": [], "hi": [], "count": [], "colour": [], "label": []}
        for quantity, label, colour in self.quantities:
            h = histogram(quantity)
            if h is None:
                continue
            counts = h["count"].to_numpy() / scale
            keep = counts > 0
            cols["lo"] += h["bin_lo"].to_numpy()[keep].tolist()
            cols["hi"] += h["bin_hi"].to_numpy()[keep].tolist()
            cols["count"] += counts[keep].tolist()
            cols["colour"] += [colour] * int(keep.sum())
            cols["label"] += [label] * int(keep.sum())
        return cols


LIVE_HISTOGRAMS: tuple[LiveHistogram, ...] = (
    LiveHistogram("waits", "How long people waited (last day)", "O5", (
        ("wait_pending_years", "still waiting", "#d62728"),
        ("wait_released_years", "released by request", "#1f77b4"),
    ), "years since the first resignation request"),
    LiveHistogram("loyalty", "Loyalty of those serving (last day)", "O2", (("loyalty", "loyalty", "#2ca02c"),),
                  "loyalty (0 to 1)"),
    LiveHistogram("fear", "Fear of those serving (last day)", "O2", (("fear", "fear", "#9467bd"),),
                  "fear (0 to 1)", log=True),
)  # fmt: skip
