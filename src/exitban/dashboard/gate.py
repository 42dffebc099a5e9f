"""The dashboard's HTTP gate: which requests reach Panel's and Bokeh's handlers at all.

Three rules sit in front of every route, so they hold whatever handlers Panel adds:
a ``Host`` this machine does not answer to (DNS rebinding) and a cross-site subresource load (an
``<img>`` or ``<script>`` on another site) are refused with 403, and a path with ``..``, ``.``,
a backslash or a control character after percent-decoding answers 404. Panel's component-resource
route, which imports the Python module a URL names, is removed. A request handler's uncaught
exception is logged as one line: a crafted request must not fill the server's output with tracebacks.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any
from urllib.parse import unquote

from bokeh.server.util import check_allowlist
from panel.io.server import ComponentResourceHandler
from tornado.httputil import HTTPServerRequest
from tornado.routing import Matcher, Rule
from tornado.web import Application, ErrorHandler


class UnknownHost(Matcher):
    """Matches a request whose ``Host`` is not one of ``hosts`` (``name:port``; no port means 80)."""

    def __init__(self, hosts: Sequence[str]) -> None:
        self.hosts = [host.lower() for host in hosts]

    def match(self, request: HTTPServerRequest) -> dict[str, Any] | None:
        return None if check_allowlist(request.host.lower(), self.hosts) else {}


class CrossSiteLoad(Matcher):
    """Matches what a browser sends for another site's page, except following a link to the dashboard.

    Browsers mark every request with ``Sec-Fetch-Site``; a top-level navigation (a link, a typed
    address) is the one cross-site request a user means. A request without the header (curl,
    an older browser) passes: the ``Host`` and websocket-origin checks still apply to it.
    """

    def match(self, request: HTTPServerRequest) -> dict[str, Any] | None:
        headers = request.headers
        if headers.get("Sec-Fetch-Site", "").lower() != "cross-site":
            return None
        navigation = headers.get("Sec-Fetch-Mode") == "navigate" and headers.get("Sec-Fetch-Dest") == "document"
        return None if navigation else {}


class MalformedPath(Matcher):
    """Matches a path no dashboard URL has: a ``.``/``..`` segment, a backslash or a control character."""

    def match(self, request: HTTPServerRequest) -> dict[str, Any] | None:
        path = unquote(request.path)
        bad_char = any(ch == "\\" or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in path)
        return {} if bad_char or any(part in (".", "..") for part in path.split("/")) else None


def guard(app: Application, hosts: Sequence[str]) -> None:
    """Put the gate in front of ``app``'s routes and drop the route that imports modules by URL."""
    app.wildcard_router.rules = [
        rule for rule in app.wildcard_router.rules if rule.target is not ComponentResourceHandler
    ]
    refusals = [
        Rule(UnknownHost(hosts), ErrorHandler, {"status_code": 403}),
        Rule(CrossSiteLoad(), ErrorHandler, {"status_code": 403}),
        Rule(MalformedPath(), ErrorHandler, {"status_code": 404}),
    ]
    app.default_router.rules[:0] = refusals
    logging.getLogger("tornado.application").addFilter(one_line)


def one_line(record: logging.LogRecord) -> bool:
    """Log a request handler's uncaught exception as the request and the exception's one line, no traceback.

    Only Tornado's "Uncaught exception" records, which a crafted request can cause; other errors keep theirs.
    """
    if str(record.msg).startswith("Uncaught exception") and record.exc_info and record.exc_info[1] is not None:
        exc = record.exc_info[1]
        first = record.getMessage().splitlines()[0]  # tornado adds the request's repr on a second line
        record.msg = f"{first}: {type(exc).__name__}: {exc}"
        record.args = ()
        record.exc_info = None
        record.exc_text = None
    return True
