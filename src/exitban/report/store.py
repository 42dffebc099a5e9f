"""What a report on a sweep or comparison store shows: its runs, read once, and the figures drawn from them.

A sweep store gets response curves (each output against each swept parameter, with the spread
over seeds), response surfaces (the outcome over each pair of swept parameters), its Sobol or Morris indices as bar charts with confidence intervals, and scenario
discovery for one outcome (``exitban.report.discovery``). A comparison store gets the scenarios'
daily bands and their means with confidence intervals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from matplotlib.figure import Figure

from exitban.errors import ScenarioError, StoreError
from exitban.report.bands import HIGH, LOW, Bands, bands
from exitban.report.figures import WIDTH, _figure, _grid, _no_data, _style
from exitban.report.framing import about
from exitban.report.rundata import RunData

MAX_PANELS = 4  # outputs and parameters shown in the response curves (the first of each)
MAX_LINES = 8  # a grid's second parameter draws one line per value up to this many


@dataclass(frozen=True)
class StoreData:
    """A store's manifest, its completed runs, and the analyses written beside them."""

    root: Path
    manifest: dict[str, Any]
    runs: pl.DataFrame  # status 'ok' only
    failed: int

    @property
    def kind(self) -> str:
        return str(self.manifest.get("kind", "sweep"))

    @property
    def parameters(self) -> list[str]:
        return [p for p in self.manifest.get("parameters", []) if p in self.runs.columns]

    @property
    def spec(self) -> dict[str, Any]:
        return dict(self.manifest.get("spec") or {})

    def outputs(self) -> list[str]:
        """Numeric outputs of the runs (summary figures), in the runs table's order."""
        skip = {"point", "replicate", "seed", "days", "scale", *self.parameters}
        return [c for c, t in self.runs.schema.items() if t.is_numeric() and c not in skip]

    def check_outputs(self, names: list[str]) -> list[str]:
        known = self.outputs()
        unknown = [n for n in names if n not in known]
        if unknown:
            raise ScenarioError(f"--outcome: unknown output(s) {unknown}; outputs of these runs: {', '.join(known)}")
        return names

    def table(self, name: str) -> pl.DataFrame | None:
        """An analysis written beside the runs (``sensitivity``, ``compare``), or None if there is none.

        Read as bytes the store's checksums.json vouches for (a regular file inside the store): never
        through a path Polars would expand as a pattern (a store named ``g*x`` or ``g[1]``).
        """
        from exitban.checksums import Checksums
        from exitban.files import InputFileError, parquet_from_bytes

        path = self.root / f"{name}.parquet"
        if not path.exists() and not path.is_symlink():
            return None
        way_out = "run the analysis again to write it"
        blob = Checksums.load(self.root, way_out).read(path.name, f"a store's {name} table", way_out)
        try:
            return parquet_from_bytes(blob)
        except InputFileError as exc:
            raise StoreError(f"{path}: {exc}") from None


def load_store(root: str | Path) -> StoreData:
    """Read a store written by ``sweep``, ``sensitivity`` or ``compare`` (its records, not a stale runs table)."""
    from exitban.sweep.store import open_store

    store = open_store(root)
    runs = store.runs()
    if runs.height == 0:
        raise StoreError(f"{store.root}: the store holds no finished run yet; run the sweep first")
    ok = runs.filter(pl.col("status") == "ok")
    if ok.height == 0:
        raise StoreError(f"{store.root}: every run failed; see runs.parquet (status = 'failed', error)")
    return StoreData(store.root, store.manifest(), ok, runs.height - ok.height)


def _point_stats(data: StoreData, output: str) -> pl.DataFrame:
    """Per design point: the parameters, the mean of ``output`` over seeds and its 5-95% spread."""
    y = pl.col(output).cast(pl.Float64)
    return (
        data.runs.group_by("point", *data.parameters)
        .agg(
            y.mean().alias("mean"),
            y.quantile(LOW / 100, "linear").alias("lo"),
            y.quantile(HIGH / 100, "linear").alias("hi"),
            pl.len().alias("n"),
        )
        .sort("point")
    )


def _numeric(values: pl.Series) -> np.ndarray | None:
    if values.dtype == pl.Boolean:
        return values.cast(pl.Float64).to_numpy()
    return values.cast(pl.Float64).to_numpy() if values.dtype.is_numeric() else None


def response_curves(data: StoreData, outputs: list[str]) -> Figure:
    """Each output against each swept parameter: the mean over seeds, with the 5-95% spread over seeds."""
    params, outs = data.parameters[:MAX_PANELS], outputs[:MAX_PANELS]
    fig, axes = _figure(ncols=max(1, len(params)), nrows=len(outs), height=2.6 * len(outs) + 0.6)
    grid = data.spec.get("design", "grid") == "grid"
    for i, out in enumerate(outs):
        stats = _point_stats(data, out)
        for j, param in enumerate(params):
            ax = axes[i * len(params) + j]
            x = _numeric(stats[param])
            if x is None:
                _no_data(ax, f"{param} takes text values:\nsee the runs table")
                continue
            if grid:
                _grid_lines(ax, stats, param, [p for p in data.parameters if p != param])
            else:
                spread = np.vstack([stats["mean"] - stats["lo"], stats["hi"] - stats["mean"]])
                ax.errorbar(x, stats["mean"], yerr=spread, fmt="o", ms=3, alpha=0.5, color="C0", lw=0.8)
                _binned_trend(ax, x, stats["mean"].to_numpy())
            _style(ax, out if j == 0 else "", param)
    return fig


def _grid_lines(ax: Any, stats: pl.DataFrame, param: str, others: list[str]) -> None:
    """A grid: one line (with its seed band) per value of the next parameter, or the marginal mean."""
    other = others[0] if others and stats[others[0]].n_unique() <= MAX_LINES else None
    groups = stats.partition_by(other, maintain_order=True) if other else [stats]
    for k, g in enumerate(sorted(groups, key=lambda f: str(f[other][0]) if other else "")):
        agg = g.group_by(param).agg(pl.col("mean", "lo", "hi").mean()).sort(param)
        x = _numeric(agg[param])
        colour = f"C{k % 10}"
        label = (
            f"{other} = {g[other][0]:g}"
            if other and isinstance(g[other][0], float)
            else (f"{other} = {g[other][0]}" if other else None)
        )
        ax.plot(x, agg["mean"], color=colour, lw=2, marker="o", ms=3, label=label)
        ax.fill_between(x, agg["lo"], agg["hi"], color=colour, alpha=0.15, lw=0)
    if other:
        ax.legend(fontsize=7)


def _binned_trend(ax: Any, x: np.ndarray, y: np.ndarray, bins: int = 8) -> None:
    """A sampled design: the mean of the points in equal-count bins of x, as a line."""
    order = np.argsort(x)
    parts = [p for p in np.array_split(order, min(bins, max(1, len(x) // 5))) if len(p)]
    ax.plot([x[p].mean() for p in parts], [y[p].mean() for p in parts], color="C3", lw=2, label="binned mean")


def surface_pairs(data: StoreData) -> list[tuple[str, str]]:
    """Pairs of numeric swept parameters (of the first ``MAX_PANELS``) a response surface can be drawn over."""
    numeric = [p for p in data.parameters[:MAX_PANELS] if _numeric(data.runs[p]) is not None]
    return [(a, b) for i, a in enumerate(numeric) for b in numeric[i + 1 :]]


def surface_grid(data: StoreData, output: str, x: str, y: str) -> pl.DataFrame:
    """A grid's surface: the mean of ``output`` over seeds (and over the other parameters) at each (x, y) value pair."""
    return (
        data.runs.group_by(x, y)
        .agg(pl.col(output).cast(pl.Float64).mean().alias("mean"), pl.len().alias("runs"))
        .sort(x, y)
    )


def response_surfaces(data: StoreData, output: str) -> Figure | None:
    """The outcome over each pair of swept parameters: a heat map of its mean over seeds on a grid,
    a map of hexagonal bins (the mean of the design points inside each) for a sampled design.
    None when fewer than two numeric parameters were swept."""
    pairs = surface_pairs(data)
    if not pairs:
        return None
    fig, axes, _ = _grid(len(pairs), 3, 3.0, margin=0.5)
    grid = data.spec.get("design", "grid") == "grid"
    for ax, (x, y) in zip(axes, pairs, strict=False):
        if grid:
            _heat_map(ax, surface_grid(data, output, x, y), x, y, f"mean {output}")
        else:
            stats = _point_stats(data, output)
            xs, ys = _numeric(stats[x]), _numeric(stats[y])
            cells = ax.hexbin(
                xs, ys, C=stats["mean"].to_numpy(), gridsize=max(4, min(15, int(math.sqrt(stats.height)))),
                reduce_C_function=np.mean, cmap="viridis", mincnt=1,
            )  # fmt: skip
            ax.plot(xs, ys, ".", color="white", ms=2, alpha=0.6)
            fig.colorbar(cells, ax=ax, label=f"mean {output}", shrink=0.9)
        _style(ax, y, x)
        ax.grid(False)
    return fig


def _heat_map(ax: Any, table: pl.DataFrame, x: str, y: str, label: str) -> None:
    """One cell per grid value pair, coloured by the mean (written in the cell when the grid is small)."""
    xv, yv = table[x].unique().sort().to_list(), table[y].unique().sort().to_list()
    z = np.full((len(yv), len(xv)), np.nan)
    for row in table.iter_rows(named=True):
        z[yv.index(row[y]), xv.index(row[x])] = row["mean"]
    image = ax.imshow(z, origin="lower", aspect="auto", cmap="viridis")
    ax.figure.colorbar(image, ax=ax, label=label, shrink=0.9)
    ax.set_xticks(range(len(xv)), [f"{v:g}" for v in xv], fontsize=7)
    ax.set_yticks(range(len(yv)), [f"{v:g}" for v in yv], fontsize=7)
    if z.size <= 64:
        middle = np.nanmean(z)
        for (i, j), value in np.ndenumerate(z):
            if not np.isnan(value):
                colour = "black" if value > middle else "white"
                ax.text(j, i, about(value, 3), ha="center", va="center", fontsize=7, color=colour)  # not 9.99e+03


def sensitivity_bars(table: pl.DataFrame) -> Figure:
    """Sobol (first and total order) or Morris (mu*) indices per parameter, with their confidence intervals."""
    outs = table["output"].unique(maintain_order=True).to_list()
    fig, axes, _ = _grid(len(outs), 2, 2.8, margin=0.4)
    sobol = table["method"][0] == "sobol"
    conf = f"{table['conf_level'][0]:.0%}"
    for ax, out in zip(axes, outs, strict=False):
        t = table.filter(pl.col("output") == out)
        y = np.arange(t.height)
        names = t["parameter"].to_list()
        if sobol:
            for offset, key, colour in ((-0.2, "S1", "C0"), (0.2, "ST", "C1")):
                v = t[key].to_numpy()
                err = np.vstack([v - t[f"{key}_low"].to_numpy(), t[f"{key}_high"].to_numpy() - v])
                ax.barh(y + offset, v, height=0.4, xerr=err, color=colour, capsize=2, label=key)
            ax.axvline(0, color="black", lw=0.6)
        else:
            v = t["mu_star"].to_numpy()
            err = np.vstack([v - t["mu_star_low"].to_numpy(), t["mu_star_high"].to_numpy() - v])
            ax.barh(y, v, height=0.6, xerr=err, color="C0", capsize=2, label="mu*")
        ax.set_yticks(y, names, fontsize=8)
        ax.set_title(out, fontsize=10)
        _style(ax, "", f"index, with {conf} interval" if sobol else f"mu*, with {conf} interval")
        ax.legend(fontsize=7)
    return fig


def compare_bands(data: StoreData) -> Bands:
    """Each compared scenario's daily mean and 5-95% band over its replications (the run report's metrics).

    Each run's table is read through the store's check (size and SHA-256 against its record), and
    its totals are made as a run report's are (``RunData.totals``, hence ``observe.derive``) from the
    scenario as it ran, which the comparison's manifest keeps.
    """
    from exitban.scenario import Scenario
    from exitban.sweep.store import open_store
    from exitban.sweep.worker import unflatten

    store = open_store(data.root)
    resolved = data.manifest.get("resolved")
    if not isinstance(resolved, list) or not resolved:
        raise StoreError(
            f"{data.root}: this comparison store does not keep the scenarios as they ran (written by an older "
            "exitban); run `exitban compare` again into a new --out to draw its bands"
        )
    try:
        scenarios = {sc.name: sc for sc in (Scenario.model_validate(payload) for payload in resolved)}
    except ValueError as exc:
        first = str(exc).strip().splitlines()[0]
        raise StoreError(f"{data.root}: manifest.json: a compared scenario does not validate ({first})") from None
    wanted = set(data.runs["run_id"].to_list())
    by_label: dict[str, list[RunData]] = {}
    for record in store.records():
        if record["run_id"] not in wanted:
            continue
        label = record["scenario"]
        if label not in scenarios:
            raise StoreError(f"{data.root}: run {record['run_id']} is of '{label}', which manifest.json does not list")
        ts, tallies = (store.read_table(record, table).drop("run_id") for table in ("timeseries", "tallies"))
        by_label.setdefault(label, []).append(RunData(scenarios[label], unflatten(record), ts, tallies, None, label))
    labels = [label for label in data.runs.sort("point")["scenario"].unique(maintain_order=True).to_list()]
    return bands([(label, by_label[label]) for label in labels])


def compare_means(table: pl.DataFrame) -> Figure:
    """Each output's mean per scenario with its 95% interval (from compare.parquet), one panel per output."""
    outs = table["output"].unique(maintain_order=True).to_list()
    fig, axes, _ = _grid(len(outs), 2, 2.4, margin=0.4)
    for ax, out in zip(axes, outs, strict=False):
        t = table.filter(pl.col("output") == out)
        y = np.arange(t.height)
        v = t["mean"].to_numpy()
        err = np.vstack(
            [v - t["low"].fill_nan(None).fill_null(v).to_numpy(), t["high"].fill_nan(None).fill_null(v).to_numpy() - v]
        )
        ax.barh(y, v, xerr=np.nan_to_num(err), color=[f"C{k}" for k in range(t.height)], capsize=3)
        ax.set_yticks(y, t["scenario"].to_list(), fontsize=8)
        ax.set_title(out, fontsize=10)
        _style(ax, "", "mean, with 95% interval")
    fig.set_size_inches(WIDTH, fig.get_size_inches()[1])
    return fig
