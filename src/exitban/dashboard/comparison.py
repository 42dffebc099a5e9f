"""The dashboard's side-by-side comparison (Bokeh): the current levers against the baseline scenario.

One panel per compared metric (``report.bands.COMPARE_METRICS``: shares in %, counts per 1,000 at the
start, so runs at different scales compare), each scenario's mean over its seeds as a line and its
5-95% band shaded, on calendar dates, with hover, zoom and pan like the dashboard's other plots.
"""

from __future__ import annotations

import datetime

import numpy as np
import polars as pl
from bokeh.layouts import gridplot
from bokeh.models import ColumnDataSource, GridPlot, HoverTool, NumeralTickFormatter, Range1d, Title
from bokeh.plotting import figure

from exitban.dashboard.live import BAND, STAMP, TOOLS
from exitban.report.bands import COMPARE_METRICS, Bands

PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b")
DASHES = ("solid", "dashed", "dotted", "dotdash")
COLUMNS = 3  # panels a row
PANEL_HEIGHT = 260


def comparison(bands: Bands, start: datetime.date, stamp: str) -> GridPlot:
    """The compared scenarios side by side, one Bokeh panel a metric.

    Parameters
    ----------
    bands
        The replications of each scenario summarised per day (``report.bands.bands``).
    start
        The calendar date of day 0 (the scenario's ``start``).
    stamp
        The line under every panel's title: simulated, scenario, seeds, version.

    Returns
    -------
    GridPlot
        The panels, ``COLUMNS`` a row, their x ranges linked (zooming one zooms them all).
    """
    panels: list[figure] = []
    epoch_ms = (np.datetime64(start, "D") - np.datetime64("1970-01-01", "D")).astype(np.int64) * 86_400_000.0
    for metric, m in COMPARE_METRICS.items():
        fig = figure(
            height=PANEL_HEIGHT,
            sizing_mode="stretch_width",
            x_axis_type="datetime",
            tools=TOOLS,
            active_scroll="wheel_zoom",
            title=m.title,
            name=f"compare-{metric}",
            **({"x_range": panels[0].x_range} if panels else {}),
        )
        fig.add_layout(Title(text=stamp, name=STAMP, text_font_size="8pt", text_font_style="normal"), "above")
        fig.yaxis.axis_label = m.unit
        fig.yaxis.formatter = NumeralTickFormatter(format="0,0.[0]")
        fig.xaxis.axis_label = "date"
        low, top = 0.0, 0.0
        for k, label in enumerate(bands.labels):
            rows = bands.table.filter((pl.col("label") == label) & (pl.col("metric") == metric)).sort("day")
            mean, lo, hi = (rows[c].to_numpy().astype(np.float64) * m.factor for c in ("mean", "lo", "hi"))
            date = epoch_ms + rows["day"].to_numpy().astype(np.float64) * 86_400_000.0
            source = ColumnDataSource({"date": date, "mean": mean, "lo": lo, "hi": hi, "label": [label] * len(date)})
            colour = PALETTE[k % len(PALETTE)]
            fig.varea("date", "lo", "hi", source=source, fill_color=colour, fill_alpha=0.2, name=BAND)
            line = fig.line("date", "mean", source=source, line_color=colour, line_width=2,
                            line_dash=DASHES[k % len(DASHES)], legend_label=label)  # fmt: skip
            fig.add_tools(
                HoverTool(
                    renderers=[line],
                    tooltips=[
                        ("", "@label"),
                        ("date", "@date{%d %b %Y}"),
                        ("mean", "@mean{0,0.[00]}"),
                        ("5-95%", "@lo{0,0.[00]} to @hi{0,0.[00]}"),
                    ],
                    formatters={"@date": "datetime"},
                    mode="vline",
                )
            )
            if len(hi):
                top = max(top, float(np.nanmax(hi)), float(np.nanmax(mean)))
                low = min(low, float(np.nanmin(lo)), float(np.nanmin(mean)))
        # zero-based, down to the data where it goes below 0 (a one-point wobble does not fill the panel);
        # a share is never drawn above 100%
        top = top * 1.05 or 1.0
        fig.y_range = Range1d(low * 1.05, min(100.0, top) if m.factor == 100 else top)
        fig.legend.location = "bottom_left"
        fig.legend.click_policy = "hide"
        fig.legend.label_text_font_size = "8pt"
        panels.append(fig)
    return gridplot(panels, ncols=COLUMNS, sizing_mode="stretch_width", merge_tools=True)
