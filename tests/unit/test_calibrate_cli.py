"""``exitban calibrate`` and ``exitban validate`` end to end, on tiny runs in this process."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from exitban.cli import app
from exitban.scenario import resolve_provenance
from exitban.scenario.load import load_scenario

runner = CliRunner()

TARGETS = """
fit_until = 2023-06-30

[targets.absent_days]
figure = "absent person-days in a month"
low = 2_000
high = 20_000
date = 2019-12-31
period = "test"
source = "made up for the test"
scenario = "army-officers-2019"
role = "fit"
measure = { columns = ["absent"], days = [0, 30] }
independent = false
independent_why = "fitted"

[targets.cases_later]
figure = "absence cases in the second month"
low = 1
high = 100_000
date = 2024-12-31
period = "test"
source = "made up for the test"
scenario = "army-officers-2019"
role = "holdout"
measure = { columns = ["cases_absence"], days = [30, 60] }
independent = true
independent_why = "made up for the test"

[calibrate.army-officers-2019]
scale = 0.002

[calibrate.army-officers-2019.parameters]
"behaviour.absence_bias" = { prior = [-6.0, 0.0], why = "test" }

[validate.army-officers-2019]
scale = 0.002
runs = 3
"""


@pytest.fixture(scope="module")
def done(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One finished tiny calibration, shared by the tests that only read it (its folder is tmp/cal)."""
    tmp = tmp_path_factory.mktemp("calibrated")
    code, out = _calibrate(tmp)
    assert code == 0, out
    return tmp


def _calibrate(tmp_path: Path, *extra: str) -> tuple[int, str]:
    targets = tmp_path / "targets.toml"
    targets.write_text(TARGETS)
    args = ["calibrate", "army-officers-2019", "--targets", str(targets), "--out", str(tmp_path / "cal")]
    result = runner.invoke(
        app, [*args, "--particles", "10", "--generations", "2", "--batch", "5", "--workers", "1", *extra]
    )
    return result.exit_code, result.output


def test_calibrate_writes_posterior_identifiability_and_a_calibrated_scenario(tmp_path: Path) -> None:
    """The folder holds the posterior, the table and a scenario whose calibrated field says so, and loads."""
    code, out = _calibrate(tmp_path)
    assert code == 0, out
    folder = tmp_path / "cal"
    post = pl.read_parquet(folder / "posterior.parquet")
    assert post.height == 10 and abs(post["weight"].sum() - 1.0) < 1e-9
    assert "behaviour.absence_bias" in (folder / "identifiability.md").read_text()
    sc = load_scenario(folder / "army-officers-2019-calibrated.toml")
    value, provenance = resolve_provenance(sc)["behaviour.absence_bias"]
    assert provenance.startswith("calibrated: ABC-SMC on absent_days")
    assert value in post["behaviour.absence_bias"].round(6).to_list()
    assert "identifiability" in out and "stopped: ran all 2 generations" in out


def test_calibrate_again_resumes_and_extends(done: Path, tmp_path: Path) -> None:
    """The same command again runs nothing new and writes the same posterior; more generations extend it."""
    shutil.copytree(done, tmp_path, dirs_exist_ok=True)
    first = (tmp_path / "cal" / "posterior.parquet").read_bytes()
    code, out = _calibrate(tmp_path)
    assert code == 0 and "nothing to run" in " ".join(out.split()), out
    assert (tmp_path / "cal" / "posterior.parquet").read_bytes() == first
    code, out = _calibrate(tmp_path, "--generations", "3")
    assert code == 0, out
    assert pl.read_parquet(tmp_path / "cal" / "generations.parquet").height == 3


def test_another_calibration_in_the_same_folder_is_refused(done: Path) -> None:
    """A different seed in a used folder is a clear error (exit 2), not a mixed posterior."""
    code, out = _calibrate(done, "--seed", "9")
    assert code == 2 and "holds another calibration" in out


def test_validate_prints_and_writes_the_table(done: Path, tmp_path: Path) -> None:
    """validate runs the calibrated scenario with posterior draws; held-out rows come first, fitted ones are marked."""
    scenario = done / "cal" / "army-officers-2019-calibrated.toml"
    doc = tmp_path / "validation.md"
    args = ["validate", str(scenario), "--targets", str(done / "targets.toml"), "--workers", "1", "--doc", str(doc)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "parameters drawn from its posterior" in result.output
    page = doc.read_text()
    rows = [line for line in page.splitlines() if line.startswith("| army-officers-2019-calibrated")]
    assert len(rows) == 2 and "held out" in rows[0] and "fitted (not evidence)" in rows[1]
    assert "| held out | yes |" in rows[0] and rows[1].endswith("| fitted (not evidence) | no |")
    assert "Held out: 1 figure, 1 of them independent. The score, over the independent ones:" in " ".join(
        result.output.split()
    )


def test_calibrate_names_a_scenario_the_targets_do_not_cover(tmp_path: Path) -> None:
    """A scenario without a [calibrate.NAME] table is refused with the file named (exit 2)."""
    targets = tmp_path / "targets.toml"
    targets.write_text(TARGETS)
    result = runner.invoke(
        app, ["calibrate", "officials-2023", "--targets", str(targets), "--out", str(tmp_path / "x")]
    )
    assert result.exit_code == 2
    assert "targets.toml: no [calibrate.officials-2023] table" in " ".join(result.output.split())
    assert not (tmp_path / "x").exists()


def test_a_scenario_without_figures_takes_anothers_calibration(done: Path, tmp_path: Path) -> None:
    """--from copies the posterior's behaviour fields into the scenario, with provenance naming the source."""
    args = ["calibrate", "officials-2023", "--from", str(done / "cal"), "--out", str(tmp_path / "off")]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    sc = load_scenario(tmp_path / "off" / "officials-2023-calibrated.toml")
    value, provenance = resolve_provenance(sc)["behaviour.absence_bias"]
    assert "transferred from the calibration of army-officers-2019" in provenance
    source = pl.read_parquet(done / "cal" / "posterior.parquet")
    assert value in source["behaviour.absence_bias"].round(6).to_list()
    assert pl.read_parquet(tmp_path / "off" / "posterior.parquet").columns == ["behaviour.absence_bias", "weight"]


def test_from_a_folder_that_is_not_a_calibration(tmp_path: Path) -> None:
    """--from an empty folder is a clear error (exit 2)."""
    (tmp_path / "empty").mkdir()
    result = runner.invoke(app, ["calibrate", "officials-2023", "--from", str(tmp_path / "empty")])
    assert result.exit_code == 2 and "not a finished calibration folder" in result.output


def test_targets_lists_the_shipped_figures() -> None:
    """exitban targets shows every figure of the shipped file with its role and scenario."""
    from exitban.calibration.targets import load_targets

    result = runner.invoke(app, ["targets"])
    assert result.exit_code == 0, result.output
    shipped, _ = load_targets()
    for key in shipped.targets:
        assert key in result.output


def test_processes_and_this_process_give_the_same_bytes(done: Path, tmp_path: Path) -> None:
    """The same calibration on two worker processes writes the posterior of the serial one, byte for byte."""
    targets = tmp_path / "targets.toml"
    targets.write_text(TARGETS)
    args = ["calibrate", "army-officers-2019", "--targets", str(targets), "--out", str(tmp_path / "cal")]
    result = runner.invoke(app, [*args, "--particles", "10", "--generations", "2", "--batch", "5", "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "cal/posterior.parquet").read_bytes() == (done / "cal/posterior.parquet").read_bytes()


def test_a_memory_refusal_is_made_before_the_folder_and_never_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Check before work (issue 26, item 4): runs that do not fit this machine's memory, for all local workers
    together, are refused in one line before the calibration folder exists; a refusal inside a worker is
    raised, never stored as a proposal's result (a folder holding it could never calibrate again)."""
    from exitban.calibration.worker import ParticleTask, run_particle
    from exitban.errors import ResourceError
    from exitban.limits import ENV_LIMIT, estimate
    from exitban.scenario import Scenario

    targets = tmp_path / "targets.toml"
    targets.write_text(TARGETS)
    one = estimate(load_scenario("army-officers-2019").with_overrides(scale=0.002, days=30)).total
    monkeypatch.setenv(ENV_LIMIT, str(int(one * 1.5)))  # one run fits, two at once do not
    args = ["calibrate", "army-officers-2019", "--targets", str(targets), "--out", str(tmp_path / "cal")]
    result = runner.invoke(app, [*args, "--particles", "10", "--generations", "2", "--workers", "2"])
    assert result.exit_code == 2, result.output
    assert "2 runs at once" in result.stderr and "--workers" in result.stderr
    assert not (tmp_path / "cal").exists()

    def refuse(*a: object, **k: object) -> None:
        raise ResourceError("needs more memory than this machine has")

    monkeypatch.setattr(sys.modules["exitban.simulate"], "simulate", refuse)
    data = Scenario.model_validate(load_scenario("army-officers-2019").model_dump()).model_dump(mode="json")
    with pytest.raises(ResourceError):
        run_particle(ParticleTask("p0", 1, data, {"behaviour.absence_bias": -2.0}, ()))


@pytest.mark.parametrize("what", ["fifo manifest", "link outside"])
def test_from_a_folder_whose_files_are_not_its_own_is_refused_at_once(done: Path, tmp_path: Path, what: str) -> None:
    """--from whose calibration.json is a FIFO (read forever before) or whose posterior links outside: one line."""
    import os
    import shutil
    import signal

    source = tmp_path / "cal"
    shutil.copytree(done / "cal", source)
    if what == "fifo manifest":
        (source / "calibration.json").unlink()
        os.mkfifo(source / "calibration.json")
        expected = "calibration.json: is not a regular file"
    else:
        (source / "posterior.parquet").rename(tmp_path / "outside.parquet")
        (source / "posterior.parquet").symlink_to(tmp_path / "outside.parquet")
        expected = "is a link that leads outside its folder"

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError("--from blocked")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(20)
    try:
        result = runner.invoke(
            app, ["calibrate", "officials-2023", "--from", str(source), "--out", str(tmp_path / "o")]
        )
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert result.exit_code == 2, result.output
    assert "not a finished calibration folder" in result.output and expected in " ".join(result.output.split())
    assert not (tmp_path / "o").exists()
