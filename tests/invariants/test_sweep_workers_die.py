"""Worker processes end when the sweep that started them dies; a Dask address that is not Dask fails in bounded time."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exitban.cli import app
from exitban.sweep.dask_probe import probe_scheduler

SPEC_TOML = """
name = "orphans"
base = "army-officers-2019"
days = 400
scale = 0.02
replications = 20
[parameters."regime.prosecution_threat"]
values = [0.1, 0.6]
"""


def _workers_of(pid: int) -> list[int]:
    """Spawned multiprocessing workers whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (entry / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if ppid == pid and b"spawn_main" in cmdline:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_workers_end_within_seconds_of_kill_9(tmp_path: Path) -> None:
    """kill -9 of `exitban sweep --workers 2`: both workers are gone within 15 s, not after their queued runs."""
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC_TOML)
    cmd = [sys.executable, "-m", "exitban", "sweep", str(spec), "--out", str(tmp_path / "s"), "--workers", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while len(workers := _workers_of(proc.pid)) < 2:
            assert time.monotonic() < deadline, "the sweep started no workers"
            time.sleep(0.1)
        time.sleep(2)  # let them take runs
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    killed = time.monotonic()
    while any(_alive(w) for w in workers) and time.monotonic() - killed < 15:
        time.sleep(0.1)
    left = [w for w in workers if _alive(w)]
    for w in left:
        os.kill(w, signal.SIGKILL)  # ours: do not leave them to the next test
    assert left == [], f"workers still alive {time.monotonic() - killed:.0f} s after the sweep died"


def _server(reply: bytes) -> int:
    """A local TCP server that accepts and sends ``reply`` (maybe nothing); returns its port."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen()
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            conn, _ = srv.accept()
            held.append(conn)
            if reply:
                conn.sendall(reply)

    threading.Thread(target=accept, daemon=True).start()
    return srv.getsockname()[1]


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (b"", r"no Dask handshake within 2 s"),
        (b"HTTP/1.1 400 Bad Request\r\n\r\n", r"its first message claims [\d,]+ bytes"),
        (b"\x05\x00\x00\x00\x00\x00\x00\x00hello", r"its first message is not a Dask handshake"),
    ],
)
def test_a_server_that_is_not_dask_is_refused_in_bounded_time(reply: bytes, message: str) -> None:
    """A silent server, a web server and a stranger are each refused within the probe's timeout."""
    port = _server(reply)
    started = time.monotonic()
    with pytest.raises(ValueError, match=rf"--dask tcp://127.0.0.1:{port}: not a Dask scheduler \(.*{message}"):
        probe_scheduler(f"tcp://127.0.0.1:{port}", timeout=2)
    assert time.monotonic() - started < 4


def test_cli_sweep_on_a_silent_server_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`exitban sweep --dask tcp://...` to a silent server exits 2 within the stated time, no traceback."""
    monkeypatch.setattr("exitban.sweep.dask_probe.PROBE_TIMEOUT_S", 2.0)
    monkeypatch.setattr(probe_scheduler, "__defaults__", (2.0,))
    port = _server(b"")
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC_TOML.replace("replications = 20", "replications = 1").replace("days = 400", "days = 2"))
    started = time.monotonic()
    out = CliRunner().invoke(
        app, ["sweep", str(spec), "--out", str(tmp_path / "s"), "--dask", f"tcp://127.0.0.1:{port}"]
    )
    assert out.exit_code == 2 and "not a Dask scheduler (no Dask handshake within 2 s)" in out.stderr
    assert time.monotonic() - started < 30
