"""``exitban dashboard``: serve the web dashboard (Panel) on this machine."""

from __future__ import annotations

import typer
from rich.markup import escape

from exitban.cli import app
from exitban.cli.errors import err_console, user_errors


@app.command("dashboard")
def dashboard_cmd(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind; the default serves this machine only."),
    port: int = typer.Option(5006, "--port", min=1, max=65535, help="Port to listen on."),
    scenario: str = typer.Option("army-officers-2019", "--scenario", help="Scenario shown first."),
    scale: float = typer.Option(0.01, "--scale", min=1e-4, max=1.0, help="Population scale of the first run."),
    days: int | None = typer.Option(None, "--days", min=1, max=3650, help="Days of the first run."),
    show: bool = typer.Option(False, "--show/--no-show", help="Open a browser tab."),
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
        print(f"exitban dashboard on http://{host}:{port}/ (Ctrl+C to stop)", flush=True)
        serve(host=host, port=port, show=show, scenario=scenario, scale=scale, days=days)
