"""``exitban dashboard``: serve the web dashboard (Panel) on this machine."""

from __future__ import annotations

import errno
import re
import socket

import typer
from rich.markup import escape

from exitban.cli import app
from exitban.cli.errors import err_console, user_errors
from exitban.cli.options import days_option, scale_option, set_option
from exitban.errors import ResourceError
from exitban.scenario.edit import apply_sets

LOOPBACK = ("127.0.0.1", "localhost", "::1")  # as exitban.dashboard.app (not imported: Panel is optional)


@app.command("dashboard")
def dashboard_cmd(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind; the default serves this machine only."),
    port: int = typer.Option(5006, "--port", min=1, max=65535, help="Port to listen on."),
    scenario: str = typer.Option("army-officers-2019", "--scenario", help="Scenario shown first."),
    scale: float = scale_option("Population scale of the first run; 1 = real size.", default=0.01),
    days: int | None = days_option("Days of the first run (default: the scenario's)."),
    sets: list[str] = set_option(),
    show: bool = typer.Option(False, "--show/--no-show", help="Open a browser tab."),
    allow_remote: bool = typer.Option(
        False, "--allow-remote", help="Allow a --host other than this machine (other machines can run simulations)."
    ),
    allow_origin: list[str] = typer.Option(
        [],
        "--allow-origin",
        help="HOST:PORT browsers use to reach the dashboard (repeat; needed with --allow-remote); "
        "the server answers no other names.",
    ),
) -> None:
    """Pick a scenario, move the policy levers, run, and watch the plots update (needs the 'dashboard' extra).

    --set changes every scenario the dashboard loads, before the levers apply.
    """
    try:
        from exitban.dashboard.app import serve
    except ImportError as exc:
        from exitban.extras import install_hint

        hint = escape(f"{install_hint('dashboard')} ({exc})")
        err_console.print(f"[bold red]error:[/] the dashboard needs Panel: {hint}")
        raise typer.Exit(code=2) from None
    with user_errors():
        from exitban.scenario.load import load_scenario

        apply_sets(load_scenario(scenario), sets)  # a bad name or value fails here, before the server starts
        for origin in allow_origin:
            if not re.fullmatch(r"[^/\s]+:[0-9]+", origin):
                raise ValueError(f"--allow-origin {origin!r} is not HOST:PORT (e.g. lab.example.org:{port})")
        if host not in LOOPBACK:
            if not allow_remote or not allow_origin:
                raise ValueError(
                    f"--host {host} serves other machines, and anyone who reaches it can run simulations here: "
                    "add --allow-remote and --allow-origin HOST:PORT for each address browsers will use"
                )
            err_console.print(
                f"[yellow]warning:[/] serving on {escape(host)}:{port} beyond this machine; pages from "
                f"{escape(', '.join(allow_origin))} may run simulations (no password: use a trusted network)",
                highlight=False,
            )
        check_port_free(host, port)
        print(f"exitban dashboard on http://{host}:{port}/ (Ctrl+C to stop)", flush=True)
        serve(
            host=host, port=port, show=show, origins=allow_origin, scenario=scenario, scale=scale, days=days, sets=sets
        )


def check_port_free(host: str, port: int) -> None:
    """Refuse a port another program holds: a user's choice to change (exit 2), not a disk error."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ResourceError(
                    f"--port {port}: {host}:{port} is already in use (another dashboard?); give another --port"
                ) from None
            raise ResourceError(f"--host {host} --port {port}: cannot listen there ({exc.strerror})") from None
