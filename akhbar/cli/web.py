"""`akhbar serve`: the HTTP API and the Urdu web UI over a store (uvicorn, localhost by default)."""

from __future__ import annotations

import typer

from akhbar.cli.app import DbOption, app, console


@app.command()
def serve(
    db: str = DbOption,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind; the default keeps it on this machine."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port."),
) -> None:
    """Serve the JSON API (/api, schema at /openapi.json, docs at /docs) and the web UI (/)."""
    import uvicorn

    from akhbar.api import create_app

    web_app = create_app(db)  # opens the store first, so a bad --db fails here with a clear message
    console.print(f"akhbar: serving {db} at http://{host}:{port}/  (API docs: /docs)", highlight=False)
    uvicorn.run(web_app, host=host, port=port, log_level="warning")
