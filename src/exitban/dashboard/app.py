"""The dashboard: pick a scenario, move the policy levers, run, and watch the report's plots update.

A thin Panel app over the public API (``load_scenario``, ``simulate``) and the report's plot
functions; it holds no model logic. Start it with ``exitban dashboard``.
"""

from __future__ import annotations

import io
import time
from html import escape
from typing import Any

import panel as pn

from exitban.dashboard.gate import guard
from exitban.dashboard.levers import LEVERS, Lever, apply_levers
from exitban.report import PLOTS, RunData, bands, compare, plain_summary, replicate
from exitban.report.bands import Seeds
from exitban.report.framing import framing
from exitban.scenario import Scenario, fields
from exitban.scenario.edit import apply_sets
from exitban.scenario.load import list_scenarios, load_scenario, to_toml
from exitban.simulate import simulate

DEFAULT_SCENARIO = "army-officers-2019"
ALL = "all institutions"
DEFAULT_SCALE = 0.01  # 10k agents for the army scenario: a run takes about a second
PLOT_DPI = 72  # drawn at 650 px wide, shown scaled to the column's width
DAYS, SCALE = (fields.bounds(fields.field_at(Scenario, name)) for name in ("days", "scale"))
# The page's limits, applied again by the server: a crafted websocket message can set any value.
LIMITS = {
    "scale": (1e-4, float(SCALE.high)),  # the schema's scale is any above 0; a page needs a smallest one
    "days": (DAYS.low, DAYS.high),
    "seed": (0, 2**31 - 1),
    "seeds": (1, 10),
}
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def within(name: str, value: Any, integer: bool = False) -> float:
    """``value`` if it is a number inside the page's limits for ``name``; else ``ValueError`` with the range."""
    lo, hi = LIMITS[name]
    ok = isinstance(value, int | float) and not isinstance(value, bool) and lo <= value <= hi
    if not ok or (integer and value != int(value)):
        raise ValueError(f"{name} = {value!r} is outside the page's limits (allowed: {lo:g} to {hi:g})")
    return value


def checked_levers(values: dict[str, Any]) -> dict[str, Any]:
    """Lever values inside each lever's choices or schema bounds, as the page offers them; else ``ValueError``."""
    by_key = {lever.key: lever for lever in LEVERS}
    for key, value in values.items():
        lever = by_key[key]
        kind = lever.kind()
        if kind == "choice" and value not in lever.choices():
            raise ValueError(f"{lever.label} = {value!r} is not one of {lever.choices()}")
        if kind == "switch" and not isinstance(value, bool):
            raise ValueError(f"{lever.label} = {value!r} is not on or off")
        if kind == "number":
            lo, hi = lever.bounds()
            if isinstance(value, bool) or not isinstance(value, int | float) or not lo <= value <= hi:
                raise ValueError(f"{lever.label} = {value!r} is outside the page's limits (allowed: {lo:g} to {hi:g})")
    return values


def _widget(lever: Lever, value: Any) -> pn.widgets.Widget:
    css = [f"lever-{lever.field.replace('_', '-')}"]
    kind = lever.kind()
    if kind == "choice":
        return pn.widgets.Select(name=lever.label, options=lever.choices(), value=value, css_classes=css)
    if kind == "switch":
        return pn.widgets.Checkbox(name=lever.label, value=value, css_classes=css)
    lo, hi = lever.bounds()
    return pn.widgets.FloatSlider(  # the unit beside the name: 'per day' is not 'probability'
        name=f"{lever.label}, {lever.unit()}", start=lo, end=hi, step=(hi - lo) / 100, value=value, css_classes=css
    )


class Dashboard:
    """One browser session's widgets and plots."""

    def __init__(
        self,
        scenario: str = DEFAULT_SCENARIO,
        scale: float = DEFAULT_SCALE,
        days: int | None = None,
        sets: list[str] | None = None,
    ) -> None:
        self.sets = list(sets or [])  # FIELD=VALUE from `exitban dashboard --set`, applied to every scenario
        base = self.load(scenario)
        self.scenario_w = pn.widgets.Select(
            name="Scenario", options=list_scenarios(), value=scenario, css_classes=["scenario"]
        )
        self.levers = {lever.key: _widget(lever, lever.value(base)) for lever in LEVERS}
        self.scale_w = pn.widgets.FloatInput(
            name=f"Scale (1 = real size; up to {LIMITS['scale'][1]:g})",
            value=scale,
            start=LIMITS["scale"][0],
            end=LIMITS["scale"][1],
            step=0.005,
            css_classes=["scale"],
        )
        self.days_w = pn.widgets.IntInput(
            name="Days", value=days or base.days, start=LIMITS["days"][0], end=LIMITS["days"][1], css_classes=["days"]
        )
        self.seed_w = pn.widgets.IntInput(name="Seed", value=0, start=0, end=2**31 - 1, css_classes=["seed"])
        self.compare_w = pn.widgets.Checkbox(name="Compare with the baseline scenario", css_classes=["compare"])
        self.reps_w = pn.widgets.IntSlider(name="Seeds per scenario (comparison)", start=1, end=10, value=3)
        self.run_b = pn.widgets.Button(name="Run", button_type="primary", css_classes=["run"])
        self.status = pn.pane.HTML("", css_classes=["status"])  # HTML with escaped text: scenario files are data
        self.summary = pn.pane.HTML("", css_classes=["summary"], sizing_mode="stretch_width")
        # what the figures are, above them: simulated, calibrated or not, levers changed, provenance, scale
        self.what = pn.pane.HTML(
            "<p><b>Simulated figures</b>: press Run; every number shown is the model's output, not a reported fact.</p>",
            css_classes=["what"],
            sizing_mode="stretch_width",
        )
        self.plots = {
            p.name: pn.pane.Matplotlib(
                None, dpi=PLOT_DPI, css_classes=[f"plot-{p.name}"], sizing_mode="stretch_width", fixed_aspect=True
            )
            for p in PLOTS
        }
        self.compare_plot = pn.pane.Matplotlib(None, dpi=100, css_classes=["plot-compare"], visible=False)
        self.institution_w = pn.widgets.Select(name="Plots show", options=[ALL], value=ALL, css_classes=["institution"])
        self.institution_w.param.watch(lambda _event: self.draw(), "value")
        self.exports = {
            "scenario.toml": pn.widgets.FileDownload(
                callback=self._scenario_toml, filename="scenario.toml", label="Scenario (TOML)",
                css_classes=["export-toml"], embed=False,
            ),
            "timeseries.parquet": pn.widgets.FileDownload(
                callback=lambda: self._table("parquet"), filename="timeseries.parquet", label="Daily data (Parquet)",
                css_classes=["export-parquet"], embed=False,
            ),
            "timeseries.csv": pn.widgets.FileDownload(
                callback=lambda: self._table("csv"), filename="timeseries.csv", label="Daily data (CSV)",
                css_classes=["export-csv"], embed=False,
            ),
        }  # fmt: skip
        self.last: RunData | None = None
        self.last_seeds: Seeds | None = None  # the comparison's runs of the current levers, for bands
        self.runs = 0
        self.scenario_w.param.watch(self._on_scenario, "value")
        self.run_b.on_click(lambda _event: self.run())

    def load(self, name: str) -> Scenario:
        """A scenario by name, with the command line's ``--set`` values applied."""
        return apply_sets(load_scenario(name), self.sets)

    def _on_scenario(self, event: Any) -> None:
        """Picking a scenario resets the levers and days to that scenario's values."""
        if event.new not in list_scenarios():  # a crafted message: never a path to read; run() says why
            return
        base = self.load(event.new)
        for lever in LEVERS:
            self.levers[lever.key].value = lever.value(base)
        self.days_w.value = base.days

    def current(self) -> tuple[Scenario, Scenario]:
        """(the scenario with the levers applied, the baseline scenario), both at the chosen scale and days."""
        if self.scenario_w.value not in list_scenarios():
            raise ValueError(f"scenario {self.scenario_w.value!r} is not one of the shipped scenarios")
        base = self.load(self.scenario_w.value)
        size = {
            "scale": float(within("scale", self.scale_w.value)),
            "days": int(within("days", self.days_w.value, True)),
        }
        values = checked_levers({key: w.value for key, w in self.levers.items()})
        return apply_levers(base, values, **size), base.with_overrides(**size)

    def run(self) -> None:
        """Run the current levers (and the baseline when comparing) and redraw every plot."""
        self.run_b.disabled = True
        self.status.object = "running…"
        started = time.perf_counter()
        try:
            sc, base = self.current()
            seed = int(within("seed", self.seed_w.value, integer=True))
            reps = int(within("seeds", self.reps_w.value, integer=True))
            run = RunData.from_result(simulate(sc, seed=seed), label="current levers")
            over = None
            figures: dict[str, Any] = {}
            if self.compare_w.value:  # the run is the first seed's; with more, every plot bands its lines over them
                _, more = replicate(sc, list(range(seed + 1, seed + reps)), label="current levers")
                current = ("current levers", [run, *more])
                groups = [current, replicate(base, list(range(seed, seed + reps)), label="baseline")]
                figures["compare"] = compare(bands(groups))
                over = Seeds(tuple(current[1])) if reps > 1 else None
            figures |= {p.name: p.draw(run, over) for p in PLOTS}
            ran = time.perf_counter() - started
            self.runs += 1
            self.last, self.last_seeds = run, over
            with pn.io.hold():  # one update to the browser, not one per plot
                names = [ALL, *run.institutions()]
                if self.institution_w.options != names:
                    self.institution_w.options = names
                    self.institution_w.value = ALL  # redraws through the watcher
                self.draw(figures if self.institution_w.value == ALL else None)
                if "compare" in figures:
                    self.compare_plot.object = figures["compare"]
                self.compare_plot.visible = "compare" in figures
                others = [r.summary for r in over.runs[1:]] if over else []
                self.what.object = "".join(
                    f"<p>{escape(p)}</p>" for p in framing(sc, run.summary, replications=1 + len(others)).lines()
                )
                self.summary.object = "".join(f"<p>{escape(p)}</p>" for p in plain_summary(run, others))
                self.status.object = escape(
                    f"run {self.runs}: {sc.name}, {run.summary['agents']:,} agents, {sc.days} days, seed {seed} "
                    f"(simulated in {ran:.1f} s)"
                    + (f"; shaded: 5-95% over seeds {seed} to {seed + reps - 1}" if over else "")
                )
        except ValueError as exc:  # a lever or size outside the schema's range: say which
            self.status.object = f"<b>error:</b> {escape(str(exc))}"
        finally:
            self.run_b.disabled = False

    def draw(self, figures: dict[str, Any] | None = None) -> None:
        """Redraw the run's plots for the institution chosen (all institutions summed, or one), without running."""
        if self.last is None:
            return
        if figures is None:
            choice = self.institution_w.value
            run = self.last if choice == ALL else self.last.only(choice)
            over = self.last_seeds
            if over is not None and choice != ALL:
                over = Seeds(tuple(r.only(choice) for r in over.runs))
            figures = {p.name: p.draw(run, over) for p in PLOTS}
        for p in PLOTS:
            self.plots[p.name].object = figures[p.name]

    def _scenario_toml(self) -> io.BytesIO:
        """The scenario as the levers set it now (scale and days included), as a TOML file `exitban run` takes."""
        sc, _ = self.current()
        return io.BytesIO(to_toml(sc).encode("utf-8"))

    def _table(self, fmt: str) -> io.BytesIO:
        """The last run's daily table, one row per day and institution, as Parquet or CSV."""
        buf = io.BytesIO()
        if self.last is not None:
            ts = self.last.timeseries
            ts.write_parquet(buf) if fmt == "parquet" else ts.write_csv(buf)
        buf.seek(0)
        return buf

    def layout(self) -> pn.viewable.Viewable:
        controls = pn.Column(
            "## Scenario",
            self.scenario_w,
            "## Policy levers",
            *self.levers.values(),
            "## Size",
            self.scale_w,
            self.days_w,
            self.seed_w,
            self.compare_w,
            self.reps_w,
            self.run_b,
            "## Export",
            *self.exports.values(),
            width=320,
        )
        body = pn.Column(
            "# exitban",
            self.what,
            self.status,
            self.summary,
            self.institution_w,
            self.compare_plot,
            pn.GridBox(
                *(
                    pn.Column(f"#### {p.title} ({p.outputs})", self.plots[p.name], sizing_mode="stretch_width")
                    for p in PLOTS
                ),
                ncols=2,
                sizing_mode="stretch_width",
            ),
            sizing_mode="stretch_width",
        )
        return pn.Row(controls, body, sizing_mode="stretch_width")


def create_app(
    scenario: str = DEFAULT_SCENARIO,
    scale: float = DEFAULT_SCALE,
    days: int | None = None,
    sets: list[str] | None = None,
) -> pn.viewable.Viewable:
    """A new dashboard for one browser session, with a first run of the scenario as shipped already drawn."""
    dash = Dashboard(scenario, scale, days, sets)
    dash.run()
    return dash.layout()


def allowed_origins(host: str, port: int, origins: list[str] | None = None) -> list[str]:
    """The ``HOST:PORT`` names the dashboard answers to: this machine's, plus those listed.

    Only requests naming one of them in ``Host`` are served, and only pages from them may open the
    websocket that runs simulations.
    """
    bound = f"[{host}]" if ":" in host else host
    own = [f"localhost:{port}", f"127.0.0.1:{port}"] + ([f"{bound}:{port}"] if host in LOOPBACK else [])
    return list(dict.fromkeys(own + list(origins or [])))


def serve(
    host: str = "127.0.0.1", port: int = 5006, show: bool = False, origins: list[str] | None = None, **app_args: Any
) -> None:
    """Serve the dashboard on ``host:port`` until interrupted (binds 127.0.0.1 unless told otherwise).

    Requests and websocket pages are confined to ``allowed_origins``, behind ``gate.guard``.
    """
    names = allowed_origins(host, port, origins)
    server = pn.serve(
        {"/": lambda: create_app(**app_args)},
        address=host,
        port=port,
        show=show,
        title="exitban dashboard",
        websocket_origin=names,
        threaded=False,
        start=False,
    )
    guard(server._tornado, names)  # Bokeh's Server has no public handle on its Tornado application
    server.start()
    server.io_loop.start()
