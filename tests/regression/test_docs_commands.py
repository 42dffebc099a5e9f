"""Every ``exitban`` command shown in README.md and docs/**/*.md runs, as a reader would run it.

The pages are read in the order a reader meets them (README.md, then docs/ by path) and their
commands run in sequence in ONE temporary folder, so a command that reads what an earlier one
wrote (``run`` then ``report``, ``sweep`` then ``query``) finds it. A command exits 0, unless
the page shows its output starting with ``error:``: then it exits 2 and prints that line's start.

Commands run as written except for these rewrites, which keep the whole module to well under a
minute of runs (each is applied only where the command takes the option):

- ``--scale`` becomes ``SCALE``; a command that runs a scenario and gives none gets it (a run
  directory's report keeps its run's). ``--days`` stays as written: at this scale a long run
  is cheap, and a failure that needs the days (capacity below zero after day 500) is kept;
- ``-n``/``--replications``/``--runs`` at most ``REPLICATIONS`` (given to ``compare`` and
  ``report --compare``, whose default is 5); ``--particles`` becomes
  ``PARTICLES`` and ``--generations`` ``GENERATIONS``; ``--workers 1`` (runs in this process);
- ``--dask local:N`` becomes ``local:1``; ``--dask tcp://...`` (a cluster of one's own: marked
  ``SERVER``) becomes ``local:1`` too;
- ``examples/sweeps/X.toml`` becomes a copy with ``SWEEP_SHRINK`` applied (fewer days, points,
  replications: same fields, same names);
- ``exitban dashboard`` (a server: marked ``SERVER``) starts as a subprocess on a free port and
  passes when it listens within ``DASHBOARD_TIMEOUT_S``; it is then stopped;
- files a page assumes the reader has (``FIXTURES``) are written first.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exitban.cli import app

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
SHELL_BLOCKS = {"bash", "sh", "shell", "console"}  # ```text blocks show output, not commands

SCALE = "0.002"
DAYS = 20
REPLICATIONS = 2
PARTICLES = "16"
GENERATIONS = "1"
DASHBOARD_TIMEOUT_S = 60
SWEEP_SHRINK = {"days": DAYS, "scale": 0.002, "replications": 1, "samples": 8, "num_resamples": 50, "levels": 2}
SERVER = ("exitban dashboard", "--dask tcp://")  # need a server: run with a timeout / a local cluster

# what a page supposes the reader has written (named in its text, not shown as a file)
FIXTURES = {
    "my-scenario.toml": 'extends = "army-officers-2019"\nname = "my-scenario"\n',
    "bad.toml": (
        'name = "bad"\nbase = "army-officers-2019"\ndays = 20\nscale = 0.002\ndesign = "grid"\n'
        '[parameters."regime.prosecution_threat"]\nvalues = [0.0, 0.5, 1.5]\n'
    ),
}
# options each verb takes (a rewrite adds or changes only these)
TAKES = {
    "run": {"--scale"},
    "report": {"--scale", "-n", "--workers"},
    "compare": {"--scale", "-n", "--workers"},
    "calibrate": {"--scale", "--particles", "--generations", "--workers"},
    "validate": {"--scale", "--runs", "--workers"},
    "sweep": {"--workers"},
    "sensitivity": {"--workers"},
    "dashboard": {"--scale"},
}
runner = CliRunner()


@dataclass
class Command:
    page: str
    line: int
    text: str  # as the page shows it
    error: str | None  # the shown output's first line, when it starts with "error:"


def documented_commands(page: Path) -> list[Command]:
    """The ``exitban`` commands of a page's shell code blocks, continuation lines joined."""
    text = page.read_text()
    found = []
    for block in re.finditer(r"^```(\w*)\n(.*?)^```", text, flags=re.DOTALL | re.MULTILINE):
        if block.group(1) not in SHELL_BLOCKS:
            continue
        first_line = text.count("\n", 0, block.start(2)) + 1
        lines = block.group(2).splitlines()
        i = 0
        while i < len(lines):
            at, line = i, lines[i].removeprefix("$ ").strip()
            while line.endswith("\\") and i + 1 < len(lines):
                i += 1
                line = line[:-1] + " " + lines[i].strip()
            i += 1
            if not line.startswith("exitban "):
                continue
            shown = lines[i].strip() if i < len(lines) else ""
            error = shown if shown.startswith("error:") else None
            found.append(Command(str(page.relative_to(ROOT)), first_line + at, line, error))
    return found


def _shrunk_spec(spec: Path, folder: Path) -> Path:
    """A copy of a sweep spec with SWEEP_SHRINK's numbers (ranges and names untouched). A spec whose outputs are
    published figures (``target:``) keeps its days: the figures' windows need them, and at this scale they are
    cheap."""
    text = (ROOT / spec).read_text()
    shrink = {k: v for k, v in SWEEP_SHRINK.items() if k != "days" or '"target:' not in text}
    for key, value in shrink.items():
        text = re.sub(rf"^{key} = [0-9.e-]+", f"{key} = {value}", text, flags=re.MULTILINE)
    assert tomllib.loads(text), spec
    out = folder / "shrunk" / spec
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    return out


def _set(args: list[str], option: str, value: str, limit: int | None = None) -> None:
    """Set ``option`` to ``value`` (or to at most ``limit``), adding it if absent."""
    names = {"-n": ("-n", "--replications")}.get(option, (option,))
    for k, arg in enumerate(args[:-1]):
        if arg in names:
            args[k + 1] = str(min(int(args[k + 1]), limit)) if limit is not None else value
            return
    args += [option, value]


def rewrite(argv: list[str], folder: Path) -> list[str]:
    """The command with this module's rewrites applied (see the module's docstring)."""
    verb, args = argv[0], list(argv[1:])
    takes = TAKES.get(verb, set())
    args = [str(_shrunk_spec(Path(a), folder)) if a.startswith("examples/sweeps/") else a for a in args]
    for k, arg in enumerate(args[:-1]):
        if arg == "--dask":
            args[k + 1] = "local:1"
    target = next((a for a in args if not a.startswith("-")), None)
    runs_a_scenario = verb != "report" or target is None or not (folder / target).is_dir()
    if runs_a_scenario:
        if "--scale" in takes:
            _set(args, "--scale", SCALE)
    if "-n" in takes and ({"-n", "--replications", "--compare"} & set(args) or verb == "compare"):
        _set(args, "-n", str(REPLICATIONS), limit=REPLICATIONS)
    if "--runs" in takes:
        _set(args, "--runs", str(REPLICATIONS), limit=REPLICATIONS)
    if "--particles" in takes:
        _set(args, "--particles", PARTICLES)
        _set(args, "--generations", GENERATIONS)
    if "--workers" in takes and "--dask" not in args:
        _set(args, "--workers", "1")
    return [verb, *args]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve_dashboard(args: list[str], folder: Path) -> tuple[bool, str]:
    """Start the dashboard as a reader would; True if its page answers before the timeout."""
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "exitban", *args, "--port", str(port)],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    served, deadline = False, time.monotonic() + DASHBOARD_TIMEOUT_S
    try:  # listening is enough here: tests/unit/test_dashboard_http.py reads the page itself
        while time.monotonic() < deadline and proc.poll() is None and not served:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                served = True
            except OSError:
                time.sleep(0.2)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            output, _ = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            output, _ = proc.communicate()
    return served, output[-2000:]


def run_command(cmd: Command, folder: Path) -> str | None:
    """None if the command did what its page says; else what went wrong."""
    words = shlex.split(cmd.text, comments=True)
    redirect = None
    if ">" in words:
        k = words.index(">")
        words, redirect = words[:k], words[k + 1]
    argv = rewrite(words[1:], folder)
    where = f"{cmd.page}:{cmd.line}: {cmd.text}\n  ran: exitban {shlex.join(argv)}"
    if argv[0] == "dashboard":
        served, output = _serve_dashboard(argv, folder)
        return None if served else f"{where}\n  never listened:\n{output}"
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        res = runner.invoke(app, argv)
    finally:
        os.chdir(cwd)
    out = res.output
    if redirect is not None:
        (folder / redirect).write_text(res.stdout)
    if cmd.error is not None:
        if res.exit_code != 2 or cmd.error[:40] not in out:
            return f"{where}\n  expected exit 2 and {cmd.error[:40]!r}; got {res.exit_code}:\n{out[-1500:]}"
        return None
    if res.exit_code != 0:
        trace = ""
        if res.exception is not None and not isinstance(res.exception, SystemExit):
            import traceback

            trace = "".join(traceback.format_exception(res.exception))[-2000:]
        return f"{where}\n  exit {res.exit_code}:\n{out[-1500:]}{trace}"
    return None


ALL = {str(p.relative_to(ROOT)): documented_commands(p) for p in PAGES}


def test_the_collector_finds_the_commands() -> None:
    """The README's run-then-report pair and a console block's error example are collected."""
    readme = [c.text for c in ALL["README.md"]]
    assert any(t.startswith("exitban run fsb-mobilization-2023") for t in readme)
    assert any(t.startswith("exitban report runs/fsb --compare") for t in readme)
    errors = [c for c in ALL["docs/how-to/when-a-scenario-is-rejected.md"] if c.error]
    assert errors and errors[0].error.startswith("error: tests/data/bad_scenarios/")
    assert rewrite(["run", "x", "--days", "730", "--scale", "0.1"], Path("."))[2:] == [
        "--days",
        "730",
        "--scale",
        SCALE,
    ]
    # the commands that need a server are found, and run without one: a local cluster, or a timed subprocess
    server = [c for cmds in ALL.values() for c in cmds if any(mark in c.text for mark in SERVER)]
    assert {m for m in SERVER if any(m in c.text for c in server)} == set(SERVER)
    for c in server:
        argv = rewrite(shlex.split(c.text, comments=True)[1:], Path("."))
        assert argv[0] == "dashboard" or argv[argv.index("--dask") + 1] == "local:1", c.text


@pytest.fixture(scope="module")
def reader_folder(tmp_path_factory) -> Path:
    """One folder for every page, as one reader's checkout: what a page writes, a later one reads."""
    folder = tmp_path_factory.mktemp("reader")
    for name, text in FIXTURES.items():
        (folder / name).write_text(text)
    (folder / "tests").symlink_to(ROOT / "tests")  # pages name tests/data/... from the repository root
    (folder / "examples").symlink_to(ROOT / "examples")
    (folder / "docs").mkdir()
    return folder


@pytest.mark.parametrize("page", [p for p, cmds in ALL.items() if cmds])
def test_documented_commands_run(page: str, reader_folder: Path) -> None:
    """Each command of the page, in order, does what the page shows (exit 0, or its error line)."""
    failures = []
    for cmd in ALL[page]:
        began = time.perf_counter()
        if msg := run_command(cmd, reader_folder):
            failures.append(msg)
        print(f"{time.perf_counter() - began:6.1f} s  {cmd.page}:{cmd.line}: {cmd.text[:90]}")
    assert not failures, "\n\n".join(failures)
