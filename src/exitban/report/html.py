"""Write the report: one self-contained HTML file (plots inlined as data URIs) and the plots as PNGs."""

from __future__ import annotations

import base64
import io
import os
import tempfile
from dataclasses import dataclass
from html import escape
from pathlib import Path

import polars as pl
from matplotlib.figure import Figure

from exitban._version import __version__
from exitban.report.bands import COMPARE_METRICS, Bands
from exitban.report.figures import PLOTS, compare
from exitban.report.rundata import RunData
from exitban.report.text import plain_summary

DPI = 150
STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 1000px; margin: 2em auto;
       padding: 0 1em; color: #222; line-height: 1.45; }
h1 { margin-bottom: 0.1em; } .sub { color: #555; margin-top: 0; }
.brief { background: #f4f6f8; border-left: 4px solid #1f77b4; padding: 0.6em 1.2em; }
table { border-collapse: collapse; font-size: 0.9em; margin: 1em 0; }
th, td { padding: 0.25em 0.7em; border-bottom: 1px solid #ddd; text-align: right; }
th:first-child, td:first-child { text-align: left; }
img.plot { width: 100%; height: auto; border: 1px solid #eee; }
.caption { color: #555; font-size: 0.9em; } footer { color: #777; font-size: 0.8em; margin-top: 3em; }
"""


@dataclass(frozen=True)
class ReportFiles:
    html: Path
    pngs: dict[str, Path]


def png_bytes(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()


def _atomic_write(target: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _institution_table(run: RunData) -> str:
    head = ["institution", "start", "serving", "want out", "would defend", "capacity/head", "backlog", "wait (y)"]
    head += ["threats", "cases"]
    rows = []
    for name, v in run.institutions().items():
        cells = [
            name,
            f"{v['start']:,}",
            f"{v['serving']:,}",
            f"{v['want_out_share']:.1%}",
            f"{v['defend_share']:.1%}",
            f"{v['capacity_share']:.2f}",
            f"{v['backlog']:,}",
            f"{v['pending_wait_years']:.2f}",
            f"{v['threats']:,}",
            f"{v['cases_opened']:,}",
        ]
        rows.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>")
    return (
        '<table id="institutions"><tr>'
        + "".join(f"<th>{escape(h)}</th>" for h in head)
        + "</tr>"
        + "".join(rows)
        + "</table>"
    )


def _compare_table(b: Bands) -> str:
    final = b.final()
    head = "<tr><th>scenario</th>" + "".join(f"<th>{escape(t)}</th>" for t, _ in COMPARE_METRICS.values()) + "</tr>"
    rows = []
    for label in b.labels:
        cells = [f"<td>{escape(label)}</td>"]
        for metric in COMPARE_METRICS:
            r = final.filter((pl.col("label") == label) & (pl.col("metric") == metric)).row(0, named=True)
            cells.append(f"<td>{r['mean']:.3g} [{r['lo']:.3g}, {r['hi']:.3g}]</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return '<table id="compare-table">' + head + "".join(rows) + "</table>"


def _section(name: str, title: str, outputs: str, caption: str, png: bytes) -> str:
    uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    return (
        f'<section id="plot-{name}"><h2>{escape(title)} <small>({escape(outputs)})</small></h2>'
        f'<img class="plot" data-plot="{name}" alt="{escape(title)}" src="{uri}">'
        f'<p class="caption">{escape(caption)}</p></section>'
    )


def write_report(run: RunData, out_html: str | Path, bands: Bands | None = None, source: str = "") -> ReportFiles:
    """Write ``out_html`` and its plots as PNGs in ``<stem>-plots/`` beside it; return the paths."""
    out = Path(out_html)
    out.parent.mkdir(parents=True, exist_ok=True)
    png_dir = out.parent / f"{out.stem}-plots"
    png_dir.mkdir(exist_ok=True)
    images: dict[str, bytes] = {}
    sections = []
    for plot in PLOTS:
        images[plot.name] = png_bytes(plot.draw(run))
        caption = (plot.draw.__doc__ or "").split(":", 1)[-1].strip()
        caption = caption[:1].upper() + caption[1:]
        sections.append(_section(plot.name, plot.title, plot.outputs, caption, images[plot.name]))
    if bands is not None:
        images["compare"] = png_bytes(compare(bands))
        reps = ", ".join(
            f"{label}: {bands.table.filter(pl.col('label') == label)['replications'][0]}" for label in bands.labels
        )
        caption = f"Lines: mean over replications (seeds); shaded: 5-95% band. Replications per scenario: {reps}."
        sections.append(_section("compare", "Scenarios side by side", "O1-O5, O2", caption, images["compare"]))
        sections.append("<h3>Last day, mean [5%, 95%]</h3>" + _compare_table(bands))
    sc, s = run.scenario, run.summary
    brief = "".join(f"<p>{escape(p)}</p>" for p in plain_summary(run))
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>exitban report: {escape(sc.name)}</title><style>{STYLE}</style></head>
<body>
<h1>{escape(sc.title or sc.name)}</h1>
<p class="sub">{escape(sc.name)} · {escape(sc.period)} · {s["days"]} days · seed {s["seed"]} · scale {s.get("scale", sc.scale):g}</p>
<div class="brief" id="summary"><h2>In brief</h2>{brief}</div>
{_institution_table(run)}
{"".join(sections)}
<footer>exitban {escape(str(s.get("version", __version__)))} · scenario hash {escape(str(s.get("scenario_hash", "")))}
{(" · from " + escape(source)) if source else ""}</footer>
</body></html>
"""
    pngs = {}
    for name, data in images.items():
        pngs[name] = png_dir / f"{name}.png"
        _atomic_write(pngs[name], data)
    _atomic_write(out, page.encode("utf-8"))
    return ReportFiles(out, pngs)
