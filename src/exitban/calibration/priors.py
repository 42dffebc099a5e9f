"""The search box of a calibration: which scenario fields it varies, and their uniform priors.

Only fields whose value is an assumption may be calibrated (their provenance says
``assumption`` or that the level was assumed); a sourced fact such as an institution's size is
refused. A prior defaults to the field's allowed range and may be narrowed in the targets file,
never widened beyond it. Only real-valued fields are calibrated: a count or a switch is not.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from exitban.calibration.targets import ScenarioCalibration
from exitban.errors import ScenarioError
from exitban.scenario.fields import bounds, field_at
from exitban.scenario.schema import Scenario, resolve_provenance


@dataclass(frozen=True)
class Priors:
    """Names (dotted paths), lower and upper bounds of the calibrated fields, in order."""

    names: tuple[str, ...]
    low: np.ndarray
    high: np.ndarray

    def to_values(self, u: np.ndarray) -> np.ndarray:
        """Unit-cube coordinates to field values."""
        return self.low + u * (self.high - self.low)


def calibratable(provenance: str) -> bool:
    """A field the calibration may move: its value is an assumption, not a sourced figure."""
    text = provenance.lower()
    return text.startswith("assumption") or "assumed" in text or text.startswith("calibrated")


def build_priors(scenario: Scenario, spec: ScenarioCalibration, where: str) -> Priors:
    """The priors of ``spec`` for ``scenario``; errors name the targets file and the parameter."""
    provenance = resolve_provenance(scenario)
    names, lows, highs = [], [], []
    for dotted, prior in spec.parameters.items():
        try:
            low, high = bounds(field_at(scenario, dotted)).floats()
        except ScenarioError as exc:
            raise ScenarioError(f"{where}: calibrate.{scenario.name}: {exc}") from None
        value, source = provenance.get(dotted, (None, ""))
        if isinstance(value, bool) or not isinstance(value, float):
            raise ScenarioError(
                f"{where}: parameter '{dotted}' is {type(value).__name__}; only real-valued fields are calibrated"
            )
        if not calibratable(source):
            raise ScenarioError(
                f"{where}: parameter '{dotted}' is a sourced value ({source}); only assumptions are calibrated"
            )
        lo, hi = prior.prior if prior.prior is not None else (low, high)
        if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
            raise ScenarioError(f"{where}: parameter '{dotted}' has no finite allowed range; give prior = [low, high]")
        if lo < low or hi > high:
            raise ScenarioError(
                f"{where}: parameter '{dotted}': prior [{lo}, {hi}] leaves the allowed range [{low}, {high}]"
            )
        names.append(dotted)
        lows.append(lo)
        highs.append(hi)
    return Priors(tuple(names), np.array(lows, dtype=np.float64), np.array(highs, dtype=np.float64))
