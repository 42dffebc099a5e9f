"""The posterior read jointly: weighted correlations between fitted fields, the ridges they show, and a
pairwise plot (issue 23, item 1).

A marginal can look narrow while the posterior is a ridge: two fields that trade against each other
fit equally well along a line, and either one's "pinned down" width is then an artefact of the
other being free. ``ridge_partners`` names, for each field, the fields it is correlated with beyond
``RIDGE``; the identifiability verdict names them, so no field is reported as pinned down alone when
it is pinned down only jointly.
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl

RIDGE = 0.9  # |weighted correlation| above which two fields are on a ridge: identified only jointly


def correlations(posterior: pl.DataFrame, names: tuple[str, ...] | list[str]) -> np.ndarray:
    """The weighted (importance-weight) correlation matrix of the fitted fields; NaN where a field is constant."""
    w = posterior["weight"].to_numpy().astype(np.float64)
    w = w / w.sum()
    x = np.column_stack([posterior[n].to_numpy().astype(np.float64) for n in names])
    centred = x - w @ x
    cov = (centred * w[:, None]).T @ centred
    sd = np.sqrt(np.diag(cov))
    with np.errstate(invalid="ignore", divide="ignore"):
        return cov / np.outer(sd, sd)


def correlation_table(posterior: pl.DataFrame, names: tuple[str, ...] | list[str]) -> pl.DataFrame:
    """The matrix as a frame: a ``parameter`` column and one column per field."""
    r = correlations(posterior, names)
    return pl.DataFrame({"parameter": list(names), **{n: r[:, j] for j, n in enumerate(names)}})


def ridge_partners(posterior: pl.DataFrame, names: tuple[str, ...] | list[str]) -> dict[str, list[tuple[str, float]]]:
    """For each field, the other fields it is correlated with beyond ``RIDGE`` (strongest first)."""
    r = correlations(posterior, names)
    out: dict[str, list[tuple[str, float]]] = {}
    for i, name in enumerate(names):
        pairs = [(names[j], float(r[i, j])) for j in range(len(names)) if j != i and abs(r[i, j]) > RIDGE]
        out[name] = sorted(pairs, key=lambda p: -abs(p[1]))
    return out


def correlation_markdown(posterior: pl.DataFrame, names: tuple[str, ...] | list[str]) -> str:
    """The matrix as a Markdown table, for the calibration record's identifiability page."""
    r = correlations(posterior, names)
    short = [n.rsplit(".", 1)[-1] for n in names]
    lines = ["| | " + " | ".join(f"`{s}`" for s in short) + " |", "| --- |" + " --- |" * len(names)]
    for i, s in enumerate(short):
        cells = [
            "" if j == i else ("n/a" if not math.isfinite(r[i, j]) else f"{r[i, j]:+.2f}") for j in range(len(names))
        ]
        lines.append(f"| `{s}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def pairs_plot(posterior: pl.DataFrame, names: tuple[str, ...] | list[str], low: np.ndarray, high: np.ndarray) -> bytes:
    """A pairwise plot of the weighted posterior over the prior's box: histograms on the diagonal, each pair's
    particles below it (darker for more weight), the weighted correlation above it. PNG bytes."""
    import io

    from matplotlib.figure import Figure

    k = len(names)
    w = posterior["weight"].to_numpy().astype(np.float64)
    alpha = np.clip(w / w.max(), 0.05, 1.0)
    r = correlations(posterior, names)
    fig = Figure(figsize=(2.2 * k, 2.2 * k), dpi=100, layout="constrained")
    axes = fig.subplots(k, k, squeeze=False)
    for i, yi in enumerate(names):
        for j, xj in enumerate(names):
            ax = axes[i][j]
            x = posterior[xj].to_numpy()
            if i == j:
                ax.hist(x, bins=20, range=(low[j], high[j]), weights=w, color="#4c72b0")
                ax.set_yticks([])
            elif i > j:
                colours = np.zeros((len(x), 4))
                colours[:, 2], colours[:, 3] = 0.6, alpha
                ax.scatter(x, posterior[yi].to_numpy(), s=6, c=colours, linewidths=0)
                ax.set_xlim(low[j], high[j])
                ax.set_ylim(low[i], high[i])
            else:
                ax.axis("off")
                text = "n/a" if not math.isfinite(r[i, j]) else f"r = {r[i, j]:+.2f}"
                bold = math.isfinite(r[i, j]) and abs(r[i, j]) > RIDGE
                ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=12, weight="bold" if bold else "normal")
            if i == k - 1:
                ax.set_xlabel(xj.rsplit(".", 1)[-1], fontsize=8)
            if j == 0 and i > 0:
                ax.set_ylabel(yi.rsplit(".", 1)[-1], fontsize=8)
            ax.tick_params(labelsize=7)
    fig.suptitle(f"posterior, {posterior.height} particles (weighted); |r| > {RIDGE} in bold: a ridge")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})  # no version stamp: same posterior, same bytes
    return buf.getvalue()
