"""Write the report: one self-contained HTML file (plots inlined as data URIs) and the plots as PNGs."""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from matplotlib.figure import Figure

from exitban._version import __version__
from exitban.atomic import atomic_write_bytes
from exitban.report.bands import COMPARE_METRICS, Bands, Seeds
from exitban.report.bands import bands as band_table
from exitban.report.differences import Differences
from exitban.report.figures import PLOTS, compare, has_band, readable, stamp
from exitban.report.figures import spread as _spread_figure
from exitban.report.framing import about, framing
from exitban.report.rundata import RunData
from exitban.report.text import plain_summary

DPI = 150
STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 1000px; margin: 2em auto;
       padding: 0 1em; color: #222; line-height: 1.45; }
h1 { margin-bottom: 0.1em; } .sub { color: #555; margin-top: 0; }
.brief { background: #f4f6f8; border-left: 4px solid #1f77b4; padding: 0.6em 1.2em; }
.what { background: #fff8e6; border-left: 4px solid #d08c00; padding: 0.4em 1.2em; font-size: 0.95em; }
.what p { margin: 0.35em 0; } .what p:first-child { font-weight: 600; }
table { border-collapse: collapse; font-size: 0.9em; margin: 1em 0; }
th, td { padding: 0.25em 0.7em; border-bottom: 1px solid #ddd; text-align: right; }
th:first-child, td:first-child { text-align: left; }
img.plot { width: 100%; height: auto; border: 1px solid #eee; }
.caption { color: #555; font-size: 0.9em; } footer { color: #777; font-size: 0.8em; margin-top: 3em; }
"""


# autoescape on every template: a run directory or scenario shared by someone else is data, and a
# `<script>` in its name or summary must show as text in a report that is mailed as one file
TEMPLATES = Environment(loader=PackageLoader("exitban.report", "templates"), autoescape=True, undefined=StrictUndefined)
INSTITUTION_HEAD = ["institution", "start", "serving", "want out", "would defend", "capacity/head", "backlog"]
INSTITUTION_HEAD += ["wait (y)", "threats", "cases"]


@dataclass(frozen=True)
class ReportFiles:
    html: Path
    pngs: dict[str, Path]


def png_bytes(fig: Figure, title: str = "", line: str = "") -> bytes:
    """The figure as PNG; with ``title`` and ``line`` both written into the image and its text chunks."""
    readable(fig)  # every exported axis in plain numbers: 12,000, never 1.2e4 or an offset
    if title:
        stamp(fig, title, line)
    meta = {"Title": title, "Description": line, "Software": f"exitban {__version__}"} if title else None
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata=meta)
    return buf.getvalue()


def stamp_line(run: RunData, seeds: Seeds | None = None, what: str = "") -> str:
    """'simulated — scenario, seed 1, scale 0.1, exitban 0.1.0' (and the runs behind any band)."""
    s = run.summary
    scale = float(s.get("scale", run.scenario.scale))
    size = "real size" if scale == 1 else f"scale {scale:g} (counts x {1 / scale:,.4g} for real size)"
    band = f"; bands over {len(seeds.runs)} runs" if seeds is not None and len(seeds.runs) > 1 else ""
    return f"simulated — {what or run.label}, seed {s['seed']}, {size}{band}, exitban {s.get('version', __version__)}"


def _institution_rows(run: RunData) -> list[list[str]]:
    return [
        [
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
        for name, v in run.institutions().items()
    ]


def _institution_note(scale: float) -> str:
    """The per-institution table's caption: its counts are the run's, at its scale."""
    if scale == 1:
        return "Per institution on the last day (counts: one run, real size; threats and cases: over the run)."
    return (
        f"Per institution on the last day, as simulated at {scale:g} of real size: multiply a count by "
        f"{1 / scale:,.4g} for real size (threats and cases: over the run)."
    )


def _compare_rows(b: Bands) -> list[list[str]]:
    final = b.final()
    rows = []
    for label in b.labels:
        cells = [label]
        for metric in COMPARE_METRICS:
            r = final.filter((pl.col("label") == label) & (pl.col("metric") == metric)).row(0, named=True)
            f = COMPARE_METRICS[metric].factor
            cells.append(f"{about(r['mean'] * f, 3)} [{about(r['lo'] * f, 3)}, {about(r['hi'] * f, 3)}]")
        rows.append(cells)
    return rows


def _difference_rows(d: Differences) -> list[list[str]]:
    """One row per compared scenario and metric: the mean difference, its 90% band, the variance's split."""
    rows = []
    for r in d.table.iter_rows(named=True):
        m = COMPARE_METRICS[r["metric"]]
        split = f"{r['from_parameters']:.0%} / {r['from_chance']:.0%}" if not math.isnan(r["from_parameters"]) else "-"
        band = f"[{about(r['band_low'], 3)}, {about(r['band_high'], 3)}]"
        rows.append([r["label"], f"{m.title} ({m.unit})", about(r["mean"], 3), band, split])
    return rows


def _differences_summary(d: Differences) -> str:
    """The written summary's paragraph on where a comparison's uncertainty comes from."""
    low, high = d.parameters_range()
    where = (
        f"the parameters make {low:.0%} to {high:.0%} of a band's variance, chance the rest"
        if not math.isnan(low)
        else "no band could be split"
    )
    return (
        f"The comparisons answer with their uncertainty: {d.draws} parameter sets drawn from the calibration's "
        f"posterior ({d.posterior}) x {d.seeds} seeds, the same in every scenario, so each difference from "
        f"{d.reference} is paired. Its 90% band on the last day is in the table of differences; {where}."
    )


def _section(name: str, title: str, outputs: str, caption: str, png: bytes) -> dict[str, str]:
    uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    return {"name": name, "title": title, "outputs": outputs, "caption": caption, "uri": uri}


PREDICTIVE = (
    "posterior predictive 5-95% band over {n} runs (parameters drawn from the calibration's posterior, one seed each)"
)


def _band_note(run: RunData, seeds: Seeds) -> str:
    """The caption's sentence for a plot with bands over seeds (or over posterior draws)."""
    numbers = seeds.seeds()
    if seeds.posterior:
        return (
            f"Lines: the run with seed {run.summary['seed']} and the scenario's own values; shaded around each: its "
            f"{PREDICTIVE.format(n=len(numbers))}. The line's run is one of them; the other {len(numbers) - 1} "
            f"draw their parameters from {seeds.posterior} (seeds {numbers[1]} to {numbers[-1]})."
        )
    return (
        f"Lines: the run with seed {run.summary['seed']}; shaded around each: its 5-95% band over "
        f"{len(numbers)} seeds (seeds {numbers[0]} to {numbers[-1]})."
    )


def _posterior_summary(seeds: Seeds) -> str:
    """The written summary's paragraph on what posterior predictive bands show."""
    n = len(seeds.runs)
    return (
        f"The shaded bands are posterior predictive: {n} runs, {n - 1} of them with parameters drawn by weight from "
        f"the calibration's posterior ({seeds.posterior}), each with a seed of its own. They show the spread that "
        "chance and what the calibration left uncertain make together; the figures in this summary are the one run's."
    )


def render_page(
    run: RunData,
    sections: list[dict[str, str]],
    bands: Bands | None = None,
    source: str = "",
    notes: Sequence[str] = (),
    seeds: Seeds | None = None,
    differences: Differences | None = None,
) -> str:
    """The report's HTML text: every value goes through the template's autoescaping; ``notes`` end the summary.

    It opens with what the figures are (``framing``); with ``seeds`` the summary's counts get their range.
    """
    sc, s = run.scenario, run.summary
    others = _other_summaries(run, seeds)
    return TEMPLATES.get_template("report.html").render(
        style=Markup(STYLE),  # our own constant, the one string that is not escaped
        name=sc.name,
        title=sc.title,
        period=sc.period,
        days=s["days"],
        seed=s["seed"],
        scale=f"{s.get('scale', sc.scale):g}",
        what=framing(sc, s, replications=1 + len(others)).lines(),
        brief=[*plain_summary(run, others), *notes],
        institution_head=INSTITUTION_HEAD,
        institution_note=_institution_note(float(s.get("scale", sc.scale))),
        institution_rows=_institution_rows(run),
        sections=sections,
        compare_head=[f"{m.title} ({m.unit})" for m in COMPARE_METRICS.values()],
        compare_rows=_compare_rows(bands) if bands is not None else [],
        difference_reference=differences.reference if differences is not None else "",
        difference_rows=_difference_rows(differences) if differences is not None else [],
        version=s.get("version", __version__),
        scenario_hash=s.get("scenario_hash", ""),
        source=source,
    )


def _other_summaries(run: RunData, seeds: Seeds | None) -> list[dict]:
    """The summaries of the run's replications other than the run itself (the first of ``seeds``)."""
    if seeds is None:
        return []
    rest = [r for r in seeds.runs if r is not run]
    if len(rest) == len(seeds.runs) and rest and rest[0].summary.get("seed") == run.summary.get("seed"):
        rest = rest[1:]  # the same run, read again
    return [r.summary for r in rest]


def write_report(
    run: RunData,
    out_html: str | Path,
    bands: Bands | None = None,
    source: str = "",
    seeds: Seeds | None = None,
    differences: Differences | None = None,
) -> ReportFiles:
    """Write ``out_html`` and its plots as PNGs in ``<stem>-plots/`` beside it; return the paths.

    ``bands`` sets scenarios side by side; ``seeds`` (replications of the run's scenario, the run
    among them) shades each line's 5-95% band over seeds and adds their spread as a plot; with
    ``seeds.posterior`` the band is posterior predictive, and the captions and summary say so.
    ``differences`` (the compared runs as posterior draws x seeds) adds each difference's 90% band
    and the split of its variance between the parameters and chance.
    """
    out = Path(out_html)
    if seeds is not None and len(seeds.runs) < 2:
        seeds = None  # one seed has no spread
    out.parent.mkdir(parents=True, exist_ok=True)
    png_dir = out.parent / f"{out.stem}-plots"
    png_dir.mkdir(exist_ok=True)
    images: dict[str, bytes] = {}
    sections = []
    for plot in PLOTS:
        fig = plot.draw(run, seeds)
        images[plot.name] = png_bytes(fig, plot.title, stamp_line(run, seeds if has_band(fig) else None))
        caption = (plot.draw.__doc__ or "").split(":", 1)[-1].strip()
        caption = caption[:1].upper() + caption[1:]
        if seeds is not None and has_band(fig):
            caption += f" {_band_note(run, seeds)}"
        sections.append(_section(plot.name, plot.title, plot.outputs, caption, images[plot.name]))
    if seeds is not None:
        over = "runs" if seeds.posterior else "seeds"
        spread_fig = _spread_figure(band_table([(run.label, list(seeds.runs))]), over)
        if seeds.posterior:
            title = "Posterior predictive spread"
            caption = (
                f"Lines: median over {len(seeds.runs)} runs; shaded: their "
                f"{PREDICTIVE.format(n=len(seeds.runs))}. The plots above show one run "
                f"(seed {run.summary['seed']}, the scenario's own values)."
            )
        else:
            title = "Spread over seeds"
            caption = (
                f"Lines: median over {len(seeds.runs)} replications (seeds); shaded: their 5-95% band. "
                f"The plots above show one run (seed {run.summary['seed']})."
            )
        images["spread"] = png_bytes(spread_fig, title, stamp_line(run, seeds))
        sections.append(_section("spread", title, "O1-O5, O2", caption, images["spread"]))
    if bands is not None:
        labels = " vs ".join(bands.labels)
        images["compare"] = png_bytes(
            compare(bands), "Scenarios side by side", stamp_line(run, what=f"{labels} (means over replications)")
        )
        reps = ", ".join(
            f"{label}: {bands.table.filter(pl.col('label') == label)['replications'][0]}" for label in bands.labels
        )
        caption = f"Lines: mean over replications (seeds); shaded: 5-95% band. Replications per scenario: {reps}."
        if differences is not None:
            caption = (
                f"Lines: mean over {differences.draws} parameter sets drawn from the calibration's posterior x "
                f"{differences.seeds} seeds, paired across the scenarios; shaded: their posterior predictive 5-95% "
                f"band. Runs per scenario: {reps}."
            )
        sections.append(_section("compare", "Scenarios side by side", "O1-O5, O2", caption, images["compare"]))
    for name in {"compare", "spread"} - images.keys():  # an earlier report's, of other runs
        (png_dir / f"{name}.png").unlink(missing_ok=True)
    notes = [_posterior_summary(seeds)] if seeds is not None and seeds.posterior else []
    if differences is not None:
        notes.append(_differences_summary(differences))
    page = render_page(run, sections, bands, source, notes, seeds, differences)
    pngs = {}
    for name, data in images.items():
        pngs[name] = png_dir / f"{name}.png"
        atomic_write_bytes(pngs[name], data)
    atomic_write_bytes(out, page.encode("utf-8"))
    return ReportFiles(out, pngs)
