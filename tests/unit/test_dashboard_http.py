"""`exitban dashboard` over real HTTP: only this machine's names are served, no URL imports a module, odd paths are 404."""

from __future__ import annotations

import asyncio
import http.client
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exitban.cli import app

pytest.importorskip("panel")

PAGE_MARK = "<title>exitban dashboard</title>"
TRACEBACK_MARKS = ("Traceback", 'File "', "Error:")


@dataclass
class Server:
    port: int
    proc: subprocess.Popen
    log: Path
    cwd: Path

    def get(self, path: str, host: str | None = None, headers: dict[str, str] | None = None) -> tuple[int, str]:
        """Status and body of ``GET path`` sent as is, with ``Host: host`` (this machine's name by default)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            conn.request("GET", path, headers={"Host": host or f"127.0.0.1:{self.port}", **(headers or {})})
            response = conn.getresponse()
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            conn.close()

    def output(self, since: int = 0) -> str:
        """The server's output from character ``since`` on, once it has had a moment to write."""
        time.sleep(0.2)
        return self.log.read_text(errors="replace")[since:]

    def mark(self) -> int:
        return len(self.log.read_text(errors="replace"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A plain `exitban dashboard` in an empty working folder, its output unbuffered into a file."""
    port = _free_port()
    cwd = tmp_path_factory.mktemp("cwd")
    log = tmp_path_factory.mktemp("log") / "server.log"
    cmd = [sys.executable, "-m", "exitban", "dashboard", "--port", str(port), "--scale", "0.002", "--days", "60"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}  # a module's print must reach the log at once
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    srv = Server(port, proc, log, cwd)
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                if srv.get("/favicon.ico")[0] == 200:
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the dashboard did not start on port {port}:\n{srv.output()}")
                time.sleep(0.3)
        yield srv
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def _token(page: str) -> str:
    match = re.search(r'"token":\s*"([^"]+)"', page)
    assert match, "the page holds no session token"
    return match.group(1)


def test_the_page_loads_on_this_machines_names(server: Server) -> None:
    """127.0.0.1 and localhost get the page and a session token."""
    for host in (f"127.0.0.1:{server.port}", f"localhost:{server.port}", f"LOCALHOST:{server.port}"):
        status, body = server.get("/", host=host)
        assert status == 200 and PAGE_MARK in body, host
        assert _token(body)


def test_a_foreign_host_gets_no_page_token_or_file(server: Server) -> None:
    """A Host this machine does not answer to (DNS rebinding) is refused on every route before any handler."""
    foreign = [
        f"evil.example:{server.port}",
        "evil.example",
        f"127.0.0.1.evil.example:{server.port}",
        f"localhost:{server.port + 1}",
    ]
    for host in foreign:
        for path in ("/", "/ws", "/autoload.js?bokeh-autoload-element=x", "/static/js/bokeh.min.js", "/favicon.ico"):
            status, body = server.get(path, host=host)
            assert status == 403, (host, path, status)
            assert "token" not in body and "exitban" not in body and "bokeh" not in body.lower(), (host, path)


def test_the_websocket_opens_only_for_this_machines_host(server: Server) -> None:
    """The page's own token opens the websocket from 127.0.0.1; the same token under a foreign Host is refused."""
    from tornado.httpclient import HTTPClientError, HTTPRequest
    from tornado.websocket import websocket_connect

    token = _token(server.get("/")[1])

    async def connect(host: str) -> int:
        request = HTTPRequest(
            f"ws://127.0.0.1:{server.port}/ws",
            headers={"Host": host, "Origin": f"http://{host}"},
            request_timeout=60,
        )
        try:
            ws = await websocket_connect(request, subprotocols=["bokeh", token])
        except HTTPClientError as exc:
            return exc.code
        ws.close()
        return 101

    # on a thread of its own: an earlier test in the session may have left an event loop running on this one
    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(asyncio.run, connect(f"127.0.0.1:{server.port}")).result() == 101
        assert pool.submit(asyncio.run, connect(f"evil.example:{server.port}")).result() == 403


@pytest.mark.parametrize("module", ["this", "venv", "venv.__main__", "antigravity", "exitban.cli"])
def test_a_component_url_imports_nothing(server: Server, module: str) -> None:
    """Panel's /components/<module>/... route is gone: no module runs, nothing is written, the server answers."""
    since = server.mark()
    status, body = server.get(f"/components/{module}/x/__css__/y")
    assert status == 404 and not any(mark in body for mark in TRACEBACK_MARKS)
    assert "The Zen of Python" not in server.output(since)
    assert list(server.cwd.iterdir()) == [], "a request wrote into the server's working folder"
    assert server.proc.poll() is None and server.get("/favicon.ico")[0] == 200


@pytest.mark.parametrize(
    "path",
    [
        "/nonexistent",
        "/../../etc/passwd",
        "/static/../../x",
        "/%2e%2e/",
        "/static/%2e%2e/%2e%2e/x",
        "/static/extensions/panel/..%2f..%2fx",
        "/static/%00",
        "/static/extensions/panel/%00",
        "/static/a%5c..%5cx",
        "/components/.x/y/__css__/z",
        "/components/a",
    ],
)
def test_unknown_and_traversal_paths_are_404_without_a_traceback(server: Server, path: str) -> None:
    """Odd paths answer 404 with Tornado's plain page, and the server logs no traceback for them."""
    since = server.mark()
    status, body = server.get(path)
    assert status in (400, 404), (path, status)
    assert not any(mark in body for mark in TRACEBACK_MARKS), body
    assert "Traceback" not in server.output(since)


def test_a_handler_error_is_one_line_in_the_log(server: Server) -> None:
    """A request a Bokeh handler fails on answers 500 with no traceback, in the body or the server's output."""
    since = server.mark()
    status, body = server.get("/?bokeh-session-id=")
    assert status == 500 and not any(mark in body for mark in TRACEBACK_MARKS)
    out = server.output(since)
    assert "Traceback" not in out
    assert "Uncaught exception GET /?bokeh-session-id= (127.0.0.1): ProtocolError: Session ID must not be empty" in out


def test_another_sites_img_or_script_is_refused_but_a_link_opens_the_page(server: Server) -> None:
    """A cross-site subresource load (an <img> or <script> elsewhere) is 403; following a link is served."""
    for mode, dest in (("no-cors", "image"), ("no-cors", "script"), ("navigate", "iframe"), ("cors", "empty")):
        headers = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": mode, "Sec-Fetch-Dest": dest}
        status, body = server.get("/", headers=headers)
        assert status == 403 and "token" not in body, (mode, dest)
    link = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"}
    status, body = server.get("/", headers=link)
    assert status == 200 and PAGE_MARK in body


def test_allow_origin_must_be_host_and_port(monkeypatch: pytest.MonkeyPatch) -> None:
    """An --allow-origin that is a URL or has no port is refused in one line (exit 2): it would never match a Host."""
    calls: list[dict] = []
    monkeypatch.setattr("exitban.dashboard.app.serve", lambda **kw: calls.append(kw))
    base = ["dashboard", "--host", "0.0.0.0", "--allow-remote", "--allow-origin"]
    for origin in ("http://lab.example:5006", "lab.example"):
        out = CliRunner().invoke(app, [*base, origin])
        assert out.exit_code == 2 and f"--allow-origin '{origin}' is not HOST:PORT" in out.stderr
    assert calls == []


def test_the_bound_loopback_name_is_served() -> None:
    """--host ::1 adds its bracketed name; 0.0.0.0 is no name a browser uses, so only the listed ones are added."""
    from exitban.dashboard.app import allowed_origins

    assert allowed_origins("::1", 5006) == ["localhost:5006", "127.0.0.1:5006", "[::1]:5006"]
    assert allowed_origins("0.0.0.0", 5006, ["lab.example:5006"]) == [
        "localhost:5006",
        "127.0.0.1:5006",
        "lab.example:5006",
    ]
