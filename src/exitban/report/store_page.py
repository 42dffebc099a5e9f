"""Write the report of a sweep or comparison store: one self-contained HTML file, its plots also as PNGs."""

from __future__ import annotations

from html import escape
from pathlib import Path

import polars as pl

from exitban._version import __version__
from exitban.atomic import atomic_write_bytes
from exitban.errors import ExitbanError
from exitban.report.figures import compare
from exitban.report.html import STYLE, TEMPLATES, png_bytes
from exitban.report.html import _section as _section_fields
from exitban.report.store import (
    StoreData,
    compare_bands,
    compare_means,
    response_curves,
    response_surfaces,
    sensitivity_bars,
)

# a plot's section as in the run report's template (tests/unit/test_report_escaping.py), autoescaped
SECTION = TEMPLATES.from_string(
    '<section id="plot-{{ s.name }}"><h2>{{ s.title }} <small>({{ s.outputs }})</small></h2>'
    '<img class="plot" data-plot="{{ s.name }}" alt="{{ s.title }}" src="{{ s.uri }}">'
    '<p class="caption">{{ s.caption }}</p></section>'
)


def _section(name: str, title: str, outputs: str, caption: str, png: bytes) -> str:
    """A plot with its title, outputs and caption, as HTML (every text escaped)."""
    return SECTION.render(s=_section_fields(name, title, outputs, caption, png))


def _table(head: list[str], rows: list[list[str]], ident: str) -> str:
    cells = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table id="{ident}"><tr>{cells}</tr>{body}</table>'


def _sensitivity_table(data: StoreData, outputs: list[str]) -> pl.DataFrame | None:
    """The store's sensitivity.parquet, or the indices computed now for a sobol/morris sweep without one."""
    stored = data.table("sensitivity")
    if stored is not None:
        return stored
    if data.spec.get("design") not in ("sobol", "morris"):
        return None
    from exitban.sweep.sensitivity import analyze_runs
    from exitban.sweep.spec import SweepSpec

    return analyze_runs(SweepSpec.model_validate(data.spec), data.runs, outputs)


def _discovery_section(
    data: StoreData, outcome: str, threshold: float | None, below: bool, line: str = ""
) -> tuple[str, bytes | None]:
    from exitban.report.discovery import discover, discovery_figure

    try:
        d = discover(data.runs, data.parameters, outcome, threshold, above=not below)
    except ExitbanError as exc:  # no scikit-learn, or nothing numeric to split on: say so in the report
        return f'<section id="discovery"><h2>Scenario discovery</h2><p>{escape(str(exc))}</p></section>', None
    sign = "≤" if below else "≥"
    intro = (
        f"Cases of interest: runs with {d.outcome} {sign} {d.threshold:.4g} "
        f"({d.interesting} of {d.total} runs{'' if threshold is not None else ', the top quarter' if not below else ', the bottom quarter'}). "
        "A decision tree over the swept parameters (at most three conditions) finds the boxes where they are the "
        "majority. Coverage: share of all cases of interest inside the box; density: share of the box's runs that "
        "are cases of interest."
    )
    rows = [
        [f"box {k + 1}", b.describe(), f"{b.runs:,}", f"{b.coverage:.0%}", f"{b.density:.0%}"]
        for k, b in enumerate(d.boxes)
    ]
    table = (
        _table(["box", "parameter ranges", "runs", "coverage", "density"], rows, "discovery-boxes")
        if rows
        else "<p>No box: the cases of interest are not the majority anywhere the tree can split.</p>"
    )
    ranking = ", ".join(f"{p} {v:.2f}" for p, v in sorted(d.importance.items(), key=lambda kv: -kv[1]))
    png = png_bytes(discovery_figure(d), "Where the outcome happens", line)
    figure = _section(
        "discovery",
        "Where the outcome happens",
        d.outcome,
        "Each dot a run (jittered), on the two parameters that separate best; boxes outlined.",
        png,
    )
    html = (
        f'<section id="discovery-text"><h2>Scenario discovery: {escape(d.outcome)}</h2><p>{escape(intro)}</p>'
        f'{table}<p class="caption">Parameter importance (tree): {escape(ranking)}</p></section>{figure}'
    )
    return html, png


def write_store_report(
    data: StoreData,
    out_html: str | Path,
    outcome: str | None = None,
    threshold: float | None = None,
    below: bool = False,
) -> Path:
    """Write ``out_html`` (and ``<stem>-plots/*.png``) for a sweep or comparison store; return its path."""
    out = Path(out_html)
    images: dict[str, bytes] = {}
    sections: list[str] = []
    m = data.manifest
    # written into every PNG: a plot copied out of the page still says it is simulated, and whose
    line = (
        f"simulated — {data.kind} store {m.get('name', data.root.name)}, {data.runs.height:,} runs, "
        f"exitban {m.get('version', __version__)}"
    )
    if data.kind == "compare":
        b = compare_bands(data)
        images["compare"] = png_bytes(compare(b), "Scenarios side by side", line)
        caption = "Lines: mean over replications (seeds); shaded: 5-95% band."
        sections.append(_section("compare", "Scenarios side by side", "O1-O5, O2", caption, images["compare"]))
        table = data.table("compare")
        if table is not None:
            images["compare_means"] = png_bytes(compare_means(table), "Means with 95% intervals", line)
            sections.append(
                _section(
                    "compare_means",
                    "Means with 95% intervals",
                    "summary",
                    "From compare.parquet.",
                    images["compare_means"],
                )
            )
            rows = [
                [
                    r["output"],
                    r["scenario"],
                    str(r["n"]),
                    f"{r['mean']:.4g} [{r['low']:.4g}, {r['high']:.4g}]",
                    "" if r["diff"] is None else f"{r['diff']:.4g} [{r['diff_low']:.4g}, {r['diff_high']:.4g}]",
                ]
                for r in table.iter_rows(named=True)
            ]
            head = ["output", "scenario", "n", "mean [95% CI]", "paired difference from the first [95% CI]"]
            sections.append(_table(head, rows, "compare-table"))
    else:
        spec = data.spec
        outputs = list((spec.get("sensitivity") or {}).get("outputs") or data.outputs()[:MAX_OUTPUTS])
        outputs = [o for o in outputs if o in data.outputs()] or data.outputs()[:MAX_OUTPUTS]
        chosen = data.check_outputs([outcome])[0] if outcome else outputs[0]
        rows = [
            [name, ", ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in data.runs[name].unique().sort().to_list()[:6])
             + (" ..." if data.runs[name].n_unique() > 6 else "")]
            for name in data.parameters
        ]  # fmt: skip
        sections.append("<h2>Swept parameters</h2>" + _table(["parameter", "values (first six)"], rows, "parameters"))
        images["response"] = png_bytes(response_curves(data, outputs), "Response curves", line)
        caption = (
            "Mean over seeds at each design point; shaded or bars: the 5-95% spread over seeds. "
            "Grids draw one line per value of the next parameter; sampled designs add a binned mean (red)."
        )
        sections.append(_section("response", "Response curves", ", ".join(outputs), caption, images["response"]))
        surfaces = response_surfaces(data, chosen)
        if surfaces is not None:
            images["surface"] = png_bytes(surfaces, f"Response surfaces: {chosen}", line)
            caption = (
                f"{chosen} over each pair of swept parameters: on a grid, each cell is its mean over seeds "
                "(and over the other parameters' values); a sampled design is binned into hexagons, each "
                "coloured by the mean of the design points inside it (white dots)."
            )
            sections.append(_section("surface", "Response surfaces", chosen, caption, images["surface"]))
        try:
            sens = _sensitivity_table(data, outputs)
        except ExitbanError as exc:  # e.g. design points still missing: the other sections stand
            sens = None
            sections.append(
                f'<section id="sensitivity"><h2>Sensitivity indices</h2><p>{escape(str(exc))}</p></section>'
            )
        if sens is not None and sens.height:
            images["sensitivity"] = png_bytes(sensitivity_bars(sens), "Sensitivity indices", line)
            what = "Sobol first (S1) and total (ST) order" if sens["method"][0] == "sobol" else "Morris mu*"
            caption = f"{what} indices; error bars: the bootstrap confidence interval."
            sections.append(_section("sensitivity", "Sensitivity indices", what, caption, images["sensitivity"]))
        html, png = _discovery_section(data, chosen, threshold, below, line)
        if png is not None:
            images["discovery"] = png
        sections.append(html)
    title = f"{data.kind} store: {m.get('name', data.root.name)}"
    sub = (
        f"Simulated · {data.runs.height:,} completed runs, {data.failed:,} failed · written by exitban {m.get('version', '?')} · "
        f"{data.spec.get('design', 'compare')}, {m.get('replications', data.spec.get('replications', '?'))} replications"
    )
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>exitban report: {escape(title)}</title><style>{STYLE}</style></head>
<body>
<h1>{escape(title)}</h1>
<p class="sub">{escape(sub)}</p>
{"".join(sections)}
<footer>exitban {escape(__version__)} · from {escape(str(data.root))}</footer>
</body></html>
"""
    png_dir = out.parent / f"{out.stem}-plots"
    png_dir.mkdir(parents=True, exist_ok=True)
    for name, blob in images.items():
        atomic_write_bytes(png_dir / f"{name}.png", blob)
    for name in STORE_PLOTS - images.keys():  # an earlier report's, of another store
        (png_dir / f"{name}.png").unlink(missing_ok=True)
    atomic_write_bytes(out, page.encode("utf-8"))
    return out


MAX_OUTPUTS = 4
STORE_PLOTS = {"response", "surface", "sensitivity", "discovery", "compare", "compare_means"}
