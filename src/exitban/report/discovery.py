"""Scenario discovery: which combinations of the swept levers lead to an outcome (as PRIM does in EMA Workbench).

The runs whose outcome reaches a threshold (by default the top quarter of the runs) are the
cases of interest. A shallow decision tree (scikit-learn's ``DecisionTreeClassifier``) over
the swept parameters separates them from the rest; each leaf that mostly holds cases of
interest is a *box*, a range for each parameter it constrains, reported with PRIM's two
measures: coverage (the share of all cases of interest inside the box) and density (the share
of runs inside the box that are cases of interest).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from exitban.errors import ExitbanError
from exitban.report.figures import _figure, _style

QUANTILE = 0.75  # default threshold: the outcome's 75th percentile over the runs
MAX_DEPTH = 3  # at most three conditions per box: boxes people can read


@dataclass(frozen=True)
class Box:
    """One box: a range per constrained parameter, with its coverage and density."""

    bounds: dict[str, tuple[float, float]]  # parameter -> (low, high]; -inf / inf where unbounded
    runs: int
    coverage: float
    density: float

    def describe(self) -> str:
        parts = []
        for name, (lo, hi) in self.bounds.items():
            if np.isfinite(lo) and np.isfinite(hi):
                parts.append(f"{lo:.3g} < {name} ≤ {hi:.3g}")
            elif np.isfinite(lo):
                parts.append(f"{name} > {lo:.3g}")
            else:
                parts.append(f"{name} ≤ {hi:.3g}")
        return " and ".join(parts) or "every run"


@dataclass(frozen=True)
class Discovery:
    outcome: str
    threshold: float
    above: bool
    parameters: list[str]
    interesting: int
    total: int
    boxes: list[Box]
    importance: dict[str, float]
    x: np.ndarray
    y: np.ndarray


def discover(
    runs: pl.DataFrame, parameters: list[str], outcome: str, threshold: float | None = None, above: bool = True
) -> Discovery:
    """Boxes of parameter ranges where ``outcome`` is at or above (or below) ``threshold``."""
    try:
        from sklearn.tree import DecisionTreeClassifier
    except ImportError:
        from exitban.extras import install_hint

        raise ExitbanError(f"scenario discovery needs scikit-learn: {install_hint('discovery')}") from None
    usable = [p for p in parameters if runs[p].dtype.is_numeric() or runs[p].dtype == pl.Boolean]
    if not usable:
        raise ExitbanError("scenario discovery needs at least one numeric swept parameter")
    x = np.column_stack([runs[p].cast(pl.Float64).to_numpy() for p in usable])
    values = runs[outcome].cast(pl.Float64).to_numpy()
    cut = float(np.quantile(values, QUANTILE if above else 1 - QUANTILE)) if threshold is None else threshold
    y = values >= cut if above else values <= cut
    tree = DecisionTreeClassifier(max_depth=MAX_DEPTH, min_samples_leaf=max(5, len(y) // 20), random_state=0)
    tree.fit(x, y)
    boxes = _boxes(tree, x, y, usable) if 0 < y.sum() < len(y) else []
    importance = dict(zip(usable, (float(v) for v in tree.feature_importances_), strict=True))
    return Discovery(outcome, cut, above, usable, int(y.sum()), len(y), boxes, importance, x, y)


def _boxes(tree, x: np.ndarray, y: np.ndarray, names: list[str]) -> list[Box]:
    """Every leaf where cases of interest are the majority, as a box of parameter ranges, densest first."""
    t = tree.tree_
    leaves = tree.apply(x)
    found: list[Box] = []

    def walk(node: int, bounds: dict[str, tuple[float, float]]) -> None:
        if t.children_left[node] == -1:
            inside = leaves == node
            hits = int(y[inside].sum())
            if inside.sum() and hits / inside.sum() > 0.5:
                found.append(Box(bounds, int(inside.sum()), hits / max(1, int(y.sum())), hits / int(inside.sum())))
            return
        name, cut = names[t.feature[node]], float(t.threshold[node])
        lo, hi = bounds.get(name, (-np.inf, np.inf))
        walk(t.children_left[node], {**bounds, name: (lo, min(hi, cut))})
        walk(t.children_right[node], {**bounds, name: (max(lo, cut), hi)})

    walk(0, {})
    return sorted(found, key=lambda b: (-b.density, -b.coverage))


def discovery_figure(d: Discovery) -> Figure:
    """The runs over the two most telling parameters, cases of interest in red, and the boxes outlined."""
    fig, (ax,) = _figure(height=4.6)
    order = sorted(d.parameters, key=lambda p: -d.importance[p])
    px = order[0]
    py = order[1] if len(order) > 1 else None
    ix = d.parameters.index(px)
    xs = d.x[:, ix]
    rng = np.random.default_rng(0)  # jitter only for the picture: grid points would hide each other
    jitter = rng.uniform(-0.01, 0.01, len(xs)) * (np.ptp(xs) or 1)
    ys = d.x[:, d.parameters.index(py)] if py else rng.uniform(0, 1, len(xs))
    yj = rng.uniform(-0.01, 0.01, len(xs)) * (np.ptp(ys) or 1)
    ax.scatter(xs[~d.y] + jitter[~d.y], ys[~d.y] + yj[~d.y], s=10, color="#7f7f7f", alpha=0.5, label="other runs")
    ax.scatter(xs[d.y] + jitter[d.y], ys[d.y] + yj[d.y], s=12, color="#d62728", alpha=0.7, label="cases of interest")
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    for k, box in enumerate(d.boxes):
        lo_x, hi_x = box.bounds.get(px, (-np.inf, np.inf))
        lo_y, hi_y = box.bounds.get(py, (-np.inf, np.inf)) if py else (-np.inf, np.inf)
        left, right = max(lo_x, x0), min(hi_x, x1)
        bottom, top = max(lo_y, y0), min(hi_y, y1)
        ax.add_patch(Rectangle((left, bottom), right - left, top - bottom, fill=False, lw=2, ec=f"C{k % 10}"))
        ax.text(left, top, f" box {k + 1}", va="top", fontsize=8, color=f"C{k % 10}")
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    _style(ax, py or "(runs spread out)", px)
    if py is None:
        ax.set_yticks([])
    ax.legend(fontsize=8, loc="best")
    return fig
