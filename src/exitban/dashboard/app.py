"""The dashboard: pick a scenario, move the policy levers, run, and watch the days fill the plots as it runs.

A thin Panel app over the public API (``load_scenario``, ``simulate``) and the report's tables; it
holds no model logic. The plots are Bokeh figures (``dashboard.live``): hover, zoom and pan, counts
at real size. A run goes on a worker thread, one simulation at a time in the server: the engine hands
over the days run so far after each compiled stretch (``simulate(on_tallies=...)``), and the page's
loop streams them into the plots. Start it with ``exitban dashboard``.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Callable
from functools import partial
from html import escape
from typing import Any

import panel as pn
import polars as pl
from panel.io.state import set_curdoc

from exitban._version import __version__
from exitban.dashboard.comparison import comparison
from exitban.dashboard.gate import guard
from exitban.dashboard.levers import LEVERS, Lever, apply_levers
from exitban.dashboard.live import LIVE_HISTOGRAMS, LIVE_PLOTS, columns, empty, show_bands, show_used, stamp
from exitban.observe import totals
from exitban.report import RunData, bands, plain_summary, replicate
from exitban.report.bands import Seeds
from exitban.report.framing import framing
from exitban.scenario import Scenario, fields
from exitban.scenario.edit import apply_sets
from exitban.scenario.load import list_scenarios, load_scenario, to_toml
from exitban.simulate import simulate

DEFAULT_SCENARIO = "army-officers-2019"
ALL = "all institutions"
DEFAULT_SCALE = 0.01  # 10k agents for the army scenario: a run takes about a second
ENGINE = threading.Lock()  # one simulation at a time in this server, whichever session asked
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


def _lever(lever: Lever, value: Any) -> tuple[pn.widgets.Widget, pn.Column]:
    """A lever's widget, and the widget with its line in words (what it does, its unit, its field) below."""
    widget = _widget(lever, value)
    help_css = ["lever-help", f"help-{lever.field.replace('_', '-')}"]
    words = pn.pane.HTML(f"<small>{escape(lever.help())}</small>", css_classes=help_css, margin=(0, 10, 8, 10))
    return widget, pn.Column(widget, words, margin=0)


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
        made = {lever.key: _lever(lever, lever.value(base)) for lever in LEVERS}
        self.levers = {key: widget for key, (widget, _) in made.items()}
        self.lever_rows = [row for _, row in made.values()]
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
            styles={"background": "#fff8e1", "border-left": "4px solid #f9a825", "padding": "0 10px"},
        )
        self.scale_note = pn.pane.HTML("", css_classes=["scale-note"], sizing_mode="stretch_width")
        self.figures = {p.name: p.figure() for p in LIVE_PLOTS}  # name: (figure, source)
        self.items = {name: list(fig.legend[0].items) for name, (fig, _) in self.figures.items()}
        self.histograms = {h.name: h.figure() for h in LIVE_HISTOGRAMS}
        self.plots = {
            name: pn.pane.Bokeh(fig, css_classes=[f"plot-{name}"], sizing_mode="stretch_width")
            for name, (fig, _) in (self.figures | self.histograms).items()
        }
        self.compare_plot = pn.pane.Bokeh(
            None, css_classes=["plot-compare"], sizing_mode="stretch_width", visible=False
        )
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
        self.busy = False  # a run under way: the button is off, and the server refuses a second
        self.streamed_for = ALL  # the institution the streamed days were summed for
        self.streamed_days = 0  # how many days the plots show of the run under way
        self.token = 0  # which run a streamed stretch belongs to: one of an earlier run is dropped
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

    def run(self, wait: bool | None = None) -> None:
        """Run the current levers (and the baseline when comparing), streaming the days into the plots.

        In a served page the run goes on a worker thread and each stretch of days reaches the plots
        as it is done; without a page (or with ``wait``) it runs here, to the end.
        """
        if self.busy:  # a second click or a crafted message while one runs
            self.status.object = "a run is under way: wait for it to end"
            return
        try:
            sc, base = self.current()
            seed = int(within("seed", self.seed_w.value, integer=True))
            reps = int(within("seeds", self.reps_w.value, integer=True))
        except ValueError as exc:  # a lever or size outside the schema's range: say which
            self.status.object = f"<b>error:</b> {escape(str(exc))}"
            return
        self.busy, self.run_b.disabled = True, True
        self.token += 1
        doc = pn.state.curdoc
        background = (doc is not None and doc.session_context is not None) if wait is None else not wait
        self._begin(sc, seed)
        if background:
            later = partial(_on_page, doc)
            threading.Thread(target=self._work, args=(sc, base, seed, reps, later), daemon=True).start()
        else:
            self._work(sc, base, seed, reps, lambda fn, *args: fn(*args))

    def _work(self, sc: Scenario, base: Scenario, seed: int, reps: int, later: Callable[..., None]) -> None:
        """The run itself (on the worker thread in a page): each stretch of days and the end go to ``later``."""
        started = time.perf_counter()
        token = self.token
        try:
            with ENGINE:

                def got(tallies: pl.DataFrame) -> None:
                    later(self._stream, token, self._partial(sc, tallies), int(tallies["day"].max()) + 1, sc.days)

                run = RunData.from_result(simulate(sc, seed=seed, on_tallies=got), label="current levers")
                over, figure = None, None
                if self.compare_w.value:  # the run is the first seed's; with more, every plot bands its lines over them
                    later(self._say, f"running: the comparison, {reps} seeds of each scenario")
                    _, more = replicate(sc, list(range(seed + 1, seed + reps)), label="current levers")
                    current = ("current levers", [run, *more])
                    figure = comparison(
                        bands([current, replicate(base, list(range(seed, seed + reps)), label="baseline")]),
                        sc.start,
                        f"simulated: {sc.name}, current levers and baseline, {reps} seed(s) each from seed {seed}, "
                        f"exitban {__version__}",
                    )
                    over = Seeds(tuple(current[1])) if reps > 1 else None
            later(self._finish, sc, run, over, figure, seed, reps, time.perf_counter() - started)
        except Exception as exc:  # the page says what failed, and the server goes on
            later(self._failed, exc)

    def _say(self, text: str) -> None:
        self.status.object = escape(text)

    def _begin(self, sc: Scenario, seed: int) -> None:
        """Empty plots, and what the run is, before its first day arrives."""
        with pn.io.hold():
            for name, (fig, source) in self.figures.items():
                source.data = empty(next(p for p in LIVE_PLOTS if p.name == name))
                show_bands(fig, False)
            for _, source in self.histograms.values():
                source.data = {k: [] for k in source.data}
            self.compare_plot.visible = False
            names = [ALL, *sc.institutions]
            if self.institution_w.options != names:
                self.institution_w.options = names
                self.institution_w.value = ALL
            self.streamed_for, self.streamed_days = self.institution_w.value, 0
            line = f"simulated: {sc.name}, seed {seed}, exitban {__version__}" + (
                f"; counts at real size (the run's × {1 / sc.scale:,.4g}, run at scale {sc.scale:g})"
                if sc.scale != 1
                else ""
            )
            for fig, _ in (*self.figures.values(), *self.histograms.values()):
                stamp(fig, line)
            facts = {"seed": seed, "version": __version__, "scale": sc.scale, "agents": sc.total_agents()}
            self.what.object = _paragraphs(framing(sc, facts).lines())
            self.scale_note.object = _scale_note(sc.scale)
            self.status.object = escape(f"running: day 0 of {sc.days:,} (simulated; the plots fill as it runs)")

    def _partial(self, sc: Scenario, tallies: pl.DataFrame) -> tuple[str, dict[str, dict]]:
        """The plots' columns for the days run so far, for the institution the plots show (worker thread)."""
        choice = self.institution_w.value
        if choice != ALL and choice in sc.institutions:
            tallies = tallies.filter(pl.col("institution") == choice)
        daily = totals(sc, tallies, float(sc.total_agents()))  # the plotted series do not depend on the start
        return choice, {p.name: columns(p, daily, sc.scale) for p in LIVE_PLOTS}

    def _stream(self, token: int, part: tuple[str, dict[str, dict]], done: int, days: int) -> None:
        """Append the days not yet in each plot (a whole new table when the institution changed meanwhile).

        The page's loop may take the stretches out of order: one older than what the plots show is dropped.
        """
        choice, cols = part
        again = choice != self.streamed_for
        if not self.busy or token != self.token or (done <= self.streamed_days and not again):
            return
        self.streamed_for, self.streamed_days = choice, done
        with pn.io.hold():
            for plot in LIVE_PLOTS:
                fig, source = self.figures[plot.name]
                new, have = cols[plot.name], len(source.data["date"])
                if again or len(new["date"]) < have:
                    source.data = new
                elif len(new["date"]) > have:
                    source.stream({k: v[have:] for k, v in new.items()})
                show_used(plot, fig, self.items[plot.name], new)
            self.status.object = escape(f"running: day {done:,} of {days:,} (simulated; the plots fill as it runs)")

    def _finish(
        self, sc: Scenario, run: RunData, over: Seeds | None, figure: Any, seed: int, reps: int, ran: float
    ) -> None:
        """The whole run in the plots, its summary, and the comparison when there is one (a stretch after it is dropped)."""
        self.runs += 1
        self.last, self.last_seeds = run, over
        self.busy = False
        with pn.io.hold():  # one update to the browser, not one per plot
            self.draw()
            if figure is not None:
                self.compare_plot.object = figure
            self.compare_plot.visible = figure is not None
            others = [r.summary for r in over.runs[1:]] if over else []
            self.what.object = _paragraphs(framing(sc, run.summary, replications=1 + len(others)).lines())
            self.summary.object = _paragraphs(plain_summary(run, others))
            self.status.object = escape(
                f"run {self.runs}: {sc.name}, {run.summary['agents']:,} agents simulated, {sc.days} days, seed {seed} "
                f"(simulated in {ran:.1f} s)"
                + (f"; shaded: 5-95% over seeds {seed} to {seed + reps - 1}" if over else "")
            )
            self.run_b.disabled = False

    def _failed(self, exc: Exception) -> None:
        self.status.object = f"<b>error:</b> {escape(str(exc) or type(exc).__name__)}"
        self.busy, self.run_b.disabled = False, False

    def draw(self) -> None:
        """Redraw the last run's plots for the institution chosen (all institutions summed, or one), without running."""
        if self.last is None or self.busy:  # a run under way redraws with its next stretch of days
            return
        choice = self.institution_w.value
        run = self.last if choice == ALL else self.last.only(choice)
        over = self.last_seeds
        if over is not None and choice != ALL:
            over = Seeds(tuple(r.only(choice) for r in over.runs))
        scale = float(run.summary.get("scale", run.scenario.scale))
        seeds = [r.totals for r in over.runs] if over else None
        for plot in LIVE_PLOTS:
            fig, source = self.figures[plot.name]
            cols = columns(plot, run.totals, scale, seeds)
            source.data = cols
            show_bands(fig, seeds is not None)
            show_used(plot, fig, self.items[plot.name], cols)
        for h in LIVE_HISTOGRAMS:
            self.histograms[h.name][1].data = h.columns(run.histogram, scale)

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
            *self.lever_rows,
            "## Size",
            self.scale_w,
            self.days_w,
            self.seed_w,
            self.compare_w,
            self.reps_w,
            self.run_b,
            "## Export",
            *self.exports.values(),
            width=340,
        )
        body = pn.Column(
            "# exitban: simulated exits under a resignation ban",
            self.what,
            self.status,
            self.scale_note,
            self.summary,
            self.institution_w,
            self.compare_plot,
            pn.GridBox(
                *(self.plots[p.name] for p in (*LIVE_PLOTS, *LIVE_HISTOGRAMS)),
                ncols=2,
                sizing_mode="stretch_width",
            ),
            sizing_mode="stretch_width",
        )
        return pn.Row(controls, body, sizing_mode="stretch_width")


def _on_page(doc: Any, fn: Callable[..., None], *args: Any) -> None:
    """Call ``fn(*args)`` on the page's loop, with the page as Panel's current document (from any thread)."""

    def call() -> None:
        with set_curdoc(doc):
            fn(*args)

    doc.add_next_tick_callback(call)


def _paragraphs(lines: list[str]) -> str:
    return "".join(f"<p>{escape(p)}</p>" for p in lines)


def _scale_note(scale: float) -> str:
    if scale == 1:
        return "<p><b>Counts at real size</b>: the run is at full scale.</p>"
    return escape_p(
        f"Counts at real size: the run simulated {scale:g} of the real institutions, so every count in the "
        f"plots is the run's own count × {1 / scale:,.4g} (hover a line to read it)."
    )


def escape_p(text: str) -> str:
    return f"<p>{escape(text)}</p>"


def create_app(
    scenario: str = DEFAULT_SCENARIO,
    scale: float = DEFAULT_SCALE,
    days: int | None = None,
    sets: list[str] | None = None,
) -> pn.viewable.Viewable:
    """A new dashboard for one browser session; its first run (the scenario as shipped) streams in once the page loads."""
    dash = Dashboard(scenario, scale, days, sets)
    doc = pn.state.curdoc
    if doc is not None and doc.session_context is not None:
        pn.state.onload(dash.run)
    else:
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
