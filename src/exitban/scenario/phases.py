"""Dated phases: a field that takes a new value on a date, from then on (ODD 3, the schedule).

A scenario's ``[[phases]]`` table lists ``date``, ``field`` (dotted, as ``--set`` writes it),
``value`` and ``provenance``. Each value goes through the one setter (``edit.set_fields``), so a bad
value is refused as ``--set`` refuses it, naming the phase. Fields from which the people are drawn
at the start, and the run's shape (days, scale, start, names, institutions' sizes and structure), cannot
change mid-run and are refused here with the reason.

Days here are the engine's: day 0 is the first simulated day, ``start - spin_up_days``.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from exitban.scenario.edit import set_fields

if TYPE_CHECKING:
    from exitban.scenario.schema import Phase, Scenario

# fields that cannot change mid-run, with the reason a message gives; an institution field is keyed
# by its own name (institutions.NAME.size), every other by its dotted path
_DRAWN = "the people are drawn from it at the start"
_SHAPE = "it sets the run's shape"
FIXED_INSTITUTION = {
    "kind": "it is what the institution is",
    "label": "it names the institution",
    "size": _SHAPE,
    "unit_size": _SHAPE,
    "positions_per_member": _SHAPE,
    "graduates_to": _SHAPE,
    "resignation_case": "it is what the institution is",
    "contract_years": _DRAWN,
    **dict.fromkeys(
        (
            "junior_share", "seniority_years_max", "junior_years", "desire_mean", "desire_sd", "loyalty_mean",
            "loyalty_sd", "threshold_mean", "threshold_sd", "risk_aversion_mean", "competence_mean", "health_mean",
            "family_exposure_mean", "means_mean", "reach_mean", "passports_held", "risk_aversion_concentration",
            "competence_concentration", "health_concentration", "family_exposure_concentration",
            "means_concentration", "reach_concentration", "entry_age", "entry_age_spread",
        ),
        _DRAWN,
    ),
}  # fmt: skip
FIXED = {
    "regime.demobilization_days": _DRAWN + " (the reservists' release days)",
    "regime.denial": "the outputs read it for the whole run",
    "bureaucracy.top_reviewer_capacity_per_day": "the outputs read it for the whole run (reviewer_load)",
    "outputs": "the outputs read it for the whole run",
}
# the day-fields that phases replaced: the phase to write instead (field, value; None: the file's own value)
REPLACED = {
    "ban_lift_day": ("regime.resignation_ban", '"off"'),
    "mobilization_end_day": ("regime.mobilization", "false"),
    "pay_rise_day": ("regime.pay_rise", None),
}


def fixed_reason(dotted: str) -> str | None:
    """Why ``dotted`` cannot change mid-run, or None if a phase may set it."""
    parts = dotted.split(".")
    if len(parts) == 1:
        return _SHAPE
    if parts[0] == "institutions":
        return FIXED_INSTITUTION.get(parts[-1]) if len(parts) == 3 else None
    return FIXED.get(dotted) or FIXED.get(parts[0])


def replaced_field_message(data: dict[str, Any]) -> str | None:
    """The one-line error for a file that still sets a removed day-field, with the phase to write instead."""
    regime = data.get("regime")
    if not isinstance(regime, dict):
        return None
    for name, (field, value) in REPLACED.items():
        if name not in regime:
            continue
        day = regime[name]
        if isinstance(day, int) and not isinstance(day, bool) and day < 0:
            return f"field 'regime.{name}' = {day} is no longer a field: remove it (no phase is what -1 meant)"
        start = data.get("start")
        when = f"start + {day} days" if isinstance(day, int) else "the date"
        if isinstance(start, datetime.date) and isinstance(day, int) and not isinstance(day, bool):
            when = f"{(start + datetime.timedelta(days=day)).isoformat()} ({when})"
        shown = value if value is not None else repr(regime.get("pay_rise", 0.0))
        extra = ", and regime.pay_rise = 0.0 before it" if name == "pay_rise_day" else ""
        return (
            f"field 'regime.{name}' is no longer a field: write a phase instead: [[phases]] date = {when}, "
            f'field = "{field}", value = {shown}, provenance = "..."{extra}'
        )
    return None


def engine_day(scenario: Scenario, date: datetime.date) -> int:
    """The engine's day of ``date``: day 0 is the first spin-up day (the start date when there is none)."""
    return (date - scenario.start).days + scenario.spin_up_days


def ordered(phases: list[Phase]) -> list[tuple[int, Phase]]:
    """``(index in the file, phase)`` by date, then by their order in the file."""
    return sorted(enumerate(phases), key=lambda item: (item[1].date, item[0]))


def check_phases(scenario: Scenario) -> None:
    """Refuse (one line, ``ValueError``) a phase that names a fixed field, lies before the first simulated day,
    repeats a field on a date, or whose value the field cannot take given the phases before it."""
    first = scenario.start - datetime.timedelta(days=scenario.spin_up_days)
    seen: dict[tuple[datetime.date, str], int] = {}
    for i, phase in ordered(scenario.phases):
        where = f"phases[{i}] (date {phase.date.isoformat()}, field '{phase.field}')"
        reason = fixed_reason(phase.field)
        if reason is not None:
            raise ValueError(f"{where}: this field cannot change mid-run: {reason} (allowed: a rule's field)")
        if phase.date < first:
            raise ValueError(
                f"{where}: the date is before the first simulated day (allowed: from {first.isoformat()}, "
                f"start - spin_up_days, to the day before start + days)"
            )
        if (phase.date, phase.field) in seen:
            raise ValueError(f"{where}: phases[{seen[phase.date, phase.field]}] sets the same field on the same date")
        seen[phase.date, phase.field] = i
    days = timeline(scenario)  # every value through the one setter, in date order
    end = mobilization_end_day(scenario, days)
    for day, today in days:
        if 0 <= end < day and today.regime.mobilization:
            i, phase = next(
                (i, p)
                for i, p in ordered(scenario.phases)
                if engine_day(scenario, p.date) == day and p.field == "regime.mobilization"
            )
            raise ValueError(
                f"phases[{i}] (date {phase.date.isoformat()}): mobilization starts again after a phase ended it "
                f"(allowed: one end; the reservists' release is counted from it)"
            )


def check_within_run(scenario: Scenario) -> None:
    """Refuse a phase dated on or after the run's end (start + days): it would never apply."""
    end = scenario.start + datetime.timedelta(days=scenario.days)
    for i, phase in ordered(scenario.phases):
        if phase.date >= end:
            first = scenario.start - datetime.timedelta(days=scenario.spin_up_days)
            raise ValueError(
                f"phases[{i}] (date {phase.date.isoformat()}, field '{phase.field}'): the date is not within the run "
                f"(allowed: {first.isoformat()} to {(end - datetime.timedelta(days=1)).isoformat()}, "
                f"start - spin_up_days to start + days - 1)"
            )


def timeline(scenario: Scenario) -> list[tuple[int, Scenario]]:
    """``(engine day, the scenario as of that day)`` for each phase date, in order; each copy has no phases.

    The first simulated day's own phases are applied to the copy for day 0 (listed when there are any).
    """
    current = scenario.model_copy(update={"phases": []})
    out: list[tuple[int, Scenario]] = []
    for i, phase in ordered(scenario.phases):
        day = engine_day(scenario, phase.date)
        current = set_fields(current, {phase.field: phase.value}, where=f"phases[{i}] (date {phase.date})", strict=True)
        if out and out[-1][0] == day:
            out[-1] = (day, current)
        else:
            out.append((day, current))
    return out


def mobilization_end_day(scenario: Scenario, days: list[tuple[int, Scenario]] | None = None) -> int:
    """The engine day on which ``regime.mobilization`` first turns off by a phase; -1 if it never does.

    Demobilization (R4) counts the reservists' release from it (``rules.decree.demobilization_start``).
    """
    on = scenario.regime.mobilization
    for day, today in timeline(scenario) if days is None else days:
        if on and not today.regime.mobilization:
            return day
        on = today.regime.mobilization
    return -1
