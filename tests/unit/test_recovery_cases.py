"""The recovery checks' cases (issue 23, item 5) are well formed without running them: each truth inside
its prior, each prior a calibratable field of the scenario, each pattern a column its runs produce, read
within the run. The recoveries themselves run in tests/regression/test_calibration_recovery.py (the
army's) and `python benchmarks/calibrate.py --recovery --scenario war-2022-2025` (the long run's)."""

from __future__ import annotations

import datetime

import pytest

from exitban.calibration.measures import check_measures
from exitban.calibration.priors import build_priors
from exitban.calibration.selfcheck import RECOVERY_CASES, RecoveryCase, ranges_around
from exitban.calibration.targets import ScenarioCalibration
from exitban.scenario.load import load_scenario


@pytest.mark.parametrize("case", RECOVERY_CASES.values(), ids=list(RECOVERY_CASES))
def test_a_recovery_case_is_well_formed(case: RecoveryCase) -> None:
    base = load_scenario(case.scenario).with_overrides(scale=case.scale, days=case.days)
    assert set(case.truth) == set(case.priors) and len(case.truth) >= 3
    for name, (low, high) in case.priors.items():
        assert low < case.truth[name] < high, name
    spec = ScenarioCalibration(scale=case.scale, parameters={k: {"prior": list(v)} for k, v in case.priors.items()})
    priors = build_priors(base, spec, "the recovery check")  # refuses a field that is not calibratable
    assert set(priors.names) == set(case.truth)
    measures = case.measures(case.days)
    check_measures(ranges_around(dict.fromkeys(measures, 1.0), base.name, measures), base, "the recovery check")
    run_end = base.start + datetime.timedelta(days=case.days)
    for m in measures.values():
        if m.dates is not None:
            assert base.start <= m.dates[0] and m.dates[1] <= run_end, m
        else:
            assert m.days is not None and m.days[1] <= case.days, m


def test_the_long_run_case_recovers_fields_its_calibration_fits() -> None:
    """The long run's case is about its own calibration: its fields are among the targets file's, on its priors."""
    from exitban.calibration.targets import load_targets

    targets, where = load_targets()
    base = load_scenario("war-2022-2025")
    fitted = build_priors(base, targets.calibrate[base.name], str(where))
    bounds = {n: (float(lo), float(hi)) for n, lo, hi in zip(fitted.names, fitted.low, fitted.high, strict=True)}
    for name, prior in RECOVERY_CASES[base.name].priors.items():
        assert bounds[name] == prior, name
