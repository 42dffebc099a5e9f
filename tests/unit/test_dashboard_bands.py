"""The dashboard's comparison runs band the current levers' plots over their seeds, for every institution chosen."""

from __future__ import annotations

import html

import pytest

pytest.importorskip("panel")
from exitban.dashboard.app import ALL, Dashboard
from exitban.dashboard.live import has_band


@pytest.fixture(scope="module")
def dashboard() -> Dashboard:
    """A dashboard with tiny runs of the default scenario (0.2% scale, 30 days)."""
    d = Dashboard()
    d.scale_w.value = 0.002
    d.days_w.value = 30
    return d


def test_comparing_over_seeds_bands_every_time_series_plot(dashboard: Dashboard) -> None:
    """With the baseline compared over three seeds, the headcount and per-institution plots shade bands; without, none."""
    dashboard.compare_w.value, dashboard.reps_w.value = True, 3
    dashboard.run()
    assert "shaded: 5-95% over seeds 0 to 2" in html.unescape(dashboard.status.object)
    assert has_band(dashboard.plots["headcount"].object) and has_band(dashboard.plots["institutions"].object)
    assert not has_band(dashboard.plots["waits"].object)
    dashboard.institution_w.value = dashboard.institution_w.options[1]  # one institution: its own runs' bands
    assert has_band(dashboard.plots["headcount"].object)
    dashboard.institution_w.value = ALL
    dashboard.compare_w.value = False
    dashboard.run()
    assert "shaded" not in dashboard.status.object
    assert not has_band(dashboard.plots["headcount"].object)


def test_the_dashboard_says_what_its_figures_are(dashboard: Dashboard) -> None:
    """Above the plots: simulated, calibration status, the levers moved from the base, counts at real size."""
    dashboard.compare_w.value = False
    dashboard.levers["regime.resignation_ban"].value = "off"
    dashboard.run()
    what = html.unescape(dashboard.what.object)
    assert "Simulated, not reported" in what and "Not calibrated" in what and "docs/validation.md" in what
    assert "regime.resignation_ban = off (base on)" in what
    assert "Scale: 0.002 of real size" in what
    assert "at real size" in html.unescape(dashboard.summary.object)
    dashboard.levers["regime.resignation_ban"].value = "on"
