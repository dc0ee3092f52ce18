"""The typer apps and helpers every command module shares; commands stay thin."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
from typing import Any

import typer
from rich.console import Console

from akhbar.store import DEFAULT_DB, Store, open_store

app = typer.Typer(
    name="akhbar",
    help="Urdu-first news intelligence: ingest, clean, link, code events, cluster stories, search.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
eval_app = typer.Typer(help="Score a stage against gold annotations or external data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")

console = Console()
err_console = Console(stderr=True)

DbOption = typer.Option(DEFAULT_DB, "--db", help="SQLite file or postgresql:// URL.")
JsonOption = typer.Option(False, "--json", help="Print JSON instead of a table.")


def get_store(db: str) -> Store:
    """Open the store named on the command line."""
    return open_store(db)


def to_jsonable(value: Any) -> Any:
    """Dataclasses, dates and containers as plain JSON values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [to_jsonable(v) for v in value]
    return value


def echo_json(value: Any) -> None:
    """Print `value` as UTF-8 JSON (Urdu unescaped)."""
    sys.stdout.write(json.dumps(to_jsonable(value), ensure_ascii=False, indent=2) + "\n")
