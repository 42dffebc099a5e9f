"""Every page of results says what it is, where a reader looks first: simulated, calibrated or not, the
levers changed from the base, sourced facts against assumptions, real-scale counts, one seed or a band."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import exitban
from exitban.cli import app
from exitban.evidence import ASSUMPTION, LABEL, SOURCED_FACT, SWITCH, classify
from exitban.report import RunData, plain_summary, write_report
from exitban.report.bands import Seeds
from exitban.report.framing import NOT_LEVERS, about, framing, real_scale

SCALE = 0.01
runner = CliRunner()


def _words(page: str) -> str:
    """The page's text as a reader sees it: tags dropped, entities decoded, spaces joined."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


@pytest.fixture(scope="module")
def lifted() -> exitban.Result:
    """The ban-lifted counterfactual with one more lever moved, at 1% scale."""
    sc = exitban.load_scenario("army-officers-2019-ban-lifted").with_overrides(scale=SCALE, days=60)
    return exitban.simulate(sc.with_params({"regime.prosecution_threat": 0.9}), seed=4)


@pytest.fixture(scope="module")
def page(lifted: exitban.Result, tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("framing") / "r.html"
    return _words(write_report(RunData.from_result(lifted), out).html.read_text())


def test_the_report_opens_with_what_its_figures_are(page: str) -> None:
    """Before the summary: simulated, not calibrated (with the validation page), the scale and one seed."""
    what = page[: page.index("In brief")]
    assert "Simulated, not reported" in what and "None is an observation" in what
    assert "Not calibrated" in what and "army-officers-2019-calibrated" in what and "docs/validation.md" in what
    assert f"Scale: {SCALE:g} of real size" in what and "multiplied by 100 for real size" in what
    assert "One seed (4)" in what and "-n 10" in what


def test_the_report_lists_the_levers_that_differ_from_the_base(page: str) -> None:
    """The counterfactual's own lever and the one set on top, each with the base's value; nothing else."""
    assert "Levers that differ from army-officers-2019: " in page
    assert "regime.resignation_ban = off (base on)" in page
    assert "regime.prosecution_threat = 0.9 (base 0.3)" in page
    levers = page[page.index("Levers that differ") : page.index("Of its")]
    assert levers.count("(base ") == 2


def test_the_report_counts_sourced_facts_and_assumptions_from_the_provenance(page: str) -> None:
    """The counts are `exitban show`'s provenance, classified as `exitban sources` does, without the run's days
    and scale; the lever moved by with_params leaves its shipped source behind and counts as an assumption."""
    res = runner.invoke(app, ["show", "army-officers-2019-ban-lifted", "--json"])
    rows = {k: (v["value"], v["provenance"]) for k, v in json.loads(res.output)["values"].items()}
    rows = {k: r for k, r in rows.items() if k not in NOT_LEVERS}  # the run's size, length and dates
    rows = {k: (v, p) for k, (v, p) in rows.items() if isinstance(v, int | float) and not isinstance(v, bool)}
    kinds = [classify(v, p) for v, p in rows.values()]
    numbers = sum(k not in (SWITCH, LABEL) for k in kinds)
    sourced = kinds.count(SOURCED_FACT)
    level = sum(k == ASSUMPTION and p.startswith("source") for k, (_, p) in zip(kinds, rows.values(), strict=True))
    assert rows["regime.prosecution_threat"][1].startswith("source")  # moved below: no longer its source's
    assert f"Of its {numbers} numbers, {sourced} are facts from the news reports" in page
    assert f"{level - 1} rest on a reported fact but have an assumed level, {numbers - sourced - level + 1} are" in page
    assert sourced < numbers / 4  # most of the model is assumption: the page must not hide it


def test_counts_are_at_real_scale_with_the_runs_own_in_brackets(lifted, page: str) -> None:
    """903 simulated exits at 1% are quoted as about 90,000, the 903 beside it."""
    exits = lifted.summary["exits_total"]
    assert f"About {about(exits / SCALE)} [{exits:,}] people left" in page
    assert "Counts below are at real size (the run's count x 100, rounded)" in page


def test_one_seed_is_rounded_and_a_band_replaces_it_when_there_are_seeds(lifted) -> None:
    """At real size one seed's 2,668 reads 'about 2,700'; with replications each main count gets its 5-95% range."""
    assert real_scale(2668, 1.0) == "about 2,700"
    assert real_scale(42, 1.0) == "42"
    assert real_scale(903, 0.01) == "about 90,000 [903]"
    assert real_scale(2668, 1.0, replications=5) == "2,668"
    others = [exitban.simulate(lifted.scenario, seed=s).summary for s in (5, 6)]
    text = " ".join(plain_summary(RunData.from_result(lifted), others))
    assert "people left" in text and "(5-95% over 3 runs: " in text
    lines = framing(lifted.scenario, lifted.summary, replications=3).lines()
    assert any(line.startswith("Bands: the shaded 5-95% ranges are over 3 runs") for line in lines)
    assert not any(line.startswith("One seed") for line in lines)


def test_a_report_with_seeds_gives_the_band(lifted, tmp_path: Path) -> None:
    """write_report with replications puts their range in the summary and says the bands are over them."""
    runs = tuple(RunData.from_result(exitban.simulate(lifted.scenario, seed=s)) for s in (4, 5))
    page = _words(write_report(runs[0], tmp_path / "r.html", seeds=Seeds(runs)).html.read_text())
    assert "(5-95% over 2 runs: " in page and "Bands: the shaded 5-95% ranges are over 2 runs" in page


def test_a_calibrated_scenario_says_so() -> None:
    """The calibrated scenario counts its calibrated numbers and points at the validation page."""
    sc = exitban.load_scenario("army-officers-2019-calibrated")
    f = framing(sc, {"seed": 0, "version": "x", "scale": 1.0, "agents": 1})
    assert f.calibrated and f.calibration.startswith("Calibrated: ") and "docs/validation.md" in f.calibration
    assert f.levers == "Levers: as shipped in army-officers-2019-calibrated, none changed."


def test_a_scenario_of_ones_own_has_no_base(tmp_path: Path) -> None:
    """A scenario that is not shipped says it has no base instead of inventing one."""
    path = tmp_path / "mine.toml"
    path.write_text('name = "mine"\n[institutions.staff]\nkind = "civil_official"\nsize = 1000\n')
    f = framing(exitban.load_scenario(path), {"seed": 0, "scale": 1.0})
    assert "not a shipped scenario" in f.levers and f.changes == ()


def test_the_run_command_prints_what_its_table_is(tmp_path: Path) -> None:
    """`exitban run` says simulated, the levers changed and the scale before its table."""
    res = runner.invoke(
        app,
        ["run", "army-officers-2019", "--days", "10", "--scale", "0.002", "--out", str(tmp_path / "r"),
         "--set", "regime.resignation_ban=off"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    out = " ".join(res.output.split())
    assert "Simulated, not reported" in out and "regime.resignation_ban = off (base on)" in out
    assert "simulated, one seed (0), scale 0.002: x 500 for real size" in out
