"""``exitban dashboard``: serve the web dashboard (Panel) on this machine."""

from __future__ import annotations

import typer
from rich.markup import escape

from exitban.cli import app
from exitban.cli.errors import err_console, user_errors

LOOPBACK = ("127.0.0.1", "localhost", "::1")  # as exitban.dashboard.app (not imported: Panel is optional)


@app.command("dashboard")
def dashboard_cmd(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind; the default serves this machine only."),
    port: int = typer.Option(5006, "--port", min=1, max=65535, help="Port to listen on."),
    scenario: str = typer.Option("army-officers-2019", "--scenario", help="Scenario shown first."),
    scale: float = typer.Option(0.01, "--scale", min=1e-4, max=1.0, help="Population scale of the first run."),
    days: int | None = typer.Option(None, "--days", min=1, max=3650, help="Days of the first run."),
    show: bool = typer.Option(False, "--show/--no-show", help="Open a browser tab."),
    allow_remote: bool = typer.Option(
        False, "--allow-remote", help="Allow a --host other than this machine (other machines can run simulations)."
    ),
    allow_origin: list[str] = typer.Option(
        [],
        "--allow-origin",
        help="HOST:PORT a browser may open the dashboard from (repeat; needed with --allow-remote).",
    ),
) -> None:
    """Pick a scenario, move the policy levers, run, and watch the plots update (needs the 'dashboard' extra)."""
    try:
        from exitban.dashboard.app import serve
    except ImportError as exc:
        hint = escape(f"pip install 'exitban[dashboard]' ({exc})")
        err_console.print(f"[bold red]error:[/] the dashboard needs Panel: {hint}")
        raise typer.Exit(code=2) from None
    with user_errors():
        from exitban.loader import load_scenario

        load_scenario(scenario)  # a bad name fails here, before the server starts
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
        print(f"exitban dashboard on http://{host}:{port}/ (Ctrl+C to stop)", flush=True)
        serve(host=host, port=port, show=show, origins=allow_origin, scenario=scenario, scale=scale, days=days)
