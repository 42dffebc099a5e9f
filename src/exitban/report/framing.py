"""What a page of results is, said where a reader looks first: the report, the run's text, the dashboard.

Every figure is a simulation's output, not a reported fact; a reader who quotes one should see,
beside it, whether the scenario was calibrated, which levers differ from the shipped base, how
many of its numbers rest on sources, the scale the counts were made at, and how far one seed
can be trusted. ``framing`` gathers those sentences from the scenario and the run's summary.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from exitban.errors import ScenarioError
from exitban.evidence import SOURCED_FACT, classify
from exitban.scenario import Scenario, resolve_provenance
from exitban.scenario.fields import leaf_values
from exitban.scenario.load import list_scenarios, load_scenario

VALIDATION_DOC = "docs/validation.md"
CALIBRATED_MARK = "calibrated"  # how a calibration's provenance begins (calibration/record.py writes it)
# fields that say what the run is, not how the world works: stated on their own, never listed as lever changes
NOT_LEVERS = {"name", "title", "description", "period", "extends", "start", "spin_up_days", "days", "scale"}
SHOWN_CHANGES = 8  # lever changes listed by name; the rest are counted
SIGNIFICANT = 2  # digits a one-seed count is given to


@dataclass(frozen=True)
class Framing:
    """The sentences that say what the figures are, each on its own line of a page."""

    simulated: str
    calibration: str
    levers: str
    provenance: str
    scale: str
    precision: str
    calibrated: bool
    changes: tuple[tuple[str, Any, Any], ...]  # (field, base value, value)

    def lines(self) -> list[str]:
        return [self.simulated, self.calibration, self.levers, self.provenance, self.scale, self.precision]


def base_of(scenario: Scenario) -> Scenario | None:
    """The shipped scenario this one departs from: the root of its ``extends`` chain, or the shipped one
    of the same name (so ``--set`` changes count); None for a scenario of one's own."""
    shipped = set(list_scenarios())
    name = scenario.extends or scenario.name
    if name not in shipped:
        return None
    seen: set[str] = set()
    while True:
        try:
            base = load_scenario(name)
        except ScenarioError:
            return None
        seen.add(name)
        if not base.extends or base.extends not in shipped or base.extends in seen:
            return base
        name = base.extends


def lever_changes(scenario: Scenario, base: Scenario | None) -> list[tuple[str, Any, Any]]:
    """``(field, base value, value)`` for every field whose value differs from the base's."""
    if base is None:
        return []
    mine, theirs = leaf_values(scenario), leaf_values(base)
    return [
        (k, theirs.get(k), v) for k, v in mine.items() if k.split(".", 1)[0] not in NOT_LEVERS and theirs.get(k) != v
    ]


NO_PROVENANCE = "(no provenance given)"  # how the loader marks a value a file set without saying why


def provenance_of(scenario: Scenario) -> dict[str, tuple[Any, str]]:
    """``resolve_provenance``, set against the shipped scenario of the same name where there is one.

    A run folder's scenario.toml writes every value, so each reads as set without provenance: a value
    equal to the shipped one gets the shipped one's back. A value that differs from the shipped one
    under the shipped provenance (a ``--set``, a dashboard lever) is marked as set without provenance:
    the source of the shipped value is not the source of this one. A run and its folder count alike.
    """
    rows = resolve_provenance(scenario)
    if scenario.name not in list_scenarios():
        return rows
    shipped = resolve_provenance(load_scenario(scenario.name))
    out = {}
    for k, (v, p) in rows.items():
        if k in shipped:
            was, why = shipped[k]
            if p.endswith(NO_PROVENANCE) and was == v:
                p = why
            elif was != v and p == why:
                p = f"changed from the shipped value {NO_PROVENANCE}"
        out[k] = (v, p)
    return out


def provenance_counts(scenario: Scenario) -> dict[str, int]:
    """How many numbers are sourced facts, rest on a source with an assumed level, are assumptions, or were calibrated."""
    counts = {"sourced": 0, "assumed level": 0, "assumed": 0, "calibrated": 0}
    for key, (value, provenance) in provenance_of(scenario).items():
        if key.split(".", 1)[0] in NOT_LEVERS:
            continue  # the run's size and length, not the model's numbers
        kind = classify(value, provenance)
        if kind == SOURCED_FACT:
            counts["sourced"] += 1
        elif isinstance(value, bool) or not isinstance(value, int | float) or provenance == "metadata":
            continue  # switches, labels, dates and dated changes are not numbers
        elif provenance.startswith(CALIBRATED_MARK):
            counts["calibrated"] += 1
        elif provenance.startswith("source"):
            counts["assumed level"] += 1
        else:
            counts["assumed"] += 1
    return counts


def about(x: float, digits: int = SIGNIFICANT) -> str:
    """``x`` rounded to ``digits`` significant figures, with thousands separators: 2,668 -> '2,700'."""
    if x == 0 or not math.isfinite(x):
        return f"{x:,.0f}" if math.isfinite(x) else str(x)
    places = digits - 1 - math.floor(math.log10(abs(x)))
    rounded = round(x, places)
    return f"{rounded:,.{max(0, places)}f}"


def real_scale(count: float, scale: float, replications: int = 1) -> str:
    """A simulated count as a reader may quote it: at real size when the run was scaled, with the run's own
    count in brackets ('about 90,000 [903]' at scale 0.01), and rounded when one seed made it ('about 2,700')."""
    exact = f"{count:,.0f}"
    if count == 0:
        return "0"
    if scale == 1:
        if replications > 1:
            return exact
        shown = about(count)
        return shown if shown == exact else f"about {shown}"
    return f"about {about(count / scale)} [{exact}]"


def framing(scenario: Scenario, summary: dict[str, Any], replications: int = 1) -> Framing:
    """What the run's figures are: simulated, calibrated or not, its lever changes, provenance, scale and precision."""
    seed, version = summary.get("seed", "?"), summary.get("version", "?")
    scale = float(summary.get("scale", scenario.scale))
    name = scenario.name
    simulated = (
        f"Simulated, not reported: every figure here is the output of the exitban model (version {version}) "
        f"for the scenario {name}, seed {seed}. None is an observation."
    )
    counts = provenance_counts(scenario)
    calibrated = counts["calibrated"] > 0
    if calibrated:
        calibration = (
            f"Calibrated: {counts['calibrated']} of its numbers were fitted to published figures (ABC-SMC); how it "
            f"fares on figures the calibration never saw is in {VALIDATION_DOC}."
        )
    else:
        base = base_of(scenario)
        twin = f"{(base.name if base else name)}-calibrated"
        other = f" (a calibrated version: {twin})" if twin in list_scenarios() else ""
        calibration = (
            f"Not calibrated: its assumed numbers are the modeller's settings, not fitted to published figures"
            f"{other}; validation of the calibrated scenarios: {VALIDATION_DOC}."
        )
    base = base_of(scenario)
    changes = lever_changes(scenario, base)
    if base is None:
        levers = f"Levers: {name} is not a shipped scenario, so no base to set its values against."
    elif not changes:
        levers = f"Levers: as shipped in {base.name}, none changed."
    else:
        listed = "; ".join(f"{k} = {_value(v)} (base {_value(b)})" for k, b, v in changes[:SHOWN_CHANGES])
        more = f"; and {len(changes) - SHOWN_CHANGES} more" if len(changes) > SHOWN_CHANGES else ""
        levers = f"Levers that differ from {base.name}: {listed}{more}."
    numbers = sum(counts.values())
    provenance = (
        f"Of its {numbers} numbers, {counts['sourced']} are facts from the news reports it is built on, "
        f"{counts['assumed level']} rest on a reported fact but have an assumed level, {counts['assumed']} are "
        f"assumptions"
        + (f" and {counts['calibrated']} were calibrated" if calibrated else "")
        + f" (exitban show {name} lists each)."
    )
    people = summary.get("agents", scenario.total_agents())
    scale_line = (
        f"Scale: real size, {people:,} people."
        if scale == 1
        else f"Scale: {scale:g} of real size ({people:,} simulated people); a count is shown as simulated and "
        f"multiplied by {1 / scale:,.4g} for real size."
    )
    precision = (
        f"One seed ({seed}): another seed gives other numbers, so quote no count beyond its first two digits; "
        f"exitban report {name} -n 10 shows the spread of 10 seeds (their 5-95% band)."
        if replications < 2
        else f"Bands: the shaded 5-95% ranges are over {replications} runs; the lines and the table are one run's."
    )
    return Framing(simulated, calibration, levers, provenance, scale_line, precision, calibrated, tuple(changes))


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return str(v).lower()  # as a scenario file and --set write it
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)
