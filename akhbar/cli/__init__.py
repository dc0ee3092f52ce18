"""Command line: `akhbar` and its subcommands (one module per stage, registered on import)."""

from __future__ import annotations

import sys

# Each module registers its commands on `app` / `eval_app` when imported.
from akhbar.cli import core  # noqa: E402,F401  (ingest, articles, article, search, demo, eval clean)
from akhbar.cli.app import app, err_console, eval_app
from akhbar.errors import AkhbarError

for _name in ("entities", "events", "stories", "semantic", "web", "scale"):
    try:
        __import__(f"akhbar.cli.{_name}")
    except ModuleNotFoundError as exc:  # a stage not installed in this build
        if exc.name != f"akhbar.cli.{_name}":
            raise


def main() -> None:
    """Entry point: run the CLI; user-facing errors print without a traceback and exit 1."""
    try:
        app()
    except AkhbarError as exc:
        err_console.print(f"[bold red]error:[/] {exc}", highlight=False)
        sys.exit(1)


__all__ = ["app", "eval_app", "main"]
