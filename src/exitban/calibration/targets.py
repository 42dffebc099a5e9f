"""The targets file: published figures, each with its range, date, source, scenario and measure.

A figure is always a range ``[low, high]``, never a point alone: a count found in court records
is a lower bound, a leaked figure is uncertain, and the period of a figure rarely matches a
scenario's exactly. A figure may also give the published ``point`` inside its range; validation
then asks whether the model covers that point. ``role`` says whether a figure is fitted (dated up
to ``fit_until``) or held out for validation; the file refuses a fitted figure dated after
``fit_until``. Every figure says whether it is ``independent`` evidence, and why
(``independent_why``): a figure that also set an input (the input was chosen to produce it) is
not, and a fitted figure never is.
"""

from __future__ import annotations

import datetime
import math
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError, model_validator

from exitban.errors import ScenarioError

SHIPPED_TARGETS = resources.files("exitban.calibration") / "targets.toml"
MAX_TARGETS_BYTES = 1 << 20


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Measure(_Strict):
    """How to read a figure off a run's daily table: a window ``[start, end)`` of some columns.

    A window is given in days of the run (``days = [0, 181]``) or in calendar dates (``dates =
    [2023-01-01, 2023-07-01]``, the end not included), read against the scenario's ``start``.
    ``sum`` adds the columns over the window; ``last`` takes their value on the window's last day;
    ``ratio`` divides the sum over ``days`` (``dates``) by the sum over ``per_days`` (``per_dates``);
    ``share`` divides the sum of ``columns`` by the sum of the ``of`` columns over the same window (a
    suspended share of sentences: ``columns = ["absence_sentences_suspended"], of = ["convictions_absence"]``).
    ``stock`` adds the columns over the chosen rows on the window's last day (a headcount of several
    institutions: ``institutions = ["officers", "contract_soldiers"]``).
    ``scaled`` counts are multiplied by 1 / scale, to full size.
    """

    kind: Literal["sum", "last", "ratio", "share", "stock"] = "sum"
    columns: list[str] = Field(min_length=1, max_length=20)
    of: list[str] | None = Field(None, min_length=1, max_length=20)
    institution: str | None = None
    institutions: list[str] | None = Field(None, min_length=1, max_length=50)
    days: tuple[int, int] | None = None
    dates: tuple[datetime.date, datetime.date] | None = None
    per_days: tuple[int, int] | None = None
    per_dates: tuple[datetime.date, datetime.date] | None = None
    scaled: bool = True

    @model_validator(mode="after")
    def _windows(self) -> Measure:
        for name, window in (("days", self.days), ("per_days", self.per_days)):
            if window is not None and not 0 <= window[0] < window[1] <= 36_500:
                raise ValueError(f"'{name}' must be [start, end) with 0 <= start < end <= 36500, got {list(window)}")
        for name, dates in (("dates", self.dates), ("per_dates", self.per_dates)):
            if dates is not None and not dates[0] < dates[1]:
                raise ValueError(
                    f"'{name}' must be [first, end) with first < end, got {[d.isoformat() for d in dates]}"
                )
        if (self.days is None) == (self.dates is None):
            raise ValueError("give the window as 'days' or as 'dates', one of the two")
        if self.per_days is not None and self.per_dates is not None:
            raise ValueError("give the denominator's window as 'per_days' or as 'per_dates', not both")
        if (self.kind == "ratio") != (self.per_days is not None or self.per_dates is not None):
            raise ValueError(
                "'per_days' or 'per_dates' (the denominator's window) is given with kind = 'ratio' and only then"
            )
        if self.institution is not None and self.institutions is not None:
            raise ValueError("give one 'institution' or a list of 'institutions', not both")
        if (self.kind == "share") != (self.of is not None):
            raise ValueError("'of' (the share's denominator columns) is given with kind = 'share' and only then")
        if self.kind == "share" and self.scaled:
            raise ValueError("a share is a pure number: give it with scaled = false")
        return self

    def chosen(self) -> list[str] | None:
        """The institutions whose rows the measure reads (None: all)."""
        return [self.institution] if self.institution is not None else self.institutions

    def window(self, start: datetime.date) -> tuple[int, int]:
        """The window in days of a run that starts on ``start``."""
        return _in_days(self.days, self.dates, start, "dates")

    def per_window(self, start: datetime.date) -> tuple[int, int] | None:
        """The ratio's denominator window in days of a run that starts on ``start`` (None if not a ratio)."""
        if self.per_days is None and self.per_dates is None:
            return None
        return _in_days(self.per_days, self.per_dates, start, "per_dates")

    def last_day(self, start: datetime.date) -> int:
        """The number of days a run that starts on ``start`` needs for this measure."""
        per = self.per_window(start)
        return max(self.window(start)[1], per[1] if per else 0)


def _in_days(
    days: tuple[int, int] | None, dates: tuple[datetime.date, datetime.date] | None, start: datetime.date, name: str
) -> tuple[int, int]:
    if days is not None:
        return days
    assert dates is not None
    first, end = ((d - start).days for d in dates)
    if first < 0:
        raise ScenarioError(
            f"measure '{name}' = [{dates[0]}, {dates[1]}) begins before the scenario's start {start} "
            f"(allowed: dates from {start} on)"
        )
    return first, end


VALIDATION_ONLY = frozenset({"point", "independent", "independent_why"})  # fields a fit never reads


class Target(_Strict):
    """One published figure as a range, with where it comes from and what in the model it constrains."""

    figure: str = Field(min_length=1, max_length=300)
    low: float
    high: float
    point: float | None = Field(
        None, description="the published figure itself, when the source gives one (inside [low, high])"
    )
    scale: Literal["log", "linear"] = Field(
        "log", description="how misses are measured: in ratios (counts) or in differences (shares)"
    )
    date: datetime.date = Field(description="the end of the figure's period")
    period: str = Field(min_length=1, max_length=200)
    source: str = Field(min_length=1, max_length=300)
    scenario: str = Field(min_length=1, max_length=120)
    role: Literal["fit", "holdout"]
    measure: Measure
    independent: StrictBool = Field(
        description="independent evidence: no input was chosen to produce it, and it is not fitted (true or false)"
    )
    independent_why: str = Field(min_length=1, max_length=500, description="why the figure is independent, or not")
    note: str = Field("", max_length=1000)

    @model_validator(mode="after")
    def _a_range(self) -> Target:
        if not (math.isfinite(self.low) and math.isfinite(self.high) and self.low < self.high):
            raise ValueError(f"a figure is a range [low, high] with low < high, got [{self.low}, {self.high}]")
        if self.scale == "log" and self.low < 0:
            raise ValueError(f"scale = 'log' needs low >= 0 (counts), got {self.low}")
        if self.point is not None and not (math.isfinite(self.point) and self.low <= self.point <= self.high):
            raise ValueError(f"'point' = {self.point} must lie inside [low, high] = [{self.low}, {self.high}]")
        if self.role == "fit" and self.independent:
            raise ValueError("'independent' = true on a fitted figure: a figure used to calibrate is never evidence")
        return self

    @property
    def middle(self) -> float:
        """The range's middle: the geometric one for counts (scale 'log', low > 0), else the arithmetic one."""
        if self.scale == "log" and self.low > 0:
            return math.sqrt(self.low * self.high)
        return (self.low + self.high) / 2

    def fitted_fields(self) -> dict[str, object]:
        """The figure as a calibration reads it (its manifest): without the fields only validation reads."""
        return self.model_dump(mode="json", exclude=set(VALIDATION_ONLY))

    def miss(self, value: float) -> float:
        """How far ``value`` lies outside the range, in widths of the range (0 inside it)."""
        f = math.log1p if self.scale == "log" else float
        lo, hi, v = f(self.low), f(self.high), f(max(value, 0.0) if self.scale == "log" else value)
        return max(0.0, lo - v, v - hi) / (hi - lo)


class PriorSpec(_Strict):
    """A calibrated field's prior: uniform over ``prior`` (within the field's allowed range)."""

    prior: tuple[float, float] | None = Field(None, description="default: the field's allowed range")
    why: str = Field("", max_length=500)


class ScenarioCalibration(_Strict):
    """What to calibrate in one scenario, and at which scale its runs keep the calibrated rates stable."""

    scale: float = Field(gt=0, le=10)
    parameters: dict[str, PriorSpec] = Field(min_length=1, max_length=50)


class ValidationRun(_Strict):
    """How ``exitban validate`` runs a scenario: a scale fine enough for its smallest held-out counts."""

    scale: float = Field(gt=0, le=10)
    runs: int = Field(20, ge=2, le=10_000)


class TargetsFile(_Strict):
    """A whole targets file."""

    fit_until: datetime.date
    targets: dict[str, Target] = Field(min_length=1, max_length=1000)
    calibrate: dict[str, ScenarioCalibration] = Field(default_factory=dict)
    validate_runs: dict[str, ValidationRun] = Field(default_factory=dict, alias="validate")

    @model_validator(mode="after")
    def _fit_is_early(self) -> TargetsFile:
        late = [k for k, t in self.targets.items() if t.role == "fit" and t.date > self.fit_until]
        if late:
            raise ValueError(f"targets {late} are dated after fit_until ({self.fit_until}): make them 'holdout'")
        return self

    def for_scenario(self, scenario: str, role: str) -> dict[str, Target]:
        return {k: t for k, t in self.targets.items() if t.scenario == scenario and t.role == role}


def load_targets(path: str | Path | None = None) -> tuple[TargetsFile, Path]:
    """Read and validate a targets file (default: the shipped one); errors name the file and the field."""
    from exitban.scenario.load import read_toml
    from exitban.scenario.messages import format_validation_error

    p = Path(str(SHIPPED_TARGETS)) if path is None else Path(path)
    data = read_toml(p, MAX_TARGETS_BYTES, "a targets file", "no such targets file")
    try:
        return TargetsFile.model_validate(data), p
    except ValidationError as exc:
        raise ScenarioError(format_validation_error(p, exc, root=TargetsFile)) from None
